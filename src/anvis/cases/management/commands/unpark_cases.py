from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from anvis.cases.services import cases_unpark_due


class Command(BaseCommand):
    help = "Unpark cases whose parking ended before today (run daily, e.g. from cron)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = cases_unpark_due()
        self.stdout.write(f"Unparked {count} case(s).")
