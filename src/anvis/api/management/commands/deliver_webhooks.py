from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from anvis.api.webhooks import deliver_due


class Command(BaseCommand):
    help = "Send due webhook deliveries (retries with exponential backoff)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--loop", action="store_true", help="Keep running.")
        parser.add_argument("--interval", type=float, default=10.0, help="Seconds between runs.")
        parser.add_argument("--limit", type=int, default=100)

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            run = deliver_due(limit=options["limit"])
            self.stdout.write(f"sent={run.sent} failed={run.failed} given_up={run.given_up}")
            if not options["loop"]:
                return
            time.sleep(options["interval"])
