from __future__ import annotations

import logging
import os
import socket
import threading
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from anvis.background.models import WorkerBeat

logger = logging.getLogger(__name__)


def _beat(worker_id: str, stop: threading.Event, every: float) -> None:
    """Record that this worker is alive, every `every` seconds, until the process ends."""
    hostname = socket.gethostname()[:200]
    while not stop.is_set():
        try:
            close_old_connections()
            WorkerBeat.objects.update_or_create(
                worker_id=worker_id,
                defaults={"seen_at": timezone.now(), "hostname": hostname, "pid": os.getpid()},
            )
        except Exception:  # a busy database must not stop the worker; the next beat retries
            logger.exception("worker heartbeat failed")
        stop.wait(every)
    connection.close()


class Command(DbWorkerCommand):
    help = (
        "Run background tasks as they are queued (Django's tasks API, database backend), with a "
        "heartbeat so that the scheduler puts back the task of a worker that was stopped. "
        "Several workers may run at once; each task is claimed by one."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        options["reload"] = False  # a reload would stop a running task half-way
        stop = threading.Event()
        every = max(float(getattr(settings, "ANVIS_WORKER_STALE_SECONDS", 60)) / 4, 0.5)
        beat = threading.Thread(
            target=_beat, args=(options["worker_id"], stop, every), daemon=True, name="heartbeat"
        )
        beat.start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
            beat.join(timeout=5)
            WorkerBeat.objects.filter(worker_id=options["worker_id"]).delete()
