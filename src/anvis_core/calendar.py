"""Danish working days (hverdage) for deadlines such as the municipality's response deadline.

A working day is Monday to Friday and not a closing day. Closing days:

- the public holidays (helligdage): nytårsdag (1 January), skærtorsdag, langfredag,
  2. påskedag, Kristi himmelfartsdag, 2. pinsedag, juledag (25 December), 2. juledag
  (26 December), and store bededag (4th Friday after Easter) up to and including 2023 only:
  it was abolished as a public holiday from 2024. Påskedag and pinsedag fall on Sundays.
- extra closing days that public administration customarily observes although they are not
  public holidays: grundlovsdag (5 June), juleaftensdag (24 December) and nytårsaftensdag
  (31 December). They are on by default (`DEFAULT_EXTRA_CLOSED`). An installation chooses
  its own with `install_extra_closed` (the Django project from the setting
  ``ANVIS_EXTRA_CLOSING_DAYS``, at start-up), and a caller may pass `extra_closed=` (a
  subset, or `frozenset()` to count them all as working days); without it the installed set
  is used.

Easter Sunday is computed with the anonymous Gregorian algorithm (Meeus/Jones/Butcher).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum
from functools import cache


class ExtraClosingDay(StrEnum):
    CONSTITUTION_DAY = "grundlovsdag"
    CHRISTMAS_EVE = "juleaftensdag"
    NEW_YEARS_EVE = "nytaarsaftensdag"


DEFAULT_EXTRA_CLOSED: frozenset[ExtraClosingDay] = frozenset(ExtraClosingDay)

_installed: frozenset[ExtraClosingDay] = DEFAULT_EXTRA_CLOSED


def install_extra_closed(days: Iterable[ExtraClosingDay | str]) -> frozenset[ExtraClosingDay]:
    """The installation's extra closing days, for every deadline computed from now on (an
    unknown name raises ValueError). Deadlines already stored keep the day they were given."""
    global _installed
    _installed = frozenset(ExtraClosingDay(d) for d in days)
    return _installed


def installed_extra_closed() -> frozenset[ExtraClosingDay]:
    return _installed


def _closed(extra_closed: Iterable[ExtraClosingDay] | None) -> frozenset[ExtraClosingDay]:
    return _installed if extra_closed is None else frozenset(extra_closed)


#: The last year in which store bededag was a public holiday.
GREAT_PRAYER_DAY_LAST_YEAR = 2023


def easter_sunday(year: int) -> dt.date:
    """Easter Sunday in the Gregorian calendar (anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


@cache
def public_holidays(year: int) -> dict[dt.date, str]:
    """The Danish public holidays of a year, date → Danish name."""
    easter = easter_sunday(year)

    def rel(days: int) -> dt.date:
        return easter + dt.timedelta(days=days)

    days = {
        dt.date(year, 1, 1): "nytårsdag",
        rel(-3): "skærtorsdag",
        rel(-2): "langfredag",
        easter: "påskedag",
        rel(1): "2. påskedag",
        rel(39): "Kristi himmelfartsdag",
        rel(49): "pinsedag",
        rel(50): "2. pinsedag",
        dt.date(year, 12, 25): "juledag",
        dt.date(year, 12, 26): "2. juledag",
    }
    if year <= GREAT_PRAYER_DAY_LAST_YEAR:
        days[rel(26)] = "store bededag"
    return days


def extra_closing_days(
    year: int, extra_closed: Iterable[ExtraClosingDay] | None = None
) -> dict[dt.date, str]:
    wanted = _closed(extra_closed)
    fixed = {
        ExtraClosingDay.CONSTITUTION_DAY: (dt.date(year, 6, 5), "grundlovsdag"),
        ExtraClosingDay.CHRISTMAS_EVE: (dt.date(year, 12, 24), "juleaftensdag"),
        ExtraClosingDay.NEW_YEARS_EVE: (dt.date(year, 12, 31), "nytårsaftensdag"),
    }
    return {day: name for key, (day, name) in fixed.items() if key in wanted}


def closing_day_name(
    day: dt.date, extra_closed: Iterable[ExtraClosingDay] | None = None
) -> str | None:
    """The name of the holiday or closing day on `day`, or None."""
    name = public_holidays(day.year).get(day)
    if name is None:
        name = extra_closing_days(day.year, extra_closed).get(day)
    return name


def is_working_day(day: dt.date, extra_closed: Iterable[ExtraClosingDay] | None = None) -> bool:
    return day.weekday() < 5 and closing_day_name(day, extra_closed) is None


def add_working_days(
    start: dt.date, n: int, extra_closed: Iterable[ExtraClosingDay] | None = None
) -> dt.date:
    """The date `n` working days after `start`; `start` itself is never counted.

    A deadline of 7 working days from a report on date d is `add_working_days(d, 7)`, whatever
    kind of day d is. `n = 0` returns `start`; a negative `n` counts backwards.
    """
    closed = _closed(extra_closed)
    step = 1 if n >= 0 else -1
    day = start
    remaining = abs(n)
    while remaining:
        day += dt.timedelta(days=step)
        if is_working_day(day, closed):
            remaining -= 1
    return day


def working_days_between(
    a: dt.date, b: dt.date, extra_closed: Iterable[ExtraClosingDay] | None = None
) -> int:
    """The number of working days d with a < d <= b (negative when b is before a).

    The inverse of `add_working_days`: `working_days_between(a, add_working_days(a, n)) == n`.
    """
    if b < a:
        return -working_days_between(b, a, extra_closed)
    closed = _closed(extra_closed)
    count = 0
    day = a
    while day < b:
        day += dt.timedelta(days=1)
        if is_working_day(day, closed):
            count += 1
    return count
