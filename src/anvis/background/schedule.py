"""The one schedule of recurring background work. `manage.py task_scheduler` calls
:func:`tick` every few seconds; each entry is enqueued once per period (its slot), however many
schedulers run: the slot row (`ScheduleSlot`, unique per task and period) and the task are
written in one transaction, so a second scheduler's insert fails and it enqueues nothing.

Every task here is idempotent and works on whatever is due when it runs, so a period missed
while no scheduler ran is made up by the next one.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from .models import ScheduleSlot
from .queue import recover_stale

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Recurring:
    """Run `task` (dotted path) every `every`, or daily at `at` (local time) when given."""

    name: str
    task: str
    label: str | Promise
    every: dt.timedelta = dt.timedelta(days=1)
    at: dt.time | None = None
    takes_day: bool = False
    kwargs: dict[str, Any] = field(default_factory=dict)

    def slot(self, now: dt.datetime) -> dt.datetime:
        """The start of the period `now` falls in (local time for daily entries)."""
        local = timezone.localtime(now)
        if self.at is not None:
            start = local.replace(hour=self.at.hour, minute=self.at.minute, second=0, microsecond=0)
            if start > local:
                start -= dt.timedelta(days=1)
            return start
        seconds = int(self.every.total_seconds())
        epoch = int(now.timestamp())
        return dt.datetime.fromtimestamp(epoch - epoch % seconds, tz=dt.UTC)

    def next_slot(self, now: dt.datetime) -> dt.datetime:
        return self.slot(now) + (dt.timedelta(days=1) if self.at is not None else self.every)


SCHEDULE: tuple[Recurring, ...] = (
    Recurring(
        "expire",
        "anvis.vacancies.tasks.expire_vacancies",
        _("Expire vacancies and offers past their deadline"),
        every=dt.timedelta(minutes=15),
        takes_day=True,
    ),
    Recurring(
        "unpark",
        "anvis.cases.tasks.unpark_cases",
        _("Unpark cases whose pause has ended"),
        every=dt.timedelta(minutes=15),
        takes_day=True,
    ),
    Recurring(
        "reminders",
        "anvis.notifications.tasks.send_deadline_reminders",
        _("Remind allocation leads of answer deadlines"),
        every=dt.timedelta(minutes=15),
        takes_day=True,
    ),
    Recurring(
        "emails",
        "anvis.notifications.tasks.retry_emails",
        _("Send e-mails that have not gone out"),
        every=dt.timedelta(minutes=5),
    ),
    Recurring(
        "webhooks",
        "anvis.api.tasks.deliver_webhooks",
        _("Deliver due webhook events"),
        every=dt.timedelta(minutes=1),
    ),
    Recurring(
        "sessions",
        "anvis.security.tasks.clear_expired_sessions",
        _("Delete expired sessions (they hold search terms)"),
        every=dt.timedelta(hours=1),
    ),
    Recurring(
        "digests",
        "anvis.notifications.tasks.send_digests",
        _("Send the daily notification digests"),
        at=dt.time(7, 0),
        takes_day=True,
    ),
    Recurring(
        "priorities",
        "anvis.cases.tasks.recompute_case_priorities",
        _("Refresh the priority of open cases"),
        at=dt.time(2, 0),
    ),
    Recurring(
        "monitoring",
        "anvis.monitoring.tasks.recompute_monitoring",
        _("Recompute the monitoring statuses"),
        at=dt.time(2, 30),
        takes_day=True,
    ),
    Recurring(
        "idempotency",
        "anvis.api.tasks.purge_idempotency_records",
        _("Delete old API idempotency records"),
        at=dt.time(3, 0),
    ),
    Recurring(
        "login_records",
        "anvis.security.tasks.prune_login_records",
        _("Delete old records of staff logins"),
        at=dt.time(3, 30),
    ),
    Recurring(
        "task_results",
        "anvis.background.tasks.prune_task_results",
        _("Delete old results of background tasks"),
        at=dt.time(3, 15),
    ),
)

BY_NAME = {entry.name: entry for entry in SCHEDULE}


def _task(entry: Recurring) -> Any:
    return import_string(entry.task)


def enqueue_entry(entry: Recurring, *, day: dt.date | None = None) -> Any:
    """Enqueue one entry now (for the day `day` where the task takes one)."""
    kwargs = dict(entry.kwargs)
    if entry.takes_day and day is not None:
        kwargs["today"] = day.isoformat()
    return _task(entry).enqueue(**kwargs)


def tick(*, now: dt.datetime | None = None, entries: Iterable[Recurring] = SCHEDULE) -> list[str]:
    """Enqueue every entry whose current period has not been enqueued yet; put tasks of stopped
    workers back in the queue. Returns the names enqueued."""
    now = now or timezone.now()
    recover_stale(now=now)
    enqueued = []
    for entry in entries:
        slot = entry.slot(now)
        if ScheduleSlot.objects.filter(task=entry.name, slot=slot).exists():
            continue
        try:
            with transaction.atomic():
                row = ScheduleSlot.objects.create(task=entry.name, slot=slot)
                result = enqueue_entry(entry)
                row.result_id = str(result.id)
                row.save(update_fields=["result_id"])
        except IntegrityError:
            continue  # another scheduler took this slot
        logger.info("scheduled %s for %s", entry.name, slot.isoformat())
        enqueued.append(entry.name)
    ScheduleSlot.objects.filter(enqueued_at__lt=now - dt.timedelta(days=30)).delete()
    return enqueued
