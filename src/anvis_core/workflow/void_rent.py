"""Void rent (tomgangsleje): the rent the payer owes for the days a dwelling waits for a citizen.

One home for every void-rent figure: the start day (`void_rent_start`), the running account of a
vacancy on a given day (`void_rent_account`), and the amount for a run of days under the
agreement's convention (`compute_void_rent`). Every page, the lease register and the monthly
statement call these.

Days: from the start day up to, not including, the end day (the lease start: from that day the
tenant pays; or the hand-back day: from that day the organisation lets the dwelling itself).

Conventions (a term of the agreement version):

- ``daily`` (the default): daily rent = monthly rent × 12 / 365 (a year of 365 days, also in
  leap years, so that a month's void costs close to a month's rent); amount = daily rent × days.
- ``month30``: whole months and 30-day months, as organisations invoice. Every calendar month
  the period covers entirely costs one monthly rent; a part month costs monthly rent / 30 per
  day, at most one monthly rent (so day 31 of a month is free and 28 days of February cost
  28/30 of a month).

Amounts are rounded to øre, half up, once per calendar month under either convention, and the
run's amount is the sum of its months: the monthly statements pay a run month by month, so
rounding the run once (under ``daily``) would settle a run spanning months up to an øre a month
away from what the statements paid for it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

ORE = Decimal("0.01")
DAYS_PER_YEAR = 365
DAYS_PER_MONTH_30 = 30


class VoidRentConvention(StrEnum):
    DAILY = "daily"
    MONTH30 = "month30"


class VoidRentStartRule(StrEnum):
    AVAILABLE = "available_from"
    ACCEPTANCE = "acceptance"


def daily_rent(monthly_rent: int, convention: str = VoidRentConvention.DAILY) -> Decimal:
    """Exact daily rent (not rounded) for a whole-kroner monthly rent."""
    if monthly_rent < 0:
        raise ValueError("rent cannot be negative")
    if convention == VoidRentConvention.MONTH30:
        return Decimal(monthly_rent) / DAYS_PER_MONTH_30
    return Decimal(monthly_rent) * 12 / DAYS_PER_YEAR


def void_rent_start(
    *,
    rule: str,
    available_from: dt.date,
    report_date: dt.date,
    accepted_on: dt.date,
    before_report_allowed: bool = False,
) -> dt.date:
    """The first day of void rent. From the day the dwelling is available, or from the
    municipality's acceptance (never before the dwelling is available); never before the report
    date unless the agreement allows it (an organisation that reports late does not bill the
    days before it told the municipality)."""
    from_acceptance = rule == VoidRentStartRule.ACCEPTANCE
    start = max(accepted_on, available_from) if from_acceptance else available_from
    if not before_report_allowed:
        start = max(start, report_date)
    return start


@dataclass(frozen=True)
class MonthPart:
    """The void rent of one calendar month within a run of days."""

    month: dt.date  # the first day of the month
    start: dt.date
    end: dt.date  # exclusive
    days: int
    whole_month: bool
    amount: Decimal


@dataclass(frozen=True)
class VoidRent:
    start: dt.date
    end: dt.date
    days: int
    daily_rent: Decimal
    amount: Decimal
    convention: str = VoidRentConvention.DAILY
    months: tuple[MonthPart, ...] = ()


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _months(start: dt.date, end: dt.date) -> Iterator[tuple[dt.date, dt.date, dt.date]]:
    """(first of month, part start, part end exclusive) for each month of [start, end)."""
    day = start
    while day < end:
        first = _month_start(day)
        nxt = _next_month(first)
        yield first, day, min(end, nxt)
        day = nxt


def _month_amount(
    monthly_rent: int, first: dt.date, start: dt.date, end: dt.date, convention: str
) -> tuple[bool, Decimal]:
    days = (end - start).days
    whole = start == first and end == _next_month(first)
    if convention == VoidRentConvention.MONTH30:
        if whole:
            return True, Decimal(monthly_rent).quantize(ORE)
        raw = min(Decimal(monthly_rent), Decimal(monthly_rent) * days / DAYS_PER_MONTH_30)
        return False, raw.quantize(ORE, ROUND_HALF_UP)
    raw = Decimal(monthly_rent) * 12 * days / DAYS_PER_YEAR
    return whole, raw.quantize(ORE, ROUND_HALF_UP)


def compute_void_rent(
    *,
    monthly_rent: int,
    start: dt.date,
    lease_start: dt.date,
    convention: str = VoidRentConvention.DAILY,
) -> VoidRent:
    """Void rent for the days in [start, lease_start), split by calendar month; the amount is the
    sum of the months. A lease starting on or before the start date gives 0 days and 0 kr."""
    if convention not in tuple(VoidRentConvention):
        raise ValueError(f"unknown void-rent convention {convention!r}")
    per_day = daily_rent(monthly_rent, convention)
    days = max(0, (lease_start - start).days)
    parts = tuple(
        MonthPart(first, a, b, (b - a).days, *_month_amount(monthly_rent, first, a, b, convention))
        for first, a, b in _months(start, lease_start)
    )
    # What the monthly statements pay, month by month: the run's amount is their sum, so the
    # lease, the void-rent page and the report settle to the øre what the statements paid.
    amount = sum((p.amount for p in parts), Decimal("0.00"))
    return VoidRent(
        start=start,
        end=lease_start,
        days=days,
        daily_rent=per_day,
        amount=amount,
        convention=convention,
        months=parts,
    )


@dataclass(frozen=True)
class VoidRentAccount:
    """A vacancy's void rent as it stands on `as_of`: `running` while the dwelling still waits
    (no end day yet or the end day is after `as_of`), the figures count the days up to and
    including `as_of`; once ended, the whole run to the end day."""

    rent: VoidRent
    as_of: dt.date
    running: bool
    ended_on: dt.date | None


def void_rent_account(
    *,
    monthly_rent: int,
    start: dt.date | None,
    end: dt.date | None,
    as_of: dt.date,
    convention: str = VoidRentConvention.DAILY,
) -> VoidRentAccount | None:
    """The running account of one vacancy on `as_of`. `start` is the void-rent start (None: the
    municipality has not taken the dwelling, so there is no void rent); `end` is the lease start
    or the hand-back day, when known. Days after `as_of` are not yet owed."""
    if start is None:
        return None
    until = as_of + dt.timedelta(days=1)
    # A lease (or hand-back) from the first void-rent day on leaves nothing to run: closed at 0.
    running = end is None or (end > until and end > start)
    stop = until if running else end
    assert stop is not None
    rent = compute_void_rent(
        monthly_rent=monthly_rent, start=start, lease_start=max(start, stop), convention=convention
    )
    return VoidRentAccount(
        rent=rent, as_of=as_of, running=running, ended_on=None if running else end
    )
