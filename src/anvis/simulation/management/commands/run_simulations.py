from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from anvis.simulation.services import (
    simulation_process_queue,
    simulation_run_requeue_stale,
)


class Command(BaseCommand):
    help = (
        "Execute queued simulator runs. Without --loop it works through the queue and exits "
        "(for cron or a systemd timer); with --loop it keeps polling (for a systemd service). "
        "Safe to run several at once: each run is claimed by one worker only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--workers",
            type=int,
            default=getattr(settings, "ANVIS_SIMULATION_WORKERS", 2),
            help="processes per run (default: ANVIS_SIMULATION_WORKERS or 2)",
        )
        parser.add_argument("--limit", type=int, default=None, help="at most this many runs")
        parser.add_argument("--loop", action="store_true", help="keep polling the queue")
        parser.add_argument("--sleep", type=float, default=10.0, help="seconds between polls")
        parser.add_argument(
            "--requeue-after-hours",
            type=float,
            default=None,
            help="first put runs 'running' for longer than this back in the queue",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["requeue_after_hours"] is not None:
            n = simulation_run_requeue_stale(
                older_than=dt.timedelta(hours=options["requeue_after_hours"])
            )
            if n:
                self.stdout.write(f"Requeued {n} stale run(s).")
        while True:
            count = simulation_process_queue(workers=options["workers"], limit=options["limit"])
            if count or options["verbosity"] > 1:
                self.stdout.write(f"Executed {count} simulation run(s).")
            if not options["loop"]:
                return
            time.sleep(options["sleep"])
