"""The quarterly report as a pure function of a snapshot: `build_report(snapshot)`.

Every figure's definition is in docs/reports.md. Periods are the selected quarter and the three
before it; "on a quarter's end" means its last day, or the snapshot's `as_of` day when the
quarter is still running.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from anvis_core.cases.reimbursement import DEFAULT_WARNING_DAYS, Stay, reimbursement_status
from anvis_core.cases.support import DecisionTiming, SupportMethod, check_85a_decision
from anvis_core.composition import add_months
from anvis_core.quotas import LedgerRecord, Quarter
from anvis_core.quotas.ledger import LedgerFigures
from anvis_core.tenancy.events import still_housed

from .snapshot import CaseRow, Snapshot, VacancyRow, d
from .stats import age_band_labels, median, percentile, rent_band, rent_band_labels
from .table import (
    SUPPRESSION_THRESHOLD,
    Cell,
    Chart,
    Kind,
    OrganisationRows,
    Row,
    Table,
    code,
    count,
    money,
    must_suppress,
    share,
    stat,
    text,
)
from .tenancy import outcome_table, retention_organisation_rows, retention_tables, tenancy_rows

RETENTION_MONTHS = (6, 12, 24)
HOUSING_FIRST_BENCHMARK = Decimal(90)
TOP_ROWS = 25


@dataclass(frozen=True)
class Section:
    key: str
    tables: tuple[Table, ...]


@dataclass(frozen=True)
class Report:
    quarter: Quarter
    quarters: tuple[Quarter, ...]
    as_of: dt.date
    agreement: str
    sections: tuple[Section, ...]
    meetings: tuple[dict[str, Any], ...]

    def tables(self) -> list[Table]:
        return [t for s in self.sections for t in s.tables]

    def table(self, key: str) -> Table:
        for t in self.tables():
            if t.key == key:
                return t
        raise KeyError(key)


def _q(quarter: Quarter) -> Cell:
    return text(str(quarter))


def _in(day: dt.date | None, quarter: Quarter) -> bool:
    return day is not None and quarter.start <= day <= quarter.end


def _end(quarter: Quarter, as_of: dt.date) -> dt.date:
    return min(quarter.end, as_of)


def _days(start: dt.date, end: dt.date) -> int:
    return (end - start).days


def _stat_cells(values: list[int]) -> tuple[Cell, Cell]:
    return stat(median(values), len(values)), stat(percentile(values, 90), len(values))


def _fraction(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        Decimal("0.1"), ROUND_HALF_UP
    )


# --- the agreement: ledger, turns, flow ---------------------------------------------------------


@dataclass(frozen=True)
class OrgLedger:
    quarter: LedgerFigures
    cumulative: LedgerFigures
    municipal: int  # municipal turns in the quarter


LedgerCells = dict[tuple[int, dt.date], tuple[LedgerFigures, int]]


def ledger_cells(groups: list[tuple[LedgerRecord, int]]) -> LedgerCells:
    """Figures and municipal turns per (organisation, report date) from grouped turn records."""
    empty = LedgerFigures()
    out: LedgerCells = {}
    for record, n in groups:
        k = (record.organisation_id, record.report_date)
        figures, municipal = out.get(k, (empty, 0))
        out[k] = (
            figures + LedgerFigures.of(replace(record, count=n)),
            municipal + (n if record.municipal else 0),
        )
    return out


def ledger_by_organisation(cells: LedgerCells, quarter: Quarter) -> dict[int, OrgLedger]:
    """The fair-share ledger per organisation for `quarter` and cumulative to its end; the
    same figures as `anvis_core.quotas.compute_ledger` gives for the ungrouped records."""
    return ledger_series(cells, [quarter])[quarter]


def ledger_series(
    cells: LedgerCells, quarters: list[Quarter]
) -> dict[Quarter, dict[int, OrgLedger]]:
    """`ledger_by_organisation` for consecutive quarters, carrying the cumulative figures from
    one quarter to the next instead of summing from the start each time."""
    empty = LedgerFigures()
    first = quarters[0].start
    carried: dict[int, LedgerFigures] = {}
    by_quarter: dict[Quarter, list[tuple[int, LedgerFigures, int]]] = {q: [] for q in quarters}
    bounds = [(q, q.start, q.end) for q in quarters]
    for (k, day), (figures, n_municipal) in cells.items():
        if day < first:
            carried[k] = carried.get(k, empty) + figures
            continue
        for q, start, end in bounds:
            if start <= day <= end:
                by_quarter[q].append((k, figures, n_municipal))
                break
    out: dict[Quarter, dict[int, OrgLedger]] = {}
    for q in quarters:
        in_quarter: dict[int, LedgerFigures] = {}
        municipal: Counter[int] = Counter()
        for k, figures, n_municipal in by_quarter[q]:
            in_quarter[k] = in_quarter.get(k, empty) + figures
            municipal[k] += n_municipal
        for k, figures in in_quarter.items():
            carried[k] = carried.get(k, empty) + figures
        out[q] = {
            k: OrgLedger(in_quarter.get(k, empty), total, municipal[k])
            for k, total in carried.items()
        }
    return out


def _ledger_row(label: Cell, line: OrgLedger) -> tuple[Cell, ...]:
    f = line.quarter
    return (
        label,
        count(f.eligible),
        stat(_fraction(f.expected), f.eligible),
        count(line.municipal),
        count(f.delivered),
        count(f.accepted),
        count(f.declined),
        count(f.expired),
        count(f.pending),
        count(f.withdrawn),
        count(f.handed_back),
        stat(_fraction(line.cumulative.balance), line.cumulative.eligible),
    )


def _top_organisations(organisations: OrganisationRows[Any], *, chart: tuple[int, int]) -> Table:
    """A section's table of organisations, largest first (``organisations.ordered``): the first
    `TOP_ROWS` on a row each, the others together on one row ("the other organisations", and a
    note of how many are shown), then the total. An organisation's own row, shown here or not,
    is `organisations.row(key)`."""
    ordered, part = organisations.ordered, organisations.part
    shown, rest = ordered[:TOP_ROWS], ordered[TOP_ROWS:]
    rows = [part(label, [key]) for label, key in shown]
    if rest:
        rows.append(part(code("org.others"), [key for _label, key in rest]))
    rows.append(organisations.total)
    return Table(
        organisations.key,
        organisations.columns,
        tuple(rows),
        Chart("bar", chart, horizontal=True, rows=len(shown)),
        note="top_organisations" if rest else "",
        note_params={"shown": len(shown), "total": len(ordered)},
    )


def _sum_lines(lines: Iterable[OrgLedger]) -> OrgLedger:
    q, c, m = LedgerFigures(), LedgerFigures(), 0
    for line in lines:
        q, c, m = q + line.quarter, c + line.cumulative, m + line.municipal
    return OrgLedger(q, c, m)


def ledger_organisation_rows(snap: Snapshot, lines: dict[int, OrgLedger]) -> OrganisationRows[int]:
    """The ledger of the quarter per party to the agreement (`lines`: the quarter's
    `ledger_series`), by the organisation's id, most eligible vacancies first."""
    names = {int(k): v for k, v in snap.organisations.items()}
    empty = OrgLedger(LedgerFigures(), LedgerFigures(), 0)
    ordered = sorted(names, key=lambda k: (-lines.get(k, empty).quarter.eligible, names[k], k))
    return OrganisationRows(
        "ledger_organisations",
        (
            "organisation",
            "eligible",
            "expected",
            "municipal_turns",
            "delivered",
            "accepted",
            "declined",
            "expired",
            "pending",
            "withdrawn",
            "handed_back",
            "balance_cumulative",
        ),
        tuple((text(names[k]), k) for k in ordered),
        lambda label, keys: _ledger_row(label, _sum_lines(lines.get(k, empty) for k in keys)),
        _ledger_row(code("total"), _sum_lines(lines.values())),
    )


def _ledger_series(snap: Snapshot) -> dict[Quarter, dict[int, OrgLedger]]:
    return ledger_series(ledger_cells(snap.ledger_groups()), snap.quarters)


def ledger_tables(snap: Snapshot) -> list[Table]:
    series = _ledger_series(snap)
    per_org = _top_organisations(ledger_organisation_rows(snap, series[snap.quarter]), chart=(2, 4))
    # Each quarter's turns as its own report read them (the agreement in force at its end).
    by_quarter = ledger_series(ledger_cells(snap.trend_groups()), snap.quarters)
    trend = []
    for quarter in snap.quarters:
        total = _sum_lines(by_quarter[quarter].values())
        f = total.quarter
        trend.append(
            (
                _q(quarter),
                count(f.eligible),
                count(total.municipal),
                count(f.accepted),
                count(f.declined),
                count(f.expired),
                count(f.pending),
            )
        )
    turns = Table(
        "turns_by_quarter",
        ("quarter", "eligible", "municipal_turns", "accepted", "declined", "expired", "pending"),
        tuple(trend),
        Chart("bar", (3, 4, 5)),
    )
    return [per_org, turns]


FLOW_STAGES: tuple[tuple[str, Callable[[VacancyRow], dt.date | None]], ...] = (
    ("to_acceptance", lambda v: v.accepted_on),
    ("to_offer", lambda v: v.first_offer_on),
    ("to_lease", lambda v: v.lease_signed_on),
    ("to_move_in", lambda v: v.move_in_on),
)


def flow_table(snap: Snapshot) -> Table:
    vacancies = snap.vacancies()
    rows = []
    for quarter in snap.quarters:
        cells: list[Cell] = [_q(quarter)]
        for _key, stage in FLOW_STAGES:
            days = [
                _days(v.report_date, day)
                for v in vacancies
                if (day := stage(v)) is not None and _in(day, quarter)
            ]
            cells.append(stat(median(days), len(days)))
        rows.append(tuple(cells))
    return Table(
        "flow_days",
        ("quarter", *(key for key, _ in FLOW_STAGES)),
        tuple(rows),
        Chart("bar", (1, 2, 3, 4)),
    )


# --- allocation: caps and monitoring status ----------------------------------------------------


def cap_tables(snap: Snapshot) -> list[Table]:
    """Placements per department and stairwell in the last 12 months against the cap: the
    units with the most placements, and a note on how many are at or over the cap. The
    suppressed edition lists only units whose count it shows, and its note counts only those
    units (a unit's count under the threshold would otherwise be told by its cap status: with a
    stairwell cap of 1, "at the cap, none over" is exactly one placement)."""
    caps = snap.raw.get("caps", {})
    out = []
    for key, rows_key, cap in (
        ("department_caps", "department_windows", caps.get("department")),
        ("entrance_caps", "entrance_windows", caps.get("entrance")),
    ):
        rows_raw = sorted(snap.raw.get(rows_key, []), key=lambda r: (-r[2], r[0], r[1]))
        rows = []
        for row in rows_raw[:TOP_ROWS]:
            label, parent, n = row[0], row[1], row[2]
            rows.append(
                (
                    text(label),
                    text(parent),
                    count(n),
                    Cell(cap, Kind.STAT),
                    Cell(cap_status(n, cap, _overridden(row)), Kind.CODE, (n,)),
                )
            )
        shown = [r for r in rows_raw if not must_suppress(count(r[2]))]
        out.append(
            Table(
                key,
                ("unit", "parent", "placements_12m", "cap", "cap_status"),
                tuple(rows),
                None,
                note="top_rows",
                note_params={
                    "shown": len(rows),
                    "total": len(rows_raw),
                    **_cap_counts(rows_raw, cap, int),
                },
                ranked_by=2,
                suppressed_note=(
                    "top_rows_suppressed",
                    {
                        "shown": min(len(shown), TOP_ROWS),
                        "total": count(len(rows_raw)),
                        "threshold": SUPPRESSION_THRESHOLD,
                        **_cap_counts(shown, cap, count),
                    },
                ),
            )
        )
    out.append(override_table(snap))
    status = snap.raw.get("department_status", {})
    counts = status.get("counts", {})
    out.append(
        Table(
            "department_status",
            ("status", "departments"),
            tuple(
                (code(f"status.{s}"), count(int(counts.get(s, 0))))
                for s in ("green", "yellow", "red", "unknown")
            ),
            Chart("bar", (1,)),
            note="status_as_of",
            note_params={"as_of": status.get("as_of") or ""},
        )
    )
    return out


# --- waiting list and supply gap ---------------------------------------------------------------


def waiting_on(case: CaseRow, day: dt.date) -> bool:
    """Registered by `day`, not yet housed and not closed on `day`."""
    return (
        case.opened_on <= day
        and (case.housed_on is None or case.housed_on > day)
        and (case.closed_on is None or case.closed_on > day)
    )


def waiting_tables(snap: Snapshot) -> list[Table]:
    cases = snap.cases()
    end = _end(snap.quarter, snap.as_of)
    waiting = [c for c in cases if waiting_on(c, end)]
    return [
        _waiting_trend(snap, cases),
        _waiting_breakdown(
            "waiting_by_situation",
            waiting,
            end,
            lambda c: f"situation.{c.situation}",
            [],
            Kind.CODE,
            rank=_situation_rank,
        ),
        _waiting_breakdown(
            "waiting_by_age", waiting, end, lambda c: c.age_band, age_band_labels(), Kind.TEXT
        ),
        _supply_gap(snap, waiting),
    ]


def _waiting_trend(snap: Snapshot, cases: Sequence[CaseRow]) -> Table:
    """Per quarter: who was waiting at its end and for how long, who registered, who was housed
    and how long it took."""
    trend = []
    for quarter in snap.quarters:
        end = _end(quarter, snap.as_of)
        waits = [_days(c.waiting_since, end) for c in cases if waiting_on(c, end)]
        housed = [
            _days(c.opened_on, c.housed_on)
            for c in cases
            if c.housed_on is not None and _in(c.housed_on, quarter)
        ]
        registered = sum(1 for c in cases if _in(c.opened_on, quarter))
        trend.append(
            (
                _q(quarter),
                count(len(waits)),
                *_stat_cells(waits),
                count(registered),
                count(len(housed)),
                *_stat_cells(housed),
            )
        )
    return Table(
        "waiting_by_quarter",
        (
            "quarter",
            "waiting",
            "median_days",
            "p90_days",
            "registered",
            "housed",
            "median_days_to_housed",
            "p90_days_to_housed",
        ),
        tuple(trend),
        Chart("bar", (1,)),
    )


#: the housing situations from the street towards a home, the order of the table's rows
SITUATIONS = [
    "rough_sleeping",
    "night_shelter",
    "shelter_110",
    "womens_shelter",
    "release_no_address",
    "friends_family",
    "temporary_housing",
]


def _situation_rank(row: tuple[Cell, ...]) -> int:
    situation = str(row[0].value).removeprefix("situation.")
    return SITUATIONS.index(situation) if situation in SITUATIONS else 99


def _waiting_breakdown(
    key: str,
    waiting: Sequence[CaseRow],
    end: dt.date,
    attr: Callable[[CaseRow], str],
    order: list[str],
    kind: Kind,
    rank: Callable[[tuple[Cell, ...]], int] | None = None,
) -> Table:
    """The citizens waiting at `end` by one attribute: how many and how long; the rows in
    `order`, then the other values found, sorted (or by `rank`)."""
    groups: dict[str, list[int]] = defaultdict(list)
    for c in waiting:
        groups[attr(c)].append(_days(c.waiting_since, end))
    labels = order + sorted(k for k in groups if k not in order)
    rows = tuple(
        (Cell(label, kind), count(len(groups[label])), *_stat_cells(groups[label]))
        for label in labels
        if label in groups or label in order
    )
    if rank is not None:
        rows = tuple(sorted(rows, key=rank))
    return Table(
        key,
        ("group", "waiting", "median_days", "p90_days"),
        rows,
        Chart("bar", (2,)),
        parts_of_total=(1,),  # the parts of the waiting list's size (`waiting_by_quarter`)
    )


BY_BUDGET = "budget"
BAND_CODES = {"?": "rent.unknown", BY_BUDGET: "rent.budget"}


def _supply_gap(snap: Snapshot, waiting: Sequence[CaseRow]) -> Table:
    """The supply gap: citizens waiting by their maximum rent against dwellings the
    municipality accepted in the quarter by their rent. A household the gate judges on a housing
    budget has no maximum rent (what it can take depends on each dwelling's housing benefit, as
    the case page says): it is counted on its own row, not in a rent band. A snapshot made
    before that was recorded has no such row, so a frozen report shows the rows it was frozen
    with."""
    waiting_bands = Counter(BY_BUDGET if c.by_budget else rent_band(c.max_rent) for c in waiting)
    delivered_bands = Counter(
        rent_band(v.rent) for v in snap.vacancies() if _in(v.accepted_on, snap.quarter)
    )
    labels = [*rent_band_labels(), "?", *([BY_BUDGET] if snap.tells_budget else [])]
    return Table(
        "supply_gap",
        ("rent_band", "waiting_max_rent", "dwellings_delivered"),
        tuple(
            (
                code(BAND_CODES[label]) if label in BAND_CODES else text(label),
                count(waiting_bands[label]),
                count(delivered_bands[label]),
            )
            for label in labels
        ),
        Chart("bar", (1, 2)),
        parts_of_total=(1,),  # the waiting list again, by maximum rent
    )


# --- money -------------------------------------------------------------------------------------


LeaseLine = tuple[str, dt.date, int, Decimal]  # organisation, run ended, days, void rent
ClaimLine = tuple[str, dt.date, int]  # organisation, decided, amount


def _money_lines(snap: Snapshot) -> tuple[list[LeaseLine], list[ClaimLine]]:
    leases = [
        (str(o), dt.date.fromisoformat(s), int(days), Decimal(amount))
        for o, s, days, amount in snap.raw.get("leases", [])
    ]
    claims = [
        (str(o), dt.date.fromisoformat(day), int(amount))
        for o, day, amount in snap.raw.get("claims", [])
    ]
    return leases, claims


def money_organisation_rows(
    snap: Snapshot, leases: list[LeaseLine], claims: list[ClaimLine]
) -> OrganisationRows[str]:
    """Void rent of runs ended and guarantee claims paid in the quarter per organisation with
    any, by the organisation's name (the snapshot's money lines carry names), most money
    first."""
    void_q = [x for x in leases if _in(x[1], snap.quarter) and x[2] > 0]
    paid_q = [x for x in claims if _in(x[1], snap.quarter)]
    orgs = sorted({x[0] for x in void_q} | {x[0] for x in paid_q})

    def row(label: Cell, void: list[LeaseLine], paid: list[ClaimLine]) -> Row:
        return (
            label,
            count(len(void)),
            stat(sum(x[2] for x in void), len(void)),
            money(sum((x[3] for x in void), Decimal(0)), len(void)),
            count(len(paid)),
            money(sum(x[2] for x in paid), len(paid)),
        )

    totals = {
        org: sum((x[3] for x in void_q if x[0] == org), Decimal(0))
        + sum(x[2] for x in paid_q if x[0] == org)
        for org in orgs
    }
    ordered = sorted(orgs, key=lambda o: (-totals[o], o))

    def part(label: Cell, keys: Sequence[str]) -> Row:
        mine = set(keys)
        return row(label, [x for x in void_q if x[0] in mine], [x for x in paid_q if x[0] in mine])

    return OrganisationRows(
        "money_organisations",
        (
            "organisation",
            "void_rent_leases",
            "void_rent_days",
            "void_rent_paid",
            "claims_paid",
            "claims_paid_amount",
        ),
        tuple((text(org), org) for org in ordered),
        part,
        row(code("total"), void_q, paid_q),
    )


def money_tables(snap: Snapshot) -> list[Table]:
    leases, claims = _money_lines(snap)
    per_org = _top_organisations(money_organisation_rows(snap, leases, claims), chart=(3, 5))
    trend = []
    for quarter in snap.quarters:
        mine = [x for x in leases if _in(x[1], quarter) and x[2] > 0]
        paid = [x for x in claims if _in(x[1], quarter)]
        trend.append(
            (
                _q(quarter),
                money(sum((x[3] for x in mine), Decimal(0)), len(mine)),
                money(sum(x[2] for x in paid), len(paid)),
            )
        )
    by_quarter = Table(
        "money_by_quarter",
        ("quarter", "void_rent_paid", "claims_paid_amount"),
        tuple(trend),
        Chart("bar", (1, 2)),
    )
    return [per_org, by_quarter]


# --- outcomes ----------------------------------------------------------------------------------


def retained(
    placed_on: dt.date, moved_out_on: dt.date | None, outcome: str, months: int
) -> bool | None:
    """Still housed `months` after moving in: no move-out before the anniversary, or a planned
    move on (a move to another home counts as housed); False when the home was lost before it
    (`anvis_core.tenancy.events.outcome_is_loss`, the rule of every retention figure); None
    when the placement ended before it without either (a death): it is left out of the cohort."""
    return _kept(add_months(placed_on, months), moved_out_on, outcome)


def _kept(anniversary: dt.date, moved_out_on: dt.date | None, outcome: str) -> bool | None:
    if moved_out_on is None or moved_out_on >= anniversary:
        return True
    return still_housed(outcome)


def retention_table(snap: Snapshot) -> Table:
    # (anniversary, retained, number of placements) per placement group and horizon, once.
    marks: dict[int, list[tuple[dt.date, bool | None, int]]] = {}
    for months in RETENTION_MONTHS:
        marks[months] = []
        for placed, out, outcome, n in snap.placement_groups():
            day = add_months(placed, months)
            marks[months].append((day, _kept(day, out, outcome), n))
    rows = []
    for quarter in snap.quarters:
        start, end = quarter.start, _end(quarter, snap.as_of)
        cells: list[Cell] = [_q(quarter)]
        for months in RETENTION_MONTHS:
            cohort = [
                (kept, n)
                for day, kept, n in marks[months]
                if start <= day <= end and kept is not None
            ]
            cells.append(share(sum(n for kept, n in cohort if kept), sum(n for _k, n in cohort)))
        rows.append(tuple(cells))
    return Table(
        "retention",
        ("quarter", *(f"retention_{m}" for m in RETENTION_MONTHS)),
        tuple(rows),
        Chart("line", (1, 2, 3), reference=HOUSING_FIRST_BENCHMARK),
    )


def reentries(cases: Iterable[CaseRow]) -> list[CaseRow]:
    """Cases opened after an earlier case of the same citizen ended in a home (housed)."""
    by_citizen: dict[int, list[CaseRow]] = defaultdict(list)
    for c in cases:
        by_citizen[c.citizen].append(c)
    out = []
    for own in by_citizen.values():
        for c in own:
            if any(
                o is not c and o.housed_on is not None and o.housed_on < c.opened_on for o in own
            ):
                out.append(c)
    return out


def returns_table(snap: Snapshot) -> Table:
    cases = snap.cases()
    again = reentries(cases)
    rows = []
    for quarter in snap.quarters:
        opened = sum(1 for c in cases if _in(c.opened_on, quarter))
        back = sum(1 for c in again if _in(c.opened_on, quarter))
        rows.append((_q(quarter), count(opened), count(back), share(back, opened)))
    return Table(
        "returns",
        ("quarter", "cases_opened", "returns", "returns_share"),
        tuple(rows),
        Chart("bar", (2,)),
    )


def _stays(snap: Snapshot) -> dict[int, list[Stay]]:
    out: dict[int, list[Stay]] = defaultdict(list)
    for citizen, admitted, discharged in snap.raw.get("stays", []):
        out[int(citizen)].append(Stay(dt.date.fromisoformat(admitted), d(discharged)))
    return out


def shelter_table(snap: Snapshot) -> Table:
    stays = _stays(snap)
    # The municipality's warning margin, as its case pages warn (snapshots from before it was
    # gathered were built with the default).
    warning_days = int(snap.raw.get("shelter_warning_days", DEFAULT_WARNING_DAYS))
    rows = []
    for quarter in snap.quarters:
        end = _end(quarter, snap.as_of)
        days_total = 0
        citizens = 0
        running = warning = exceeded = 0
        for own in stays.values():
            days = {day for s in own for day in s.days(end) if day >= quarter.start}
            if days:
                citizens += 1
                days_total += len(days)
            status = reimbursement_status(own, end, warning_days=warning_days)
            if status.year is not None:
                running += 1
                exceeded += int(status.exceeded)
                warning += int(status.warning and not status.exceeded)
        rows.append(
            (
                _q(quarter),
                stat(days_total, citizens),
                count(citizens),
                count(running),
                count(warning),
                count(exceeded),
            )
        )
    return Table(
        "shelter",
        (
            "quarter",
            "shelter_days",
            "citizens_in_shelter",
            "running_years",
            "near_cap",
            "over_cap",
        ),
        tuple(rows),
        Chart("bar", (1,)),
    )


def support_table(snap: Snapshot) -> Table:
    stays = _stays(snap)
    decisions = [
        (int(c), dt.date.fromisoformat(day), SupportMethod(method))
        for c, day, method in snap.raw.get("decisions_85a", [])
    ]
    rows = []
    for quarter in snap.quarters:
        timings = Counter(
            check_85a_decision(method, day, stays.get(c, [])).timing
            for c, day, method in decisions
            if _in(day, quarter)
        )
        before = timings[DecisionTiming.BEFORE_DISCHARGE]
        after = timings[DecisionTiming.AFTER_DISCHARGE]
        rows.append(
            (
                _q(quarter),
                count(sum(timings.values())),
                count(before),
                count(after),
                share(before, before + after),
            )
        )
    return Table(
        "support_85a",
        ("quarter", "decisions", "before_discharge", "after_discharge", "share_before"),
        tuple(rows),
        Chart("bar", (4,)),
    )


def _overridden(row: Sequence[Any]) -> int:
    """Placements in the window made on an offer with a recorded override (fourth column of a
    window row; older snapshots have none)."""
    return int(row[3]) if len(row) > 3 else 0


def _cap_counts(
    rows: Sequence[Sequence[Any]], cap: int | None, as_figure: Callable[[int], Any]
) -> dict[str, Any]:
    """How many of the window rows are at or over the cap, over it, and over it only by
    recorded overrides (the cap tables' note)."""
    over = [r for r in rows if cap is not None and r[2] > cap]
    return {
        "at_cap": as_figure(sum(1 for r in rows if cap is not None and r[2] >= cap)),
        "over_cap": as_figure(len(over)),
        "over_cap_overridden": as_figure(sum(1 for r in over if _overridden(r))),
    }


def cap_status(placed: int, cap: int | None, overridden: int) -> str:
    """Below the cap, at it, or over it — and whether being over it rests on recorded
    overrides by the allocation lead (the placement gate lets nothing else through)."""
    if cap is None or placed < cap:
        return "cap.room"
    if placed == cap:
        return "cap.reached"
    return "cap.over_overridden" if placed - overridden <= cap else "cap.over"


def override_table(snap: Snapshot) -> Table:
    """Offers on which the allocation lead overrode an agreement rule (cap, closure, term),
    per rule and quarter of the offer."""
    overrides = [
        (dt.date.fromisoformat(day), str(rule)) for day, rule in snap.raw.get("overrides", [])
    ]
    rules = sorted({rule for _day, rule in overrides})
    rows = [
        (
            code(f"rule.{rule}"),
            *(
                count(sum(1 for day, r in overrides if r == rule and _in(day, q)))
                for q in snap.quarters
            ),
        )
        for rule in rules
    ]
    return Table(
        "overrides_by_rule", ("rule", *(f"q:{q}" for q in snap.quarters)), tuple(rows), None
    )


# --- declines and fairness ---------------------------------------------------------------------


def decline_tables(snap: Snapshot) -> list[Table]:
    declines = [
        (dt.date.fromisoformat(day), str(r), str(s)) for day, r, s in snap.raw.get("declines", [])
    ]
    reasons = sorted({(s, r) for _day, r, s in declines})
    rows = []
    for side, reason in reasons:
        cells: list[Cell] = [code(f"side.{side}"), code(f"reason.{reason}")]
        for quarter in snap.quarters:
            cells.append(
                count(
                    sum(
                        1
                        for x in declines
                        if x[1] == reason and x[2] == side and _in(x[0], quarter)
                    )
                )
            )
        rows.append(tuple(cells))
    last = 1 + len(snap.quarters)
    by_reason = Table(
        "declines_by_reason",
        ("side", "reason", *(f"q:{q}" for q in snap.quarters)),
        tuple(rows),
        Chart("bar", (last,), horizontal=True),
    )
    by_side = Table(
        "declines_by_side",
        ("quarter", "client_declined", "provider_declined"),
        tuple(
            (
                _q(q),
                count(sum(1 for x in declines if x[2] == "client" and _in(x[0], q))),
                count(sum(1 for x in declines if x[2] == "provider" and _in(x[0], q))),
            )
            for q in snap.quarters
        ),
        Chart("bar", (1, 2)),
    )
    return [by_side, by_reason]


def active_in(case: CaseRow, quarter: Quarter) -> bool:
    """On the waiting list at some time in the quarter."""
    return (
        case.opened_on <= quarter.end
        and (case.housed_on is None or case.housed_on >= quarter.start)
        and (case.closed_on is None or case.closed_on >= quarter.start)
    )


def fairness_tables(snap: Snapshot) -> list[Table]:
    cases = [c for c in snap.cases() if active_in(c, snap.quarter)]
    out = []
    for key, attr, order, kind in (
        ("fairness_age", lambda c: c.age_band, age_band_labels(), Kind.TEXT),
        ("fairness_sex", lambda c: f"sex.{c.sex}", ["sex.female", "sex.male"], Kind.CODE),
    ):
        groups: dict[str, list[CaseRow]] = defaultdict(list)
        for c in cases:
            groups[attr(c)].append(c)
        labels = order + sorted(k for k in groups if k not in order)
        rows = []
        for label in labels:
            own = groups.get(label, [])
            housed = [c for c in own if _in(c.housed_on, snap.quarter)]
            times = [_days(c.opened_on, c.housed_on) for c in housed if c.housed_on]
            rows.append(
                (
                    Cell(label, kind),
                    count(len(own)),
                    count(len(housed)),
                    share(len(housed), len(own)),
                    stat(median(times), len(times)),
                )
            )
        out.append(
            Table(
                key,
                ("group", "on_list", "housed", "housed_share", "median_days_to_housed"),
                tuple(rows),
                Chart("bar", (3,)),
            )
        )
    return out


def build_report(raw: dict[str, Any]) -> Report:
    """The whole report from a snapshot (see `anvis_core.reports.snapshot`)."""
    snap = Snapshot.load(raw)
    sections = (
        Section("agreement", (*ledger_tables(snap), flow_table(snap))),
        Section("allocation", tuple(cap_tables(snap))),
        Section("waiting", tuple(waiting_tables(snap))),
        Section("money", tuple(money_tables(snap))),
        Section(
            "outcomes",
            (
                *retention_tables(snap),
                outcome_table(snap, _stays(snap)),
                retention_table(snap),
                returns_table(snap),
                shelter_table(snap),
                support_table(snap),
            ),
        ),
        Section("declines", tuple(decline_tables(snap))),
        Section("fairness", tuple(fairness_tables(snap))),
    )
    return Report(
        quarter=snap.quarter,
        quarters=tuple(snap.quarters),
        as_of=snap.as_of,
        agreement=str(raw.get("agreement") or ""),
        sections=sections,
        meetings=tuple(raw.get("meetings", [])),
    )


@dataclass(frozen=True)
class OrganisationFigures:
    """The report's tables of organisations with every organisation on a row of its own: the
    rows the report's tables are made of before it keeps the largest `TOP_ROWS` by name, for
    the governance dialogue of any one organisation. The ledger is kept by the organisation's
    id, the money and the retention by its name, as the snapshot has them."""

    as_of: dt.date
    ledger: OrganisationRows[int]
    money: OrganisationRows[str]
    retention: OrganisationRows[str]

    def tables(self, organisation_id: int, name: str) -> list[Table]:
        """The organisation's own row of each table (ledger, money, retention), as a table of
        one row; a table without a row for it (no figures in it) is left out."""
        own = (
            self.ledger.table(organisation_id),
            self.money.table(name),
            self.retention.table(name),
        )
        return [t for t in own if t is not None]


def organisation_figures(raw: dict[str, Any]) -> OrganisationFigures:
    """The report's organisation rows from a snapshot, by the functions `build_report` makes
    its tables of organisations with (without building the rest of the report)."""
    snap = Snapshot.load(raw)
    return OrganisationFigures(
        as_of=snap.as_of,
        ledger=ledger_organisation_rows(snap, _ledger_series(snap)[snap.quarter]),
        money=money_organisation_rows(snap, *_money_lines(snap)),
        retention=retention_organisation_rows(tenancy_rows(snap), snap.as_of),
    )


def suppressed_report(report: Report) -> Report:
    """The report as it may leave the municipality's own roles."""
    from dataclasses import replace

    from .table import suppress

    sections = tuple(Section(s.key, tuple(suppress(t) for t in s.tables)) for s in report.sections)
    return replace(report, sections=sections)
