"""Citizens and their cases (borger, sag): the caseworker's data, municipal eyes only.

CPR and free-text notes are encrypted at rest (:class:`anvis.core.fields.EncryptedTextField`);
a keyed hash of the normalised CPR finds an existing citizen without decrypting. Other parties
only ever see the pseudonymous case number (``S-2026-00042``) or citizen reference.
Rules with law and dates live in :mod:`anvis_core.cases`; the properties below convert rows
into the core's plain objects.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anvis.core.fields import EncryptedTextField
from anvis_core import law
from anvis_core.cases import bars as core_bars
from anvis_core.cases import reimbursement as core_reimbursement
from anvis_core.cases.household import MAX_EXTRA_ROOMS
from anvis_core.cases.situation import ReleaseFrom
from anvis_core.cases.situation import Situation as CoreSituation
from anvis_core.cases.status import CaseStatus as CoreStatus
from anvis_core.cases.support import SupportMethod as CoreMethod
from anvis_core.cpr import age_on, mask_cpr


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


class Citizen(models.Model):
    """A person. The CPR number is encrypted; `cpr_hash` (HMAC of the ten digits) finds them."""

    cpr = EncryptedTextField(_("CPR number"))
    cpr_hash = models.CharField(_("CPR lookup hash"), max_length=64, unique=True, editable=False)
    reference = models.CharField(_("reference"), max_length=16, unique=True, editable=False)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    preferred_contact = models.CharField(
        _("preferred contact"),
        max_length=16,
        choices=PreferredContact.choices,
        default=PreferredContact.PHONE,
    )
    birth_date = models.DateField(_("birth date"), editable=False)
    recorded_sex = models.CharField(
        _("sex (CPR)"), max_length=8, choices=RecordedSexChoice.choices, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    audit_exclude = ("cpr", "cpr_hash")

    class Meta:
        verbose_name = _("citizen")
        verbose_name_plural = _("citizens")
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.reference

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def cpr_masked(self) -> str:
        return mask_cpr(self.cpr)

    def age_on(self, on: dt.date) -> int:
        return age_on(self.birth_date, on)


class CaseQuerySet(models.QuerySet["Case"]):
    def open(self) -> CaseQuerySet:
        return self.exclude(status=CaseStatus.CLOSED)


class Case(models.Model):
    """One period of homelessness for a citizen. A return to homelessness is a new case."""

    number = models.CharField(_("case number"), max_length=16, unique=True, editable=False)
    citizen = models.ForeignKey(
        Citizen, verbose_name=_("citizen"), on_delete=models.PROTECT, related_name="cases"
    )
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("caseworker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=CaseStatus.choices,
        default=CaseStatus.WAITING,
        db_index=True,
    )
    opened_on = models.DateField(_("opened"))
    waiting_since = models.DateField(_("waiting since"))
    closed_on = models.DateField(_("closed"), null=True, blank=True)

    # Current homelessness situation (history in SituationEntry).
    situation = models.CharField(
        _("situation"), max_length=32, choices=Situation.choices, db_index=True
    )
    situation_since = models.DateField(_("situation since"))

    # Household.
    adults = models.PositiveSmallIntegerField(
        _("adults"), default=1, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    pets = models.CharField(_("pets"), max_length=200, blank=True, help_text=_("E.g. 1 dog."))
    extra_rooms = models.PositiveSmallIntegerField(
        _("rooms beyond the minimum"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_EXTRA_ROOMS)],
        help_text=_("Leave empty for the default (one room more than the minimum)."),
    )

    # Needs and wishes.
    needs_step_free = models.BooleanField(_("step-free access"), default=False)
    needs_elevator = models.BooleanField(_("elevator"), default=False)
    needs_wheelchair = models.BooleanField(_("wheelchair-accessible"), default=False)
    needs_ground_floor = models.BooleanField(_("ground floor"), default=False)
    districts_wanted = models.CharField(
        _("districts wanted"), max_length=300, blank=True, help_text=_("Comma-separated.")
    )

    # Economy (whole kroner a month).
    income_type = models.CharField(
        _("income type"), max_length=32, choices=IncomeType.choices, blank=True
    )
    income_amount = models.PositiveIntegerField(
        _("disposable income (kr/month)"), null=True, blank=True
    )
    housing_benefit = models.PositiveIntegerField(
        _("expected housing benefit (kr/month)"), null=True, blank=True
    )
    benefit_income = models.PositiveIntegerField(
        _("household income for the housing benefit (kr/year)"),
        null=True,
        blank=True,
        help_text=_(
            "All adults' income before tax, as boligstøtte counts it. When recorded, each "
            "dwelling is judged on rent + a conto − the estimated housing benefit."
        ),
    )
    max_rent_override = models.PositiveIntegerField(
        _("maximum rent, override (kr/month)"), null=True, blank=True
    )
    max_rent_override_reason = models.CharField(
        _("reason for the override"), max_length=300, blank=True
    )
    deposit_loan_needed = models.BooleanField(_("needs a municipal deposit loan"), default=False)

    # Priority: inputs and the stored total (recomputed on change and nightly).
    discharge_without_address = models.BooleanField(
        _("documented discharge without an address"),
        default=False,
        help_text=_("A documented discharge from hospital, treatment or prison with no address."),
    )
    urgent = models.BooleanField(_("urgent"), default=False)
    urgency_reason = models.CharField(_("reason for urgency"), max_length=300, blank=True)
    priority_total = models.IntegerField(_("priority"), default=0, db_index=True)
    priority_computed_on = models.DateField(_("priority computed"), null=True, blank=True)

    # Parking: temporarily unavailable through parked_until (inclusive).
    parked_until = models.DateField(_("parked until"), null=True, blank=True)
    park_reason = models.CharField(_("reason for parking"), max_length=300, blank=True)

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-priority_total", "waiting_since", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_rent_override__isnull=True) | ~Q(max_rent_override_reason=""),
                name="cases_case_rent_override_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(urgent=False) | ~Q(urgency_reason=""),
                name="cases_case_urgency_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(parked_until__isnull=True) | ~Q(park_reason=""),
                name="cases_case_parking_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(status=CaseStatus.CLOSED) | Q(closed_on__isnull=True),
                name="cases_case_closed_on_only_when_closed",
            ),
            models.UniqueConstraint(
                fields=["citizen"],
                condition=~Q(status=CaseStatus.CLOSED),
                name="cases_case_one_open_case_per_citizen",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.max_rent_override is not None and not self.max_rent_override_reason.strip():
            errors["max_rent_override_reason"] = _(
                "Give a reason when you override the maximum rent."
            )
        if self.urgent and not self.urgency_reason.strip():
            errors["urgency_reason"] = _("Give a reason for the urgency.")
        if self.parked_until is not None and not self.park_reason.strip():
            errors["park_reason"] = _("Give a reason for parking the case.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_open(self) -> bool:
        return self.status != CaseStatus.CLOSED

    def is_parked_on(self, today: dt.date) -> bool:
        return self.parked_until is not None and today <= self.parked_until

    @property
    def district_list(self) -> list[str]:
        return [d.strip() for d in self.districts_wanted.split(",") if d.strip()]


class SituationEntry(models.Model):
    """The history of a case's homelessness situation (the newest is the current one)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="situations")
    situation = models.CharField(_("situation"), max_length=32, choices=Situation.choices)
    since = models.DateField(_("since"))
    release_from = models.CharField(
        _("released from"), max_length=16, choices=ReleaseFromChoice.choices, blank=True
    )
    release_date = models.DateField(_("release date"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("situation")
        verbose_name_plural = _("situation history")
        ordering = ["-since", "-pk"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.situation} {self.since}"


class HouseholdChild(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="children")
    birth_date = models.DateField(_("birth date"))

    class Meta:
        verbose_name = _("child")
        verbose_name_plural = _("children")
        ordering = ["birth_date", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.birth_date}"

    def age_on(self, on: dt.date) -> int:
        return age_on(self.birth_date, on)


class AvoidArea(models.Model):
    """A district or department the citizen should not be placed in, with the reason."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="avoid_areas")
    district = models.CharField(_("district"), max_length=100, blank=True)
    department = models.ForeignKey(
        "stock.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=300)

    class Meta:
        verbose_name = _("area to avoid")
        verbose_name_plural = _("areas to avoid")
        constraints = [
            models.CheckConstraint(
                condition=~Q(district="") | Q(department__isnull=False),
                name="cases_avoidarea_district_or_department",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="cases_avoidarea_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.district or self.department_id}"

    def clean(self) -> None:
        if not self.district.strip() and self.department_id is None:
            raise ValidationError(_("Give a district or a department."))


class HouseholdMember(models.TextChoices):
    """Whose event it is: benefit periods of different members are never joined (§ 59)."""

    APPLICANT = "applicant", _("Applicant")
    PARTNER = "partner", _("Spouse or partner")
    OTHER_ADULT = "other_adult", _("Other adult in the household")
    CHILD = "child", _("Child in the household")


class LegalBarEvent(models.Model):
    """An event behind a § 59 stk. 6–7 bar: a release, a termination, or a benefit period."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="bar_events")
    kind = models.CharField(_("kind"), max_length=32, choices=BarKind.choices)
    date = models.DateField(_("date"), help_text=_("For benefits: the first day of the period."))
    end = models.DateField(
        _("last day of the period"),
        null=True,
        blank=True,
        help_text=_("For benefits and citizenship: empty while it lasts."),
    )
    benefit = models.CharField(
        _("benefit"),
        max_length=32,
        choices=[(c, label) for c, label in IncomeType.choices if c in set(core_bars.Benefit)],
        blank=True,
    )
    member = models.CharField(
        _("household member"),
        max_length=16,
        choices=HouseholdMember.choices,
        default=HouseholdMember.APPLICANT,
        help_text=_("Benefit periods are joined only for the same member."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("legal bar event")
        verbose_name_plural = _("legal bar events")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="benefits") | ~Q(benefit=""), name="cases_bar_benefit_named"
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("date")),
                name="cases_bar_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.kind} {self.date}"

    def clean(self) -> None:
        if self.kind == BarKind.BENEFITS and not self.benefit:
            raise ValidationError({"benefit": _("Choose the benefit.")})
        if self.kind == BarKind.BENEFITS and self.date is not None:
            reform = law.REFORM_2025
            if self.benefit in FORMER_BENEFITS and self.date >= reform:
                raise ValidationError(
                    {
                        "benefit": _(
                            "This benefit ended on 30 June 2025; a period from 1 July 2025 is "
                            "kontanthjælp."
                        )
                    }
                )
            if self.benefit == IncomeType.CASH_BENEFIT_MINIMUM and self.date < reform:
                raise ValidationError(
                    {"benefit": _("The minimum rate of kontanthjælp exists from 1 July 2025.")}
                )
        if self.end is not None and self.date is not None and self.end < self.date:
            raise ValidationError({"end": _("The period cannot end before it starts.")})

    def to_core(self) -> core_bars.BarEvent:
        return core_bars.BarEvent.from_values(
            self.kind, self.date, self.end, self.benefit, self.member
        )


class ShelterStay(models.Model):
    """A § 110 stay. The reimbursement counter runs over all of the citizen's stays."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="shelter_stays")
    shelter = models.CharField(_("shelter"), max_length=200)
    admitted_on = models.DateField(_("admitted"))
    discharged_on = models.DateField(_("discharged"), null=True, blank=True)
    action_plan = models.BooleanField(_("action plan (handleplan) present"), default=False)

    class Meta:
        verbose_name = _("shelter stay")
        verbose_name_plural = _("shelter stays")
        ordering = ["-admitted_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(discharged_on__isnull=True)
                | Q(discharged_on__gte=models.F("admitted_on")),
                name="cases_stay_discharge_after_admission",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.shelter} {self.admitted_on}"

    def clean(self) -> None:
        if self.discharged_on and self.admitted_on and self.discharged_on < self.admitted_on:
            raise ValidationError({"discharged_on": _("Discharge cannot be before admission.")})

    def to_core(self) -> core_reimbursement.Stay:
        return core_reimbursement.Stay(self.admitted_on, self.discharged_on)


class SupportPlan(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="support_plans")
    method = models.CharField(_("method"), max_length=8, choices=SupportMethod.choices)
    provider = models.CharField(_("provider"), max_length=200)
    decided_on = models.DateField(_("decision date"))
    starts_on = models.DateField(_("start"), null=True, blank=True)
    ends_on = models.DateField(_("end"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=SupportStatus.choices, default=SupportStatus.PLANNED
    )

    class Meta:
        verbose_name = _("support plan")
        verbose_name_plural = _("support plans")
        ordering = ["-decided_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="cases_support_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.method} {self.decided_on}"

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The end cannot be before the start.")})


class ContactConsent(models.Model):
    """The citizen's consent to share name and contact details (used by the offer flow)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    scope = models.CharField(_("scope"), max_length=32, choices=ConsentScope.choices)
    given_on = models.DateField(_("given"))
    withdrawn_on = models.DateField(_("withdrawn"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("consent to share contact details")
        verbose_name_plural = _("consents to share contact details")
        ordering = ["-given_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.scope} {self.given_on}"

    def active_on(self, day: dt.date) -> bool:
        return self.given_on <= day and (self.withdrawn_on is None or day < self.withdrawn_on)


class CaseEvent(models.Model):
    """The case timeline. `summary` holds no personal free text; `note` is encrypted."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=EventKind.choices)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    note = EncryptedTextField(_("note"), blank=True)

    audit_exclude = ("note",)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.kind}"
