from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from anvis.demo.context import PUBLISHED_PASSWORD, SCALES, DemoContext
from anvis.demo.loaders import load_all
from anvis.stock.models import HousingOrganisation
from anvis_core.memory import without_cycle_collection


class Command(BaseCommand):
    help = "Load deterministic demo data (fictional municipality of Aalborg's size, or national scale)."
    # The system checks are `migrate`'s to run, which comes first wherever the demo is loaded
    # (make run, the benchmarks); run again here they import every view for the URL checks, two
    # seconds of a load that needs none of them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--scale", choices=SCALES, default="aalborg")
        parser.add_argument("--seed", type=int, default=2023)
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when data exists.")
        parser.add_argument("--today", help="Reference date YYYY-MM-DD (default: today).")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION and settings.ANVIS_DEMO_PASSWORD == PUBLISHED_PASSWORD:
            raise CommandError(
                "The demo accounts (an administrator among them) would get the published demo "
                "password in the production profile: set ANVIS_DEMO_PASSWORD to a password of "
                "your own, or load the demo outside production."
            )
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
        with without_cycle_collection():
            load_all(ctx, lambda name, seconds: self.stdout.write(f"  {name}: {seconds:.1f} s"))
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ({ctx.scale}) loaded in {time.perf_counter() - started:.1f} s."
            )
        )
