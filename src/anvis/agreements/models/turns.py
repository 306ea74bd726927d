"""The turn records the fair-share ledger is computed from, and the running counters."""

from __future__ import annotations

from fractions import Fraction

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anvis.common.db import user_link
from anvis.permissions import OrgScopedQuerySet
from anvis_core.quotas import Outcome, TurnState

from .agreement import SHARE_FIELD, AgreementVersion, AllocationAgreement


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
    handed_back = models.BooleanField(
        _("handed back"),
        default=False,
        # Also a database default: the demo's bulk writer (COPY) names the columns it fills.
        db_default=False,
        help_text=_(
            "The municipality accepted the dwelling and handed it back, and the agreement does "
            "not count a hand-back as delivered (outcome ordinary)."
        ),
    )
    reason_code = models.CharField(max_length=32)
    reason_params = models.JSONField(default=dict)
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)
    outcome_set_at = models.DateTimeField(_("outcome set at"), null=True, blank=True)
    outcome_set_by = user_link(blank=True)

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
        from ..labels import explain

        return explain(self.reason_code, self.reason_params)
