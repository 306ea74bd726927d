"""Reads for the operations pages: the task queue, the workers, the schedule and the outbox."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from anvis.common import formats as fmt
from anvis.common.logging import redact

from .models import ScheduleSlot, WorkerBeat
from .queue import policy_of, stale_after
from .schedule import SCHEDULE

STATUS_LABELS: dict[str, Promise] = {
    TaskResultStatus.READY: _("Queued"),
    TaskResultStatus.RUNNING: _("Running"),
    TaskResultStatus.FAILED: _("Failed"),
    TaskResultStatus.SUCCESSFUL: _("Done"),
}
STATUS_COLOURS = {
    TaskResultStatus.READY: "grey",
    TaskResultStatus.RUNNING: "yellow",
    TaskResultStatus.FAILED: "red",
    TaskResultStatus.SUCCESSFUL: "green",
}
# Query values in the address (Danish) → status.
STATUS_PARAMS = {
    "i-koe": TaskResultStatus.READY,
    "koerer": TaskResultStatus.RUNNING,
    "fejlet": TaskResultStatus.FAILED,
    "faerdige": TaskResultStatus.SUCCESSFUL,
}

TASK_LABELS: dict[str, Promise | str] = {
    **{entry.task: entry.label for entry in SCHEDULE},
    "anvis.notifications.tasks.email_notifications": _("E-mail notifications"),
    "anvis.simulation.tasks.run_simulation": _("Simulation run"),
    "anvis.reports.tasks.render_report_snapshot": _("Render a frozen report"),
}


@dataclass(frozen=True)
class TaskRow:
    result: DBTaskResult[Any, Any]
    label: Promise | str
    status_label: Promise
    colour: str
    attempts: int
    max_attempts: int
    retry_at: dt.datetime | None
    error: str


def _error_line(result: DBTaskResult[Any, Any]) -> str:
    """The exception's last line (type and message), CPR-shaped numbers masked."""
    lines = [line for line in (result.traceback or "").strip().splitlines() if line.strip()]
    return redact(lines[-1].strip())[:500] if lines else ""


def task_rows(*, status: str | None) -> Any:
    qs = DBTaskResult.objects.all().order_by("-enqueued_at")
    if status:
        qs = qs.filter(status=status)
    return qs


def decorate(results: Any) -> list[TaskRow]:
    never = get_date_max()
    rows = []
    for result in results:
        waiting = (
            result.status == TaskResultStatus.READY
            and result.run_after != never
            and result.run_after > timezone.now()
        )
        rows.append(
            TaskRow(
                result=result,
                label=TASK_LABELS.get(result.task_path, result.task_path.rsplit(".", 1)[-1]),
                status_label=STATUS_LABELS.get(result.status, _("Unknown")),
                colour=STATUS_COLOURS.get(result.status, "grey"),
                attempts=len(result.worker_ids or []),
                max_attempts=policy_of(result.task_path).attempts,
                retry_at=result.run_after if waiting else None,
                error=_error_line(result),
            )
        )
    return rows


def status_counts() -> list[dict[str, Any]]:
    counts = dict(
        DBTaskResult.objects.values_list("status").annotate(n=Count("pk")).order_by("status")
    )
    return [
        {
            "param": param,
            "status": status,
            "label": STATUS_LABELS[status],
            "count": counts.get(status, 0),
        }
        for param, status in STATUS_PARAMS.items()
    ]


def workers() -> list[dict[str, Any]]:
    cutoff = timezone.now() - stale_after()
    return [
        {"beat": beat, "alive": beat.seen_at >= cutoff}
        for beat in WorkerBeat.objects.order_by("-seen_at")[:20]
    ]


def schedule_rows() -> list[dict[str, Any]]:
    last = dict(
        ScheduleSlot.objects.values_list("task").annotate(last=Max("slot")).order_by("task")
    )
    now = timezone.now()
    rows = []
    for entry in SCHEDULE:
        if entry.at is not None:
            when = _("daily at %(time)s") % {"time": fmt.time(entry.at)}
        else:
            when = _("every %(minutes)s minutes") % {
                "minutes": int(entry.every.total_seconds() // 60)
            }
        rows.append(
            {
                "label": entry.label,
                "when": when,
                "last": last.get(entry.name),
                "next": entry.next_slot(now),
            }
        )
    return rows
