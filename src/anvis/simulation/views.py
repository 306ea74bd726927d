"""The simulator pages: set parameters and queue a run, follow its progress, compare runs.

Access: the allocation lead, the administrator and the steering group (`SIMULATOR_ROLES`). The
simulator's output is aggregated (no person, no case number), so the steering group sees the
same pages. Caseworkers and organisation staff get 403: the simulator is a tool for the parties
steering the agreement, and its runs read the whole municipal waiting list and stock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from anvis.common import charts
from anvis.common.forms import form_status
from anvis.common.lists import paginate
from anvis.permissions import Role, access, sees_exact_counts

from . import calibration, selectors, services
from .differences import difference_sets
from .forms import CompareForm, RunForm
from .models import RunStatus, ScenarioSource, SimulationRun

SIMULATOR_ROLES: frozenset[str] = frozenset({Role.ALLOCATION_LEAD, Role.ADMIN, Role.STEERING})
REFRESH_SECONDS = 5


@access(SIMULATOR_ROLES)
def run_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    if request.method == "POST":
        form = RunForm(request.POST, today=today)
        if form.is_valid():
            run = services.simulation_run_create(
                actor=request.user, name=form.run_name(), parameters=form.parameters()
            )
            messages.success(request, _("The run is queued. The page shows its progress."))
            return redirect("simulation:run_detail", pk=run.pk)
    else:
        form = RunForm(today=today)
    page, query = paginate(request, selectors.run_list(user=request.user), per_page=25)
    return render(
        request,
        "simulation/run_list.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "done_status": RunStatus.DONE,
            "refresh": any(run.is_active for run in page),
            "refresh_seconds": REFRESH_SECONDS,
        },
        status=form_status(request, form),
    )


def _results_context(runs: Sequence[SimulationRun]) -> dict[str, Any]:
    labels = selectors.run_labels(runs)
    series = [
        (label, (run.result or {}).get("homeless_over_time", {}) or {})
        for label, run in zip(labels, runs, strict=True)
    ]
    group_rows = selectors.group_rows(runs)
    homeless_chart = charts.homeless_over_time(
        series, xlabel=_("Years"), ylabel=_("Number homeless (monthly average)")
    )
    group_chart = (
        charts.waiting_by_group(
            [str(row.label) for row in group_rows],
            [
                (label, [(r.cells[i].mean, r.cells[i].low, r.cells[i].high) for r in group_rows])
                for i, label in enumerate(labels)
            ],
            xlabel=_("Mean waiting time of those housed (days)"),
        )
        if group_rows
        else None
    )
    # The data table behind the homeless chart: one row a year (every 12th monthly bin).
    table: list[dict[str, Any]] = []
    base = series[0][1] if series else {}
    t_days = base.get("t_days", [])
    for index in range(len(t_days)):
        if (index + 1) % 12 and index != len(t_days) - 1:
            continue
        cells = []
        for _label, s in series:
            means = s.get("mean", [])
            lows = s.get("ci_low", [])
            highs = s.get("ci_high", [])
            cells.append(
                selectors.Cell(
                    means[index] if index < len(means) else None,
                    lows[index] if index < len(lows) else None,
                    highs[index] if index < len(highs) else None,
                    "count",
                )
            )
        table.append({"years": t_days[index] / 365.25, "cells": cells})
    return {
        "runs": runs,
        "labels": labels,
        "rows": selectors.comparison_rows(runs),
        "group_rows": group_rows,
        "organisation_rows": selectors.organisation_rows(runs),
        "homeless_chart": homeless_chart,
        "homeless_table": table,
        "group_chart": group_chart,
        "difference_sets": difference_sets(runs, labels),
    }


@access(SIMULATOR_ROLES)
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.run_get(user=request.user, pk=pk)
    context: dict[str, Any] = {
        "run": run,
        "refresh": run.is_active,
        "refresh_seconds": REFRESH_SECONDS,
        "parameters": _parameter_rows(run),
    }
    if run.status == RunStatus.DONE:
        context.update(_results_context([run]))
    return render(request, "simulation/run_detail.html", context)


@access(SIMULATOR_ROLES)
def run_status(request: HttpRequest, pk: int) -> JsonResponse:
    """The run's status and progress for `static/simulation/progress.js`."""
    run = selectors.run_get(user=request.user, pk=pk)
    return JsonResponse(
        {
            "status": run.status,
            "status_label": str(run.get_status_display()),
            "active": run.is_active,
            "done": run.progress_done,
            "total": run.progress_total,
            "percent": run.progress_percent,
            "progress_text": ngettext(
                "%(done)s of %(total)s replication",
                "%(done)s of %(total)s replications",
                run.progress_total,
            )
            % {"done": run.progress_done, "total": run.progress_total},
        }
    )


@access(SIMULATOR_ROLES)
def calibration_page(request: HttpRequest) -> HttpResponse:
    """The rates estimated from the last year's history, and the latest backtest (a run from
    the source "backtest") next to what was observed in its year."""
    today = timezone.localdate()
    latest = (
        selectors.run_list(user=request.user)
        .filter(status=RunStatus.DONE, parameters__source=ScenarioSource.BACKTEST)
        .order_by("-pk")
        .first()
    )
    backtest = None
    if latest is not None and latest.result:
        built = dt.date.fromisoformat(latest.result.get("built_on") or today.isoformat())
        backtest = calibration.comparison(latest.result, calibration.observed(today=built))
    estimates = calibration.calibrate(today=today)
    if not sees_exact_counts(request.user, None):
        estimates, backtest = calibration.suppressed(estimates, backtest)
    return render(
        request,
        "simulation/calibration.html",
        {"estimates": estimates, "backtest": backtest, "run": latest},
    )


@access(SIMULATOR_ROLES)
def run_compare(request: HttpRequest) -> HttpResponse:
    done = list(
        selectors.run_list(user=request.user).filter(status=RunStatus.DONE).order_by("-pk")[:200]
    )
    form = CompareForm(
        request.GET or None, choices=[(run.pk, f"{run.name} (#{run.pk})") for run in done]
    )
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        runs = selectors.runs_done(user=request.user, pks=form.cleaned_data["run"])
        context.update(_results_context(runs))
    return render(request, "simulation/compare.html", context)


def _parameter_rows(run: SimulationRun) -> list[tuple[str, Any]]:
    form = RunForm(today=timezone.localdate())
    rows = []
    for name, field in form.fields.items():
        if name == "name":
            continue
        value = run.parameters.get(name)
        if value in (None, ""):
            value = _("(the source's value)")
        elif hasattr(field, "choices") and not isinstance(value, list):
            value = dict(field.choices).get(value, value)
        elif isinstance(value, bool):
            value = _("Yes") if value else _("No")
        rows.append((str(field.label), value))
    return rows
