from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from anvis.cases.services import cases_unpark_due
from anvis.notifications.services import deadline_reminders, digests_send, emails_retry
from anvis.vacancies.services import vacancies_expire

STEPS = ("expire", "unpark", "reminders", "emails", "digests")


class Command(BaseCommand):
    help = (
        "The scheduled work, in order: expire vacancies and offers past their deadline, unpark "
        "cases whose pause ended, remind allocation leads 2 working days before a deadline, "
        "retry immediate e-mails, send daily digests. Every step is idempotent: run it from cron "
        "or a systemd timer; running it twice, late, or again after a crash does no harm."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            type=dt.date.fromisoformat,
            default=None,
            help="Treat this day (YYYY-MM-DD) as today (default: today in Europe/Copenhagen).",
        )
        parser.add_argument(
            "--only",
            choices=STEPS,
            action="append",
            help="Run only this step (may be repeated). Default: all steps.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        day = options["date"]
        steps = options["only"] or list(STEPS)
        for step in STEPS:
            if step not in steps:
                continue
            if step == "expire":
                result = vacancies_expire(today=day)
                message = (
                    f"expire: {len(result.vacancies)} vacancy(ies), {len(result.offers)} offer(s)"
                )
            elif step == "unpark":
                message = f"unpark: {cases_unpark_due(today=day)} case(s)"
            elif step == "reminders":
                message = f"reminders: {deadline_reminders(today=day)} notification(s)"
            elif step == "emails":
                message = f"emails: {emails_retry()} sent"
            else:
                message = f"digests: {digests_send(today=day)} sent"
            self.stdout.write(message)
