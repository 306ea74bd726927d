"""Void rent (tomgangsleje): daily rent × days from the start date until the lease starts.

Daily rent = monthly rent × 12 / 365 (a year of 365 days, also in leap years, so that a month's
void costs close to a month's rent). Days = lease start − start date: the start day counts, the
lease start day does not (from that day the tenant pays). The amount is rounded to øre, half up.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ORE = Decimal("0.01")
DAYS_PER_YEAR = 365


def daily_rent(monthly_rent: int) -> Decimal:
    """Exact daily rent (not rounded) for a whole-kroner monthly rent."""
    if monthly_rent < 0:
        raise ValueError("rent cannot be negative")
    return Decimal(monthly_rent) * 12 / DAYS_PER_YEAR


@dataclass(frozen=True)
class VoidRent:
    start: dt.date
    end: dt.date
    days: int
    daily_rent: Decimal
    amount: Decimal


def compute_void_rent(*, monthly_rent: int, start: dt.date, lease_start: dt.date) -> VoidRent:
    """Void rent for the days in [start, lease_start). A lease starting on or before the start
    date gives 0 days and 0 kr."""
    days = max(0, (lease_start - start).days)
    per_day = daily_rent(monthly_rent)
    amount = (Decimal(monthly_rent) * 12 * days / DAYS_PER_YEAR).quantize(ORE, ROUND_HALF_UP)
    return VoidRent(start=start, end=lease_start, days=days, daily_rent=per_day, amount=amount)
