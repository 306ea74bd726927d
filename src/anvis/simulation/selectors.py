"""Reads for the simulator pages: runs, and the side-by-side table of finished runs' results.

Results hold aggregated figures only; nothing here reads cases or citizens.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from anvis.cases.models import Situation

from .models import RunStatus, SimulationRun

# The shipped scenarios' situation classes; a run from the database uses the cases app's own.
SCENARIO_SITUATIONS: dict[str, Promise] = {
    "street": _("sleeping rough or night shelter"),
    "shelter": _("shelter"),
    "sofa_or_other": _("sofa-surfing or other"),
}


def run_list(*, user: Any) -> QuerySet[SimulationRun]:
    """Every run (runs are shared between the users who may use the simulator)."""
    return SimulationRun.objects.select_related("created_by").defer("result")


def run_get(*, user: Any, pk: int) -> SimulationRun:
    return get_object_or_404(SimulationRun.objects.select_related("created_by"), pk=pk)


def runs_done(*, user: Any, pks: Sequence[int]) -> list[SimulationRun]:
    """The finished runs among `pks`, in the order asked for."""
    found = {r.pk: r for r in SimulationRun.objects.filter(pk__in=pks, status=RunStatus.DONE)}
    return [found[pk] for pk in pks if pk in found]


def run_labels(runs: Sequence[SimulationRun]) -> list[str]:
    """How the results name each of `runs`: its name, with its number when another of the runs
    has the same name (the form's default names say only the source and the regime), as the
    comparison form lists the runs."""
    names = [run.name for run in runs]
    return [f"{run.name} (#{run.pk})" if names.count(run.name) > 1 else run.name for run in runs]


# --- the comparison table -----------------------------------------------------------------------

# (label, path into the result document, unit: "days" | "count" | "kr" | "share")
KEY_OUTPUTS: tuple[tuple[Promise, tuple[str, ...], str], ...] = (
    (
        _("Mean waiting time of those housed (days)"),
        ("waiting_time_by_group", "all", "mean_days"),
        "days",
    ),
    (_("Median waiting time (days)"), ("waiting_time_by_group", "all", "median_days"), "days"),
    (
        _("90th percentile of waiting time (days)"),
        ("waiting_time_by_group", "all", "p90_days"),
        "days",
    ),
    (_("Mean number waiting"), ("queue", "mean_number_waiting"), "count"),
    (_("Housed"), ("housed",), "count"),
    (_("Homeless at the end"), ("homeless_at_end",), "count"),
    (
        _("Days until half of today's list has left it"),
        ("initial_waiting_list", "days_until_half_left"),
        "days",
    ),
    (
        _("Days until 90 percent of today's list has left it"),
        ("initial_waiting_list", "days_until_90pct_left"),
        "days",
    ),
    (
        _("Days until all of today's list has left it"),
        ("initial_waiting_list", "days_until_all_left"),
        "days",
    ),
    (_("Shelter days"), ("costs_kr", "shelter_days"), "count"),
    (_("Shelter cost (kr)"), ("costs_kr", "shelter"), "kr"),
    (_("Support cost (kr)"), ("costs_kr", "support"), "kr"),
    (_("Void rent (kr)"), ("costs_kr", "void_rent"), "kr"),
    (_("Total cost (kr)"), ("costs_kr", "total"), "kr"),
    (
        _("Mean time on the list, everyone who joined (days)"),
        ("headlines", "mean_days_on_list"),
        "days",
    ),
    (
        _("Share housed within 12 months of joining"),
        ("headlines", "share_housed_within_months", "12"),
        "share",
    ),
    (
        _("Housed and still housed after 12 months"),
        ("tenancy", "still_housed_12_months"),
        "count",
    ),
    (_("Municipal budget over the period (kr)"), ("budget", "total"), "kr"),
    (_("Municipal budget, discounted (kr)"), ("budget", "present_value"), "kr"),
    (_("Municipal vacancies"), ("vacancies", "municipal"), "count"),
    (
        _("Vacancies closed or cap reached when reported (no municipal turn)"),
        ("vacancies", "blocked"),
        "count",
    ),
    (_("Cap-binding events, stairwell"), ("cap_binding_events", "stairwell"), "count"),
    (_("Cap-binding events, department"), ("cap_binding_events", "department"), "count"),
)


@dataclass(frozen=True)
class Cell:
    mean: float | None
    low: float | None
    high: float | None
    unit: str


@dataclass(frozen=True)
class Row:
    label: Any
    cells: list[Cell]


def _get(result: dict[str, Any], path: tuple[str, ...]) -> Any:
    x: Any = result
    for key in path:
        if not isinstance(x, dict) or key not in x:
            return None
        x = x[key]
    return x


def _cell(value: Any, unit: str) -> Cell:
    if isinstance(value, dict):
        return Cell(value.get("mean"), value.get("ci_low"), value.get("ci_high"), unit)
    if isinstance(value, int | float):
        return Cell(float(value), None, None, unit)
    return Cell(None, None, None, unit)


def comparison_rows(runs: Sequence[SimulationRun]) -> list[Row]:
    return [
        Row(label, [_cell(_get(run.result or {}, path), unit) for run in runs])
        for label, path, unit in KEY_OUTPUTS
    ]


def group_names(runs: Sequence[SimulationRun]) -> list[str]:
    names: list[str] = []
    for run in runs:
        for name in (run.result or {}).get("waiting_time_by_group", {}):
            if name != "all" and name not in names:
                names.append(name)
    return names


def group_label(result: dict[str, Any], name: str) -> str:
    """A group's name in the interface language: situation, age band."""
    group = (result.get("waiting_time_by_group") or {}).get(name) or {}
    situation, band = group.get("situation") or "", group.get("age_band") or ""
    labels: dict[str, Any] = {**dict(Situation.choices), **SCENARIO_SITUATIONS}
    if situation not in labels:
        return name
    text = str(labels[situation])
    return f"{text[:1].upper()}{text[1:]}, {band}" if band else text


def group_rows(runs: Sequence[SimulationRun]) -> list[Row]:
    """Mean waiting time by group, one cell per run."""
    first = {
        name: run
        for run in reversed(runs)
        for name in (run.result or {}).get("waiting_time_by_group", {})
    }
    return [
        Row(
            group_label(first[name].result or {}, name),
            [
                _cell(_get(run.result or {}, ("waiting_time_by_group", name, "mean_days")), "days")
                for run in runs
            ],
        )
        for name in group_names(runs)
    ]


@dataclass(frozen=True)
class OrganisationRow:
    name: str
    cells: list[dict[str, Cell] | None]


def organisation_rows(runs: Sequence[SimulationRun]) -> list[OrganisationRow]:
    """Each organisation's burden against its share: share of eligible vacancies, share of
    placements and realised municipal share, per run."""
    names: list[str] = []
    per_run: list[dict[str, dict[str, Any]]] = []
    for run in runs:
        orgs = {o["name"]: o for o in (run.result or {}).get("organisations", [])}
        per_run.append(orgs)
        names.extend(n for n in orgs if n not in names)
    rows = []
    for name in names:
        cells: list[dict[str, Cell] | None] = []
        for orgs in per_run:
            o = orgs.get(name)
            cells.append(
                None
                if o is None
                else {
                    key: _cell(o.get(key), "share")
                    for key in (
                        "share_of_eligible_vacancies",
                        "share_of_placements",
                        "realised_share",
                    )
                }
            )
        rows.append(OrganisationRow(name, cells))
    return rows
