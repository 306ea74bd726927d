from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from anvis.cases.services import cases_recompute_priorities


class Command(BaseCommand):
    help = "Refresh the stored priority totals of open cases (run nightly: waiting days grow)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = cases_recompute_priorities()
        self.stdout.write(f"Updated the priority of {count} case(s).")
