from __future__ import annotations

import logging
import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError, close_old_connections

from anvis.background.schedule import tick

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Enqueue the recurring background tasks (anvis.background.schedule), each once per "
        "period however many schedulers run, and put back the tasks of stopped workers. "
        "With --once it does this one time and exits (for cron or a systemd timer)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="one pass, then exit")
        parser.add_argument(
            "--interval", type=float, default=10.0, help="seconds between passes (default 10)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        while True:
            close_old_connections()
            try:
                names = tick()
            except DatabaseError:
                if options["once"]:
                    raise
                # A busy or restarting database: the next pass catches up (nothing is lost).
                logger.exception("scheduler pass failed; trying again")
                names = []
            if names:
                self.stdout.write(f"enqueued: {', '.join(names)}")
            if options["once"] or stop.wait(options["interval"]):
                return
