"""The retention worker: anonymise citizens whose cases have all been closed for
ANVIS_RETENTION_YEARS years, and write a report (counts and case numbers, no personal data).

Run it nightly (cron or a systemd timer). It is safe to kill and start again: each citizen is
anonymised in its own transaction and the rule is re-checked under a row lock.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from anvis.security.services import retention_run


class Command(BaseCommand):
    help = "Anonymise citizens whose cases have all been closed for the retention period."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--today", help="Run as of this date (YYYY-MM-DD); default today.")
        parser.add_argument(
            "--years", type=int, default=None, help="Retention period (default from settings)."
        )
        parser.add_argument("--report", help="Also write the report as JSON to this file.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            today = (
                dt.date.fromisoformat(options["today"])
                if options["today"]
                else timezone.localdate()
            )
        except ValueError as exc:
            raise CommandError("--today must be a date like 2026-11-25") from exc
        years = options["years"] if options["years"] is not None else settings.ANVIS_RETENTION_YEARS
        if years < 1:
            raise CommandError("--years must be at least 1")
        report = retention_run(today=today, years=years)
        data = report.as_dict()
        self.stdout.write(
            f"Anonymised {data['citizens_anonymised']} citizens and {data['cases_anonymised']} "
            f"cases closed on or before {data['closed_on_or_before']}."
        )
        for number in report.cases:
            self.stdout.write(f"  {number}")
        if options["report"]:
            Path(options["report"]).write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        if report.failed:
            raise CommandError(
                f"{len(report.failed)} citizen(s) could not be anonymised and were left "
                f"untouched (see the log): {', '.join(report.failed)}"
            )
