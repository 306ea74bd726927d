"""Background task of the reports app: rendering a frozen report (PDF and XLSX)."""

from __future__ import annotations

from django_tasks import task

from anvis.background.queue import retry

from .services import report_snapshot_render


@retry(attempts=3)
@task()
def render_report_snapshot(snapshot_id: int) -> bool:
    return report_snapshot_render(snapshot_id=snapshot_id)
