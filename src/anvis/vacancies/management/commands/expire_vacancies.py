from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from anvis.vacancies.services import vacancies_expire


class Command(BaseCommand):
    help = (
        "Expire municipal vacancies and pending offers whose answer deadline has passed. "
        "Idempotent; run daily (cron or a systemd timer) shortly after midnight."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            type=dt.date.fromisoformat,
            default=None,
            help="Treat this day (YYYY-MM-DD) as today (default: today in Europe/Copenhagen).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = vacancies_expire(today=options["date"])
        self.stdout.write(
            f"Expired {len(result.vacancies)} vacancy(ies) and {len(result.offers)} offer(s)."
        )
        if result.failed_vacancies:
            self.stderr.write(
                "Could not expire vacancy(ies) "
                + ", ".join(str(pk) for pk in result.failed_vacancies)
                + " (see the log)."
            )
        if result.failed:
            self.stderr.write(
                "Could not expire offer(s) "
                + ", ".join(str(pk) for pk in result.failed)
                + " (see the log)."
            )
