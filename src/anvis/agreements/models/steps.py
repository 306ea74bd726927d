"""Department steps (trappetrinsmodel) and the yearly reassessment with its proposals."""

from __future__ import annotations

from fractions import Fraction

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anvis.common.db import user_link
from anvis.permissions import OrgScopedQuerySet
from anvis_core.quotas import share_from_percent

from .agreement import SHARE_FIELD, AllocationAgreement, share_validators


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
    approved_by = user_link(_("approved by"), blank=True)
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
    approved_by = user_link(_("approved by"), blank=True)
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
    proposed_by = user_link(_("proposed by"), blank=True)
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
