"""Tenancy outcomes for the quarterly report: housing retention as a Kaplan–Meier curve with
censoring, by quarter of move-in, organisation, support method and age band; and per quarter
of move-in the time from case opened to move-in, endings, returns to homelessness and § 110
shelter days in the year before and after the move-in.

Snapshot rows (`tenancies`): [citizen, case opened, move-in, moved out or None, move-out
reason or "", organisation, support method or "", age band at move-in]. A tenancy is followed
from its move-in to the snapshot's `as_of` day; a move-out that is a loss
(`anvis_core.tenancy.events.is_loss`) is an event, any other ending is censored there.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from anvis_core.cases.reimbursement import Stay
from anvis_core.quotas import Quarter
from anvis_core.tenancy.events import MoveOutReason, is_loss
from anvis_core.tenancy.survival import (
    RETENTION_MONTHS,
    Observation,
    horizon_days,
    kaplan_meier,
)

from .snapshot import Snapshot, d
from .stats import age_band_labels, median
from .table import (
    Cell,
    Chart,
    Kind,
    OrganisationRows,
    Table,
    code,
    count,
    format_number,
    stat,
    text,
)

#: Quarters of move-in shown in the retention by cohort (the oldest have the longest follow-up).
COHORT_QUARTERS = 8
SHELTER_WINDOW_DAYS = 365


@dataclass(frozen=True)
class TenancyRow:
    citizen: int
    opened_on: dt.date
    move_in: dt.date
    ended_on: dt.date | None
    reason: str
    organisation: str
    method: str
    age_band: str

    def observation(self, as_of: dt.date) -> Observation:
        if self.ended_on is not None and self.ended_on <= as_of:
            lost = is_loss(MoveOutReason(self.reason)) if self.reason else True
            return Observation((self.ended_on - self.move_in).days, lost)
        return Observation(max(0, (as_of - self.move_in).days), False)


def tenancy_rows(snap: Snapshot) -> list[TenancyRow]:
    return [
        TenancyRow(
            int(c),
            dt.date.fromisoformat(opened),
            dt.date.fromisoformat(move_in),
            d(ended),
            str(reason or ""),
            str(org),
            str(method or ""),
            str(band),
        )
        for c, opened, move_in, ended, reason, org, method, band in snap.raw.get("tenancies", [])
        if dt.date.fromisoformat(move_in) <= snap.as_of
    ]


def _percent(value: float) -> Decimal:
    return (Decimal(str(value)) * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)


def retention_cells(rows: Iterable[TenancyRow], as_of: dt.date) -> list[Cell]:
    """[tenancies, then per horizon: S(t) in % and its 95 % band]. Each estimate rests on the
    group's size, the tenancies still followed at the horizon and the homes lost up to it (where
    nobody was censored, the estimate and the group's size give that number away, as a share
    gives its numerator), so suppression hides an estimate that rests on fewer than 5 of any;
    before anyone is followed that long it is empty."""
    own = list(rows)
    curve = kaplan_meier(r.observation(as_of) for r in own)
    cells: list[Cell] = [count(len(own))]
    for months in RETENTION_MONTHS:
        estimate = curve.at(horizon_days(months))
        if estimate is None:
            cells.append(Cell(None, Kind.SHARE, (len(own), 0)))
            cells.append(Cell(None, Kind.TEXT, (len(own), 0)))
            continue
        bases = (len(own), estimate.at_risk, estimate.events)
        cells.append(Cell(_percent(estimate.survival), Kind.SHARE, bases))
        band = (
            f"{format_number(_percent(estimate.lower), 1)}–"
            f"{format_number(_percent(estimate.upper), 1)} %"
        )
        cells.append(Cell(band, Kind.TEXT, bases))
    return cells


def _columns(first: str) -> tuple[str, ...]:
    out = [first, "tenancies"]
    for months in RETENTION_MONTHS:
        out += [f"km_{months}", f"km_band_{months}"]
    return tuple(out)


def _grouped(
    key: str,
    first: str,
    rows: list[TenancyRow],
    as_of: dt.date,
    group: Callable[[TenancyRow], str],
    order: list[str],
    label: Callable[[str], Cell],
) -> Table:
    groups: dict[str, list[TenancyRow]] = defaultdict(list)
    for r in rows:
        groups[group(r)].append(r)
    labels = [g for g in order if g in groups] + sorted(g for g in groups if g not in order)
    body = [(label(g), *retention_cells(groups[g], as_of)) for g in labels]
    body.append((code("total"), *retention_cells(rows, as_of)))
    return Table(key, _columns(first), tuple(body), Chart("bar", (4, 6)))


def retention_organisation_rows(rows: list[TenancyRow], as_of: dt.date) -> OrganisationRows[str]:
    """Housing retention per organisation with tenancies, by the organisation's name (the
    snapshot's tenancies carry names), in the order of the names."""
    groups: dict[str, list[TenancyRow]] = defaultdict(list)
    for r in rows:
        groups[r.organisation].append(r)
    return OrganisationRows(
        "retention_km_organisation",
        _columns("organisation"),
        tuple((text(g), g) for g in sorted(groups)),
        lambda label, keys: (
            label,
            *retention_cells([r for g in keys for r in groups.get(g, [])], as_of),
        ),
        (code("total"), *retention_cells(rows, as_of)),
    )


def cohort_quarters(as_of: dt.date) -> list[Quarter]:
    """The quarter of `as_of` and the ones before it, `COHORT_QUARTERS` in all, oldest first."""
    cohorts: list[Quarter] = [Quarter.of(as_of)]
    while len(cohorts) < COHORT_QUARTERS:
        cohorts.insert(0, cohorts[0].previous())
    return cohorts


def retention_tables(snap: Snapshot) -> list[Table]:
    rows = tenancy_rows(snap)
    as_of = snap.as_of
    cohorts = cohort_quarters(as_of)
    by_quarter = _grouped(
        "retention_km",
        "move_in_quarter",
        [r for r in rows if r.move_in >= cohorts[0].start],
        as_of,
        lambda r: str(Quarter.of(r.move_in)),
        [str(q) for q in cohorts],
        text,
    )
    # The overall curve uses every tenancy, not only the shown cohorts.
    overall = (code("all_tenancies"), *retention_cells(rows, as_of))
    by_quarter = Table(
        by_quarter.key,
        by_quarter.columns,
        (*by_quarter.rows[:-1], overall),
        Chart("line", (4, 6), reference=Decimal(90), rows=len(by_quarter.rows) - 1),
    )
    # Every organisation on a row of its own (the report lists them all here).
    per_org = retention_organisation_rows(rows, as_of)
    organisation = Table(
        per_org.key,
        per_org.columns,
        (*(per_org.part(label, [g]) for label, g in per_org.ordered), per_org.total),
        Chart("bar", (4, 6)),
    )
    method = _grouped(
        "retention_km_method",
        "support_method",
        rows,
        as_of,
        lambda r: r.method or "none",
        ["cti", "icm", "act", "s85", "s85a", "none"],
        lambda g: code(f"method.{g}"),
    )
    age = _grouped(
        "retention_km_age", "age_band", rows, as_of, lambda r: r.age_band, age_band_labels(), text
    )
    return [by_quarter, organisation, method, age]


def _shelter_days(stays: list[Stay], start: dt.date, end: dt.date) -> int:
    """§ 110 days in [start, end)."""
    days = 0
    for s in stays:
        first = max(s.admitted, start)
        last = min(s.discharged or end, end)
        if last > first:
            days += (last - first).days
    return days


def outcome_table(snap: Snapshot, stays: dict[int, list[Stay]]) -> Table:
    """Per quarter of move-in (the last `COHORT_QUARTERS`): moved in, median days from case opened to move-in, moved out,
    lost the home, evictions, returns (a new case of the citizen after the tenancy ended) and
    § 110 days in the year before and the year after the move-in (tenancies followed a year)."""
    rows = tenancy_rows(snap)
    opened_by_citizen: dict[int, list[dt.date]] = defaultdict(list)
    for c in snap.cases():
        opened_by_citizen[c.citizen].append(c.opened_on)
    body = []
    for quarter in cohort_quarters(snap.as_of):
        own = [r for r in rows if quarter.start <= r.move_in <= quarter.end]
        waits = [(r.move_in - r.opened_on).days for r in own]
        ended = [r for r in own if r.ended_on is not None and r.ended_on <= snap.as_of]
        lost = [r for r in ended if r.observation(snap.as_of).event]
        evicted = [r for r in ended if r.reason == MoveOutReason.EVICTION.value]
        returned = [
            r
            for r in ended
            if r.ended_on is not None
            and any(r.ended_on <= o <= snap.as_of for o in opened_by_citizen.get(r.citizen, []))
        ]
        followed = [r for r in own if (snap.as_of - r.move_in).days >= SHELTER_WINDOW_DAYS]
        window = dt.timedelta(days=SHELTER_WINDOW_DAYS)
        before = sum(
            _shelter_days(stays.get(r.citizen, []), r.move_in - window, r.move_in) for r in followed
        )
        after = sum(
            _shelter_days(stays.get(r.citizen, []), r.move_in, r.move_in + window) for r in followed
        )
        body.append(
            (
                text(str(quarter)),
                count(len(own)),
                stat(median(waits), len(waits)),
                count(len(ended)),
                count(len(lost)),
                count(len(evicted)),
                count(len(returned)),
                count(len(followed)),
                stat(before, len(followed)),
                stat(after, len(followed)),
            )
        )
    return Table(
        "tenancy_outcomes",
        (
            "move_in_quarter",
            "moved_in",
            "median_days_case_to_move_in",
            "moved_out",
            "lost_home",
            "evictions",
            "returns_after_tenancy",
            "followed_a_year",
            "shelter_days_year_before",
            "shelter_days_year_after",
        ),
        tuple(body),
        Chart("bar", (8, 9)),
    )
