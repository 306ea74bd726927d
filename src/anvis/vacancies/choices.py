"""The vacancy flow's choices: the states of `anvis_core.workflow` with their Danish labels,
and the coded reasons, kinds and statuses the models store."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from anvis_core.workflow import (
    ACTIVE_OFFER_STATES,
    OPEN_VACANCY_STATES,
    DeclineReason,
    DeclineSide,
    OfferState,
    RejectionGround,
    VacancyState,
)
from anvis_core.workflow.guarantee import GuaranteeKind


class VacancyStatus(models.TextChoices):
    REPORTED = VacancyState.REPORTED.value, _("Reported")
    MUNICIPAL = VacancyState.MUNICIPAL.value, _("Municipal turn, awaiting answer")
    ORDINARY = VacancyState.ORDINARY.value, _("Ordinary letting")
    ACCEPTED = VacancyState.ACCEPTED.value, _("Accepted by the municipality")
    DECLINED = VacancyState.DECLINED.value, _("Declined by the municipality")
    EXPIRED = VacancyState.EXPIRED.value, _("Expired without an answer")
    OFFERED = VacancyState.OFFERED.value, _("Offered to a citizen")
    LET = VacancyState.LET.value, _("Let")
    HANDED_BACK = VacancyState.HANDED_BACK.value, _("Handed back to ordinary letting")


OPEN_STATUSES = sorted(s.value for s in OPEN_VACANCY_STATES)


class VacancySource(models.TextChoices):
    REPORT = "report", _("Vacancy report")
    VOLUNTARY = "voluntary", _("Offered voluntarily by the organisation")
    HANDHELD = "handheld", _("Answer to a håndholdt request")


class OfferStatus(models.TextChoices):
    PENDING = OfferState.PENDING.value, _("Awaiting the citizen's answer")
    ACCEPTED = OfferState.ACCEPTED.value, _("Accepted by the citizen")
    DECLINED = OfferState.DECLINED.value, _("Declined")
    EXPIRED = OfferState.EXPIRED.value, _("Expired without an answer")
    WITHDRAWN = OfferState.WITHDRAWN.value, _("Withdrawn by the municipality")
    REJECTED_BY_ORGANISATION = (
        OfferState.REJECTED_BY_ORGANISATION.value,
        _("Nominee rejected by the organisation"),
    )
    LEASE_CANCELLED = OfferState.LEASE_CANCELLED.value, _("Lease cancelled before move-in")


ACTIVE_OFFER_STATUSES = sorted(s.value for s in ACTIVE_OFFER_STATES)


class DeclineReasonChoice(models.TextChoices):
    CLIENT_LOCATION = DeclineReason.CLIENT_LOCATION.value, _("The citizen: location")
    CLIENT_SIZE = DeclineReason.CLIENT_SIZE.value, _("The citizen: size or layout")
    CLIENT_RENT = DeclineReason.CLIENT_RENT.value, _("The citizen: the rent")
    CLIENT_NOT_READY = DeclineReason.CLIENT_NOT_READY.value, _("The citizen: not ready to move")
    CLIENT_NO_SHOW = DeclineReason.CLIENT_NO_SHOW.value, _("The citizen: did not come to viewing")
    CLIENT_NO_RESPONSE = (
        DeclineReason.CLIENT_NO_RESPONSE.value,
        _("The citizen: no answer within the deadline"),
    )
    CLIENT_OTHER = DeclineReason.CLIENT_OTHER.value, _("The citizen: other reason")
    PROVIDER_UNSUITABLE = (
        DeclineReason.PROVIDER_UNSUITABLE.value,
        _("The municipality: the dwelling does not suit the citizen's needs"),
    )
    PROVIDER_SUPPORT_NOT_READY = (
        DeclineReason.PROVIDER_SUPPORT_NOT_READY.value,
        _("The municipality: the support is not ready"),
    )
    PROVIDER_OTHER = DeclineReason.PROVIDER_OTHER.value, _("The municipality: other reason")


class DeclineSideChoice(models.TextChoices):
    CLIENT = DeclineSide.CLIENT.value, _("Client-declined")
    PROVIDER = DeclineSide.PROVIDER.value, _("Provider-declined")


class RejectionGroundChoice(models.TextChoices):
    DEBT_WITHOUT_PLAN = (
        RejectionGround.DEBT_WITHOUT_PLAN.value,
        _("Debt to the organisation without a repayment plan"),
    )
    OVERCROWDING = RejectionGround.OVERCROWDING.value, _("More than 2 persons per room")
    AREA_RULES = RejectionGround.AREA_RULES.value, _("Rules for the area (allocation rules)")


class EventKind(models.TextChoices):
    STATUS = "status", _("Status changed")
    OFFER = "offer", _("Offer")
    LEASE = "lease", _("Lease")
    GUARANTEE = "guarantee", _("Guarantee claim")


class GuaranteeKindChoice(models.TextChoices):
    MOVE_OUT_REPAIRS = GuaranteeKind.MOVE_OUT_REPAIRS.value, _("Move-out repairs")
    FIRST_YEAR_ARREARS = GuaranteeKind.FIRST_YEAR_ARREARS.value, _("Arrears in the first period")


class ClaimStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting the municipality")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
