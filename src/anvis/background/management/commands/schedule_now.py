from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from anvis.background.schedule import BY_NAME, SCHEDULE, enqueue_entry


class Command(BaseCommand):
    help = (
        "Enqueue recurring background tasks now, outside the schedule. With --date the daily "
        "work (expiry, unparking, reminders, digests, monitoring) treats that day as today: "
        "the demo's clock, e.g. `manage.py schedule_now --date 2027-01-15 --only expire`. "
        "The worker runs the tasks; the tasks page (Drift → Baggrundsopgaver) shows them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            type=dt.date.fromisoformat,
            default=None,
            help="treat this day (YYYY-MM-DD) as today (default: today)",
        )
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="treat today plus this many days as today (instead of --date)",
        )
        parser.add_argument(
            "--only",
            choices=sorted(BY_NAME),
            action="append",
            help="enqueue only this entry (may be repeated); default: all",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from django.utils import timezone

        day = options["date"]
        if options["days"] is not None:
            day = timezone.localdate() + dt.timedelta(days=options["days"])
        names = options["only"] or [entry.name for entry in SCHEDULE]
        for name in names:
            result = enqueue_entry(BY_NAME[name], day=day)
            self.stdout.write(f"{name}: queued as {result.id}")
