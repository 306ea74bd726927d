"""Demo monitoring data: ten years of indicators for every department, the 1 December lists
for the last five years, and ten years of municipal placements.

Each department gets a latent deprivation level (older 1960–79 estates and cheap rents score
higher, most departments are calm, a tail is not), a slow trend and yearly noise, so that a few
departments cross the legal thresholds, more come near them, and small departments (under 100
residents or 50 households) are suppressed. Designations are given to larger departments that
meet the criteria in the data behind each list. Placements follow the estimated lettings
(dwellings × move-out rate) times a municipal share that is lower in deprived departments.
Rows are written with COPY (PostgreSQL) or executemany (SQLite), so the national scale loads fast.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.utils import timezone

from anvis.demo.bulk import reset_sequences, write_rows
from anvis.demo.context import DemoContext
from anvis.monitoring import compute
from anvis.monitoring.models import AreaDesignation, DepartmentIndicators, MunicipalPlacement
from anvis.stock.models import Department, Dwelling
from anvis_core.composition import (
    IndicatorValues,
    area_rules,
    is_suppressed,
    latest_list_year,
    official_list_kinds,
)
from anvis_core.composition.placements import window_start
from anvis_core.matching.model import CapState

YEARS = 10

IND_COLUMNS = [
    "id", "department_id", "year", "residents", "households", "outside_work_education",
    "basic_schooling_only", "income_relative_region", "convictions_relative_national",
    "non_western", "move_out_rate", "public_support", "suppressed",
]  # fmt: skip
PLACEMENT_COLUMNS = [
    "id", "dwelling_id", "entrance_id", "department_id", "placed_on", "moved_out_on", "outcome",
    "case_ref", "created_at",
]  # fmt: skip


def _clip(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def _pct(value: float) -> Decimal:
    return Decimal(f"{_clip(value, 0, 100):.1f}")


def _profile(rng: random.Random, build_year: int | None, rent_m2: float, family: float) -> float:
    if rng.random() < 0.12:  # a band of departments near the thresholds
        return rng.uniform(0.46, 0.62)
    level = rng.random() ** 5
    if build_year and 1960 <= build_year < 1980:
        level += 0.12
    level += _clip((850 - rent_m2) / 1500, -0.08, 0.12)
    level *= 0.6 + 0.4 * family
    return _clip(level, 0.0, 0.98)


def _year_values(rng: random.Random, s: float, youth: float) -> dict[str, Decimal]:
    g = rng.gauss
    return {
        "outside_work_education": _pct(12 + 38 * s + g(0, 2.0)),
        "basic_schooling_only": _pct(22 + 45 * s + g(0, 2.5)),
        "income_relative_region": Decimal(f"{_clip(98 - 50 * s + g(0, 2.5), 20, 150):.1f}"),
        "convictions_relative_national": Decimal(
            f"{_clip(0.5 + 3.0 * s**1.5 + g(0, 0.15), 0, 20):.2f}"
        ),
        "non_western": _pct(4 + 55 * s**1.3 + g(0, 2.5)),
        "move_out_rate": _pct(8 + 8 * s + 28 * youth + g(0, 1.0)),
        "public_support": _pct(18 + 40 * s + g(0, 2.0)),
    }


def load(ctx: DemoContext) -> None:
    rng = ctx.rng_for("monitoring")
    today = ctx.today
    last_year = today.year - 1
    years = list(range(last_year - YEARS + 1, last_year + 1))
    per_dept = _dwellings_per_department(ctx.data.get("stock"))
    build_years = dict(Department.objects.values_list("pk", "build_year"))
    indicator_rows, values_by, levels = _indicators(rng, years, per_dept, build_years)
    write_rows(DepartmentIndicators, IND_COLUMNS, indicator_rows)
    designation_rows = _designations(latest_list_year(today), values_by, levels)
    write_rows(
        AreaDesignation,
        ["id", "department_id", "list_year", "kind"],
        [(i + 1, *row) for i, row in enumerate(designation_rows)],
    )
    placement_rows = _placements(
        rng, today, per_dept, levels, years, ctx.data.get("agreement_caps", [])
    )
    write_rows(MunicipalPlacement, PLACEMENT_COLUMNS, placement_rows)
    reset_sequences([DepartmentIndicators, AreaDesignation, MunicipalPlacement])
    result = compute.recompute(on_date=today)
    ctx.log(
        f"  monitoring: {len(indicator_rows)} indicator rows "
        f"({sum(1 for r in indicator_rows if r[-1])} suppressed), "
        f"{len(designation_rows)} designations, {len(placement_rows)} placements; "
        f"statuses {dict(sorted(result.by_status.items()))}"
    )


def _dwelling_rows(stock: dict[str, list[tuple[Any, ...]]] | None) -> Iterable[tuple[Any, ...]]:
    """(pk, entrance, department, type, area, rent) of every dwelling by pk: from the rows the
    stock loader wrote when it ran before (the national stock is 590,000 dwellings, read back
    in seconds), otherwise from the database."""
    if stock is None:
        return Dwelling.objects.values_list(
            "pk", "entrance_id", "entrance__department_id", "dwelling_type", "area_m2", "rent"
        ).order_by("pk")
    department_of = {row[0]: row[1] for row in stock["entrances"]}
    return sorted(
        (row[0], row[1], department_of[row[1]], row[4], row[6], row[7])
        for row in stock["dwellings"]
    )


def _dwellings_per_department(
    stock: dict[str, list[tuple[Any, ...]]] | None = None,
) -> dict[int, dict[str, Any]]:
    """Count, area, rent, family and youth dwellings and the (dwelling, entrance) units."""
    per_dept: dict[int, dict[str, Any]] = defaultdict(
        lambda: {"n": 0, "area": 0, "rent": 0, "family": 0, "youth": 0, "units": []}
    )
    for pk, entrance, dept, dtype, area, rent in _dwelling_rows(stock):
        d = per_dept[dept]
        d["n"] += 1
        d["area"] += area
        d["rent"] += rent
        d["family"] += dtype == "family"
        d["youth"] += dtype == "youth"
        d["units"].append((pk, entrance))
    return per_dept


def _indicators(
    rng: random.Random,
    years: list[int],
    per_dept: dict[int, dict[str, Any]],
    build_years: dict[int, int | None],
) -> tuple[list[tuple[Any, ...]], dict[tuple[int, int], IndicatorValues], dict[int, list[float]]]:
    """Ten years of indicator rows per department, from a latent level with a trend; returns the
    rows, the values by (department, year) and each department's yearly levels."""
    indicator_rows: list[tuple[Any, ...]] = []
    values_by: dict[tuple[int, int], IndicatorValues] = {}
    levels: dict[int, list[float]] = {}
    next_id = 1
    for dept in sorted(build_years):
        info = per_dept.get(dept)
        if not info or not info["n"]:
            continue
        n = info["n"]
        rent_m2 = info["rent"] * 12 / max(1, info["area"])
        family = info["family"] / n
        youth = info["youth"] / n
        s0 = _profile(rng, build_years[dept], rent_m2, family)
        trend = rng.gauss(0, 0.012)
        persons = (1.1 if youth > 0.5 else rng.uniform(1.5, 2.0)) * n
        levels[dept] = []
        for i, year in enumerate(years):
            s = _clip(s0 + trend * (i - YEARS + 1) + rng.gauss(0, 0.015), 0, 0.98)
            levels[dept].append(s)
            residents = int(persons * rng.uniform(0.96, 1.04))
            households = int(n * rng.uniform(0.92, 0.99))
            hidden = is_suppressed(residents, households)
            vals = dict.fromkeys(IND_COLUMNS[5:12]) if hidden else _year_values(rng, s, youth)
            row_vals = [vals[c] for c in IND_COLUMNS[5:12]]
            indicator_rows.append((next_id, dept, year, residents, households, *row_vals, hidden))
            next_id += 1
            values_by[(dept, year)] = IndicatorValues(year, residents, households, *row_vals)
    return indicator_rows, values_by, levels


def _designations(
    top_list: int,
    values_by: dict[tuple[int, int], IndicatorValues],
    levels: dict[int, list[float]],
) -> list[tuple[int, int, str]]:
    """The official lists: 1 December of each of the last five years, from the year before."""
    designation_rows: list[tuple[int, int, str]] = []
    parallel_run: dict[int, int] = defaultdict(int)
    for list_year in range(top_list - 7, top_list + 1):
        for dept in levels:
            current = values_by.get((dept, list_year - 1))
            if current is None or current.suppressed or (current.residents or 0) < 300:
                parallel_run[dept] = 0
                continue
            # The ministry's tests (ethnic criterion included) stand in for the published lists;
            # Anvis's own status never uses them (anvis_core.composition.criteria).
            rules = area_rules(list_year)
            found = official_list_kinds(current, values_by.get((dept, list_year - 2)), rules)
            parallel_run[dept] = parallel_run[dept] + 1 if "parallelsamfund" in found else 0
            kinds = []
            if "udsat" in found:
                kinds.append("udsat")
            if "parallelsamfund" in found:
                kinds.append("parallelsamfund")
                if parallel_run[dept] >= rules.source.omdannelse_years:
                    kinds.append("omdannelse")
            if "forebyggelse" in found:
                kinds.append("forebyggelse")
            if list_year >= top_list - 4:
                designation_rows += [(dept, list_year, kind) for kind in kinds]
    return designation_rows


def _caps_on(
    agreement_caps: Sequence[tuple[dt.date, int | None, int | None]], day: dt.date
) -> tuple[int | None, int | None]:
    """The (stairwell, department) caps of the agreement version in force on ``day``."""
    caps: tuple[int | None, int | None] = (None, None)
    for valid_from, entrance, department in sorted(agreement_caps, key=lambda c: c[0]):
        if valid_from <= day:
            caps = (entrance, department)
    return caps


def _placements(
    rng: random.Random,
    today: dt.date,
    per_dept: dict[int, dict[str, Any]],
    levels: dict[int, list[float]],
    years: list[int],
    agreement_caps: Sequence[tuple[dt.date, int | None, int | None]] = (),
) -> list[tuple[Any, ...]]:
    """Ten years of move-ins, at most one placed household per dwelling at a time, and — from
    the agreement's start — never beyond the stairwell and department caps of the agreement
    version in force (rolling 12 months, the gate's cap rule), so the demo history is one the
    placement gate would have let through."""
    now = timezone.now()
    start = dt.date(today.year - YEARS, today.month, 1)
    span = (today - start).days
    rows: list[tuple[Any, ...]] = []
    counter = 0
    outcomes = [("moved_on", 0.70), ("terminated", 0.12), ("abandoned", 0.06), ("other", 0.12)]
    for dept in sorted(levels):
        info = per_dept[dept]
        n = info["n"]
        youth = info["youth"] / n
        s_mean = sum(levels[dept]) / len(levels[dept])
        yearly = n * (0.10 + 0.28 * youth) * 0.22 * (1 - s_mean) ** 2
        expected = yearly * span / 365
        count = int(expected) + (1 if rng.random() < expected - int(expected) else 0)
        busy_until: dict[int, dt.date] = {}
        placed: list[tuple[dt.date, int]] = []  # (placed_on, entrance) in this department
        days = sorted(rng.randrange(span) for _ in range(count))
        for offset in days:
            placed_on = start + dt.timedelta(days=offset)
            entrance_cap, department_cap = _caps_on(agreement_caps, placed_on)
            since = window_start(placed_on, 12)
            recent = [e for d, e in placed if d >= since]
            if department_cap is not None and CapState(department_cap, len(recent)).reached:
                continue
            for _try in range(3):
                dwelling, entrance = rng.choice(info["units"])
                full = (
                    entrance_cap is not None
                    and CapState(entrance_cap, recent.count(entrance)).reached
                )
                if not full and busy_until.get(dwelling, dt.date.min) < placed_on:
                    break
            else:
                continue
            placed.append((placed_on, entrance))
            stay = int(rng.expovariate(1 / (5 * 365))) + 30
            moved_out = placed_on + dt.timedelta(days=stay)
            if moved_out >= today:
                moved_out_on, outcome = None, "living"
                busy_until[dwelling] = dt.date.max
            else:
                moved_out_on = moved_out
                roll, acc, outcome = rng.random(), 0.0, "other"
                for name, p in outcomes:
                    acc += p
                    if roll < acc:
                        outcome = name
                        break
                busy_until[dwelling] = moved_out
            counter += 1
            ref = f"S-{placed_on.year}-{counter:06d}"
            rows.append(
                (counter, dwelling, entrance, dept, placed_on, moved_out_on, outcome, ref, now)
            )
    del years
    return rows
