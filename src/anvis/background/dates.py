"""Task arguments are JSON: a day travels as an ISO string (or None for today)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def day_of(value: str | None) -> dt.date:
    return dt.date.fromisoformat(value) if value else timezone.localdate()
