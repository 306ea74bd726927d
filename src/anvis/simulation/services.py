"""Writes for simulation runs: queue a run, claim it, execute it.

The web page only queues (`simulation_run_create`), which enqueues one background task per run
(`anvis.simulation.tasks.run_simulation`) when the transaction commits. The task claims its run
(`simulation_run_claim`, row locked, so a run is executed by one worker only) and executes it
(`simulation_run_execute`) outside any long transaction, updating the row's progress after each
replication; the result is written in one transaction at the end, so a worker killed mid-run
leaves the run "running" without a result, and the task queue puts it back (docs/simulation.md).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from anvis.audit.services import audited
from anvis.background.queue import enqueue_on_commit
from anvis.common.clock import local_today
from anvis_core.simulation import ScenarioError, run_scenario

from .models import RunStatus, SimulationRun
from .scenarios import build_scenario

logger = logging.getLogger(__name__)


def simulation_run_create(*, actor: Any, name: str, parameters: dict[str, Any]) -> SimulationRun:
    """Queue a run. `parameters` must be JSON-safe (the form's `parameters()`)."""
    json.dumps(parameters, allow_nan=False)
    with audited("simulation.run_create", actor=actor) as write:
        run = write.created(
            SimulationRun.objects.create(
                name=name[:200],
                created_by=actor,
                parameters=parameters,
                progress_total=int(parameters.get("replications") or 0),
            )
        )
        from .tasks import run_simulation

        enqueue_on_commit(run_simulation, run.pk)
    return run


def _claim(qs: Any) -> SimulationRun | None:
    skip_locked = connection.features.has_select_for_update_skip_locked
    run = qs.select_for_update(skip_locked=skip_locked).first()
    if run is None:
        return None
    run.status = RunStatus.RUNNING
    run.started_at = timezone.now()
    run.progress_done = 0
    run.error = ""
    run.save(update_fields=["status", "started_at", "progress_done", "error"])
    return run


def simulation_run_claim_next() -> SimulationRun | None:
    """Mark the oldest queued run as running and return it; None when the queue is empty."""
    with transaction.atomic():
        qs = SimulationRun.objects.filter(status=RunStatus.QUEUED).order_by("created_at", "pk")
        return _claim(qs)


def simulation_run_claim(run_id: int) -> SimulationRun | None:
    """Claim one run for its task: a queued run, or a run left "running" by a worker that was
    stopped (its task is the only one for the run, and the queue gives it back only when that
    worker is gone). None when the run is done, failed or deleted."""
    with transaction.atomic():
        qs = SimulationRun.objects.filter(
            pk=run_id, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]
        )
        return _claim(qs)


def _set_progress(run_id: int, done: int, total: int) -> None:
    SimulationRun.objects.filter(pk=run_id).update(progress_done=done, progress_total=total)


def simulation_run_execute(
    *, run: SimulationRun, workers: int = 1, today: dt.date | None = None
) -> SimulationRun:
    """Run a claimed run's scenario and store the result (status done) or the error (failed).

    The scenario is built when the run starts, so a run from the database uses the waiting list,
    stock and agreement as they are then.
    """
    today = local_today(today)
    try:
        scenario = build_scenario(run.parameters, today=today)
        result = run_scenario(
            scenario,
            workers=workers,
            progress=lambda done, total: _set_progress(run.pk, done, total),
        )
        result["built_on"] = today.isoformat()
        json.dumps(result, allow_nan=False)
    except ScenarioError as exc:
        return _finish(run, RunStatus.FAILED, error=f"{exc.parameter}: {exc.message}")
    except Exception as exc:  # the worker must survive a failing run and record why
        logger.exception("simulation run %s failed", run.pk)
        return _finish(run, RunStatus.FAILED, error=f"{type(exc).__name__}: {exc}")
    return _finish(run, RunStatus.DONE, result=result)


def _finish(
    run: SimulationRun, status: str, *, result: dict[str, Any] | None = None, error: str = ""
) -> SimulationRun:
    with audited(f"simulation.run_{status}", actor=None) as write:
        locked = write.track(SimulationRun.objects.select_for_update().get(pk=run.pk))
        locked.status = status
        locked.result = result
        locked.error = error[:4000]
        locked.finished_at = timezone.now()
        if status == RunStatus.DONE:
            locked.progress_done = locked.progress_total
        locked.save()
    return locked


def simulation_process_queue(*, workers: int = 1, limit: int | None = None) -> int:
    """Execute queued runs until the queue is empty (or `limit` runs); returns how many ran."""
    count = 0
    while limit is None or count < limit:
        run = simulation_run_claim_next()
        if run is None:
            break
        simulation_run_execute(run=run, workers=workers)
        count += 1
    return count
