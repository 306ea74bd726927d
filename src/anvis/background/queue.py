"""The task queue: Django's tasks API (`django_tasks`, the backport of Django 6's `django.tasks`)
on the database backend (`django_tasks_db`), plus the three things that backend leaves to us
(docs/adr/0002-task-queue.md):

* retries with back-off: a task registered with :func:`retry` that fails is put back in the
  queue with `run_after` pushed out (30 s, 60 s, 120 s, … at most an hour), until it has been
  tried `attempts` times; the last error stays visible on the task page;
* recovery: a task whose worker stopped sending heartbeats (killed, machine lost) is put back in
  the queue (:func:`recover_stale`), or marked failed once it has used its attempts;
* enqueueing that never loses work: :func:`enqueue_on_commit` writes the task after the caller's
  transaction commits, so a task never sees data that was rolled back.

Tasks are plain module-level functions decorated with `@task()` in each app's `tasks.py`; they
take JSON values (ids, ISO dates) and are idempotent, so running one twice does no harm.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskResultStatus, task_backends
from django_tasks.base import Task
from django_tasks.signals import task_finished
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from .models import WorkerBeat

logger = logging.getLogger(__name__)

T = TypeVar("T", bound=Task)  # type: ignore[type-arg]

MAX_DELAY = dt.timedelta(hours=1)


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int
    base_delay: dt.timedelta

    def delay(self, failed_attempts: int) -> dt.timedelta:
        """Wait after `failed_attempts` failures: base, 2×base, 4×base, … at most an hour."""
        return min(self.base_delay * 2 ** max(failed_attempts - 1, 0), MAX_DELAY)


DEFAULT_POLICY = RetryPolicy(attempts=1, base_delay=dt.timedelta(seconds=30))
_POLICIES: dict[str, RetryPolicy] = {}


def retry(*, attempts: int = 5, base_delay_seconds: int = 30) -> Callable[[T], T]:
    """Register a task for retries: `@retry(attempts=5)` above `@task()`."""

    def register(task: T) -> T:
        _POLICIES[task.module_path] = RetryPolicy(
            attempts=attempts, base_delay=dt.timedelta(seconds=base_delay_seconds)
        )
        return task

    return register


def policy_of(task_path: str) -> RetryPolicy:
    """The task's retry policy. Importing the task's module registers it, so a process that
    has not run the task yet (the scheduler, the web page) knows its policy too."""
    if task_path not in _POLICIES:
        try:
            import_string(task_path)
        except ImportError:
            return DEFAULT_POLICY
    return _POLICIES.get(task_path, DEFAULT_POLICY)


def uses_database_queue(task: Task) -> bool:  # type: ignore[type-arg]
    return isinstance(task.get_backend(), DatabaseBackend)


def enqueue_on_commit(task: Task, *args: Any, **kwargs: Any) -> None:  # type: ignore[type-arg]
    """Enqueue `task` once the surrounding transaction (if any) commits."""
    transaction.on_commit(lambda: task.enqueue(*args, **kwargs))


@receiver(task_finished)
def _retry_failed(sender: Any, task_result: Any, **kwargs: Any) -> None:
    """A failed task with attempts left goes back in the queue after its back-off delay."""
    if task_result.status != TaskResultStatus.FAILED:
        return
    if not isinstance(task_backends[task_result.backend], DatabaseBackend):
        return
    policy = policy_of(task_result.task.module_path)
    tried = len(task_result.worker_ids)
    if tried >= policy.attempts:
        logger.warning(
            "task %s (%s) failed for good after %s attempt(s)",
            task_result.id,
            task_result.task.name,
            tried,
        )
        return
    run_after = timezone.now() + policy.delay(tried)
    DBTaskResult.objects.filter(pk=task_result.id, status=TaskResultStatus.FAILED).update(
        status=TaskResultStatus.READY, run_after=run_after, finished_at=None
    )
    logger.info(
        "task %s (%s) failed (attempt %s of %s); retried after %s",
        task_result.id,
        task_result.task.name,
        tried,
        policy.attempts,
        run_after.isoformat(),
    )


class WorkerLostError(Exception):
    """The worker running the task stopped (killed or lost) before the task finished."""


def stale_after() -> dt.timedelta:
    return dt.timedelta(seconds=int(getattr(settings, "ANVIS_WORKER_STALE_SECONDS", 60)))


def recover_stale(*, now: dt.datetime | None = None) -> int:
    """Put tasks back in the queue whose worker has not beaten for `stale_after()`; a task that
    has used its attempts is marked failed instead. Returns how many were put back or failed."""
    now = now or timezone.now()
    cutoff = now - stale_after()
    alive = set(WorkerBeat.objects.filter(seen_at__gte=cutoff).values_list("worker_id", flat=True))
    count = 0
    with transaction.atomic():
        running = DBTaskResult.objects.running().select_for_update(skip_locked=True)
        for result in running.filter(started_at__lt=cutoff):
            if result.worker_ids and result.worker_ids[-1] in alive:
                continue
            policy = policy_of(result.task_path)
            if len(result.worker_ids) >= policy.attempts:
                result.set_failed(
                    WorkerLostError(
                        f"worker {result.worker_ids[-1] if result.worker_ids else '?'} stopped "
                        f"during attempt {len(result.worker_ids)} of {policy.attempts}"
                    )
                )
            else:
                result.status = TaskResultStatus.READY
                result.run_after = now
                result.started_at = None
                result.save(update_fields=["status", "run_after", "started_at"])
            logger.warning(
                "task %s (%s) recovered from a stopped worker", result.pk, result.task_path
            )
            count += 1
    WorkerBeat.objects.filter(seen_at__lt=now - 10 * stale_after()).delete()
    return count


def run_pending(*, worker_id: str = "inline") -> int:
    """Run the queued tasks that are due, in this process, until none is left; returns how many
    ran. The same claim and run as the worker service (`manage.py task_worker`), without its
    loop's connection handling, so it also works inside a test's transaction."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.utils import exclusive_transaction

    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    count = 0
    while True:
        with exclusive_transaction(DBTaskResult.objects.db):
            result = DBTaskResult.objects.ready().filter(backend_name="default").get_locked()
            if result is not None:
                result.claim(worker_id)
        if result is None:
            return count
        worker.run_task(result)
        count += 1
