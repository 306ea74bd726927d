"""Background task of the API: webhook deliveries. Each delivery keeps its own retry schedule
(exponential back-off in `anvis.api.webhooks`); the task sends whatever is due, so it runs every
minute on the schedule and right after an event was written."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from anvis.api.models import IdempotencyRecord
from anvis.api.webhooks import deliver_due
from anvis.background.queue import retry


@retry(attempts=3)
@task()
def deliver_webhooks(limit: int = 100) -> dict[str, int]:
    run = deliver_due(limit=limit)
    return {"sent": run.sent, "failed": run.failed, "given_up": run.given_up}


@retry(attempts=3)
@task()
def purge_idempotency_records(days: int = 30) -> int:
    """Delete API idempotency records older than `days`: a retry after that is new."""
    cutoff = timezone.now() - dt.timedelta(days=max(days, 1))
    deleted, _detail = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted
