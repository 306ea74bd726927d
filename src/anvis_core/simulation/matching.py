"""The simulator's matching, behind a small interface.

The engine keeps the waiting citizens in a `Pool` (parallel numpy arrays, positions 0..n-1) and
asks a `MatchingPolicy` either for the best candidate for one vacancy (online mode) or for an
assignment of several pending vacancies (batch mode). Eligibility is decided by the production
rules of `anvis_core.matching.eligibility`, chosen by name (:data:`SIMULATED_RULES`: the rules
whose fields the simulated citizens carry — rent within the citizen's maximum, or for a
household whose income for the housing benefit is known rent + a conto − the estimated benefit
within what it can pay, enough rooms, each accessibility need met by the dwelling's features;
the agreement's rent ceiling is applied earlier, to the vacancies). The built-in policy ranks
by priority: points of the citizen's group (or its own) plus `points_per_day` × days waited.
A policy backed by the shared matching engine can replace it by implementing the same two
methods.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Protocol, cast

import numpy as np
from numpy.typing import NDArray

from anvis_core.matching.eligibility import Rule, rules_named
from anvis_core.matching.model import NEEDS, Context, Dwelling
from anvis_core.matching.table import CitizenTable, needs_mask

if TYPE_CHECKING:
    from .citizens import Households

SIMULATED_RULES: tuple[Rule, ...] = rules_named(
    ("rent_over_max", "unaffordable", "below_min_rooms", "accessibility")
)
"""The production eligibility rules the simulator applies (its citizens have no legal bars,
wishes or caps: those rules are not chosen)."""

ACCESSIBLE = frozenset({"step_free"})
ACCESS_BIT = needs_mask(ACCESSIBLE)
"""The generic model's one accessibility feature and need (step-free access)."""
LATEST = date.max
"""The day of the rules when a scenario names none: only the housing benefit's estimate reads
it, with the latest rates known."""


def features_of(mask: int) -> frozenset[str]:
    """The features (names in `NEEDS`) of a bit mask."""
    found = _FEATURES.get(mask)
    if found is None:
        found = _FEATURES[mask] = frozenset(n for n in NEEDS if mask & needs_mask((n,)))
    return found


_FEATURES: dict[int, frozenset[str]] = {}


LEADERS = 256
"""About how many of the best-placed citizens the pool keeps in order as its leaders."""


class Pool:
    """Waiting citizens as parallel arrays; only positions [0, n) are live.

    `key` orders priority: at any moment t the priority is key + points_per_day × t, so the
    ranking by key equals the ranking by priority (waiting days grow everyone's priority alike).

    The pool also keeps its *leaders* in order of key, best first (:meth:`leading`): exactly the
    free live positions whose key is at least a threshold, chosen when the leaders are renewed
    so that there are about `LEADERS` of them (newcomers at or above the threshold join, and so
    do those whose offer is answered; those who leave the pool or get an offer leave them).
    When a leader is eligible for a vacancy, the best eligible citizen is a leader, so a policy
    can often settle a choice among the leaders alone.
    """

    def __init__(
        self, capacity: int, households: Households | None = None, as_of: date = LATEST
    ) -> None:
        self.n = 0
        self.households = households if households is not None and households.size else None
        """The households judged on affordability per dwelling (None: nobody is)."""
        self.context = Context(as_of=as_of)
        """The day the rules are judged on (the housing benefit's rates)."""
        self.citizen = [0] * capacity
        self.max_rent = np.zeros(capacity, dtype=np.float64)
        self.rooms_needed = np.zeros(capacity, dtype=np.int64)
        self.needs = np.zeros(capacity, dtype=np.int64)
        """What the citizen needs, as the production rules' bit mask (accessibility only)."""
        self.household = np.full(capacity, -1, dtype=np.int64)
        """The citizen's row of `households`, -1: judged on the maximum rent."""
        self.key = np.zeros(capacity, dtype=np.float64)
        self.busy = np.zeros(capacity, dtype=np.bool_)
        self.no = np.zeros(capacity, dtype=np.bool_)
        """All false (a column the production rules read that simulated citizens lack)."""
        # key, busy and what the rules read again as lists, for reading one at a time
        self.keys: list[float] = [0.0] * capacity
        self.is_busy: list[bool] = [False] * capacity
        self.max_rents: list[float] = [0.0] * capacity
        self.rooms: list[int] = [0] * capacity
        self.needs_bits: list[int] = [0] * capacity
        self.households_of: list[int] = [-1] * capacity
        # the leaders: -key ascending (the best first) and their positions
        self.lead_key: list[float] = []
        self.lead_pos: list[int] = []
        self.threshold = math.inf

    def add(
        self, citizen: int, max_rent: float, rooms: int, needs: int, key: float, household: int = -1
    ) -> int:
        """Add a citizen; `needs` is the bit mask of its accessibility needs (`needs_mask`; a
        bool reads as the generic model's step-free need, whose bit is 1), `household` its row
        of the pool's households (-1: judged on `max_rent`)."""
        i = self.n
        self.citizen[i] = citizen
        self.max_rent[i] = max_rent
        self.rooms_needed[i] = rooms
        needs = int(needs)
        self.needs[i] = needs
        self.household[i] = household
        self.households_of[i] = household
        self.key[i] = key
        self.busy[i] = False
        key = float(key)
        self.keys[i] = key
        self.is_busy[i] = False
        # read back from the arrays, so the lists hold exactly what the arrays hold
        self.max_rents[i] = float(self.max_rent[i])
        self.rooms[i] = int(self.rooms_needed[i])
        self.needs_bits[i] = needs
        if key >= self.threshold:
            self._lead(i)
        self.n = i + 1
        return i

    def set_busy(self, i: int, busy: bool) -> None:
        if busy != self.is_busy[i] and self.keys[i] >= self.threshold:
            if busy:
                self._unlead(i)
            else:
                self._lead(i)
        self.is_busy[i] = busy
        self.busy[i] = busy

    def free_key(self) -> NDArray[np.float64]:
        """The live keys, -inf while an offer is out."""
        n = self.n
        out: NDArray[np.float64] = np.where(self.busy[:n], -np.inf, self.key[:n])
        return out

    def remove(self, i: int) -> int:
        """Swap-remove position i; returns the citizen moved into i (or -1)."""
        last = self.n - 1
        moved = -1
        keys, threshold, is_busy = self.keys, self.threshold, self.is_busy
        if keys[i] >= threshold and not is_busy[i]:
            self._unlead(i)
        if i != last:
            moved = self.citizen[i] = self.citizen[last]
            if keys[last] >= threshold and not is_busy[last]:
                self.lead_pos[self.lead_index(last)] = i
            # the arrays from the lists, which hold the same values
            key = keys[i] = keys[last]
            busy = is_busy[i] = is_busy[last]
            max_rent = self.max_rents[i] = self.max_rents[last]
            rooms = self.rooms[i] = self.rooms[last]
            needs = self.needs_bits[i] = self.needs_bits[last]
            household = self.households_of[i] = self.households_of[last]
            self.household[i] = household
            self.max_rent[i] = max_rent
            self.rooms_needed[i] = rooms
            self.needs[i] = needs
            self.key[i] = key
            self.busy[i] = busy
        self.n = last
        return moved

    def leading(self) -> tuple[list[float], list[int]]:
        """The leaders, best first: their negated keys and their positions. Renewed when they
        have become few or many."""
        count = len(self.lead_pos)
        if (count < LEADERS // 2 and self.threshold > -math.inf) or count > 4 * LEADERS:
            self.renew_leaders()
        return self.lead_key, self.lead_pos

    def everyone_leads(self) -> bool:
        """Whether every free citizen is a leader."""
        return self.threshold == -math.inf

    def renew_leaders(self) -> None:
        n = self.n
        free_key = self.free_key()
        free = np.flatnonzero(~self.busy[:n])
        if len(free) <= LEADERS:
            self.threshold = -math.inf
            members = free
        else:
            self.threshold = float(np.partition(free_key, n - LEADERS)[n - LEADERS])
            members = np.flatnonzero(free_key >= self.threshold)
        order = np.argsort(-free_key[members], kind="stable")
        self.lead_key = (-free_key[members][order]).tolist()
        self.lead_pos = members[order].tolist()

    def _lead(self, i: int) -> None:
        key = -self.keys[i]
        j = bisect_right(self.lead_key, key)
        self.lead_key.insert(j, key)
        self.lead_pos.insert(j, i)

    def _unlead(self, i: int) -> None:
        j = self.lead_index(i)
        del self.lead_key[j]
        del self.lead_pos[j]

    def lead_index(self, i: int) -> int:
        """Where position i (a leader) is among the leaders."""
        j = bisect_left(self.lead_key, -self.keys[i])
        lead_pos = self.lead_pos
        while lead_pos[j] != i:
            j += 1
        return j


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
    aconto: float = 0.0
    features: int = -1
    """The accessibility features as the rules' bit mask; -1: step-free access when
    `accessible` (the generic model's one feature), none otherwise."""
    area_m2: int = 0
    """The area, for the housing benefit's estimate (0: unknown)."""

    @property
    def feature_bits(self) -> int:
        if self.features >= 0:
            return self.features
        return ACCESS_BIT if self.accessible else 0


class PoolColumns:
    """The live part of the pool (or the positions `rows` of it) under the names the
    production rules read."""

    __slots__ = (
        "benefit_income",
        "can_pay",
        "children",
        "disability_pension",
        "estimated",
        "max_rent",
        "max_rent_unknown",
        "min_rooms",
        "needs",
        "pensioner",
        "persons",
        "size",
    )

    def __init__(self, pool: Pool, rows: NDArray[np.int64] | None = None) -> None:
        if rows is None:
            n = pool.n
            self.max_rent = pool.max_rent[:n]
            self.min_rooms = pool.rooms_needed[:n]
            self.needs = pool.needs[:n]
            household = pool.household[:n]
        else:
            n = len(rows)
            self.max_rent = pool.max_rent[rows]
            self.min_rooms = pool.rooms_needed[rows]
            self.needs = pool.needs[rows]
            household = pool.household[rows]
        self.size = n
        # A citizen with a household row is judged as production judges a case whose household
        # income for the benefit is recorded (rule `unaffordable`), the others on the maximum
        # rent (rule `rent_over_max`).
        h = pool.households
        if h is None:
            # nobody is estimated: the household columns are not read
            self.estimated = self.pensioner = self.disability_pension = pool.no[:n]
            self.can_pay = self.benefit_income = self.persons = self.children = household
        else:
            self.estimated = household >= 0
            self.can_pay = h.can_pay[household]
            self.benefit_income = h.benefit_income[household]
            self.persons = h.persons[household]
            self.children = h.children[household]
            self.pensioner = h.pensioner[household]
            self.disability_pension = h.disability_pension[household]
        # The baseline reads ∞ as no limit of its own: the regime's ceiling was applied to the
        # vacancies before they reach it (the production policy reads ∞ as unknown instead).
        self.max_rent_unknown = pool.no[:n]


class _Vacant:
    """The dwelling facts the simulated rules read (rent, a conto, area, rooms, features),
    without building a whole :class:`Dwelling` for every decision."""

    __slots__ = ("aconto", "area_m2", "ceiling", "features", "rent", "rooms")

    def __init__(self, vacancy: VacancyView) -> None:
        self.ceiling = None  # no citizen of the baseline has an unknown maximum rent
        self.rent = vacancy.rent  # simulated rents are float kroner; the rules compare
        self.rooms = vacancy.rooms
        self.features = features_of(vacancy.feature_bits)
        # the housing benefit's estimate reads whole kroner and square metres
        self.aconto = int(vacancy.aconto)
        self.area_m2 = vacancy.area_m2


def _lacking(features: int) -> int:
    """The needs a dwelling does not meet, as a bit mask: a citizen whose needs share a bit
    with it fails the accessibility rule (its `needs & ~needs_mask(features) != 0`)."""
    return ~features


def rule_mask(
    pool: Pool,
    vacancy: VacancyView,
    rules: Sequence[Rule] = SIMULATED_RULES,
    rows: NDArray[np.int64] | None = None,
) -> NDArray[np.bool_]:
    """Which live citizens (or which of the positions `rows`) pass every rule for this
    dwelling (busy or not)."""
    table = cast(CitizenTable, PoolColumns(pool, rows))
    dwelling = cast(Dwelling, _Vacant(vacancy))
    fails = np.zeros(pool.n if rows is None else len(rows), dtype=np.bool_)
    for rule in rules:
        fails |= rule.fails(table, dwelling, pool.context)
    passes: NDArray[np.bool_] = ~fails
    return passes


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


FIRST_LOOK = 32
"""How many of the best free citizens `BuiltinPolicy.choose` checks before it scans the whole
pool (in the national scenario the chosen citizen is almost always among the best 30)."""


class BuiltinPolicy:
    """Greedy best-priority per vacancy; batches solved as a maximum-weight assignment."""

    def choose(self, pool: Pool, vacancy: VacancyView, excluded: Sequence[int]) -> int:
        n = pool.n
        if n == 0:
            return -1
        best = self._among_the_best(pool, vacancy, excluded)
        if best is not None:
            return best
        keys = np.where(rule_mask(pool, vacancy), pool.free_key(), -np.inf)
        for pos in excluded:
            if 0 <= pos < n:
                keys[pos] = -np.inf
        best = int(np.argmax(keys))
        return best if keys[best] > -np.inf else -1

    @staticmethod
    def _among_the_best(pool: Pool, vacancy: VacancyView, excluded: Sequence[int]) -> int | None:
        """The choice, settled among the first `FIRST_LOOK` free leaders of the pool not
        excluded; None when it cannot be settled there (none of them eligible while others
        wait, or a tie in key, which the whole-pool scan breaks by position).

        The leaders are checked one at a time against :data:`SIMULATED_RULES` in scalar form
        (the same comparisons as the rules' column-wise `fails`, see :func:`_lacking`): numpy's
        cost per call would outweigh a few dozen comparisons. `tests/core/simulation/
        test_leaders.py` checks the choice against the whole-pool scan by the rules."""
        lead_key, lead_pos = pool.leading()
        rent, rooms = vacancy.rent, vacancy.rooms
        lacking = _lacking(vacancy.feature_bits)
        max_rents, rooms_needed, needs = pool.max_rents, pool.rooms, pool.needs_bits
        household = pool.households_of
        checked = 0
        for j, p in enumerate(lead_pos):
            if checked == FIRST_LOOK:
                return None
            if excluded and p in excluded:
                continue
            checked += 1
            # BelowMinRooms, Accessibility, and RentOverMax for those judged on the maximum rent
            if rooms_needed[p] > rooms or needs[p] & lacking:
                continue
            if household[p] < 0:
                if max_rents[p] < rent:
                    continue
            elif not rule_mask(pool, vacancy, rows=np.array([p]))[0]:
                continue  # Unaffordable: the rule itself, for this one household
            key = lead_key[j]
            if (
                key == math.inf
                or (j + 1 < len(lead_key) and lead_key[j + 1] == key)
                or (j > 0 and lead_key[j - 1] == key)
            ):
                return None
            return p
        return -1 if checked < FIRST_LOOK and pool.everyone_leads() else None

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
        # imported here: scipy.optimize takes most of a second to import, and a worker
        # process running online matching never needs it
        from scipy.optimize import linear_sum_assignment

        rows, picked = linear_sum_assignment(weight, maximize=True)
        return [(int(r), int(cols[c])) for r, c in zip(rows, picked, strict=True) if sub[r, c]]
