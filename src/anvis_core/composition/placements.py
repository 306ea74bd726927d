"""Rolling windows over municipal placements, and letting estimates.

A window of n months on a date d covers the placements with move-in date in
(d − n months, d], i.e. from the day after the same calendar day n months earlier up to and
including d. "The same calendar day" is clamped to the month's end (31 May − 3 months is
28/29 February).

Lettings: without a letting register Anvis estimates lettings as dwellings × yearly move-out
rate × months / 12. The move-out rate is the department's own (Beboerdata) when known, otherwise
Landsbyggefonden's 2019 national rate by dwelling type (10.4 % family, 39.9 % youth, 13.1 %
overall).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from anvis_core.cases.dates import add_months

WINDOWS: tuple[int, ...] = (12, 24, 36)
DEFAULT_MOVE_OUT_RATE = Decimal("13.1")  # percent a year, all almene dwellings (LBF 2019)


def window_start(on_date: dt.date, months: int) -> dt.date:
    """The first day inside an n-month window that ends on (and includes) `on_date`."""
    if months <= 0:
        raise ValueError("a window has at least one month")
    return add_months(on_date, -months) + dt.timedelta(days=1)


def in_window(placed_on: dt.date, on_date: dt.date, months: int) -> bool:
    return window_start(on_date, months) <= placed_on <= on_date


def count_in_window(dates: Iterable[dt.date], on_date: dt.date, months: int) -> int:
    start = window_start(on_date, months)
    return sum(1 for d in dates if start <= d <= on_date)


def estimated_lettings(
    dwellings: int, months: int, move_out_rate: Decimal | None = None
) -> Decimal:
    """Expected lettings in a window: dwellings × yearly move-out rate (percent) × months/12."""
    rate = DEFAULT_MOVE_OUT_RATE if move_out_rate is None else move_out_rate
    return Decimal(dwellings) * rate / 100 * Decimal(months) / 12


def share_percent(part: int, whole: Decimal | int) -> Decimal | None:
    """`part` as a percentage of `whole`, one decimal, or None when `whole` is zero."""
    whole_d = Decimal(whole)
    if whole_d <= 0:
        return None
    return (Decimal(part) * 100 / whole_d).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
