"""The housing stock as flat numpy arrays: organisations → departments → entrances → dwellings.

`generate_stock` builds a synthetic stock from a few parameters (documented in
docs/simulation.md); `stock_from_dwellings` takes dwellings given one by one (e.g. the
database's stock, converted to `DwellingSpec` by the web layer). `Stock.under_agreement` says
which dwellings the agreement covers: a covered type and a rent within the ceiling, judged by
the two steps of `anvis_core.rent_ceiling.judge_rent_ceiling` (the one judgement the turn engine
and the placement gate also make) on the whole stock's arrays at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from anvis_core.matching.table import needs_mask
from anvis_core.rent_ceiling import CeilingTerms, judged_rent, within_ceiling

from .citizens import STEP_FREE
from .scenario import (
    DwellingSpec,
    DwellingTypeSpec,
    ExplicitStockSpec,
    RegimeSpec,
    SyntheticStockSpec,
)

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

MAX_ROOMS = 1000
"""The most rooms a drawn dwelling has: more than any real one (its area is the table's last row
from there on anyway), and a drawn number beyond 64 bits would overflow."""


@dataclass(frozen=True, eq=False)
class Stock:
    organisations: tuple[str, ...]
    departments: tuple[str, ...]
    department_organisation: IntArray
    department_step: tuple[str, ...] | None
    entrances: tuple[str, ...] | None
    n_entrances: int
    type_names: tuple[str, ...]
    dwelling_department: IntArray
    dwelling_entrance: IntArray
    dwelling_type: IntArray
    rooms: IntArray
    rent: FloatArray
    accessible: BoolArray
    turnover_per_year: FloatArray
    area: FloatArray
    aconto: FloatArray
    """A conto for heating and water a month (0 in a synthetic stock)."""
    features: IntArray
    """The accessibility features as the production rules' bit mask (`needs_mask`): a
    synthetic stock's accessible dwellings are step-free, an explicit stock's dwellings have
    their own features."""

    @property
    def n_dwellings(self) -> int:
        return int(self.rent.shape[0])

    @property
    def dwelling_organisation(self) -> IntArray:
        return self.department_organisation[self.dwelling_department]

    def covered(self, covered_types: Sequence[str]) -> BoolArray:
        """The dwellings of the covered types."""
        out: BoolArray = np.isin(
            self.dwelling_type,
            [self.type_names.index(t) for t in covered_types if t in self.type_names],
        )
        return out

    def under_agreement(self, regime: RegimeSpec) -> BoolArray:
        """The dwellings of a covered type whose rent is within the ceiling on the regime's
        basis (net, or gross with the a conto) and comparison (at most, or below), judged by
        the steps of `judge_rent_ceiling` on the whole stock at once."""
        out = self.covered(regime.covered_types)
        terms = CeilingTerms(
            ceiling=regime.rent_ceiling,
            basis=regime.rent_ceiling_basis,
            comparison=regime.rent_ceiling_comparison,
        )
        judged = judged_rent(self.rent, self.aconto, terms)
        out &= within_ceiling(judged, terms)
        return out

    def summary(self, *, eligible: BoolArray) -> dict[str, Any]:
        """Plain facts about the stock, reported with every result; `eligible` are the
        dwellings under the agreement (`under_agreement`)."""
        family = (
            self.dwelling_type == self.type_names.index("family")
            if "family" in self.type_names
            else np.zeros(self.n_dwellings, dtype=bool)
        )
        known_area = np.isfinite(self.area) & (self.area > 0)
        rent_m2 = (
            float((self.rent[known_area] * 12).sum() / self.area[known_area].sum())
            if known_area.any()
            else None
        )
        return {
            "organisations": len(self.organisations),
            "departments": len(self.departments),
            "entrances": self.n_entrances,
            "dwellings": self.n_dwellings,
            "dwellings_by_type": {
                name: int((self.dwelling_type == i).sum()) for i, name in enumerate(self.type_names)
            },
            "mean_rent_per_m2_year": rent_m2,
            "mean_monthly_rent": float(self.rent.mean()),
            "family_share_under_3500": float((self.rent[family] < 3500).mean())
            if family.any()
            else None,
            "family_share_under_4000": float((self.rent[family] < 4000).mean())
            if family.any()
            else None,
            "covered_dwellings_within_ceiling": int(eligible.sum()),
            "expected_vacancies_per_year": float(self.turnover_per_year.sum()),
            "expected_covered_vacancies_within_ceiling_per_year": float(
                self.turnover_per_year[eligible].sum()
            ),
        }


def _split(total: int, weights: FloatArray) -> IntArray:
    """Split `total` into len(weights) integers ≥ 1 proportional to weights (largest remainder)."""
    n = len(weights)
    rest = total - n
    raw = weights / weights.sum() * rest
    base = np.floor(raw).astype(np.int64)
    short = rest - int(base.sum())
    if short > 0:
        base[np.argsort(-(raw - base), kind="stable")[:short]] += 1
    out: IntArray = base + 1
    return out


def generate_stock(spec: SyntheticStockSpec) -> Stock:
    """A synthetic stock: deterministic for a given spec (its own seed)."""
    rng = np.random.default_rng(spec.seed)
    n_org, n_dep, n_dw = spec.organisations, spec.departments, spec.dwellings
    # Organisation sizes are skewed (a few large, many small); departments likewise.
    org_weight = 1.0 / np.arange(1, n_org + 1) ** 0.8
    dep_org = np.concatenate(
        [np.arange(n_org), rng.choice(n_org, n_dep - n_org, p=org_weight / org_weight.sum())]
    ).astype(np.int64)
    dep_org = np.sort(dep_org, kind="stable")
    dep_size = _split(n_dw, rng.lognormal(0.0, 0.8, n_dep))
    dwelling_department = np.repeat(np.arange(n_dep, dtype=np.int64), dep_size)

    type_p = np.array([t.department_fraction for t in spec.types], dtype=np.float64)
    dep_type = rng.choice(len(spec.types), n_dep, p=type_p / type_p.sum()).astype(np.int64)
    dwelling_type = dep_type[dwelling_department]

    rooms = np.empty(n_dw, dtype=np.int64)
    for i, t in enumerate(spec.types):
        idx = np.flatnonzero(dwelling_type == i)
        drawn = np.rint(t.rooms.sample(rng, len(idx)))
        rooms[idx] = np.clip(drawn, 1, MAX_ROOMS).astype(np.int64)
    area_table = np.asarray(spec.area_by_rooms, dtype=np.float64)
    nominal = area_table[np.minimum(rooms, len(area_table)) - 1]
    area = nominal * rng.lognormal(0.0, spec.area_sd, n_dw)

    first, last = spec.build_years
    dep_year = rng.integers(first, last + 1, n_dep)
    span = max(1, last - first)
    era = spec.rent_factor_oldest + (spec.rent_factor_newest - spec.rent_factor_oldest) * (
        (dep_year - first) / span
    )
    dep_factor = era * rng.lognormal(0.0, spec.department_rent_sd, n_dep)
    rent_m2 = dep_factor[dwelling_department] * rng.lognormal(0.0, spec.dwelling_rent_sd, n_dw)
    # Scale so that the stock's area-weighted mean is exactly the given kr/m²/year.
    rent_m2 *= spec.mean_rent_per_m2_year * area.sum() / (rent_m2 * area).sum()
    rent = rent_m2 * area / 12.0

    dw_in_dep = np.arange(n_dw) - np.repeat(np.cumsum(dep_size) - dep_size, dep_size)
    per = spec.dwellings_per_entrance
    entrances_per_dep = (dep_size + per - 1) // per
    entrance_offset = np.cumsum(entrances_per_dep) - entrances_per_dep
    dwelling_entrance = (entrance_offset[dwelling_department] + dw_in_dep // per).astype(np.int64)

    accessible = rng.random(n_dw) < spec.accessible_fraction
    base_turnover = np.array([t.turnover_per_year for t in spec.types])[dwelling_type]
    dep_mult = rng.lognormal(-0.5 * spec.turnover_sd**2, spec.turnover_sd, n_dep)
    turnover = base_turnover * dep_mult[dwelling_department]

    return Stock(
        organisations=tuple(f"Org {i + 1:02d}" for i in range(n_org)),
        departments=tuple(f"Org {dep_org[j] + 1:02d} / Dept {j + 1:03d}" for j in range(n_dep)),
        department_organisation=dep_org,
        department_step=None,
        entrances=None,
        n_entrances=int(entrances_per_dep.sum()),
        type_names=tuple(t.name for t in spec.types),
        dwelling_department=dwelling_department,
        dwelling_entrance=dwelling_entrance,
        dwelling_type=dwelling_type.astype(np.int64),
        rooms=rooms,
        rent=rent,
        accessible=accessible,
        turnover_per_year=turnover,
        area=area,
        aconto=np.zeros(n_dw),
        features=accessible * STEP_FREE,
    )


def stock_from_dwellings(
    dwellings: Sequence[DwellingSpec],
    types: Sequence[DwellingTypeSpec],
    department_steps: dict[str, str] | None = None,
) -> Stock:
    """A stock given dwelling by dwelling (names are kept for the result)."""
    orgs: dict[str, int] = {}
    deps: dict[str, int] = {}
    dep_org: list[int] = []
    ents: dict[str, int] = {}
    type_index = {t.name: i for i, t in enumerate(types)}
    n = len(dwellings)
    d_dep = np.empty(n, dtype=np.int64)
    d_ent = np.empty(n, dtype=np.int64)
    d_type = np.empty(n, dtype=np.int64)
    rooms = np.empty(n, dtype=np.int64)
    rent = np.empty(n, dtype=np.float64)
    aconto = np.empty(n, dtype=np.float64)
    acc = np.empty(n, dtype=np.bool_)
    features = np.empty(n, dtype=np.int64)
    area = np.full(n, np.nan)
    turnover = np.empty(n, dtype=np.float64)
    for i, d in enumerate(dwellings):
        o = orgs.setdefault(d.organisation, len(orgs))
        if d.department not in deps:
            deps[d.department] = len(deps)
            dep_org.append(o)
        d_dep[i] = deps[d.department]
        d_ent[i] = ents.setdefault(d.entrance, len(ents))
        t = type_index[d.type]
        d_type[i] = t
        rooms[i] = d.rooms
        rent[i] = d.rent
        aconto[i] = d.aconto
        features[i] = needs_mask(d.features) or (STEP_FREE if d.accessible else 0)
        acc[i] = d.accessible
        if d.area_m2 > 0:
            area[i] = d.area_m2
        turnover[i] = (
            types[t].turnover_per_year if d.turnover_per_year is None else d.turnover_per_year
        )
    steps = department_steps or {}
    return Stock(
        organisations=tuple(orgs),
        departments=tuple(deps),
        department_organisation=np.asarray(dep_org, dtype=np.int64),
        department_step=tuple(steps.get(name, "") for name in deps) if steps else None,
        entrances=tuple(ents),
        n_entrances=len(ents),
        type_names=tuple(t.name for t in types),
        dwelling_department=d_dep,
        dwelling_entrance=d_ent,
        dwelling_type=d_type,
        rooms=rooms,
        rent=rent,
        accessible=acc,
        turnover_per_year=turnover,
        area=area,
        aconto=aconto,
        features=features,
    )


def build_stock(spec: SyntheticStockSpec | ExplicitStockSpec) -> Stock:
    if isinstance(spec, SyntheticStockSpec):
        return generate_stock(spec)
    return stock_from_dwellings(spec.dwellings, spec.types, dict(spec.department_steps))
