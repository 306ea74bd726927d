"""The weight of an eligible pair: priority + bounded fit + void rent.

``weight = priority + fit + void``, rounded to ``decimals`` places, where

* ``priority`` is the citizen's published priority score (computed elsewhere);
* ``fit = min(fit_cap, wished_department * [dwelling's department wished]
  + wished_district * [dwelling's district wished] + preferred_floor * [floor preferred])``:
  bounded, so it only reorders citizens whose priorities differ by less than ``fit_cap``;
* ``void = min(void_cap, void_per_krone * daily_rent * max(0, void_days - void_grace_days))``:
  the void rent accrued while the dwelling has been held, which makes long-held dwellings more
  attractive to fill in a batch. It is the same for every citizen, so it never changes the
  order of candidates for one vacancy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from anvis_core.matching.model import Citizen, Context, Dwelling
from anvis_core.matching.table import CitizenTable


@dataclass(frozen=True)
class ScoreWeights:
    wished_department: float = 1.5
    wished_district: float = 1.0
    preferred_floor: float = 0.5
    fit_cap: float = 2.0
    void_per_krone: float = 0.001
    void_grace_days: int = 0
    void_cap: float = 5.0
    decimals: int = 4

    def __post_init__(self) -> None:
        for name in (
            "wished_department",
            "wished_district",
            "preferred_floor",
            "fit_cap",
            "void_per_krone",
            "void_cap",
        ):
            if getattr(self, name) < 0:
                raise ValueError(f"score weight {name} must not be negative")
        if self.void_grace_days < 0 or not 0 <= self.decimals <= 9:
            raise ValueError("void_grace_days must be >= 0 and decimals within 0..9")


@dataclass(frozen=True)
class ScoreBreakdown:
    priority: float
    wished_department: bool
    wished_district: bool
    preferred_floor: bool
    fit: float
    void: float
    total: float


def void_term(d: Dwelling, ctx: Context, w: ScoreWeights) -> float:
    days = max(0, d.void_days(ctx.as_of) - w.void_grace_days)
    return min(w.void_cap, w.void_per_krone * d.daily_rent * days)


@dataclass(frozen=True, eq=False)
class ScoreArrays:
    wished_department: NDArray[np.bool_]
    wished_district: NDArray[np.bool_]
    preferred_floor: NDArray[np.bool_]
    fit: NDArray[np.float64]
    void: float
    total: NDArray[np.float64]


def score_arrays(
    t: CitizenTable, d: Dwelling, ctx: Context, w: ScoreWeights, rows: NDArray[np.int64]
) -> ScoreArrays:
    """Score components for the citizens at positions ``rows`` of the table."""
    wdep = t.member_mask(t.wished_departments, d.department_id)[rows]
    wdis = t.member_mask(t.wished_districts, d.district)[rows]
    floor = ((t.floors[rows] >> np.uint64(d.floor)) & np.uint64(1)).astype(np.bool_)
    fit = np.minimum(
        w.fit_cap,
        w.wished_department * wdep + w.wished_district * wdis + w.preferred_floor * floor,
    )
    void = void_term(d, ctx, w)
    total = np.round(t.priority[rows] + fit + void, w.decimals)
    return ScoreArrays(wdep, wdis, floor, fit, void, total)


def score(c: Citizen, d: Dwelling, ctx: Context, w: ScoreWeights) -> ScoreBreakdown:
    """The weight of one pair with its parts (eligibility is not checked)."""
    a = score_arrays(CitizenTable.build([c]), d, ctx, w, np.zeros(1, dtype=np.int64))
    return ScoreBreakdown(
        priority=c.priority,
        wished_department=bool(a.wished_department[0]),
        wished_district=bool(a.wished_district[0]),
        preferred_floor=bool(a.preferred_floor[0]),
        fit=float(a.fit[0]),
        void=a.void,
        total=float(a.total[0]),
    )
