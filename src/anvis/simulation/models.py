"""A simulation run of the policy simulator (`anvis_core.simulation`), queued from the web page
and executed in the background by its task (`anvis.simulation.tasks.run_simulation`).

The simulator produces aggregated figures only (no personal data): the parameters and the result
document hold no case numbers, names or CPR numbers.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from anvis.common.db import user_link


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ScenarioSource(models.TextChoices):
    DATABASE = "database", _("The municipality's own data (today's waiting list and stock)")
    AALBORG = "aalborg", _("Aalborg-like scenario (docs/scenarios/aalborg.toml)")
    NATIONAL = "national", _("National scenario (docs/scenarios/national.toml)")
    BACKTEST = "backtest", _("The past year from the list a year ago (backtest)")


class SimulationRun(models.Model):
    name = models.CharField(_("name"), max_length=200)
    created_by = user_link(_("created by"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    parameters = models.JSONField(_("parameters"), default=dict)
    status = models.CharField(
        _("status"), max_length=16, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    progress_done = models.PositiveIntegerField(_("replications done"), default=0)
    progress_total = models.PositiveIntegerField(_("replications in all"), default=0)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    result = models.JSONField(_("result"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    audit_exclude = ("result",)

    class Meta:
        verbose_name = _("simulation run")
        verbose_name_plural = _("simulation runs")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="simulation_run_queue")]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress_done__lte=F("progress_total")),
                name="simulation_run_progress_within_total",
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(result__isnull=False),
                name="simulation_run_done_has_result",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status in (RunStatus.QUEUED, RunStatus.RUNNING)

    @property
    def progress_percent(self) -> int:
        if not self.progress_total:
            return 0
        return round(100 * self.progress_done / self.progress_total)

    @property
    def source_label(self) -> Any:
        source = self.parameters.get("source", "")
        return ScenarioSource(source).label if source in ScenarioSource.values else source
