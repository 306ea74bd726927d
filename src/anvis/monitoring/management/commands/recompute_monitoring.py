from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from anvis.monitoring.services import monitoring_recompute


class Command(BaseCommand):
    help = (
        "Recompute every department's monitoring status, step proposal, twins and placement counts."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--date",
            type=dt.date.fromisoformat,
            default=None,
            help="Reference date YYYY-MM-DD (default: today).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        on_date = options["date"] or timezone.localdate()
        started = time.perf_counter()
        result = monitoring_recompute(actor=None, on_date=on_date)
        elapsed = time.perf_counter() - started
        counts = ", ".join(f"{k}: {v}" for k, v in sorted(result.by_status.items()))
        self.stdout.write(
            self.style.SUCCESS(
                f"Recomputed {result.departments} departments as of {on_date} "
                f"in {elapsed:.2f} s ({counts})."
            )
        )
