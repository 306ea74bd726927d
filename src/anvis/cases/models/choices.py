"""The cases' choices: situations, statuses, income, bars, support, consent and events."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from anvis_core.cases import bars as core_bars
from anvis_core.cases.situation import ReleaseFrom
from anvis_core.cases.situation import Situation as CoreSituation
from anvis_core.cases.status import CaseStatus as CoreStatus
from anvis_core.cases.support import SupportMethod as CoreMethod


class Situation(models.TextChoices):
    ROUGH_SLEEPING = CoreSituation.ROUGH_SLEEPING.value, _("Sleeping rough")
    NIGHT_SHELTER = CoreSituation.NIGHT_SHELTER.value, _("Night shelter")
    SHELTER_110 = CoreSituation.SHELTER_110.value, _("§ 110 shelter")
    WOMENS_SHELTER = CoreSituation.WOMENS_SHELTER.value, _("Women's shelter")
    RELEASE_NO_ADDRESS = (
        CoreSituation.RELEASE_NO_ADDRESS.value,
        _("Release from prison, hospital or treatment without an address"),
    )
    FRIENDS_FAMILY = CoreSituation.FRIENDS_FAMILY.value, _("Staying with friends or family")
    TEMPORARY_HOUSING = CoreSituation.TEMPORARY_HOUSING.value, _("Short-term or temporary housing")


class ReleaseFromChoice(models.TextChoices):
    PRISON = ReleaseFrom.PRISON.value, _("Prison")
    HOSPITAL = ReleaseFrom.HOSPITAL.value, _("Hospital")
    TREATMENT = ReleaseFrom.TREATMENT.value, _("Treatment")


class CaseStatus(models.TextChoices):
    WAITING = CoreStatus.WAITING.value, _("Waiting")
    OFFERED = CoreStatus.OFFERED.value, _("Offered")
    HOUSED = CoreStatus.HOUSED.value, _("Housed")
    FOLLOW_UP = CoreStatus.FOLLOW_UP.value, _("Follow-up")
    CLOSED = CoreStatus.CLOSED.value, _("Closed")


class PreferredContact(models.TextChoices):
    PHONE = "phone", _("Phone")
    SMS = "sms", _("Text message")
    EMAIL = "email", _("E-mail")
    LETTER = "letter", _("Letter (Digital Post)")
    VIA_STAFF = "via_staff", _("Through shelter or support staff")


class RecordedSexChoice(models.TextChoices):
    MALE = "male", _("Male (CPR)")
    FEMALE = "female", _("Female (CPR)")


class IncomeType(models.TextChoices):
    # The benefit reform of 1 July 2025 made uddannelseshjælp, selvforsørgelses- og
    # hjemrejseydelse and overgangsydelse one kontanthjælp with rates; the old values stay
    # readable for periods and incomes recorded before it (anvis_core.law).
    CASH_BENEFIT = "cash_benefit", _("Kontanthjælp")
    CASH_BENEFIT_MINIMUM = "cash_benefit_minimum", _("Kontanthjælp (minimum rate, mindstesats)")
    EDUCATION_AID = "education_aid", _("Uddannelseshjælp (until 30 June 2025)")
    SELF_SUPPORT = "self_support", _("Selvforsørgelses- og hjemrejseydelse (until 30 June 2025)")
    TRANSITION = "transition", _("Overgangsydelse (until 30 June 2025)")
    RESOURCE_PROGRAMME = "resource_programme", _("Ressourceforløbsydelse")
    DISABILITY_PENSION = "disability_pension", _("Førtidspension")
    UNEMPLOYMENT = "unemployment", _("Dagpenge")
    SICKNESS = "sickness", _("Sygedagpenge")
    OLD_AGE_PENSION = "old_age_pension", _("Folkepension")
    STUDENT_GRANT = "student_grant", _("SU")
    SALARY = "salary", _("Salary")
    NONE = "none", _("No income")
    OTHER = "other", _("Other")


FORMER_BENEFITS = frozenset(
    {IncomeType.EDUCATION_AID, IncomeType.SELF_SUPPORT, IncomeType.TRANSITION}
)
"""Benefits that ended with the reform of 1 July 2025."""


class BarKind(models.TextChoices):
    PRISON_RELEASE = (
        core_bars.BarKind.PRISON_RELEASE.value,
        _("Released from the Prison and Probation Service"),
    )
    YOUTH_RELEASE = (
        core_bars.BarKind.YOUTH_RELEASE.value,
        _("Under 18: released from an institution outside the Prison and Probation Service"),
    )
    GROSS_BREACH_TERMINATION = (
        core_bars.BarKind.GROSS_BREACH_TERMINATION.value,
        _("Lease terminated for gross breach"),
    )
    NON_EU_CITIZEN = (
        core_bars.BarKind.NON_EU_CITIZEN.value,
        _("Not a citizen of the EU/EEA or Switzerland, and not a student (period)"),
    )
    BENEFITS = core_bars.BarKind.BENEFITS.value, _("Listed benefits (period)")


class SupportMethod(models.TextChoices):
    CTI = CoreMethod.CTI.value, _("CTI (9 months)")
    ICM = CoreMethod.ICM.value, _("ICM")
    ACT = CoreMethod.ACT.value, _("ACT")
    SECTION_85 = CoreMethod.SECTION_85.value, _("§ 85")
    SECTION_85A = CoreMethod.SECTION_85A.value, _("§ 85 a")


class SupportStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")
    CANCELLED = "cancelled", _("Cancelled")


class ConsentScope(models.TextChoices):
    OFFER_ORGANISATION = (
        "offer_organisation",
        _("Name and contact details to the housing organisation of an accepted offer"),
    )


class EventKind(models.TextChoices):
    CREATED = "created", _("Case opened")
    STATUS = "status", _("Status changed")
    SITUATION = "situation", _("Situation changed")
    UPDATED = "updated", _("Case updated")
    NOTE = "note", _("Note")
    PARKED = "parked", _("Parked")
    UNPARKED = "unparked", _("Unparked")
    URGENCY = "urgency", _("Urgency changed")
    SHELTER_STAY = "shelter_stay", _("Shelter stay")
    SUPPORT_PLAN = "support_plan", _("Support plan")
    LEGAL_BAR = "legal_bar", _("Legal bar")
    CONSENT = "consent", _("Consent")
    TENANCY_ENDED = "tenancy_ended", _("Tenancy ended")
