"""Shelter stays, support plans, consent and the case's event log."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anvis.common import formats as fmt
from anvis.common.db import user_link
from anvis.common.fields import EncryptedTextField
from anvis_core.cases import reimbursement as core_reimbursement

from .case import Case
from .choices import ConsentScope, EventKind, SupportMethod, SupportStatus


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
        # Shown where a plan is chosen (the tenancy's contacts): in words, dated as Danes write.
        return f"{self.get_method_display()} · {self.provider} ({fmt.date(self.decided_on)})"

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The end cannot be before the start.")})


class ContactConsent(models.Model):
    """The citizen's consent to share name and contact details (used by the offer flow)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    scope = models.CharField(_("scope"), max_length=32, choices=ConsentScope.choices)
    given_on = models.DateField(_("given"))
    withdrawn_on = models.DateField(_("withdrawn"), null=True, blank=True)
    recorded_by = user_link()

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
    actor = user_link(blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=EventKind.choices)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    note = EncryptedTextField(_("note"), blank=True)
    # The page where what happened is shown (the tenancy page of a move-out), if any.
    link = models.CharField(_("link"), max_length=300, blank=True)

    audit_exclude = ("note",)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.kind}"
