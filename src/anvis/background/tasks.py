"""Background task of the queue itself: pruning old task results (scheduled:
:mod:`anvis.background.schedule`).

Every run of a scheduled task leaves a row (the webhook delivery alone one a minute, some 2,000
rows a day in all); without pruning the table grows for as long as the installation runs and
the operations page reads ever more. Successful runs are kept two weeks, failed ones three
months, so that a failure can still be looked into after a holiday."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone
from django_tasks import task
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .queue import retry

KEEP_SUCCESSFUL = dt.timedelta(days=14)
KEEP_FAILED = dt.timedelta(days=90)


@retry(attempts=3)
@task()
def prune_task_results() -> int:
    """Delete finished task results past their keeping time; returns how many."""
    now = timezone.now()
    old = Q(status=TaskResultStatus.SUCCESSFUL, finished_at__lt=now - KEEP_SUCCESSFUL) | Q(
        status=TaskResultStatus.FAILED, finished_at__lt=now - KEEP_FAILED
    )
    deleted, _detail = DBTaskResult.objects.finished().filter(old).delete()
    return deleted
