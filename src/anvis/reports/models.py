"""The steering group's meeting and decision log, and frozen quarterly report snapshots."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anvis.common import formats as fmt
from anvis.common.db import user_link
from anvis_core.cpr import contains_cpr


def refuse_cpr(row: models.Model, *fields: str) -> None:
    """A meeting's and a decision's texts are read by the steering group, in the meeting log
    and the steering group's edition of the report, and it sees no citizen identifier: a text
    that holds a CPR number (`anvis_core.cpr.contains_cpr`) is refused on its field."""
    errors = {
        name: _("Do not write CPR numbers here: the steering group reads the text.")
        for name in fields
        if contains_cpr(getattr(row, name) or "")
    }
    if errors:
        raise ValidationError(errors)


class Meeting(models.Model):
    """A meeting of one of the agreement's three fora (political, strategic, practical)."""

    forum = models.ForeignKey(
        "agreements.GovernanceForum",
        on_delete=models.PROTECT,
        related_name="meetings",
        verbose_name=_("forum"),
    )
    held_on = models.DateField(_("date"))
    minutes = models.TextField(_("minutes"), blank=True)
    created_by = user_link()
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.forum} {fmt.date(self.held_on)}"

    def clean(self) -> None:
        refuse_cpr(self, "minutes")


class DecisionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class Decision(models.Model):
    """A decision taken at a meeting, with its follow-up, who is responsible and by when."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("meeting")
    )
    text = models.TextField(_("decision"))
    follow_up = models.TextField(_("follow-up"), blank=True)
    responsible = models.CharField(_("responsible"), max_length=200, blank=True)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=DecisionStatus.choices, default=DecisionStatus.OPEN
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["meeting", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="reports_decision_has_text"),
            models.CheckConstraint(
                condition=Q(status__in=DecisionStatus.values), name="reports_decision_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    def clean(self) -> None:
        refuse_cpr(self, "text", "follow_up", "responsible")


class ReportSnapshot(models.Model):
    """A generated quarterly report, frozen: the input snapshot (plain JSON, no personal data),
    the SHA-256 of its canonical JSON, and the steering group's PDF and XLSX as rendered."""

    quarter = models.CharField(_("quarter"), max_length=7, db_index=True)
    snapshot = models.JSONField(_("input snapshot"))
    sha256 = models.CharField(_("SHA-256 of the inputs"), max_length=64)
    # Rendered in the background after the freeze (anvis.reports.tasks); empty until then.
    pdf = models.BinaryField(_("PDF (steering group)"), default=b"", blank=True)
    xlsx = models.BinaryField(_("XLSX (steering group)"), default=b"", blank=True)
    created_by = user_link()
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    audit_exclude = ("snapshot", "pdf", "xlsx")

    class Meta:
        verbose_name = _("report snapshot")
        verbose_name_plural = _("report snapshots")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quarter__regex=r"^[0-9]{4}-Q[1-4]$"), name="reports_snapshot_quarter"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quarter} ({self.sha256[:12]})"

    @property
    def is_rendered(self) -> bool:
        return bool(self.pdf) and bool(self.xlsx)
