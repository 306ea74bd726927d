"""The § 110 reimbursement counter (serviceloven § 110, § 176; the 2023 homelessness reform).

The state reimburses 50 % of a municipality's expenses for a citizen's § 110 shelter stays for
at most a capped number of days per *running year*: 120 days from 1 October 2023, 90 days from
1 April 2026 (L 64 2022/23; Social- og Boligstyrelsen, "Omstilling af hjemløshedsområdet").
The running year starts with the first admission and the counter resets one year after it.
The caps are rows of the dated table in :mod:`anvis_core.law` (``shelter.cap_days``); stay
days before the first row (1 October 2023) lie before the scheme and are not counted.

Conventions used here (documented in docs/cases.md):

* **Stay days.** A stay from admission *A* to discharge *D* uses the days *A* ≤ day < *D*
  (nights, as for any overnight stay); a stay admitted and discharged on the same day uses one
  day. An ongoing stay uses the days through `today`. Overlapping stays count a day once.
* **Running year.** The first stay day starts a running year lasting one year (through the day
  before the same date next year). The first stay day after that year starts the next one.
* **Which cap.** The cap in force *on the day used* decides: the n-th stay day of a running year
  is reimbursable when n ≤ cap(that day). A running year that straddles 1 April 2026 therefore
  keeps the 120-day cap for days before the switch and has a 90-day cap from 1 April 2026:
  a citizen with 95 days used on 31 March 2026 has no reimbursable days left on 1 April. This is
  the conservative reading (the municipality never plans on reimbursement it may not get); the
  schedule is data (the law table), so a different transitional reading is one row.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from anvis_core import law

from .dates import add_years

Schedule = Sequence[tuple[dt.date, int]]
#: (first day the cap applies, cap in days), in date order, from the default law table.
CAP_SCHEDULE: tuple[tuple[dt.date, int], ...] = law.shelter_caps(law.DEFAULT_TABLE)
DEFAULT_WARNING_DAYS = 14
_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Stay:
    admitted: dt.date
    discharged: dt.date | None = None

    def __post_init__(self) -> None:
        if self.discharged is not None and self.discharged < self.admitted:
            raise ValueError("discharge before admission")

    def days(self, today: dt.date) -> list[dt.date]:
        if self.admitted > today:
            return []
        if self.discharged is None:
            last = today
        elif self.discharged == self.admitted:
            last = self.admitted
        else:
            last = min(self.discharged - dt.timedelta(days=1), today)
        n = (last - self.admitted).days + 1
        return [self.admitted + dt.timedelta(days=i) for i in range(max(n, 0))]


def cap_on(day: dt.date, schedule: Schedule | None = None) -> int:
    """The cap in force on `day` (0 before the scheme began)."""
    schedule = law.shelter_caps() if schedule is None else schedule
    cap = 0
    for start, value in schedule:
        if day >= start:
            cap = value
    return cap


@dataclass(frozen=True)
class RunningYear:
    start: dt.date
    end: dt.date  # inclusive
    days_used: int
    reimbursable_days: int


@dataclass(frozen=True)
class ReimbursementStatus:
    """The counter as of `today` for the running year containing `today` (if any)."""

    today: dt.date
    year: RunningYear | None
    cap_today: int
    days_left: int  # further reimbursable days if the citizen stayed every day from tomorrow
    in_stay: bool
    warning: bool  # days_left at or under the warning threshold, with a year running
    exceeded: bool  # stay days in the current running year that are not reimbursed
    years: tuple[RunningYear, ...]


def _pieces(
    schedule: Schedule, first: dt.date, last: dt.date
) -> list[tuple[dt.date, dt.date, int]]:
    """The days `first` to `last` (inclusive) cut where the cap changes: (from, to, cap) each,
    with the cap of :func:`cap_on` (0 before the schedule's first row)."""
    if first > last:
        return []
    pieces = []
    start, cap = first, cap_on(first, schedule)
    for begins, value in schedule:
        if begins <= first:
            continue
        if begins > last:
            break
        pieces.append((start, begins - _DAY, cap))
        start, cap = begins, value
    pieces.append((start, last, cap))
    return pieces


def running_years(
    stays: Iterable[Stay],
    today: dt.date,
    schedule: Schedule | None = None,
) -> list[RunningYear]:
    schedule = law.shelter_caps() if schedule is None else schedule
    first = schedule[0][0]
    days = sorted({d for stay in stays for d in stay.days(today) if d >= first})
    years: list[RunningYear] = []
    i = 0
    while i < len(days):
        start = days[i]
        end = add_years(start, 1) - _DAY
        j = bisect_right(days, end, i)
        # The n-th day of the year (days[i + n - 1]) is reimbursable when n <= the cap that day:
        # counted piece by piece under each cap rather than day by day.
        reimbursable = 0
        for lo, hi, cap in _pieces(schedule, start, end):
            a = bisect_left(days, lo, i, j)
            b = bisect_right(days, hi, a, j)
            reimbursable += max(0, min(b - i, cap) - (a - i))
        years.append(
            RunningYear(start=start, end=end, days_used=j - i, reimbursable_days=reimbursable)
        )
        i = j
    return years


def reimbursement_status(
    stays: Iterable[Stay],
    today: dt.date,
    warning_days: int = DEFAULT_WARNING_DAYS,
    schedule: Schedule | None = None,
) -> ReimbursementStatus:
    schedule = law.shelter_caps() if schedule is None else schedule
    stay_list = list(stays)
    years = running_years(stay_list, today, schedule)
    in_stay = any(
        s.admitted <= today and (s.discharged is None or s.discharged > today) for s in stay_list
    )
    current = years[-1] if years and years[-1].end >= today else None
    cap_today = cap_on(today, schedule)
    days_left = 0
    if current is not None:
        # Were the citizen to stay every day from tomorrow to the year's end, day k of a piece
        # under one cap would be the (used + k)-th day of the year.
        used = current.days_used
        for lo, hi, cap in _pieces(schedule, today + _DAY, current.end):
            length = (hi - lo).days + 1
            days_left += max(0, min(length, cap - used))
            used += length
    exceeded = current is not None and current.days_used > current.reimbursable_days
    warning = current is not None and days_left <= warning_days
    return ReimbursementStatus(
        today=today,
        year=current,
        cap_today=cap_today,
        days_left=days_left,
        in_stay=in_stay,
        warning=warning,
        exceeded=exceeded,
        years=tuple(years),
    )
