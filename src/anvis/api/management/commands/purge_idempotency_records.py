from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from anvis.api.models import IdempotencyRecord


class Command(BaseCommand):
    help = "Delete idempotency records older than --days (default 30): a retry after that is new."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--days", type=int, default=30)

    def handle(self, *args: Any, **options: Any) -> None:
        cutoff = timezone.now() - dt.timedelta(days=max(options["days"], 1))
        deleted, _detail = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
        self.stdout.write(f"deleted={deleted}")
