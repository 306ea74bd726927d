"""The udlejningsaftale: agreement, versioned terms, governance fora, department steps
(trappetrinsmodel), yearly reassessment, håndholdt requests, and the turn records the fair-share
ledger is computed from."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anvis.permissions import OrgScopedQuerySet
from anvis.stock.models import DwellingType
from anvis_core.quotas import Outcome, TurnState, share_from_percent
from anvis_core.rent_ceiling import CeilingBasis, CeilingComparison
from anvis_core.workflow.void_rent import VoidRentConvention

SHARE_FIELD = {"max_digits": 5, "decimal_places": 2}
CPR_PATTERN = re.compile(r"(?<!\d)\d{6}[-\s]?\d{4}(?!\d)")


def share_validators() -> list[Any]:
    # Validators format their message with %-params, hence the doubled percent sign.
    message = _("The municipal share must be between 0 and 100 %%.")
    return [MinValueValidator(Decimal(0), message), MaxValueValidator(Decimal(100), message)]


class AgreementQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def restrict(self, user: Any) -> AgreementQuerySet:
        """Organisation staff see the agreements their organisations are party to."""
        from anvis.permissions import (
            Role,
            sees_all_organisations,
            user_has_role,
            user_organisation_ids,
        )

        if sees_all_organisations(user):
            return self
        if user_has_role(user, {Role.ORGANISATION}):
            return self.filter(parties__in=user_organisation_ids(user)).distinct()
        return self.none()


class AllocationAgreement(models.Model):
    municipality = models.CharField(_("municipality"), max_length=100)
    title = models.CharField(_("title"), max_length=200)
    parties = models.ManyToManyField(
        "stock.HousingOrganisation",
        verbose_name=_("parties (housing organisations)"),
        related_name="agreements",
        blank=True,
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    period_start = models.DateField(_("in force from"))
    period_end = models.DateField(_("in force until"), null=True, blank=True)
    renegotiation_date = models.DateField(_("renegotiation date"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("allocation agreement")
        verbose_name_plural = _("allocation agreements")
        ordering = ["-period_start", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__isnull=True) | Q(period_end__gt=models.F("period_start")),
                name="agreements_agreement_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(signed_on__isnull=True) | Q(signed_on__lte=models.F("period_start")),
                name="agreements_agreement_signed_before_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.municipality})"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.period_start and self.period_end and self.period_end <= self.period_start:
            errors["period_end"] = _("The end date must be after the start date.")
        if self.period_start and self.signed_on and self.signed_on > self.period_start:
            errors["signed_on"] = _("The agreement must be signed on or before its start date.")
        if (
            self.period_start
            and self.renegotiation_date
            and self.renegotiation_date < self.period_start
        ):
            errors["renegotiation_date"] = _(
                "The renegotiation date cannot be before the start date."
            )
        if errors:
            raise ValidationError(errors)

    def in_force_on(self, day: dt.date) -> bool:
        return self.period_start <= day and (self.period_end is None or day <= self.period_end)

    def version_for(self, day: dt.date) -> AgreementVersion | None:
        """The version whose terms apply on `day`, or None outside the agreement period."""
        if not self.in_force_on(day):
            return None
        return self.versions.filter(valid_from__lte=day).order_by("-valid_from").first()


class VoidRentPayer(models.TextChoices):
    MUNICIPALITY = "municipality", _("The municipality")
    ORGANISATION = "organisation", _("The housing organisation")


class VoidRentFrom(models.TextChoices):
    AVAILABLE = "available_from", _("From the date the dwelling is available")
    ACCEPTANCE = "acceptance", _("From the municipality's acceptance")


class CeilingBasisChoice(models.TextChoices):
    NET = CeilingBasis.NET.value, _("Net rent (without a conto)")
    GROSS = CeilingBasis.GROSS.value, _("Gross rent (rent + a conto for heating and water)")


class CeilingComparisonChoice(models.TextChoices):
    AT_MOST = CeilingComparison.AT_MOST.value, _("At most the ceiling")
    BELOW = CeilingComparison.BELOW.value, _("Below the ceiling")


class VoidRentConventionChoice(models.TextChoices):
    DAILY = VoidRentConvention.DAILY.value, _("Daily rent (monthly rent × 12 / 365 a day)")
    MONTH30 = (
        VoidRentConvention.MONTH30.value,
        _("Whole months (a whole calendar month is one monthly rent, a part month 1/30 a day)"),
    )


class AgreementVersion(models.Model):
    """The terms of an agreement from `valid_from` until the next version. A version that has
    judged a vacancy is never edited: a change is a new version (see services)."""

    TERM_FIELDS = (
        "valid_from",
        "rent_ceiling",
        "rent_ceiling_basis",
        "rent_ceiling_comparison",
        "rent_target",
        "municipal_share_percent",
        "covered_dwelling_types",
        "response_deadline_working_days",
        "offer_response_working_days",
        "void_rent_payer",
        "void_rent_from",
        "void_rent_before_report",
        "void_rent_convention",
        "void_rent_covers_aconto",
        "hand_back_delivered",
        "guarantee_move_out_repairs",
        "guarantee_first_year_arrears",
        "guarantee_period_months",
        "guarantee_repairs_period_months",
        "guarantee_documentation",
        "guarantee_max_repairs",
        "guarantee_max_arrears",
        "cap_per_entrance_12m",
        "cap_per_department_12m",
        "notes",
    )

    agreement = models.ForeignKey(
        AllocationAgreement,
        on_delete=models.CASCADE,
        related_name="versions",
        verbose_name=_("agreement"),
    )
    valid_from = models.DateField(_("valid from"))
    rent_ceiling = models.PositiveIntegerField(_("rent ceiling (kr/month)"), default=5000)
    rent_ceiling_basis = models.CharField(
        _("rent ceiling judged on"),
        max_length=8,
        choices=CeilingBasisChoice.choices,
        default=CeilingBasisChoice.NET,
    )
    rent_ceiling_comparison = models.CharField(
        _("rent ceiling comparison"),
        max_length=8,
        choices=CeilingComparisonChoice.choices,
        default=CeilingComparisonChoice.AT_MOST,
    )
    rent_target = models.PositiveIntegerField(
        _("rent target for homeless citizens (kr/month)"), default=3500
    )
    municipal_share_percent = models.DecimalField(
        _("default municipal share (%)"),
        default=Decimal("25"),
        validators=share_validators(),
        **SHARE_FIELD,
    )
    covered_dwelling_types = models.JSONField(
        _("dwelling types covered"),
        default=list,
    )
    response_deadline_working_days = models.PositiveSmallIntegerField(
        _("municipality's response deadline (working days)"),
        default=7,
        validators=[MinValueValidator(1, _("The deadline must be at least 1 working day."))],
    )
    offer_response_working_days = models.PositiveSmallIntegerField(
        _("citizen's offer response deadline (working days)"),
        default=5,
        validators=[MinValueValidator(1, _("The deadline must be at least 1 working day."))],
    )
    void_rent_payer = models.CharField(
        _("void rent paid by"),
        max_length=16,
        choices=VoidRentPayer.choices,
        default=VoidRentPayer.MUNICIPALITY,
    )
    void_rent_from = models.CharField(
        _("void rent paid from"),
        max_length=16,
        choices=VoidRentFrom.choices,
        default=VoidRentFrom.AVAILABLE,
    )
    void_rent_before_report = models.BooleanField(
        _("void rent may start before the report date"),
        default=False,
        help_text=_(
            "Leave unticked: a vacancy reported late has void rent from the report date at the "
            "earliest."
        ),
    )
    void_rent_convention = models.CharField(
        _("void rent convention"),
        max_length=16,
        choices=VoidRentConventionChoice.choices,
        default=VoidRentConventionChoice.DAILY,
    )
    void_rent_covers_aconto = models.BooleanField(
        _("the municipality also pays a conto (heating, water) during the vacancy"),
        default=False,
    )
    hand_back_delivered = models.BooleanField(
        _("a dwelling handed back counts as delivered"),
        default=True,
        help_text=_(
            "Ticked: a dwelling the municipality accepted and handed back counts as delivered in "
            "the ledger. Unticked: it counts as ordinary letting and the turn is owed again."
        ),
    )
    guarantee_move_out_repairs = models.BooleanField(
        _("guarantee for move-out repairs"), default=True
    )
    guarantee_first_year_arrears = models.BooleanField(
        _("guarantee for arrears in the first year"), default=True
    )
    guarantee_period_months = models.PositiveSmallIntegerField(
        _("guarantee period for arrears (months)"),
        null=True,
        blank=True,
        default=12,
        help_text=_("Empty: no time limit."),
    )
    guarantee_repairs_period_months = models.PositiveSmallIntegerField(
        _("guarantee period for move-out repairs (months)"),
        null=True,
        blank=True,
        help_text=_("Empty: no time limit."),
    )
    guarantee_documentation = models.TextField(
        _("documentation a guarantee claim needs"), blank=True
    )
    guarantee_max_repairs = models.PositiveIntegerField(
        _("maximum repairs guarantee (kr)"), null=True, blank=True
    )
    guarantee_max_arrears = models.PositiveIntegerField(
        _("maximum arrears guarantee (kr)"), null=True, blank=True
    )
    cap_per_entrance_12m = models.PositiveSmallIntegerField(
        _("max new municipal placements per entrance in 12 months"), null=True, blank=True
    )
    cap_per_department_12m = models.PositiveSmallIntegerField(
        _("max new municipal placements per department in 12 months"), null=True, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("agreement version")
        verbose_name_plural = _("agreement versions")
        ordering = ["agreement", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "valid_from"], name="agreements_version_unique_valid_from"
            ),
            models.CheckConstraint(
                condition=Q(municipal_share_percent__gte=0, municipal_share_percent__lte=100),
                name="agreements_version_share_0_100",
            ),
            models.CheckConstraint(
                condition=Q(response_deadline_working_days__gte=1)
                & Q(offer_response_working_days__gte=1),
                name="agreements_version_deadlines_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement.title}, {self.valid_from:%d.%m.%Y}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        agreement = getattr(self, "agreement", None) if self.agreement_id else None
        if agreement and self.valid_from:
            if self.valid_from < agreement.period_start:
                errors["valid_from"] = _("A version cannot be valid before the agreement starts.")
            elif agreement.period_end and self.valid_from > agreement.period_end:
                errors["valid_from"] = _("A version cannot be valid after the agreement ends.")
            elif (
                AgreementVersion.objects.filter(agreement=agreement, valid_from=self.valid_from)
                .exclude(pk=self.pk)
                .exists()
            ):
                errors["valid_from"] = _(
                    "The agreement already has a version valid from this date."
                )
        types = set(self.covered_dwelling_types or [])
        if not types:
            errors["covered_dwelling_types"] = _("Choose at least one dwelling type.")
        elif not types <= set(DwellingType.values):
            errors["covered_dwelling_types"] = _("Unknown dwelling type.")
        if self.rent_target and self.rent_ceiling and self.rent_target > self.rent_ceiling:
            errors["rent_target"] = _("The rent target cannot be above the rent ceiling.")
        if errors:
            raise ValidationError(errors)

    @property
    def share(self) -> Fraction:
        return share_from_percent(self.municipal_share_percent)

    def covered_type_labels(self) -> list[str]:
        labels = dict(DwellingType.choices)
        return [str(labels.get(t, t)) for t in self.covered_dwelling_types]

    def is_used(self) -> bool:
        return self.turn_records.exists()


class ForumKind(models.TextChoices):
    POLITICAL = "political", _("Political forum")
    STRATEGIC = "strategic", _("Strategic working group")
    PRACTICAL = "practical", _("Practical forum")


class GovernanceForum(models.Model):
    agreement = models.ForeignKey(
        AllocationAgreement,
        on_delete=models.CASCADE,
        related_name="fora",
        verbose_name=_("agreement"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ForumKind.choices)
    name = models.CharField(_("name"), max_length=200)
    members = models.TextField(
        _("members"), blank=True, help_text=_("Roles and organisations, one per line.")
    )
    meeting_frequency = models.CharField(_("meeting frequency"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("governance forum")
        verbose_name_plural = _("governance fora")
        ordering = ["agreement", "kind", "name"]

    def __str__(self) -> str:
        return self.name


class StepQuerySet(OrgScopedQuerySet):
    org_path = "department__organisation"


class DepartmentStep(models.Model):
    """A department's place in the trappetrinsmodel from `valid_from`. Never edited: a new step
    row supersedes the previous one, so the history shows what applied when."""

    agreement = models.ForeignKey(
        AllocationAgreement,
        on_delete=models.CASCADE,
        related_name="steps",
        verbose_name=_("agreement"),
    )
    department = models.ForeignKey(
        "stock.Department",
        on_delete=models.PROTECT,
        related_name="steps",
        verbose_name=_("department"),
    )
    label = models.CharField(_("step"), max_length=50, help_text=_('For example "Trin 1".'))
    share_percent = models.DecimalField(
        _("municipal share (%)"), validators=share_validators(), **SHARE_FIELD
    )
    valid_from = models.DateField(_("valid from"))
    reason = models.TextField(_("reason"))
    reassessment = models.ForeignKey(
        "StepReassessment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="steps",
        verbose_name=_("reassessment"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = StepQuerySet.as_manager()

    class Meta:
        verbose_name = _("department step")
        verbose_name_plural = _("department steps")
        ordering = ["department", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "department", "valid_from"],
                name="agreements_step_unique_valid_from",
            ),
            models.CheckConstraint(
                condition=Q(share_percent__gte=0, share_percent__lte=100),
                name="agreements_step_share_0_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.department}: {self.label} ({self.share_percent} %)"

    @property
    def share(self) -> Fraction:
        return share_from_percent(self.share_percent)


class ReassessmentStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")


class StepReassessment(models.Model):
    """The yearly reassessment of the department steps: proposals, then one approval."""

    agreement = models.ForeignKey(
        AllocationAgreement,
        on_delete=models.CASCADE,
        related_name="reassessments",
        verbose_name=_("agreement"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ReassessmentStatus.choices,
        default=ReassessmentStatus.PROPOSED,
    )
    effective_from = models.DateField(_("new steps valid from"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("step reassessment")
        verbose_name_plural = _("step reassessments")
        ordering = ["agreement", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "year"], name="agreements_reassessment_unique_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement.title} {self.year}"


class StepProposal(models.Model):
    reassessment = models.ForeignKey(
        StepReassessment,
        on_delete=models.CASCADE,
        related_name="proposals",
        verbose_name=_("reassessment"),
    )
    department = models.ForeignKey(
        "stock.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    label = models.CharField(_("step"), max_length=50)
    share_percent = models.DecimalField(
        _("proposed municipal share (%)"), validators=share_validators(), **SHARE_FIELD
    )
    reason = models.TextField(_("reason"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    proposed_at = models.DateTimeField(_("proposed at"), auto_now=True)

    objects = StepQuerySet.as_manager()

    class Meta:
        verbose_name = _("step proposal")
        verbose_name_plural = _("step proposals")
        ordering = ["department"]
        constraints = [
            models.UniqueConstraint(
                fields=["reassessment", "department"], name="agreements_proposal_unique_department"
            ),
            models.CheckConstraint(
                condition=Q(share_percent__gte=0, share_percent__lte=100),
                name="agreements_proposal_share_0_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.department}: {self.label} ({self.share_percent} %)"


class HandheldStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MET = "met", _("Met")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class HandheldQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def restrict(self, user: Any) -> HandheldQuerySet:
        """Organisation staff see requests addressed to their organisation or to all parties of
        an agreement they are party to."""
        from anvis.permissions import (
            Role,
            sees_all_organisations,
            user_has_role,
            user_organisation_ids,
        )

        if sees_all_organisations(user):
            return self
        if user_has_role(user, {Role.ORGANISATION}):
            orgs = user_organisation_ids(user)
            return self.filter(
                Q(organisation__in=orgs) | Q(organisation__isnull=True, agreement__parties__in=orgs)
            ).distinct()
        return self.none()


class HandheldRequest(models.Model):
    """A håndholdt request: the municipality asks for a dwelling of a given size and maximum rent
    for a specific need. Pseudonymous: a case reference, never a name or CPR number."""

    agreement = models.ForeignKey(
        AllocationAgreement,
        on_delete=models.CASCADE,
        related_name="handheld_requests",
        verbose_name=_("agreement"),
    )
    organisation = models.ForeignKey(
        "stock.HousingOrganisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("addressed to"),
        help_text=_("Leave empty to ask all parties."),
    )
    case_reference = models.CharField(
        _("case reference"),
        max_length=40,
        help_text=_("A pseudonymous reference. Never a name or CPR number."),
    )
    rooms = models.PositiveSmallIntegerField(
        _("rooms (at least)"), validators=[MinValueValidator(1, _("At least 1 room."))]
    )
    max_rent = models.PositiveIntegerField(_("maximum rent (kr/month)"))
    need = models.TextField(
        _("need"), help_text=_("Describe the need without names or CPR numbers.")
    )
    district_wishes = models.CharField(_("district wishes"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=HandheldStatus.choices, default=HandheldStatus.OPEN
    )
    met_by = models.ForeignKey(
        "stock.Dwelling",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("met by dwelling"),
    )
    requested_on = models.DateField(_("requested on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closing_note = models.TextField(_("closing note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    objects = HandheldQuerySet.as_manager()

    class Meta:
        verbose_name = _("håndholdt request")
        verbose_name_plural = _("håndholdt requests")
        ordering = ["status", "-requested_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rooms__gte=1), name="agreements_handheld_rooms_gte_1"
            ),
            models.CheckConstraint(
                condition=Q(status="open", closed_on__isnull=True)
                | (~Q(status="open") & Q(closed_on__isnull=False)),
                name="agreements_handheld_closed_on_matches_status",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_reference}: {self.rooms} rum, {self.max_rent} kr"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        for name in ("case_reference", "need", "district_wishes", "closing_note"):
            if CPR_PATTERN.search(getattr(self, name) or ""):
                errors[name] = _("Do not write CPR numbers here: the request is pseudonymous.")
        if errors:
            raise ValidationError(errors)


class TurnCounter(models.Model):
    """The persisted `TurnState` of one bucket: an organisation's departments with one step
    share under one agreement. The credit is an exact fraction."""

    agreement = models.ForeignKey(AllocationAgreement, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        "stock.HousingOrganisation", on_delete=models.PROTECT, related_name="+"
    )
    share_percent = models.DecimalField(**SHARE_FIELD)
    eligible = models.PositiveIntegerField(default=0)
    municipal = models.PositiveIntegerField(default=0)
    credit_numerator = models.BigIntegerField(default=0)
    credit_denominator = models.BigIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "organisation", "share_percent"],
                name="agreements_counter_unique_bucket",
            ),
            models.CheckConstraint(
                condition=Q(credit_denominator__gt=0), name="agreements_counter_denominator_gt_0"
            ),
        ]

    @property
    def __str__(self) -> str:
        return f"{self.organisation_id} {self.share_percent} %"

    @property
    def state(self) -> TurnState:
        return TurnState(
            eligible=self.eligible,
            municipal=self.municipal,
            credit=Fraction(self.credit_numerator, self.credit_denominator),
        )

    def set_state(self, state: TurnState) -> None:
        self.eligible = state.eligible
        self.municipal = state.municipal
        self.credit_numerator = state.credit.numerator
        self.credit_denominator = state.credit.denominator


class TurnRecordQuerySet(OrgScopedQuerySet):
    org_path = "organisation"


class OutcomeChoice(models.TextChoices):
    PENDING = Outcome.PENDING.value, _("Awaiting the municipality")
    ACCEPTED = Outcome.ACCEPTED.value, _("Accepted")
    DECLINED = Outcome.DECLINED.value, _("Declined by the municipality")
    EXPIRED = Outcome.EXPIRED.value, _("Expired")
    ORDINARY = Outcome.ORDINARY.value, _("Ordinary letting (waiting list)")
    BLOCKED = Outcome.BLOCKED.value, _("Closed or cap reached")


class TurnRecord(models.Model):
    """One reported vacancy judged by the agreement: eligible or not, whose turn, and the
    outcome the vacancy flow sets. The fair-share ledger is computed from these rows."""

    agreement = models.ForeignKey(
        AllocationAgreement,
        on_delete=models.PROTECT,
        related_name="turn_records",
        verbose_name=_("agreement"),
    )
    version = models.ForeignKey(
        AgreementVersion,
        on_delete=models.PROTECT,
        related_name="turn_records",
        verbose_name=_("agreement version"),
    )
    organisation = models.ForeignKey(
        "stock.HousingOrganisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("housing organisation"),
    )
    department = models.ForeignKey(
        "stock.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    dwelling = models.ForeignKey(
        "stock.Dwelling", on_delete=models.PROTECT, related_name="+", verbose_name=_("dwelling")
    )
    report_date = models.DateField(_("report date"), db_index=True)
    eligible = models.BooleanField(_("eligible"))
    municipal = models.BooleanField(_("municipal turn"))
    share_percent = models.DecimalField(_("share (%)"), **SHARE_FIELD)
    step_label = models.CharField(_("step"), max_length=50, blank=True)
    outcome = models.CharField(_("outcome"), max_length=32, choices=OutcomeChoice.choices)
    reason_code = models.CharField(max_length=32)
    reason_params = models.JSONField(default=dict)
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)
    outcome_set_at = models.DateTimeField(_("outcome set at"), null=True, blank=True)
    outcome_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = TurnRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("turn record")
        verbose_name_plural = _("turn records")
        ordering = ["report_date", "pk"]
        indexes = [
            models.Index(fields=["agreement", "report_date"], name="agreements_turn_agr_date")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(municipal=False) | Q(eligible=True),
                name="agreements_turn_municipal_eligible",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="pending") | Q(municipal=True),
                name="agreements_turn_pending_municipal",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dwelling_id} {self.report_date}"

    @property
    def explanation(self) -> str:
        from .explain import explain

        return explain(self.reason_code, self.reason_params)
