"""Legal bars on allocation to designated areas (almenboligloven § 59 stk. 6 and 7).

The municipality may not allocate (anvise) a dwelling in an *udsat boligområde* (stk. 6) or a
*forebyggelsesområde* (stk. 7) to a household where a member

1. was released from the Prison and Probation Service (Kriminalforsorgen) within the last six
   months,
2. had the lease terminated for gross breach (grov overtrædelse af god skik og orden) within the
   last six months, or
3. has received one of the listed benefits for six consecutive months. The list differs between
   the two kinds of area (:data:`UDSAT_BENEFITS`, :data:`PREVENTION_BENEFITS`).

Date conventions (tested at the boundaries):

* A six-month bar after an event on day *E* covers *E* through ``add_months(E, 6)`` inclusive;
  allocation is possible from the next day. 31 August + 6 months is 28 February (29 in a leap
  year), so a release on 28, 29, 30 or 31 August bars through the end of February.
* A benefit bar starts on ``add_months(start, 6)`` (the first day on which six consecutive
  months lie behind the household) and lasts as long as the benefit continues, through the last
  day of payment recorded as `end`. While the benefit is ongoing the bar has no end date.

The benefit lists reflect the law as described in the project's domain notes (2018 and 2021
amendments). Check the current consolidated text on retsinformation.dk before relying on them;
both lists are plain data and can be replaced.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from .dates import add_months

BAR_MONTHS = 6


class BarKind(StrEnum):
    PRISON_RELEASE = "prison_release"
    GROSS_BREACH_TERMINATION = "gross_breach_termination"
    BENEFITS = "benefits"


class AreaKind(StrEnum):
    VULNERABLE = "vulnerable"  # udsat boligområde, § 59 stk. 6
    PREVENTION = "prevention"  # forebyggelsesområde, § 59 stk. 7


class Benefit(StrEnum):
    SELF_SUPPORT = (
        "self_support"  # selvforsørgelses- og hjemrejseydelse (formerly integrationsydelse)
    )
    TRANSITION = "transition"  # overgangsydelse
    EDUCATION_AID = "education_aid"  # uddannelseshjælp
    CASH_BENEFIT = "cash_benefit"  # kontanthjælp
    RESOURCE_PROGRAMME = "resource_programme"  # ressourceforløbsydelse
    DISABILITY_PENSION = "disability_pension"  # førtidspension
    UNEMPLOYMENT = "unemployment"  # arbejdsløshedsdagpenge
    SICKNESS = "sickness"  # sygedagpenge


UDSAT_BENEFITS: frozenset[Benefit] = frozenset(Benefit)
PREVENTION_BENEFITS: frozenset[Benefit] = frozenset({Benefit.SELF_SUPPORT, Benefit.TRANSITION})
LISTED_BENEFITS: dict[AreaKind, frozenset[Benefit]] = {
    AreaKind.VULNERABLE: UDSAT_BENEFITS,
    AreaKind.PREVENTION: PREVENTION_BENEFITS,
}


@dataclass(frozen=True)
class BarEvent:
    """A dated event (release or termination), or a benefit period for kind BENEFITS."""

    kind: BarKind
    date: dt.date
    end: dt.date | None = None  # last day of a benefit period; None while ongoing
    benefit: Benefit | None = None

    def __post_init__(self) -> None:
        if self.kind is BarKind.BENEFITS and self.benefit is None:
            raise ValueError("a benefit period needs the benefit")
        if self.end is not None and self.end < self.date:
            raise ValueError("a period cannot end before it starts")


@dataclass(frozen=True)
class BarInterval:
    kind: BarKind
    first_day: dt.date
    last_day: dt.date | None  # inclusive; None = open-ended (benefit still paid)

    def covers(self, day: dt.date) -> bool:
        return self.first_day <= day and (self.last_day is None or day <= self.last_day)


@dataclass(frozen=True)
class BarStatus:
    """The bar for one kind of area on a given day."""

    area: AreaKind
    barred: bool
    until: dt.date | None  # last barred day (inclusive); None with barred=True: open-ended
    reasons: tuple[BarKind, ...]

    @property
    def open_ended(self) -> bool:
        return self.barred and self.until is None


def bar_interval(event: BarEvent, area: AreaKind) -> BarInterval | None:
    """The days on which `event` bars allocation to `area`, or None if it never does."""
    if event.kind is BarKind.BENEFITS:
        if event.benefit not in LISTED_BENEFITS[area]:
            return None
        first = add_months(event.date, BAR_MONTHS)
        if event.end is not None and event.end < first:
            return None  # the benefit stopped before six consecutive months were reached
        return BarInterval(event.kind, first, event.end)
    return BarInterval(event.kind, event.date, add_months(event.date, BAR_MONTHS))


def bar_status(events: Iterable[BarEvent], area: AreaKind, on: dt.date) -> BarStatus:
    """Whether allocation to `area` is barred on `on`, and until which day.

    `until` chains overlapping and adjacent intervals: if a second event starts before the
    first bar ends, the citizen is barred through the end of the later one.
    """
    intervals = sorted(
        (iv for e in events if (iv := bar_interval(e, area)) is not None),
        key=lambda iv: iv.first_day,
    )
    active = [iv for iv in intervals if iv.covers(on)]
    if not active:
        return BarStatus(area=area, barred=False, until=None, reasons=())
    reasons = tuple(sorted({iv.kind for iv in active}))
    if any(iv.last_day is None for iv in active):
        return BarStatus(area=area, barred=True, until=None, reasons=reasons)
    until = max(iv.last_day for iv in active if iv.last_day is not None)
    changed = True
    while changed:
        changed = False
        next_day = until + dt.timedelta(days=1)
        for iv in intervals:
            if iv.covers(next_day):
                if iv.last_day is None:
                    return BarStatus(area=area, barred=True, until=None, reasons=reasons)
                until = iv.last_day
                changed = True
    return BarStatus(area=area, barred=True, until=until, reasons=reasons)


def bar_statuses(events: Iterable[BarEvent], on: dt.date) -> dict[AreaKind, BarStatus]:
    items = list(events)
    return {area: bar_status(items, area, on) for area in AreaKind}
