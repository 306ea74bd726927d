"""Reads for other apps and for the monitoring pages.

Public API for other apps (matching, the vacancy flow, agreements):

* `department_status_map(on_date) -> dict[department_id, StatusInfo]`: `closed` is True for red
  departments (closed to municipal placements).
* the placements the stairwell and department caps count: `anvis.monitoring.placements`.
* `step_proposals(year) -> list[ProposalRow]`: the proposed step share per department for the
  agreement's yearly reassessment (to be approved by the parties), computed now;
  `step_proposal_list` serves the proposals page from the stored proposals of the coming year.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet

from anvis.common.clock import local_today
from anvis.stock.models import Department, Entrance
from anvis_core.cases.dates import last_start_within
from anvis_core.composition import (
    OWN_INDICATORS,
    WINDOWS,
    Deviation,
    deviation_from_twins,
    estimated_lettings,
    share_percent,
    window_start,
)
from anvis_core.reports.figures import retained
from anvis_core.reports.table import (
    Cell,
    Kind,
    count,
    nested_counts,
    suppress_cell,
    suppress_parts,
)

from . import compute
from .compute import assess_departments
from .labels import describe
from .models import (
    VALUE_FIELDS,
    AreaDesignation,
    DepartmentIndicators,
    DepartmentStatus,
    MunicipalPlacement,
    PlacementOutcome,
    Status,
    StepProposal,
)

MIN_TWINS_FOR_MEDIAN = 3


@dataclass(frozen=True)
class StatusInfo:
    department_id: int
    status: str  # green, yellow, red or unknown
    closed: bool  # red: closed to municipal placements
    reasons: tuple[dict[str, Any], ...]
    indicator_year: int | None
    designations: tuple[str, ...] = ()

    def get_status_display(self) -> str:
        """The status's label, as the stored snapshot row gives it (`_status.html`)."""
        return str(Status(self.status).label)


@dataclass
class _DateStatuses:
    """The statuses of one date computed so far within a `status_memo` block."""

    statuses: dict[int, StatusInfo] = field(default_factory=dict)
    asked: set[int] = field(default_factory=set)  # departments computed (with or without one)
    whole: bool = False  # every department computed


_memo: ContextVar[dict[Any, _DateStatuses] | None] = ContextVar(
    "department_status_memo", default=None
)


@contextmanager
def status_memo() -> Iterator[None]:
    """Within the block `department_status_map` computes each department's status once per
    set of figures: a later call computes only the departments no earlier call asked for (a
    department's status depends on its own figures alone), and dates judged by the same
    indicator and list years share their statuses (`compute.figures_as_of`); a date with a
    stored snapshot keeps its own. Only for bulk work during which the indicators, the
    designations, the snapshot and the monitoring settings do not change (the demo load): the
    statuses come from those alone."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def department_status_map(
    on_date: dt.date | None = None, department_ids: list[int] | None = None
) -> dict[int, StatusInfo]:
    """Status per department (or of the given ones) on a date: from the stored snapshot when it
    was computed for that date (one query), otherwise computed on read (four queries)."""
    on_date = local_today(on_date)
    memo = _memo.get()
    if memo is None:
        return _status_map(on_date, department_ids)
    known = memo.get(on_date)
    if known is None:
        key = on_date if _snapshot_fresh(on_date) else compute.figures_as_of(on_date)
        known = memo[on_date] = memo.setdefault(key, _DateStatuses())
    if department_ids is None:
        if not known.whole:
            known.statuses, known.whole = _status_map(on_date, None), True
        return dict(known.statuses)
    if not known.whole:
        missing = sorted(set(department_ids) - known.asked)
        if missing:
            known.statuses.update(_status_map(on_date, missing))
            known.asked.update(missing)
    statuses = known.statuses
    return {dept: statuses[dept] for dept in department_ids if dept in statuses}


def _snapshot_fresh(on_date: dt.date) -> bool:
    """Whether the stored snapshot was computed for that date (one query)."""
    stored = DepartmentStatus.objects.aggregate(
        total=Count("pk"), fresh=Count("pk", filter=Q(as_of=on_date))
    )
    return bool(stored["total"]) and stored["fresh"] == stored["total"]


def _status_map(on_date: dt.date, department_ids: list[int] | None) -> dict[int, StatusInfo]:
    snapshot = DepartmentStatus.objects.filter(as_of=on_date)
    if department_ids is not None:
        snapshot = snapshot.filter(department_id__in=department_ids)
    if _snapshot_fresh(on_date):
        return {
            dept: StatusInfo(dept, status, status == "red", tuple(reasons), year, tuple(kinds))
            for dept, status, reasons, year, kinds in snapshot.values_list(
                "department_id", "status", "reasons", "indicator_year", "designations"
            )
        }
    out = {}
    for dept, c in assess_departments(on_date, department_ids).items():
        status = c.assessment.status.value
        reasons = tuple({"code": r.code, "params": dict(r.params)} for r in c.assessment.reasons)
        out[dept] = StatusInfo(
            dept, status, status == "red", reasons, c.assessment.year, c.designations
        )
    return out


def with_status(on_date: dt.date, statuses: list[str]) -> Q:
    """The departments whose status on a date (`department_status_map`) is one of `statuses`,
    for a list filter: on the stored snapshot when it was computed for that day, otherwise by
    the statuses computed for it."""
    if _snapshot_fresh(on_date):
        return Q(monitoring_status__status__in=statuses)
    wanted = set(statuses)
    return Q(pk__in=[d for d, i in department_status_map(on_date).items() if i.status in wanted])


@dataclass(frozen=True)
class ProposalRow:
    department_id: int
    organisation_id: int
    organisation_name: str
    department_number: str
    department_name: str
    status: str
    level: str  # red, yellow, green or strong
    share: Decimal  # proposed municipal share in percent
    reason_code: str
    reason_params: dict[str, Any]
    status_reason_codes: tuple[dict[str, Any], ...] = ()

    @property
    def status_reasons(self) -> tuple[str, ...]:
        """The status reasons as translated text (built when shown, for the rows on a page)."""
        return tuple(describe(r.get("code", ""), r.get("params")) for r in self.status_reason_codes)

    @property
    def reason(self) -> str:
        """The proposal and its grounds as translated text."""
        return " ".join((describe(self.reason_code, self.reason_params), *self.status_reasons))


@dataclass
class ProposalList:
    """The proposals of a year that a user may see, filtered: `rows` is a queryset of stored
    proposals (turned into `ProposalRow` per page by `proposal_rows`) or a list of computed
    rows; `levels` counts the proposals per level before the level filter."""

    year: int
    stored: bool
    rows: Any
    levels: dict[str, int]


def _proposal_departments(user: Any) -> QuerySet[Department]:
    depts = Department.objects.select_related("organisation").order_by(
        "organisation__name", "number"
    )
    return depts.restrict(user) if user is not None else depts


def step_proposals(year: int, user: Any = None) -> list[ProposalRow]:
    """Proposed step shares for the reassessment of `year`, computed now: indicators up to
    `year − 1` and the list of 1 December `year − 1`. With `user`, only the departments that
    user may see."""
    on_date = dt.date(year, 1, 1)
    dept_list = list(_proposal_departments(user))
    computed = assess_departments(on_date, [d.pk for d in dept_list])
    rows = []
    for d in dept_list:
        c = computed[d.pk]
        rows.append(
            _proposal_row(
                d,
                status=c.assessment.status.value,
                level=c.proposal.level,
                share=c.proposal.share,
                reason={"code": c.proposal.reason.code, "params": dict(c.proposal.reason.params)},
                status_reasons=[
                    {"code": r.code, "params": dict(r.params)} for r in c.assessment.reasons
                ],
            )
        )
    return rows


def _proposal_row(
    department: Department,
    *,
    status: str,
    level: str,
    share: Decimal,
    reason: dict[str, Any],
    status_reasons: list[dict[str, Any]],
) -> ProposalRow:
    return ProposalRow(
        department_id=department.pk,
        organisation_id=department.organisation_id,
        organisation_name=department.organisation.name,
        department_number=department.number,
        department_name=department.name,
        status=status,
        level=level,
        share=share,
        reason_code=reason.get("code", ""),
        reason_params=reason.get("params") or {},
        status_reason_codes=tuple(status_reasons),
    )


def stored_proposals_cover(year: int) -> bool:
    """True when the last recompute stored the proposals of `year` for every department."""
    stored = StepProposal.objects.filter(year=year).count()
    return stored > 0 and stored == Department.objects.count()


def step_proposal_list(year: int, user: Any, *, level: str = "", search: str = "") -> ProposalList:
    """The proposals page's data: the stored proposals when the last recompute wrote this year
    (the coming year), otherwise computed on request. `search` matches the organisation's or
    the department's name or the department number."""
    if stored_proposals_cover(year):
        qs = StepProposal.objects.filter(year=year).restrict(user)
        if search:
            qs = qs.filter(
                Q(department__organisation__name__icontains=search)
                | Q(department__name__icontains=search)
                | Q(department__number__iexact=search)
            )
        stored: dict[str, int] = dict(qs.values_list("level").annotate(n=Count("pk")).order_by())
        if level:
            qs = qs.filter(level=level)
        qs = qs.select_related("department__organisation").order_by(
            "department__organisation__name", "department__number"
        )
        return ProposalList(year, True, qs, stored)
    rows = step_proposals(year, user=user)
    if search:
        needle = search.casefold()
        rows = [
            r
            for r in rows
            if needle in r.organisation_name.casefold()
            or needle in r.department_name.casefold()
            or needle == r.department_number.casefold()
        ]
    counted: dict[str, int] = defaultdict(int)
    for r in rows:
        counted[r.level] += 1
    if level:
        rows = [r for r in rows if r.level == level]
    return ProposalList(year, False, rows, dict(counted))


def proposal_rows(items: Any) -> list[ProposalRow]:
    """Rows for one page of a `ProposalList`: stored proposals become `ProposalRow`s."""
    out = []
    for item in items:
        if isinstance(item, ProposalRow):
            out.append(item)
            continue
        out.append(
            _proposal_row(
                item.department,
                status=item.status,
                level=item.level,
                share=item.share,
                reason=item.reason,
                status_reasons=item.status_reasons,
            )
        )
    return out


def department_list(user: Any) -> QuerySet[Department]:
    return (
        Department.objects.restrict(user)
        .select_related("organisation", "monitoring_status")
        .order_by("organisation__name", "number")
    )


# --- the department page -----------------------------------------------------------------


@dataclass
class EntranceRow:
    entrance: Entrance
    dwellings: int
    counts: dict[int, int]
    share_of_dwellings: dict[int, Decimal | None]
    share_of_lettings: dict[int, Decimal | None]


@dataclass
class DepartmentOverview:
    department: Department
    status: StatusInfo | None  # on `as_of`, as the placement gate reads it
    as_of: dt.date
    snapshot: DepartmentStatus | None  # the last recompute: twins and the proposed step
    reasons: list[str]
    proposal: str
    indicators: list[DepartmentIndicators]
    designations: list[AreaDesignation]
    twins: list[Department]
    deviations: list[Deviation]
    entrances: list[EntranceRow]
    totals: EntranceRow | None
    outcomes: list[tuple[str, int]]
    retention_12: tuple[int, int]  # (still housed after 12 months, placed ≥ 12 months ago)
    move_out_rate: Decimal | None
    lettings_note: str = ""
    windows: tuple[int, ...] = field(default=WINDOWS)


def _shares(
    counts: dict[int, int], dwellings: int, rate: Decimal | None
) -> tuple[dict[int, Decimal | None], dict[int, Decimal | None]]:
    by_dwellings = {m: share_percent(counts.get(m, 0), dwellings) for m in WINDOWS}
    by_lettings = {
        m: share_percent(counts.get(m, 0), estimated_lettings(dwellings, m, rate)) for m in WINDOWS
    }
    return by_dwellings, by_lettings


def _twins(
    status: DepartmentStatus | None, indicators: list[DepartmentIndicators]
) -> tuple[list[Department], list[Deviation]]:
    """The department's twin departments and how its indicators deviate from their median."""
    if not status or not status.twin_ids:
        return [], []
    by_id = Department.objects.select_related("organisation").in_bulk(status.twin_ids)
    twins = [by_id[i] for i in status.twin_ids if i in by_id]
    year = status.indicator_year
    if year is None:
        return twins, []
    own = next((i for i in indicators if i.year == year), None)
    twin_rows = DepartmentIndicators.objects.filter(
        department_id__in=status.twin_ids, year=year
    ).values(*VALUE_FIELDS)
    own_values = {f: getattr(own, f) for f in VALUE_FIELDS} if own else {}
    deviations = deviation_from_twins(
        own_values, list(twin_rows), OWN_INDICATORS, min_values=MIN_TWINS_FOR_MEDIAN
    )
    return twins, deviations


def department_overview(
    department: Department, on_date: dt.date | None = None
) -> DepartmentOverview:
    on_date = local_today(on_date)
    # The status on the day is the gate's (`department_status_map`): on 1 December or 1 January
    # a new list or indicator year is in force before the night's recompute.
    current = department_status_map(on_date, [department.pk]).get(department.pk)
    status = DepartmentStatus.objects.filter(department=department).first()
    indicators = list(department.indicators.order_by("year"))
    latest_known = [i for i in indicators if not i.suppressed and i.move_out_rate is not None]
    rate = latest_known[-1].move_out_rate if latest_known else None

    twins, deviations = _twins(status, indicators)
    placements = list(
        MunicipalPlacement.objects.filter(department=department).values_list(
            "entrance_id", "placed_on", "moved_out_on", "outcome"
        )
    )
    starts = {m: window_start(on_date, m) for m in WINDOWS}
    per_entrance: dict[int, dict[int, int]] = defaultdict(lambda: dict.fromkeys(WINDOWS, 0))
    for entrance_id, placed_on, _out, _outcome in placements:
        for m, start in starts.items():
            if start <= placed_on <= on_date:
                per_entrance[entrance_id][m] += 1
    entrances = list(department.entrances.annotate(n=Count("dwellings")).order_by("street"))
    rows = []
    for e in entrances:
        counts = per_entrance[e.pk]
        by_dw, by_let = _shares(counts, e.n, rate)
        rows.append(EntranceRow(e, e.n, counts, by_dw, by_let))
    total_dwellings = sum(r.dwellings for r in rows)
    total_counts = {m: sum(r.counts[m] for r in rows) for m in WINDOWS}
    by_dw, by_let = _shares(total_counts, total_dwellings, rate)
    totals = (
        EntranceRow(entrances[0], total_dwellings, total_counts, by_dw, by_let) if rows else None
    )

    outcome_counts: dict[str, int] = defaultdict(int)
    for _e, _placed, _out, outcome in placements:
        outcome_counts[outcome] += 1
    outcomes = [
        (str(label), outcome_counts.get(value, 0)) for value, label in PlacementOutcome.choices
    ]
    # Followed 12 months by the day: 29 February + 12 months is 28 February (`add_months`).
    cutoff = last_start_within(on_date, 12)
    # The report's anniversary rule: a death is neither kept nor lost, so it is left out.
    kept = [retained(p, o, oc, 12) for _e, p, o, oc in placements if p <= cutoff]
    housed = [k for k in kept if k is not None]

    reasons = [
        describe(r.get("code", ""), r.get("params")) for r in (current.reasons if current else ())
    ]
    proposal = (
        describe(status.proposal_reason.get("code", ""), status.proposal_reason.get("params"))
        if status
        else ""
    )
    return DepartmentOverview(
        department=department,
        status=current,
        as_of=on_date,
        snapshot=status,
        reasons=reasons,
        proposal=proposal,
        indicators=indicators,
        designations=list(department.area_designations.order_by("-list_year", "kind")),
        twins=twins,
        deviations=deviations,
        entrances=rows,
        totals=totals,
        outcomes=outcomes,
        retention_12=(sum(housed), len(housed)),
        move_out_rate=rate,
    )


# --- the placement figures as the viewer may see them --------------------------------------


@dataclass(frozen=True)
class WindowFigures:
    """One window of one stairwell (or the department): placements and their shares."""

    months: int
    placements: Cell
    share_of_dwellings: Cell
    share_of_lettings: Cell


@dataclass(frozen=True)
class PlacementRow:
    entrance: Entrance | None  # None: the department total
    dwellings: int
    windows: tuple[WindowFigures, ...]


@dataclass(frozen=True)
class PlacementFigures:
    """The department page's placement counts: exact, or suppressed by the report's rule for a
    viewer who may not see small counts of citizens (`anvis.permissions.sees_exact_counts`)."""

    entrances: list[PlacementRow]
    total: PlacementRow | None
    outcomes: list[tuple[str, Cell]]
    retained_12: Cell  # still housed after 12 months
    followed_12: Cell  # placed at least 12 months ago
    suppressed: bool = False


def _share_cell(value: Decimal | None, placements: Cell) -> Cell:
    """A share of a placement count: hidden with it (the share and the dwellings, or the
    estimated lettings, shown beside it would give the count away)."""
    return Cell(
        None if placements.suppressed else value, Kind.STAT, suppressed=placements.suppressed
    )


def placement_figures(overview: DepartmentOverview, *, suppressed: bool) -> PlacementFigures:
    """`overview`'s placements per stairwell, outcomes and retention as cells, suppressed under
    5 when `suppressed` (the steering group). A department total is shown beside its
    stairwells, so when one stairwell's count is suppressed, so are the others of that window
    (`suppress_parts`); the outcomes likewise."""

    def rows_of(source: list[EntranceRow]) -> list[dict[int, Cell]]:
        cells = [
            dict(zip(WINDOWS, nested_counts([r.counts.get(m, 0) for m in WINDOWS]), strict=True))
            for r in source
        ]
        if suppressed:
            for m in WINDOWS:
                for row, cell in zip(cells, suppress_parts([c[m] for c in cells]), strict=True):
                    row[m] = cell
        return cells

    def row(r: EntranceRow, cells: dict[int, Cell], entrance: Entrance | None) -> PlacementRow:
        return PlacementRow(
            entrance,
            r.dwellings,
            tuple(
                WindowFigures(
                    m,
                    cells[m],
                    _share_cell(r.share_of_dwellings.get(m), cells[m]),
                    _share_cell(r.share_of_lettings.get(m), cells[m]),
                )
                for m in WINDOWS
            ),
        )

    entrance_rows = [
        row(r, cells, r.entrance)
        for r, cells in zip(overview.entrances, rows_of(overview.entrances), strict=True)
    ]
    total = None
    if overview.totals is not None:
        totals = overview.totals.counts
        cells = dict(zip(WINDOWS, nested_counts([totals.get(m, 0) for m in WINDOWS]), strict=True))
        if suppressed:
            cells = {m: suppress_cell(c) for m, c in cells.items()}
        total = row(overview.totals, cells, None)
    outcome_cells = [count(n) for _label, n in overview.outcomes]
    retained, followed = overview.retention_12
    # "a of b" also tells b - a: the retained count rests on it too (as a share does).
    retained_cell = Cell(retained, Kind.COUNT, (followed, followed - retained))
    followed_cell = count(followed)
    if suppressed:
        outcome_cells = suppress_parts(outcome_cells)
        retained_cell, followed_cell = suppress_cell(retained_cell), suppress_cell(followed_cell)
    return PlacementFigures(
        entrances=entrance_rows,
        total=total,
        outcomes=[
            (label, c) for (label, _n), c in zip(overview.outcomes, outcome_cells, strict=True)
        ],
        retained_12=retained_cell,
        followed_12=followed_cell,
        suppressed=suppressed,
    )


def department_placement_cells(
    status: DepartmentStatus | None, *, suppressed: bool
) -> tuple[Cell, ...]:
    """A department's placements in 12, 24 and 36 months for the department list (empty
    before the first recompute), suppressed under 5 when `suppressed`."""
    values = (
        (None, None, None)
        if status is None
        else (status.placements_12, status.placements_24, status.placements_36)
    )
    cells = nested_counts(values)
    return tuple(suppress_cell(c) for c in cells) if suppressed else cells
