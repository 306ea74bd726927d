"""Calendar arithmetic for rules that are stated in months and years."""

from __future__ import annotations

import calendar
import datetime as dt


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (or earlier), clamped to the end of a shorter month.

    31 August + 6 months = 28 February (29 in a leap year); 31 March − 1 month = 28/29 February.
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return dt.date(year, month0 + 1, min(day.day, last))


def add_years(day: dt.date, years: int) -> dt.date:
    """The same date `years` later; 29 February becomes 28 February in a non-leap year."""
    return add_months(day, 12 * years)


def last_start_within(end: dt.date, months: int) -> dt.date:
    """The latest day whose `months`-month anniversary (:func:`add_months`) is on or before
    `end`: the bound of a cohort "followed `months` months by `end`".

    Not simply ``add_months(end, -months)``: a shorter month clamps, so 31 December + 6 months is
    30 June and 29 February + 12 months is 28 February. When `end` is the last day of its month,
    every day of the month `months` before has its anniversary by `end`.
    """
    latest = add_months(end, -months)
    if end.day == calendar.monthrange(end.year, end.month)[1]:
        return latest.replace(day=calendar.monthrange(latest.year, latest.month)[1])
    return latest
