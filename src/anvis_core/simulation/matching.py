"""The simulator's matching, behind a small interface.

The engine keeps the waiting citizens in a `Pool` (parallel numpy arrays, positions 0..n-1) and
asks a `MatchingPolicy` either for the best candidate for one vacancy (online mode) or for an
assignment of several pending vacancies (batch mode). Eligibility is decided by the production
rules of `anvis_core.matching.eligibility`, chosen by name (:data:`SIMULATED_RULES`: the rules
whose fields the simulated citizens carry — rent within the citizen's maximum, enough rooms,
accessibility for those who need it; the agreement's rent ceiling is applied earlier, to the
vacancies). The built-in policy ranks by priority: points of the citizen's group plus
`points_per_day` × days waited. A policy backed by the shared matching engine can replace it by
implementing the same two methods.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol, cast

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linear_sum_assignment

from anvis_core.matching.eligibility import Rule, rules_named
from anvis_core.matching.model import Context, Dwelling
from anvis_core.matching.table import CitizenTable, needs_mask

SIMULATED_RULES: tuple[Rule, ...] = rules_named(
    ("rent_over_max", "below_min_rooms", "accessibility")
)
"""The production eligibility rules the simulator applies (its citizens have no legal bars,
wishes or caps: those rules are not chosen)."""

ACCESSIBLE = frozenset({"step_free"})
ACCESS_BIT = needs_mask(ACCESSIBLE)
_CONTEXT = Context(as_of=date(2000, 1, 1))
"""The simulated rules do not depend on the day."""


class Pool:
    """Waiting citizens as parallel arrays; only positions [0, n) are live.

    `key` orders priority: at any moment t the priority is key + points_per_day × t, so the
    ranking by key equals the ranking by priority (waiting days grow everyone's priority alike).
    """

    def __init__(self, capacity: int) -> None:
        self.n = 0
        self.citizen = np.zeros(capacity, dtype=np.int64)
        self.max_rent = np.zeros(capacity, dtype=np.float64)
        self.rooms_needed = np.zeros(capacity, dtype=np.int64)
        self.needs_accessible = np.zeros(capacity, dtype=np.bool_)
        self.key = np.zeros(capacity, dtype=np.float64)
        self.busy = np.zeros(capacity, dtype=np.bool_)
        # derived, kept in step for the hot path: key, or -inf while an offer is out
        self.free_key = np.zeros(capacity, dtype=np.float64)

    def add(self, citizen: int, max_rent: float, rooms: int, accessible: bool, key: float) -> int:
        i = self.n
        self.citizen[i] = citizen
        self.max_rent[i] = max_rent
        self.rooms_needed[i] = rooms
        self.needs_accessible[i] = accessible
        self.key[i] = key
        self.busy[i] = False
        self.free_key[i] = key
        self.n = i + 1
        return i

    def set_busy(self, i: int, busy: bool) -> None:
        self.busy[i] = busy
        self.free_key[i] = -np.inf if busy else self.key[i]

    def remove(self, i: int) -> int:
        """Swap-remove position i; returns the citizen moved into i (or -1)."""
        last = self.n - 1
        moved = -1
        if i != last:
            moved = int(self.citizen[last])
            for arr in (
                self.citizen,
                self.max_rent,
                self.rooms_needed,
                self.needs_accessible,
                self.key,
                self.busy,
                self.free_key,
            ):
                arr[i] = arr[last]
        self.n = last
        return moved


@dataclass(frozen=True)
class VacancyView:
    """A vacancy as a policy sees it. The baseline reads rent, rooms and accessibility; a
    policy with an `admit` method (the production policy) also gets where the dwelling is, the
    cap counts of its stairwell and department (placements in the rolling window plus offers
    out) and the moment `at` of the decision."""

    rent: float
    rooms: int
    accessible: bool
    vacancy: int = -1
    organisation: int = -1
    department: int = -1
    entrance: int = -1
    placed_entrance: int = 0
    placed_department: int = 0
    at: float = 0.0


class _Columns:
    """The live part of the pool under the names the production rules read."""

    __slots__ = ("estimated", "max_rent", "min_rooms", "needs")

    def __init__(self, pool: Pool) -> None:
        n = pool.n
        # simulated citizens have a maximum rent, never an income-based estimate
        self.estimated = np.zeros(n, dtype=np.bool_)
        self.max_rent = pool.max_rent[:n]
        # Simulated households carry no income for a housing-benefit estimate: their maximum
        # rent is judged as a caseworker's own maximum (the rule's non-estimated branch).
        self.estimated = np.zeros(n, dtype=np.bool_)
        self.min_rooms = pool.rooms_needed[:n]
        self.needs = pool.needs_accessible[:n] * ACCESS_BIT


def _dwelling(vacancy: VacancyView) -> Dwelling:
    return Dwelling(
        id="",
        rent=cast(int, vacancy.rent),  # simulated rents are float kroner; the rules compare
        rooms=vacancy.rooms,
        district="",
        department_id="",
        entrance_id="",
        organisation_id="",
        features=ACCESSIBLE if vacancy.accessible else frozenset(),
    )


def rule_mask(
    pool: Pool, vacancy: VacancyView, rules: Sequence[Rule] = SIMULATED_RULES
) -> NDArray[np.bool_]:
    """Which live citizens pass every rule for this dwelling (busy or not)."""
    table = cast(CitizenTable, _Columns(pool))
    dwelling = _dwelling(vacancy)
    mask = np.ones(pool.n, dtype=np.bool_)
    for rule in rules:
        mask &= ~np.asarray(rule.fails(table, dwelling, _CONTEXT), dtype=np.bool_)
    return mask


def check_eligibility(pool: Pool, vacancy: VacancyView) -> NDArray[np.bool_]:
    """Which live, free citizens may take this dwelling."""
    return rule_mask(pool, vacancy) & ~pool.busy[: pool.n]


class MatchingPolicy(Protocol):
    def choose(self, pool: Pool, vacancy: VacancyView, excluded: Sequence[int]) -> int:
        """Pool position of the citizen to offer this vacancy to, or -1 for nobody."""
        ...

    def assign(
        self,
        pool: Pool,
        vacancies: Sequence[VacancyView],
        excluded: Sequence[Sequence[int]],
    ) -> list[tuple[int, int]]:
        """(vacancy index, pool position) pairs; each vacancy and citizen at most once."""
        ...


class BuiltinPolicy:
    """Greedy best-priority per vacancy; batches solved as a maximum-weight assignment."""

    def choose(self, pool: Pool, vacancy: VacancyView, excluded: Sequence[int]) -> int:
        n = pool.n
        if n == 0:
            return -1
        keys = np.where(rule_mask(pool, vacancy), pool.free_key[:n], -np.inf)
        for pos in excluded:
            if 0 <= pos < n:
                keys[pos] = -np.inf
        best = int(np.argmax(keys))
        return best if keys[best] > -np.inf else -1

    def assign(
        self,
        pool: Pool,
        vacancies: Sequence[VacancyView],
        excluded: Sequence[Sequence[int]],
    ) -> list[tuple[int, int]]:
        k, n = len(vacancies), pool.n
        if k == 0 or n == 0:
            return []
        elig = np.array([rule_mask(pool, v) for v in vacancies], dtype=np.bool_)
        elig &= ~pool.busy[None, :n]
        for r, positions in enumerate(excluded):
            for pos in positions:
                if 0 <= pos < n:
                    elig[r, pos] = False
        cols = np.flatnonzero(elig.any(axis=0))
        if cols.size == 0:
            return []
        key = pool.key[:n]
        if cols.size > k:
            # An optimal assignment only needs each vacancy's k best eligible citizens.
            masked = np.where(elig[:, cols], key[cols][None, :], -np.inf)
            top = np.argpartition(-masked, k - 1, axis=1)[:, :k]
            cols = cols[np.unique(top)]
        sub = elig[:, cols]
        base = key[cols]
        weight = np.where(sub, base[None, :] - base.min() + 1.0, 0.0)
        rows, picked = linear_sum_assignment(weight, maximize=True)
        return [(int(r), int(cols[c])) for r, c in zip(rows, picked, strict=True) if sub[r, c]]
