"""The flow from vacancy report to move-in: vacancies, offers, leases and their timeline.

States and transitions live in `anvis_core.workflow`; every change goes through `services.py`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from anvis.agreements.models import VoidRentPayer
from anvis.common import formats as fmt
from anvis.common.db import user_link
from anvis.permissions import OrgScopedQuerySet
from anvis_core.cpr import contains_cpr
from anvis_core.workflow.void_rent import VoidRentAccount, VoidRentConvention, void_rent_account

from .choices import (  # the models' choices, imported from here by the other modules
    ACTIVE_OFFER_STATUSES,
    OPEN_STATUSES,
    ClaimStatus,
    DeclineReasonChoice,
    DeclineSideChoice,
    EventKind,
    GuaranteeKindChoice,
    OfferStatus,
    RejectionGroundChoice,
    VacancySource,
    VacancyStatus,
)
from .limits import MAX_CLAIM_AMOUNT, MAX_MONTHLY_RENT, MAX_REMARKS, REPORT_HORIZON_DAYS

if TYPE_CHECKING:
    from anvis.agreements.models import AgreementVersion


class VacancyQuerySet(OrgScopedQuerySet):
    org_path = "organisation"

    def open(self) -> VacancyQuerySet:
        return self.filter(status__in=OPEN_STATUSES)  # type: ignore[return-value]

    def awaiting_lease(self) -> VacancyQuerySet:
        """Offered vacancies whose citizen has said yes: the lease is to be registered (the
        organisation's, or the allocation lead's on its behalf: `can_register_lease`). One row
        each: a vacancy has at most one active offer (`vacancies_one_active_offer_per_vacancy`)."""
        return self.filter(  # type: ignore[return-value]
            status=VacancyStatus.OFFERED, offers__status=OfferStatus.ACCEPTED
        )

    def awaiting_answer(self) -> VacancyQuerySet:
        """Offered vacancies whose citizen has not answered yet (one active offer each)."""
        pending = {"status": VacancyStatus.OFFERED, "offers__status": OfferStatus.PENDING}
        return self.filter(**pending)  # type: ignore[return-value]

    def municipality_pays(self) -> VacancyQuerySet:
        """The vacancies whose void rent the municipality pays: the payer the agreement version
        that judged the vacancy names, copied on acceptance. Void rent the organisation bears
        itself is no payment, and a vacancy no version judged has no agreed payer. The one
        reading of the monthly statements, the void-rent page (settled and right now), its
        download and the steering group's report (`Vacancy.municipality_pays` for one row)."""
        return self.filter(void_rent_payer=VoidRentPayer.MUNICIPALITY)  # type: ignore[return-value]


class Vacancy(models.Model):
    """A reported vacancy of one dwelling (ledighedsmelding)."""

    organisation = models.ForeignKey(
        "stock.HousingOrganisation",
        on_delete=models.PROTECT,
        related_name="vacancies",
        verbose_name=_("housing organisation"),
    )
    dwelling = models.ForeignKey(
        "stock.Dwelling",
        on_delete=models.PROTECT,
        related_name="vacancies",
        verbose_name=_("dwelling"),
    )
    source = models.CharField(
        _("source"), max_length=16, choices=VacancySource.choices, default=VacancySource.REPORT
    )
    handheld_request = models.ForeignKey(
        "agreements.HandheldRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("håndholdt request"),
    )
    notice_date = models.DateField(_("tenant's notice date"))
    available_from = models.DateField(_("available from"))
    report_date = models.DateField(_("report date"), db_index=True)
    rent_at_letting = models.PositiveIntegerField(
        _("rent at letting (kr/month)"),
        validators=[
            MaxValueValidator(
                MAX_MONTHLY_RENT, _("The rent can be at most %(limit_value)s kr a month.")
            )
        ],
    )
    aconto_at_letting = models.PositiveIntegerField(
        _("a conto at letting (kr/month)"),
        default=0,
        help_text=_(
            "The dwelling's a conto when the vacancy was reported: with the rent at letting, "
            "what the agreement's rent ceiling and the citizen's affordability are judged on."
        ),
    )
    remarks = models.TextField(
        _("remarks"),
        blank=True,
        validators=[
            MaxLengthValidator(
                MAX_REMARKS, _("Write at most %(limit_value)d characters (now %(show_value)d).")
            )
        ],
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=VacancyStatus.choices,
        default=VacancyStatus.REPORTED,
        db_index=True,
    )
    turn_record = models.OneToOneField(
        "agreements.TurnRecord",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="vacancy",
        verbose_name=_("turn record"),
    )
    response_deadline = models.DateField(_("response deadline"), null=True, blank=True)
    answered_on = models.DateField(_("answered"), null=True, blank=True)
    decline_note = models.TextField(_("reason for declining"), blank=True)
    void_rent_start = models.DateField(_("void rent from"), null=True, blank=True)
    void_rent_payer = models.CharField(_("void rent paid by"), max_length=16, blank=True)
    void_rent_convention = models.CharField(_("void rent convention"), max_length=16, blank=True)
    aconto_during_vacancy = models.PositiveIntegerField(
        _("a conto paid during the vacancy (kr/month)"), default=0
    )
    let_from = models.DateField(_("let from"), null=True, blank=True)
    handed_back_on = models.DateField(_("handed back"), null=True, blank=True)
    hand_back_reason = models.TextField(_("reason for handing back"), blank=True)
    reported_by = user_link()
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = VacancyQuerySet.as_manager()

    class Meta:
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        ordering = ["-report_date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["dwelling"],
                condition=Q(status__in=OPEN_STATUSES),
                name="vacancies_one_open_vacancy_per_dwelling",
            ),
            models.CheckConstraint(
                condition=Q(available_from__gte=F("notice_date")),
                name="vacancies_available_not_before_notice",
            ),
            models.CheckConstraint(
                condition=~Q(source=VacancySource.HANDHELD) | Q(handheld_request__isnull=False),
                name="vacancies_handheld_has_request",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dwelling} ({fmt.date(self.report_date)})"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.notice_date and self.available_from and self.available_from < self.notice_date:
            errors["available_from"] = _(
                "The dwelling cannot be available before the tenant's notice date."
            )
        elif self.report_date and self.available_from:
            if self.available_from > self.report_date + dt.timedelta(days=REPORT_HORIZON_DAYS):
                errors["available_from"] = _(
                    "The dwelling is available more than a year after the report; report it "
                    "nearer the time."
                )
            if self.notice_date and self.notice_date < self.report_date - dt.timedelta(
                days=REPORT_HORIZON_DAYS
            ):
                errors["notice_date"] = _(
                    "The notice date is more than a year before the report; check the date."
                )
        if self.source == VacancySource.HANDHELD and self.handheld_request_id is None:
            errors["handheld_request"] = _("Choose the håndholdt request the dwelling answers.")
        if contains_cpr(self.remarks or ""):
            # The remarks are read by everyone who sees the vacancy, the steering group too.
            errors["remarks"] = _(
                "Do not write CPR numbers here: the remarks are shown to the municipality and "
                "the steering group."
            )
        if self.dwelling_id and self.status in OPEN_STATUSES:
            others = Vacancy.objects.open().filter(dwelling_id=self.dwelling_id)
            if self.pk:
                others = others.exclude(pk=self.pk)
            if others.exists():
                errors["dwelling"] = _("The dwelling already has an open vacancy.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def lease(self) -> Lease | None:
        """The lease that lets the dwelling now (None: none, or every one was cancelled before
        move-in; those stay in `leases`)."""
        return self.leases.standing().order_by("-pk").first()

    @property
    def judged_by(self) -> AgreementVersion | None:
        """The agreement version that judged the vacancy when it was reported (its turn
        record's), whose terms govern the vacancy: the answer and offer deadlines, the void
        rent, the hand-back, the guarantees and the rent ceiling. ``None`` when no version
        judged it."""
        record = self.turn_record
        return record.version if record is not None else None

    @property
    def municipality_pays(self) -> bool:
        """Whether the municipality pays the void rent (:meth:`VacancyQuerySet.municipality_pays`
        for one row)."""
        return self.void_rent_payer == VoidRentPayer.MUNICIPALITY

    def void_rent_on(self, day: dt.date) -> VoidRentAccount | None:
        """The void-rent account as it stands on `day` (None: the municipality never took the
        dwelling). Ends at the lease start or the hand-back day; the one rule is
        `anvis_core.workflow.void_rent.void_rent_account`."""
        return void_rent_account(
            monthly_rent=self.rent_at_letting,
            start=self.void_rent_start,
            end=self.let_from or self.handed_back_on,
            as_of=day,
            convention=self.void_rent_convention or VoidRentConvention.DAILY,
        )


class OfferQuerySet(OrgScopedQuerySet):
    org_path = "vacancy__organisation"
    personal_data = True  # an offer is about one citizen: not in the steering group's scope

    def active(self) -> OfferQuerySet:
        return self.filter(status__in=ACTIVE_OFFER_STATUSES)  # type: ignore[return-value]


class Offer(models.Model):
    """The dwelling offered to one citizen's case (tilbud)."""

    vacancy = models.ForeignKey(
        Vacancy, on_delete=models.PROTECT, related_name="offers", verbose_name=_("vacancy")
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="offers", verbose_name=_("case")
    )
    status = models.CharField(
        _("status"),
        max_length=32,
        choices=OfferStatus.choices,
        default=OfferStatus.PENDING,
        db_index=True,
    )
    offered_on = models.DateField(_("offered"))
    response_deadline = models.DateField(_("answer by"))
    viewing_at = models.DateTimeField(_("viewing"), null=True, blank=True)
    findings = models.JSONField(
        _("findings when offered"),
        default=list,
        blank=True,
        help_text=_(
            "The rules the offer broke when it was made (code, severity, values), each confirmed "
            "(soft) or overridden by the allocation lead (agreement)."
        ),
    )
    override_reason = models.TextField(
        _("reason for overriding"),
        blank=True,
        help_text=_("The allocation lead's written reason for overriding a cap, closure or term."),
    )
    overridden_by = user_link(_("overridden by"), blank=True)
    answered_on = models.DateField(_("answered"), null=True, blank=True)
    decline_reason = models.CharField(
        _("reason for declining"), max_length=32, choices=DeclineReasonChoice.choices, blank=True
    )
    decline_side = models.CharField(
        _("declined by"), max_length=16, choices=DeclineSideChoice.choices, blank=True
    )
    pause_days = models.PositiveSmallIntegerField(_("pause (days)"), default=0)
    rejection_ground = models.CharField(
        _("ground for rejection"), max_length=32, choices=RejectionGroundChoice.choices, blank=True
    )
    closing_note = models.TextField(_("note"), blank=True)
    made_by = user_link()
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = OfferQuerySet.as_manager()

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["-offered_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status__in=ACTIVE_OFFER_STATUSES),
                name="vacancies_one_active_offer_per_case",
            ),
            models.UniqueConstraint(
                fields=["vacancy"],
                condition=Q(status__in=ACTIVE_OFFER_STATUSES),
                name="vacancies_one_active_offer_per_vacancy",
            ),
            models.CheckConstraint(
                condition=~Q(status=OfferStatus.DECLINED) | ~Q(decline_reason=""),
                name="vacancies_offer_decline_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status=OfferStatus.REJECTED_BY_ORGANISATION) | ~Q(rejection_ground=""),
                name="vacancies_offer_rejection_has_ground",
            ),
            models.CheckConstraint(
                condition=Q(response_deadline__gte=F("offered_on")),
                name="vacancies_offer_deadline_after_offer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.vacancy_id} → {self.case_id}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_OFFER_STATUSES

    @property
    def overridden_rules(self) -> list[str]:
        """The codes of the agreement rules the allocation lead overrode for this offer."""
        if not self.override_reason:
            return []
        return [f["code"] for f in self.findings if f.get("severity") == "agreement"]


class LeaseQuerySet(OrgScopedQuerySet):
    org_path = "vacancy__organisation"

    def standing(self) -> LeaseQuerySet:
        """The leases not cancelled before move-in: the ones that let a dwelling, end a void
        rent and count as placements. A cancelled lease stays as a record only."""
        return self.filter(cancelled_on__isnull=True)  # type: ignore[return-value]

    def cancelled(self) -> LeaseQuerySet:
        """The leases cancelled before move-in (the records :meth:`standing` leaves out)."""
        return self.filter(cancelled_on__isnull=False)  # type: ignore[return-value]


class Lease(models.Model):
    """The signed lease that ends a vacancy, with the void rent it settles. A lease cancelled
    before the tenant moves in (`lease_cancel`) is kept, marked cancelled (when, by whom, why);
    a vacancy has at most one lease that is not cancelled (`Vacancy.lease`)."""

    vacancy = models.ForeignKey(
        Vacancy, on_delete=models.PROTECT, related_name="leases", verbose_name=_("vacancy")
    )
    offer = models.OneToOneField(
        Offer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lease",
        verbose_name=_("offer"),
    )
    signed_on = models.DateField(_("lease signed"))
    starts_on = models.DateField(_("lease starts"))
    move_in_on = models.DateField(_("move-in"))
    void_rent_days = models.PositiveIntegerField(_("void rent days"), default=0)
    void_rent_amount = models.DecimalField(
        _("void rent (kr)"), max_digits=12, decimal_places=2, default=0
    )
    void_rent_payer = models.CharField(_("void rent paid by"), max_length=16, blank=True)
    registered_by = user_link()
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    cancelled_on = models.DateField(_("cancelled before move-in on"), null=True, blank=True)
    cancellation_reason = models.TextField(_("reason for the cancellation"), blank=True)
    cancelled_by = user_link(_("cancelled by"), blank=True)

    objects = LeaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("lease")
        verbose_name_plural = _("leases")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(move_in_on__gte=F("starts_on")),
                name="vacancies_lease_move_in_not_before_start",
            ),
            models.UniqueConstraint(
                fields=["vacancy"],
                condition=Q(cancelled_on__isnull=True),
                name="vacancies_one_standing_lease_per_vacancy",
            ),
            models.CheckConstraint(
                condition=Q(cancelled_on__isnull=True, cancellation_reason="")
                | (Q(cancelled_on__isnull=False) & ~Q(cancellation_reason="")),
                name="vacancies_lease_cancellation_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.vacancy_id}: {fmt.date(self.starts_on)}"

    def clean(self) -> None:
        if self.starts_on and self.move_in_on and self.move_in_on < self.starts_on:
            raise ValidationError(
                {"move_in_on": _("The move-in date cannot be before the lease starts.")}
            )

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_on is not None


class VacancyEvent(models.Model):
    """The vacancy's timeline: every transition of the vacancy and of its offers."""

    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="events")
    offer = models.ForeignKey(
        Offer, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = user_link(blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=EventKind.choices)
    from_status = models.CharField(_("from"), max_length=32, blank=True)
    to_status = models.CharField(_("to"), max_length=32, blank=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("vacancy event")
        verbose_name_plural = _("vacancy events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.vacancy_id}: {self.kind} {self.to_status}"

    def _label(self, value: str) -> str:
        choices: Any = {EventKind.OFFER: OfferStatus, EventKind.GUARANTEE: ClaimStatus}.get(
            EventKind(self.kind), VacancyStatus
        )
        return str(choices(value).label) if value in choices.values else value

    @property
    def from_label(self) -> str:
        return self._label(self.from_status) if self.from_status else ""

    @property
    def to_label(self) -> str:
        return self._label(self.to_status) if self.to_status else ""


class GuaranteeClaimQuerySet(OrgScopedQuerySet):
    org_path = "lease__vacancy__organisation"
    # A claim is about one tenant's arrears or repairs: not in the steering group's scope.
    personal_data = True


class GuaranteeClaim(models.Model):
    """A claim under the municipality's guarantee for a tenancy it placed (garantikrav)."""

    lease = models.ForeignKey(
        Lease, on_delete=models.PROTECT, related_name="guarantee_claims", verbose_name=_("lease")
    )
    kind = models.CharField(_("kind"), max_length=32, choices=GuaranteeKindChoice.choices)
    event_date = models.DateField(
        _("date of the move-out or the arrears"),
    )
    amount = models.PositiveIntegerField(
        _("amount (kr)"),
        validators=[
            MaxValueValidator(MAX_CLAIM_AMOUNT, _("The amount can be at most %(limit_value)s kr."))
        ],
    )
    description = models.TextField(_("description"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ClaimStatus.choices,
        default=ClaimStatus.SUBMITTED,
        db_index=True,
    )
    submitted_on = models.DateField(_("submitted"), db_index=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    decided_on = models.DateField(_("decided"), null=True, blank=True)
    submitted_by = user_link()
    decided_by = user_link()

    objects = GuaranteeClaimQuerySet.as_manager()

    class Meta:
        verbose_name = _("guarantee claim")
        verbose_name_plural = _("guarantee claims")
        ordering = ["-submitted_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="vacancies_claim_amount_positive"
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(decision_reason=""),
                name="vacancies_claim_rejection_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lease_id}: {self.kind} {self.amount}"


class MonthlyStatementQuerySet(OrgScopedQuerySet):
    pass


class MonthlyStatement(models.Model):
    """An approved monthly statement of one organisation, frozen: the lines and totals as JSON
    and their SHA-256. Never edited; corrections are `StatementCorrection` lines."""

    organisation = models.ForeignKey(
        "stock.HousingOrganisation",
        on_delete=models.PROTECT,
        related_name="monthly_statements",
        verbose_name=_("housing organisation"),
    )
    month = models.DateField(_("month"))
    content = models.JSONField(_("content"))
    content_hash = models.CharField(_("SHA-256"), max_length=64)
    approved_at = models.DateTimeField(_("approved"), auto_now_add=True)
    approved_by = user_link()

    objects = MonthlyStatementQuerySet.as_manager()

    class Meta:
        verbose_name = _("monthly statement")
        verbose_name_plural = _("monthly statements")
        ordering = ["-month", "organisation"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "month"], name="vacancies_one_statement_per_month"
            ),
            models.CheckConstraint(
                condition=Q(month__day=1), name="vacancies_statement_month_first_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}: {fmt.month(self.month)}"


class StatementCorrection(models.Model):
    """A correction to an approved statement: a new line with its reason, never an edit."""

    #: Not stored: True on the line `statement_correct` returns for a post made again (the
    #: line was already there and nothing was written).
    repeated = False

    statement = models.ForeignKey(
        MonthlyStatement, on_delete=models.PROTECT, related_name="corrections"
    )
    vacancy = models.ForeignKey(
        Vacancy,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vacancy"),
    )
    amount = models.DecimalField(_("amount (kr)"), max_digits=12, decimal_places=2)
    reason = models.CharField(_("reason"), max_length=300)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = user_link()

    class Meta:
        verbose_name = _("statement correction")
        verbose_name_plural = _("statement corrections")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="vacancies_correction_not_zero"),
        ]

    def __str__(self) -> str:
        return f"{self.statement_id}: {self.amount}"
