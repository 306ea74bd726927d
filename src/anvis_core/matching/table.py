"""Citizens held column-wise, so that a rule is one numpy expression over all of them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from anvis_core.matching.model import NEEDS, Citizen

BoolArray = NDArray[np.bool_]


def needs_mask(needs: Iterable[str]) -> int:
    m = 0
    for n in needs:
        m |= 1 << NEEDS.index(n)
    return m


def _index(citizens: Sequence[Citizen], attr: str) -> Mapping[str, NDArray[np.int64]]:
    lists: dict[str, list[int]] = {}
    for i, c in enumerate(citizens):
        for key in getattr(c, attr):
            lists.setdefault(key, []).append(i)
    return {k: np.asarray(v, dtype=np.int64) for k, v in lists.items()}


@dataclass(frozen=True, eq=False)
class CitizenTable:
    """The waiting citizens as arrays. Build once (:meth:`build`) and rank many vacancies.

    Set-valued attributes (exclusions, wishes) are held as inverted indexes: for each district or
    department, the positions of the citizens that list it.
    """

    citizens: tuple[Citizen, ...]
    ids: tuple[str, ...]
    priority: NDArray[np.float64]
    persons: NDArray[np.int64]
    min_rooms: NDArray[np.int64]
    max_rent: NDArray[np.int64]
    """The citizen's maximum rent; 0 where it is not known (:attr:`max_rent_unknown`)."""
    max_rent_unknown: BoolArray
    """No known maximum rent: judged by each dwelling's ceiling (`eligibility.max_rent_for`)."""
    needs: NDArray[np.int64]
    pets: BoolArray
    barred_until: NDArray[np.int64]
    """Proleptic ordinal of the bar's end date, 0 when not barred."""
    young: BoolArray
    waiting: BoolArray
    paused_until: NDArray[np.int64]
    """Proleptic ordinal of the pause's last day, 0 when not paused."""
    active_offer: BoolArray
    housed: BoolArray
    """The citizen has a tenancy through the agreement that is not recorded as ended."""
    floors: NDArray[np.uint64]
    """Bit ``f`` set when floor ``f`` is preferred."""
    excluded_districts: Mapping[str, NDArray[np.int64]]
    excluded_departments: Mapping[str, NDArray[np.int64]]
    wished_districts: Mapping[str, NDArray[np.int64]]
    wished_departments: Mapping[str, NDArray[np.int64]]
    declined_units: Mapping[str, NDArray[np.int64]]
    position: Mapping[str, int]
    estimated: BoolArray
    """Affordability judged on rent + a conto − the estimated housing benefit
    (:attr:`Citizen.affordability_estimated`)."""
    can_pay: NDArray[np.int64]
    benefit_income: NDArray[np.int64]
    children: NDArray[np.int64]
    pensioner: BoolArray
    disability_pension: BoolArray

    @property
    def size(self) -> int:
        return len(self.ids)

    @staticmethod
    def build(citizens: Sequence[Citizen]) -> CitizenTable:
        cs = tuple(citizens)
        ids = tuple(c.id for c in cs)
        position = {cid: i for i, cid in enumerate(ids)}
        if len(position) != len(ids):
            seen: set[str] = set()
            for cid in ids:
                if cid in seen:
                    raise ValueError(f"duplicate citizen id {cid!r}")
                seen.add(cid)
        n = len(cs)
        floors = np.zeros(n, dtype=np.uint64)
        for i, c in enumerate(cs):
            bits = 0
            for f in c.preferred_floors:
                bits |= 1 << f
            floors[i] = bits
        return CitizenTable(
            citizens=cs,
            ids=ids,
            priority=np.fromiter((c.priority for c in cs), dtype=np.float64, count=n),
            persons=np.fromiter((c.household_persons for c in cs), dtype=np.int64, count=n),
            min_rooms=np.fromiter((c.min_rooms for c in cs), dtype=np.int64, count=n),
            max_rent=np.fromiter((c.max_rent or 0 for c in cs), dtype=np.int64, count=n),
            max_rent_unknown=np.fromiter((c.max_rent is None for c in cs), dtype=np.bool_, count=n),
            needs=np.fromiter((needs_mask(c.needs) for c in cs), dtype=np.int64, count=n),
            pets=np.fromiter((c.pets for c in cs), dtype=np.bool_, count=n),
            barred_until=np.fromiter(
                (c.barred_until.toordinal() if c.barred_until else 0 for c in cs),
                dtype=np.int64,
                count=n,
            ),
            young=np.fromiter((c.age_band == "young" for c in cs), dtype=np.bool_, count=n),
            waiting=np.fromiter((c.waiting for c in cs), dtype=np.bool_, count=n),
            paused_until=np.fromiter(
                (c.paused_until.toordinal() if c.paused_until else 0 for c in cs),
                dtype=np.int64,
                count=n,
            ),
            active_offer=np.fromiter((c.has_active_offer for c in cs), dtype=np.bool_, count=n),
            housed=np.fromiter((c.housed_since is not None for c in cs), dtype=np.bool_, count=n),
            floors=floors,
            excluded_districts=_index(cs, "excluded_districts"),
            excluded_departments=_index(cs, "excluded_departments"),
            wished_districts=_index(cs, "wished_districts"),
            wished_departments=_index(cs, "wished_departments"),
            declined_units=_index(cs, "declined_units"),
            position=position,
            estimated=np.fromiter((c.affordability_estimated for c in cs), dtype=np.bool_, count=n),
            can_pay=np.fromiter((c.can_pay or 0 for c in cs), dtype=np.int64, count=n),
            benefit_income=np.fromiter(
                (c.benefit_income or 0 for c in cs), dtype=np.int64, count=n
            ),
            children=np.fromiter((c.children for c in cs), dtype=np.int64, count=n),
            pensioner=np.fromiter((c.pensioner for c in cs), dtype=np.bool_, count=n),
            disability_pension=np.fromiter(
                (c.disability_pension for c in cs), dtype=np.bool_, count=n
            ),
        )

    def with_replaced(self, changed: Mapping[int, Citizen]) -> CitizenTable:
        """The table :meth:`build` would give for these citizens with the one at each position
        in ``changed`` replaced, built from this table: the rows of the changed citizens are
        written into copies of the columns, and the inverted indexes of the keys they had or
        have are recomputed. Costs the changed rows instead of every citizen."""
        if not changed:
            return self
        at = np.fromiter(changed, dtype=np.int64, count=len(changed))
        if at.min() < 0 or at.max() >= self.size:
            raise IndexError("position outside the table")
        new = CitizenTable.build([changed[int(i)] for i in at])
        citizens = list(self.citizens)
        for i, c in changed.items():
            citizens[i] = c
        ids, position = self.ids, self.position
        if any(self.ids[i] != c.id for i, c in changed.items()):
            ids = tuple(c.id for c in citizens)
            position = {cid: i for i, cid in enumerate(ids)}
            if len(position) != len(ids):
                return CitizenTable.build(citizens)  # names the duplicate
        updates: dict[str, Any] = {"citizens": tuple(citizens), "ids": ids, "position": position}
        for f in fields(self):
            old = getattr(self, f.name)
            if isinstance(old, np.ndarray):
                column = old.copy()
                column[at] = getattr(new, f.name)
                updates[f.name] = column
            elif f.name in _INDEXES:
                had = {k for i in changed for k in getattr(self.citizens[i], f.name)}
                updates[f.name] = _reindexed(old, getattr(new, f.name), at, had)
        return replace(self, **updates)

    def member_mask(self, index: Mapping[str, NDArray[np.int64]], key: str) -> BoolArray:
        """True for the citizens whose set (given by its inverted ``index``) contains ``key``."""
        mask = np.zeros(self.size, dtype=np.bool_)
        hit = index.get(key)
        if hit is not None:
            mask[hit] = True
        return mask


_INDEXES = frozenset(
    {
        "excluded_districts",
        "excluded_departments",
        "wished_districts",
        "wished_departments",
        "declined_units",
    }
)


def _reindexed(
    index: Mapping[str, NDArray[np.int64]],
    changed: Mapping[str, NDArray[np.int64]],
    at: NDArray[np.int64],
    had: set[str],
) -> Mapping[str, NDArray[np.int64]]:
    """An inverted index with the rows at positions ``at`` (whose keys were ``had``) replaced by
    the rows whose own index (positions into ``at``) is ``changed``; positions stay in ascending
    order, as built."""
    out = dict(index)
    for key in had | set(changed):
        kept = index.get(key, _NONE)
        kept = kept[~np.isin(kept, at)]
        added = at[changed[key]] if key in changed else _NONE
        merged = np.union1d(kept, added)
        if merged.size:
            out[key] = merged
        else:
            out.pop(key, None)
    return out


_NONE = np.zeros(0, dtype=np.int64)
