"""Stored matching: batch runs (input snapshot, parameters, engine version, result) and the
explanation kept with an offer made from a ranking or a run (forvaltningsloven §§ 22–24).

Snapshots hold pseudonymous ids only: case numbers for citizens, vacancy ids for dwellings and
database ids for departments, entrances and organisations. No CPR numbers, no names.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from anvis.common import formats as fmt
from anvis.common.db import user_link


class Objective(models.TextChoices):
    MAX_WEIGHT = "max_weight", _("Highest total score")
    MAX_COUNT_THEN_WEIGHT = "max_count_then_weight", _("Most citizens housed, then score")


class RunStatus(models.TextChoices):
    OPTIMAL = "optimal", _("Optimal")
    FEASIBLE = "feasible", _("Feasible (with a proven gap)")
    INFEASIBLE = "infeasible", _("Infeasible")


class MatchingRun(models.Model):
    """One batch allocation: who ran it, on what input, and what came out."""

    created_at = models.DateTimeField(_("run at"), auto_now_add=True)
    created_by = user_link(_("run by"))
    as_of = models.DateField(_("as of"))
    objective = models.CharField(_("objective"), max_length=32, choices=Objective.choices)
    parameters = models.JSONField(_("parameters"), default=dict)
    engine_version = models.CharField(_("engine version"), max_length=32)
    snapshot = models.JSONField(_("input snapshot"))
    result = models.JSONField(_("result"), default=dict)
    status = models.CharField(_("status"), max_length=16, choices=RunStatus.choices)
    seconds = models.FloatField(_("seconds"), default=0.0)
    citizen_count = models.PositiveIntegerField(_("citizens"), default=0)
    vacancy_count = models.PositiveIntegerField(_("vacancies"), default=0)
    rerun_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reruns",
        verbose_name=_("re-run of"),
    )
    same_as_original = models.BooleanField(_("same result as the original"), null=True)

    class Meta:
        verbose_name = _("matching run")
        verbose_name_plural = _("matching runs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(objective__in=Objective.values),
                name="matching_run_objective_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=RunStatus.values), name="matching_run_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {fmt.datetime(self.created_at)}" if self.created_at else "#-"

    @property
    def assignments(self) -> list[dict[str, str]]:
        return list(self.result.get("assignments", []))


class OfferExplanation(models.Model):
    """Why this citizen got this offer: rank, score parts, lead over the next candidate, the
    binding cap and the engine version, as computed when the offer was made."""

    offer = models.OneToOneField(
        "vacancies.Offer",
        on_delete=models.CASCADE,
        related_name="matching_explanation",
        verbose_name=_("offer"),
    )
    run = models.ForeignKey(
        MatchingRun,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="explanations",
        verbose_name=_("matching run"),
    )
    rank = models.PositiveIntegerField(_("rank"))
    eligible_count = models.PositiveIntegerField(_("eligible citizens"))
    waiting_count = models.PositiveIntegerField(_("waiting citizens"))
    score = models.JSONField(_("score"))
    lead_over_next = models.FloatField(_("lead over the next"), null=True, blank=True)
    next_case_number = models.CharField(_("next candidate"), max_length=16, blank=True)
    binding_cap = models.JSONField(_("binding cap"), null=True, blank=True)
    caps = models.JSONField(_("caps"), default=list)
    engine_version = models.CharField(_("engine version"), max_length=32)
    as_of = models.DateField(_("as of"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = user_link()

    class Meta:
        verbose_name = _("offer explanation")
        verbose_name_plural = _("offer explanations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rank__gte=1), name="matching_explanation_rank_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.offer_id}: #{self.rank}"
