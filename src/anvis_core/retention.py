"""Retention of closed cases: when a citizen's data is due for anonymisation.

A citizen is due when every case is closed and the last one closed at least `years` years ago
(the same calendar day `years` years later; 29 February counts from 28 February in a year
without it). Pure functions, no framework.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable


def years_before(day: dt.date, years: int) -> dt.date:
    """The same calendar day `years` years earlier (28 February for 29 February)."""
    if years < 0:
        raise ValueError("years must not be negative")
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def retention_cutoff(today: dt.date, years: int) -> dt.date:
    """Cases closed on or before this day have been closed for at least `years` years."""
    return years_before(today, years)


def citizen_due(closed_on: Iterable[dt.date | None], today: dt.date, years: int) -> bool:
    """All cases closed (no None) and the latest closing on or before the cutoff."""
    dates = list(closed_on)
    if not dates or any(d is None for d in dates):
        return False
    latest = max(d for d in dates if d is not None)
    return latest <= retention_cutoff(today, years)
