"""The simulator's matching, behind a small interface.

The engine keeps the waiting citizens in a `Pool` (parallel numpy arrays, positions 0..n-1) and
asks a `MatchingPolicy` either for the best candidate for one vacancy (online mode) or for an
assignment of several pending vacancies (batch mode). The built-in policy uses a simple
eligibility (rent within the citizen's maximum, enough rooms, accessibility for those who need
it; the agreement's rent ceiling is applied earlier, to the vacancies) and ranks by priority:
points of the citizen's group plus `points_per_day` × days waited. A policy backed by the shared
matching engine can replace it by implementing the same two methods.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linear_sum_assignment


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
        self.no_access_need = np.zeros(capacity, dtype=np.bool_)

    def add(self, citizen: int, max_rent: float, rooms: int, accessible: bool, key: float) -> int:
        i = self.n
        self.citizen[i] = citizen
        self.max_rent[i] = max_rent
        self.rooms_needed[i] = rooms
        self.needs_accessible[i] = accessible
        self.key[i] = key
        self.busy[i] = False
        self.free_key[i] = key
        self.no_access_need[i] = not accessible
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
                self.no_access_need,
            ):
                arr[i] = arr[last]
        self.n = last
        return moved


@dataclass(frozen=True)
class VacancyView:
    rent: float
    rooms: int
    accessible: bool


def check_eligibility(pool: Pool, vacancy: VacancyView) -> NDArray[np.bool_]:
    """Which live, free citizens may take this dwelling."""
    n = pool.n
    mask = (pool.max_rent[:n] >= vacancy.rent) & (pool.rooms_needed[:n] <= vacancy.rooms)
    mask &= ~pool.busy[:n]
    if not vacancy.accessible:
        mask &= ~pool.needs_accessible[:n]
    return mask


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
        mask = pool.max_rent[:n] >= vacancy.rent
        mask &= pool.rooms_needed[:n] <= vacancy.rooms
        if not vacancy.accessible:
            mask &= pool.no_access_need[:n]
        keys = np.where(mask, pool.free_key[:n], -np.inf)
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
        rent = np.array([v.rent for v in vacancies])
        rooms = np.array([v.rooms for v in vacancies])
        acc = np.array([v.accessible for v in vacancies])
        elig = (pool.max_rent[None, :n] >= rent[:, None]) & (
            pool.rooms_needed[None, :n] <= rooms[:, None]
        )
        elig &= ~pool.busy[None, :n]
        elig &= acc[:, None] | ~pool.needs_accessible[None, :n]
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
