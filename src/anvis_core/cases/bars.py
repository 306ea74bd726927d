"""Legal bars on allocation to designated areas (almenboligloven § 59 stk. 6 and 7).

The municipality may not allocate (anvise) a family dwelling in an *udsat boligområde* (stk. 6)
or a *forebyggelsesområde* (stk. 7) to a household where a member

1. was convicted and released from the Prison and Probation Service (Kriminalforsorgen) within
   the last six months, and needs a plan under serviceloven § 141 (stk. 6 nr. 1,
   :attr:`BarKind.PRISON_RELEASE`);
2. is under 18, convicted and released within the last six months from an institution outside
   the Prison and Probation Service where they were placed under straffuldbyrdelsesloven § 78
   stk. 2 (nr. 2, :attr:`BarKind.YOUTH_RELEASE`);
3. had the lease terminated for gross breach (grov overtrædelse af god skik og orden) within
   the last six months (nr. 3, :attr:`BarKind.GROSS_BREACH_TERMINATION`);
4. is not a citizen of an EU/EEA country or Switzerland, students at a recognised institution
   excepted (nr. 4, :attr:`BarKind.NON_EU_CITIZEN`; a period, open while it lasts);
5. has received one or more of the listed benefits for six consecutive calendar months
   (stk. 6 nr. 5; stk. 7 has its own shorter list).

Which kinds and benefits bar, and for how long, is not written here: it is read from the dated
table in :mod:`anvis_core.law`, in the version in force on the day of the anvisning (`on`).

Date conventions (tested at the boundaries):

* A six-month bar after an event on day *E* covers *E* through ``add_months(E, 6)`` inclusive;
  allocation is possible from the next day. 31 August + 6 months is 28 February (29 in a leap
  year), so a release on 28, 29, 30 or 31 August bars through the end of February.
* Benefit periods of one person that overlap or follow each other without a free day are one
  *spell*, also when the benefits differ (uddannelseshjælp until 30 June 2025, kontanthjælp
  from 1 July 2025: one spell). Only benefits listed for the area count. A spell bars from
  ``add_months(start, 6)`` (the first day with six consecutive months behind it) through its
  last day; while the benefit is still paid the bar has no end date. Periods of different
  household members are never joined (`person`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from anvis_core import law

from .dates import add_months


class BarKind(StrEnum):
    PRISON_RELEASE = "prison_release"  # stk. 6 nr. 1
    YOUTH_RELEASE = "youth_release"  # stk. 6 nr. 2
    GROSS_BREACH_TERMINATION = "gross_breach_termination"  # stk. 6 nr. 3
    NON_EU_CITIZEN = "non_eu_citizen"  # stk. 6 nr. 4 (a period)
    BENEFITS = "benefits"  # stk. 6 nr. 5, stk. 7 (a period)


PERIOD_KINDS: frozenset[BarKind] = frozenset({BarKind.BENEFITS, BarKind.NON_EU_CITIZEN})
"""Kinds recorded as a period (first day and, once it has ended, last day)."""


class AreaKind(StrEnum):
    VULNERABLE = "vulnerable"  # udsat boligområde, § 59 stk. 6
    PREVENTION = "prevention"  # forebyggelsesområde, § 59 stk. 7


class Benefit(StrEnum):
    CASH_BENEFIT = law.CASH  # kontanthjælp (from 1 July 2025 the one kontanthjælp)
    CASH_BENEFIT_MINIMUM = law.CASH_MINIMUM  # kontanthjælp at the minimum rate, from 1 July 2025
    EDUCATION_AID = law.EDUCATION_AID  # uddannelseshjælp, until 30 June 2025
    SELF_SUPPORT = law.SELF_SUPPORT  # selvforsørgelses- og hjemrejseydelse, until 30 June 2025
    TRANSITION = law.TRANSITION  # overgangsydelse, until 30 June 2025
    RESOURCE_PROGRAMME = law.RESOURCE  # ressourceforløbsydelse
    DISABILITY_PENSION = law.DISABILITY  # førtidspension
    UNEMPLOYMENT = law.UNEMPLOYMENT  # arbejdsløshedsdagpenge
    SICKNESS = law.SICKNESS  # sygedagpenge


@dataclass(frozen=True)
class BarEvent:
    """A dated event (release, termination) or a period (benefits, citizenship).

    `person` tells household members apart for joining benefit periods ("" = the applicant
    or unknown: all periods without a person are read as one person's, the stricter reading).
    """

    kind: BarKind
    date: dt.date
    end: dt.date | None = None  # last day of a period; None while it lasts
    benefit: Benefit | None = None
    person: str = ""

    def __post_init__(self) -> None:
        if self.kind is BarKind.BENEFITS and self.benefit is None:
            raise ValueError("a benefit period needs the benefit")
        if self.end is not None and self.end < self.date:
            raise ValueError("a period cannot end before it starts")

    @classmethod
    def from_values(
        cls,
        kind: str,
        date: dt.date,
        end: dt.date | None = None,
        benefit: str | None = None,
        person: str = "",
    ) -> BarEvent:
        """From stored values: the end only for period kinds, the benefit only for benefits."""
        k = BarKind(kind)
        return cls(
            k,
            date,
            end=end if k in PERIOD_KINDS else None,
            benefit=Benefit(benefit) if k is BarKind.BENEFITS and benefit else None,
            person=person,
        )


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


def listed_benefits(area: AreaKind, on: dt.date) -> frozenset[Benefit]:
    """The benefits that bar allocation to `area` on `on` (from :mod:`anvis_core.law`)."""
    return frozenset(Benefit(b) for b in law.bar_rules(on).benefits[area.value])


def benefit_spells(
    events: Iterable[BarEvent], benefits: frozenset[str], join: bool = True
) -> list[tuple[str, dt.date, dt.date | None]]:
    """(person, first day, last day or None) of each spell of the given benefits: periods of
    one person that overlap or touch are joined when `join` (the law's "one or more of")."""
    by_person: dict[str, list[BarEvent]] = defaultdict(list)
    for e in events:
        if e.kind is BarKind.BENEFITS and e.benefit is not None and e.benefit.value in benefits:
            by_person[e.person].append(e)
    spells: list[tuple[str, dt.date, dt.date | None]] = []
    for person, periods in by_person.items():
        periods.sort(key=lambda e: e.date)
        if not join:
            spells += [(person, e.date, e.end) for e in periods]
            continue
        start, end = periods[0].date, periods[0].end
        for e in periods[1:]:
            if end is not None and e.date > end + dt.timedelta(days=1):
                spells.append((person, start, end))
                start, end = e.date, e.end
            elif end is not None:
                end = None if e.end is None else max(end, e.end)
        spells.append((person, start, end))
    return spells


def bar_intervals(
    events: Iterable[BarEvent], area: AreaKind, rules: law.BarRules
) -> list[BarInterval]:
    """The days on which the events bar allocation to `area` under `rules`."""
    items = list(events)
    out: list[BarInterval] = []
    kinds = rules.events[area.value]
    for e in items:
        if e.kind is BarKind.BENEFITS or e.kind.value not in kinds:
            continue
        if e.kind is BarKind.NON_EU_CITIZEN:
            out.append(BarInterval(e.kind, e.date, e.end))
        else:
            out.append(BarInterval(e.kind, e.date, add_months(e.date, rules.event_months)))
    spells = benefit_spells(items, rules.benefits[area.value], rules.join_benefit_periods)
    for _person, start, end in spells:
        first = add_months(start, rules.benefit_months)
        if end is not None and end < first:
            continue  # the benefits stopped before six consecutive months were reached
        out.append(BarInterval(BarKind.BENEFITS, first, end))
    return sorted(out, key=lambda iv: iv.first_day)


def bar_status(
    events: Iterable[BarEvent],
    area: AreaKind,
    on: dt.date,
    rules: law.BarRules | None = None,
) -> BarStatus:
    """Whether allocation to `area` is barred on `on`, and until which day.

    `rules` defaults to the version of the law in force on `on` (the day of the anvisning).
    `until` chains overlapping and adjacent intervals: if a second bar starts before the first
    ends, the citizen is barred through the end of the later one.
    """
    rules = rules or law.bar_rules(on)
    intervals = bar_intervals(events, area, rules)
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


def bar_statuses(
    events: Iterable[BarEvent], on: dt.date, rules: law.BarRules | None = None
) -> dict[AreaKind, BarStatus]:
    items = list(events)
    rules = rules or law.bar_rules(on)
    return {area: bar_status(items, area, on, rules) for area in AreaKind}
