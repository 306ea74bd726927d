"""The simulated citizens of one replication: the initial list and every newcomer over the
horizon, drawn up front from the citizens' stream (see :mod:`.replication`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from anvis_core.matching.table import needs_mask

from .scenario import HouseholdSpec, InitialCitizen

if TYPE_CHECKING:
    from .engine import CompiledModel

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

STEP_FREE = needs_mask(("step_free",))
"""The generic model's one accessibility need (a group's `accessible_probability`)."""


def citizen_needs(c: InitialCitizen) -> int:
    """An initial citizen's needs as the production rules' bit mask."""
    return needs_mask(c.needs) | (STEP_FREE if c.needs_accessible else 0)


@dataclass(frozen=True)
class Households:
    """The households judged on affordability per dwelling (rule `unaffordable`), as columns;
    a citizen refers to its row (`Citizens.household`, -1: judged on the maximum rent). The
    last row is a zero row, so that indexing by -1 reads zeros."""

    can_pay: IntArray
    benefit_income: IntArray
    persons: IntArray
    children: IntArray
    pensioner: BoolArray
    disability_pension: BoolArray

    @staticmethod
    def of(specs: Sequence[HouseholdSpec]) -> Households:
        rows = [*specs, HouseholdSpec(can_pay=0, benefit_income=0)]

        def col(name: str, dtype: Any) -> NDArray[Any]:
            return np.array([getattr(h, name) for h in rows], dtype=dtype)

        return Households(
            can_pay=col("can_pay", np.int64),
            benefit_income=col("benefit_income", np.int64),
            persons=col("persons", np.int64),
            children=col("children", np.int64),
            pensioner=col("pensioner", np.bool_),
            disability_pension=col("disability_pension", np.bool_),
        )

    @property
    def size(self) -> int:
        return len(self.can_pay) - 1


@dataclass
class Citizens:
    group: IntArray
    arrival: FloatArray
    max_rent: FloatArray
    rooms: IntArray
    needs: IntArray
    """The accessibility needs as the production rules' bit mask (`needs_mask`)."""
    exit_time: FloatArray
    n_initial: int
    household: IntArray
    """Row of `households`, -1 for a citizen judged on the maximum rent."""
    points: FloatArray
    """The citizen's own priority points; NaN: the group's."""
    households: Households


def _initial_draws(model: CompiledModel, rng: np.random.Generator) -> dict[str, list[Any]]:
    s = model.scenario
    out: dict[str, list[Any]] = {k: [] for k in ("group", "arrival", "rent", "rooms", "needs")}
    gindex = {g.name: i for i, g in enumerate(s.groups)}
    if s.initial_citizens is not None:
        cs = s.initial_citizens
        out["group"].append(np.array([gindex[c.group] for c in cs], dtype=np.int64))
        out["arrival"].append(np.array([-c.waiting_days for c in cs], dtype=np.float64))
        out["rent"].append(np.array([c.max_rent for c in cs], dtype=np.float64))
        out["rooms"].append(np.array([c.rooms_needed for c in cs], dtype=np.float64))
        out["needs"].append(np.array([citizen_needs(c) for c in cs], dtype=np.int64))
    else:
        for gi, g in enumerate(s.groups):
            if g.initial == 0:
                continue
            out["group"].append(np.full(g.initial, gi))
            out["arrival"].append(-g.initial_waiting_days.sample(rng, g.initial))
            out["rent"].append(g.max_rent.sample(rng, g.initial))
            out["rooms"].append(g.rooms_needed.sample(rng, g.initial))
            out["needs"].append((rng.random(g.initial) < g.accessible_probability) * STEP_FREE)
    return out


def _initial_households(model: CompiledModel, n: int) -> tuple[IntArray, FloatArray, Households]:
    """The initial citizens' household rows and own priority points (padded to `n`)."""
    household = np.full(n, -1, dtype=np.int64)
    points = np.full(n, np.nan)
    specs: list[HouseholdSpec] = []
    for i, c in enumerate(model.scenario.initial_citizens or ()):
        if c.household is not None:
            household[i] = len(specs)
            specs.append(c.household)
        if c.priority_points is not None:
            points[i] = c.priority_points
    return household, points, Households.of(specs)


def draw_citizens(model: CompiledModel, rng: np.random.Generator) -> Citizens:
    """The initial list and every newcomer over the horizon, with their exit times."""
    s = model.scenario
    horizon = s.horizon_days
    d = _initial_draws(model, rng)
    n_initial = int(sum(len(a) for a in d["arrival"]))
    for gi, g in enumerate(s.groups):
        count = int(rng.poisson(model.group_rate_per_day[gi] * horizon))
        d["group"].append(np.full(count, gi))
        d["arrival"].append(np.sort(rng.uniform(0.0, horizon, count)))
        d["rent"].append(g.max_rent.sample(rng, count))
        d["rooms"].append(g.rooms_needed.sample(rng, count))
        d["needs"].append((rng.random(count) < g.accessible_probability) * STEP_FREE)
    group = np.concatenate(d["group"]).astype(np.int64) if d["group"] else np.zeros(0, np.int64)
    arr = np.concatenate(d["arrival"]).astype(np.float64)
    exit_rate = model.group_exit_per_day[group]
    delay = np.full(len(group), np.inf)
    positive = exit_rate > 0
    delay[positive] = rng.exponential(1.0 / exit_rate[positive])
    household, points, households = _initial_households(model, len(group))
    return Citizens(
        group=group,
        arrival=arr,
        max_rent=np.concatenate(d["rent"]).astype(np.float64),
        rooms=np.maximum(0, np.rint(np.concatenate(d["rooms"]))).astype(np.int64),
        needs=np.concatenate(d["needs"]).astype(np.int64),
        exit_time=np.maximum(arr, 0.0) + delay,
        n_initial=n_initial,
        household=household,
        points=points,
        households=households,
    )


def padded(cit: Citizens, extra: int) -> Citizens:
    """Room for `extra` more spells (returns to the list) after the drawn citizens."""

    def pad(a: NDArray[Any], fill: Any) -> NDArray[Any]:
        return np.concatenate([a, np.full(extra, fill, dtype=a.dtype)])

    return Citizens(
        pad(cit.group, 0),
        pad(cit.arrival, np.inf),
        pad(cit.max_rent, 0.0),
        pad(cit.rooms, 0),
        pad(cit.needs, 0),
        pad(cit.exit_time, np.inf),
        cit.n_initial,
        pad(cit.household, -1),
        pad(cit.points, np.nan),
        cit.households,
    )
