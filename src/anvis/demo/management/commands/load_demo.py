from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from anvis.core.db import refresh_statistics
from anvis.demo.context import SCALES, DemoContext
from anvis.demo.loaders import LOADERS
from anvis.stock.models import HousingOrganisation


class Command(BaseCommand):
    help = "Load deterministic demo data (fictional municipality of Aalborg's size, or national scale)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--scale", choices=SCALES, default="aalborg")
        parser.add_argument("--seed", type=int, default=2023)
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when data exists.")
        parser.add_argument("--today", help="Reference date YYYY-MM-DD (default: today).")

    def handle(self, *args: Any, **options: Any) -> None:
        if HousingOrganisation.objects.exists():
            if options["if_empty"]:
                self.stdout.write("Demo data: the database already has data; kept as it is.")
                return
            raise CommandError("The database is not empty; load demo data into an empty database.")
        today = dt.date.fromisoformat(options["today"]) if options["today"] else dt.date.today()
        ctx = DemoContext(
            scale=options["scale"], seed=options["seed"], today=today, log=self.stdout.write
        )
        started = time.perf_counter()
        # Demo notifications are kept in memory, not printed or sent as e-mail, and the background
        # tasks the loaders' events would queue (e-mails; the demo's simulator runs are run here)
        # are dropped: the demo starts with an empty queue and outbox.
        with (
            override_settings(
                EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
                TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}},
            ),
            transaction.atomic(),
        ):
            for name, load in LOADERS:
                t0 = time.perf_counter()
                load(ctx)
                self.stdout.write(f"  {name}: {time.perf_counter() - t0:.1f} s")
        # Planner statistics for the freshly loaded tables (PostgreSQL), so the first requests
        # are not planned on the empty tables' statistics.
        refresh_statistics()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ({ctx.scale}) loaded in {time.perf_counter() - started:.1f} s."
            )
        )
