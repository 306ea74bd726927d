"""Loading monitoring inputs in a few set-based queries and running the pure core over them.

Which data counts on a date `d`:

* indicators: the latest year not after `d.year − 1` (a year's register figures are published
  during the following year), looking back at most three years; older figures are stale and
  give the status "no data". The year before it is used for the two-year averages.
* designations: the latest imported 1 December list published on or before `d`.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Max, Q, Sum

from anvis.stock.models import Department, Dwelling, DwellingType
from anvis_core.composition import (
    WINDOWS,
    Assessment,
    IndicatorValues,
    StepProposal,
    StructuralFeatures,
    assess,
    find_twins,
    judged_years,
    latest_list_year,
    latest_usable_year,
    propose_step,
    window_start,
)

from .config import MonitoringConfig, monitoring_config
from .models import (
    VALUE_FIELDS,
    AreaDesignation,
    DepartmentIndicators,
    DepartmentStatus,
    MunicipalPlacement,
)
from .models import StepProposal as StoredStepProposal

LOOKBACK_YEARS = 3


def indicator_pairs(
    on_date: dt.date, department_ids: list[int] | None = None
) -> dict[int, tuple[IndicatorValues, IndicatorValues | None]]:
    """For every department with usable figures: (the year it is judged by, the year before or
    None): the latest year within reach that is suppressed or has a criterion value
    (`judged_years`). The year before the oldest year in reach is read too: it is only ever
    the judged year's partner in the two-year averages, so a year is averaged alike on every
    date it is judged on."""
    top = latest_usable_year(on_date)
    oldest = top - LOOKBACK_YEARS
    qs = DepartmentIndicators.objects.filter(year__lte=top, year__gte=oldest - 1)
    if department_ids is not None:
        qs = qs.filter(department_id__in=department_ids)
    columns = ["department_id", "year", "residents", "households", *VALUE_FIELDS]
    by_dept: dict[int, dict[int, tuple[Any, ...]]] = defaultdict(dict)
    for row in qs.values_list(*columns):
        by_dept[row[0]][row[1]] = row[1:]
    names = columns[1:]
    out: dict[int, tuple[IndicatorValues, IndicatorValues | None]] = {}
    for dept, years in by_dept.items():
        values = {
            y: IndicatorValues(**dict(zip(names, row, strict=True))) for y, row in years.items()
        }
        pair = judged_years({y: v for y, v in values.items() if y >= oldest})
        if pair is not None:
            out[dept] = (pair[0], values.get(pair[0].year - 1))
    return out


def designations_on(
    on_date: dt.date, department_ids: list[int] | None = None
) -> tuple[int | None, dict[int, list[str]]]:
    """The latest list year published by `on_date`, and the kinds per department on it."""
    list_year = AreaDesignation.objects.filter(list_year__lte=latest_list_year(on_date)).aggregate(
        y=Max("list_year")
    )["y"]
    if list_year is None:
        return None, {}
    qs = AreaDesignation.objects.filter(list_year=list_year)
    if department_ids is not None:
        qs = qs.filter(department_id__in=department_ids)
    kinds: dict[int, list[str]] = defaultdict(list)
    for dept, kind in qs.values_list("department_id", "kind"):
        kinds[dept].append(kind)
    return list_year, dict(kinds)


def figures_as_of(on_date: dt.date) -> tuple[int, int]:
    """The indicator year and the list year whose figures `assess_departments` judges by on a
    date: the date counts for nothing else, so two dates with the same pair give the same
    statuses."""
    return latest_usable_year(on_date), latest_list_year(on_date)


@dataclass(frozen=True)
class Computed:
    department_id: int
    assessment: Assessment
    proposal: StepProposal
    designations: tuple[str, ...]
    values: IndicatorValues | None


def assess_departments(
    on_date: dt.date,
    department_ids: list[int] | None = None,
    config: MonitoringConfig | None = None,
) -> dict[int, Computed]:
    """Status and step proposal of every department (or the given ones) on a date. 3 queries."""
    config = config or monitoring_config()
    ids = department_ids
    if ids is None:
        ids = list(Department.objects.values_list("pk", flat=True))
    pairs = indicator_pairs(on_date, department_ids)
    list_year, kinds = designations_on(on_date, department_ids)
    out: dict[int, Computed] = {}
    for dept in ids:
        current, previous = pairs.get(dept, (None, None))
        dept_kinds = tuple(sorted(kinds.get(dept, ())))
        a = assess(
            current,
            previous,
            designations=dept_kinds,
            designation_year=list_year,
            margins=config.margins,
        )
        proposal = propose_step(a, current, config.shares, config.strong)
        out[dept] = Computed(dept, a, proposal, dept_kinds, current)
    return out


def structural_features(department_ids: list[int] | None = None) -> list[StructuralFeatures]:
    """Twin features of every department with dwellings, from one grouped query."""
    qs = Dwelling.objects.all()
    if department_ids is not None:
        qs = qs.filter(entrance__department_id__in=department_ids)
    rows = (
        qs.values("entrance__department_id")
        .annotate(
            n=Count("id"),
            area=Sum("area_m2"),
            rent=Sum("rent"),
            small=Count("id", filter=Q(rooms__lte=2)),
            large=Count("id", filter=Q(rooms__gte=4)),
            family=Count("id", filter=Q(dwelling_type=DwellingType.FAMILY)),
        )
        .order_by()
    )
    years = dict(Department.objects.values_list("pk", "build_year"))
    out = []
    for r in rows:
        dept = r["entrance__department_id"]
        n = r["n"]
        out.append(
            StructuralFeatures(
                department_id=dept,
                dwellings=n,
                build_year=years.get(dept),
                rent_per_m2=(r["rent"] * 12 / r["area"]) if r["area"] else None,
                share_small=r["small"] / n,
                share_large=r["large"] / n,
                share_family=r["family"] / n,
            )
        )
    return out


def placement_window_counts(
    on_date: dt.date, windows: tuple[int, ...] = WINDOWS, group: str = "department_id"
) -> dict[int, dict[int, int]]:
    """{group id: {months: placements moved in within the window}} from one grouped query."""
    starts = {m: window_start(on_date, m) for m in windows}
    earliest = min(starts.values())
    annotations = {
        f"w{m}": Count("id", filter=Q(placed_on__gte=start)) for m, start in starts.items()
    }
    rows = (
        MunicipalPlacement.objects.filter(placed_on__gte=earliest, placed_on__lte=on_date)
        .values(group)
        .annotate(**annotations)
        .order_by()
    )
    return {r[group]: {m: r[f"w{m}"] for m in windows} for r in rows}


@dataclass(frozen=True)
class RecomputeResult:
    departments: int
    by_status: dict[str, int]


def recompute(
    *,
    on_date: dt.date,
    config: MonitoringConfig | None = None,
    timings: dict[str, float] | None = None,
) -> RecomputeResult:
    """Rewrite the status snapshot of every department in one transaction.

    `timings`, when given, receives the seconds spent per phase (for the benchmark)."""
    config = config or monitoring_config()
    clock = _Clock(timings)
    computed = assess_departments(on_date, None, config)
    clock.lap("indicators_and_status")
    features = structural_features()
    clock.lap("structural_features")
    twins = find_twins(features, k=config.twins_k)
    clock.lap("twins")
    dwellings = {f.department_id: f.dwellings for f in features}
    placements = placement_window_counts(on_date)
    clock.lap("placement_windows")
    rows = []
    by_status: dict[str, int] = defaultdict(int)
    for dept, c in computed.items():
        counts = placements.get(dept, {})
        by_status[c.assessment.status.value] += 1
        rows.append(
            DepartmentStatus(
                department_id=dept,
                as_of=on_date,
                indicator_year=c.assessment.year,
                status=c.assessment.status.value,
                reasons=[_reason_json(r) for r in c.assessment.reasons],
                udsat=c.assessment.udsat,
                forebyggelse=c.assessment.prevention_level,
                designations=list(c.designations),
                proposed_share=c.proposal.share,
                proposal_level=c.proposal.level,
                proposal_reason=_reason_json(c.proposal.reason),
                dwellings=dwellings.get(dept, 0),
                placements_12=counts.get(12, 0),
                placements_24=counts.get(24, 0),
                placements_36=counts.get(36, 0),
                twin_ids=[t.department_id for t in twins.get(dept, [])],
            )
        )
    clock.lap("build_rows")
    proposal_year = on_date.year + 1
    proposals = [
        StoredStepProposal(
            year=proposal_year,
            department_id=dept,
            computed_on=on_date,
            status=c.assessment.status.value,
            status_reasons=[_reason_json(r) for r in c.assessment.reasons],
            level=c.proposal.level,
            share=c.proposal.share,
            reason=_reason_json(c.proposal.reason),
        )
        for dept, c in assess_departments(dt.date(proposal_year, 1, 1), None, config).items()
    ]
    clock.lap("step_proposals")
    with transaction.atomic():
        DepartmentStatus.objects.all().delete()
        _write_rows(DepartmentStatus, rows)
        StoredStepProposal.objects.all().delete()
        _write_rows(StoredStepProposal, proposals)
    clock.lap("write_snapshot")
    return RecomputeResult(departments=len(rows), by_status=dict(by_status))


def _write_rows(model: Any, rows: list[Any]) -> None:
    """Insert snapshot rows: COPY on PostgreSQL (several times faster), else bulk_create."""
    if connection.vendor != "postgresql":
        model.objects.bulk_create(rows, batch_size=2000)
        return
    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and f.auto_created)]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    json_fields = {f.attname for f in fields if f.get_internal_type() == "JSONField"}
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(
                [
                    json.dumps(getattr(row, f.attname))
                    if f.attname in json_fields
                    else getattr(row, f.attname)
                    for f in fields
                ]
            )


class _Clock:
    def __init__(self, timings: dict[str, float] | None) -> None:
        self.timings = timings
        self.last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        if self.timings is not None:
            self.timings[name] = now - self.last
        self.last = now


def _reason_json(reason: Any) -> dict[str, Any]:
    return {"code": reason.code, "params": dict(reason.params)}
