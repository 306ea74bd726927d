"""Background task of the simulator: one task per queued run."""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from anvis.background.queue import retry

from . import services


# Two attempts: a run whose worker was killed is put back in the queue once and starts again
# from nothing (its progress is reset; the result is written only when the run is complete).
@retry(attempts=2)
@task()
def run_simulation(run_id: int) -> str:
    """Execute the run (idempotent: a run that is done or failed is left as it is)."""
    run = services.simulation_run_claim(run_id)
    if run is None:
        return "skipped"
    workers = int(getattr(settings, "ANVIS_SIMULATION_WORKERS", 2))
    return str(services.simulation_run_execute(run=run, workers=workers).status)
