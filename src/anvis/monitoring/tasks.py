"""Background task of monitoring: the status recompute (nightly, and after each import)."""

from __future__ import annotations

from django_tasks import task

from anvis.background.dates import day_of
from anvis.background.queue import retry
from anvis.monitoring.services import monitoring_recompute


@retry(attempts=3)
@task()
def recompute_monitoring(today: str | None = None) -> dict[str, int]:
    result = monitoring_recompute(actor=None, on_date=day_of(today))
    return {"departments": result.departments}
