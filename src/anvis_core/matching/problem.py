"""The batch allocation problem in array form ("pair form").

Everything the solvers need is held in numpy arrays indexed by position, so that a problem of
half a million pairs costs no Python object per pair. Identifiers are kept as tuples of strings
for reporting only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

Objective = Literal["max_weight", "max_count_then_weight"]
OBJECTIVES: tuple[Objective, ...] = ("max_weight", "max_count_then_weight")

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]


class ProblemError(ValueError):
    """The input does not describe a valid problem. The message names the offending item."""


@dataclass(frozen=True, eq=False)
class Groups:
    """Cap groups.

    A group is a set of dwellings (or a set of citizens). Assignments whose dwelling (or citizen)
    belongs to the group count against it: ``min_remaining <= count <= max_remaining`` where
    the remaining bounds subtract the placements already made in the window (``placed``).

    Membership is given as incidence pairs: ``dwelling_member[k]`` belongs to
    ``dwelling_group[k]``; likewise for citizens. A group has members on one side only.
    """

    ids: tuple[str, ...]
    max: IntArray
    min: IntArray
    placed: IntArray
    dwelling_member: IntArray
    dwelling_group: IntArray
    citizen_member: IntArray
    citizen_group: IntArray

    @property
    def size(self) -> int:
        return len(self.ids)

    @property
    def max_remaining(self) -> IntArray:
        """How many more assignments each group may take in this batch (never negative)."""
        out: IntArray = np.maximum(self.max - self.placed, 0)
        return out

    @property
    def min_remaining(self) -> IntArray:
        """How many assignments each group still needs in this batch to reach its minimum."""
        out: IntArray = np.maximum(self.min - self.placed, 0)
        return out

    @staticmethod
    def empty() -> Groups:
        z = np.zeros(0, dtype=np.int64)
        return Groups((), z, z, z, z, z, z, z)


@dataclass(frozen=True, eq=False)
class PairProblem:
    """Citizens, dwellings, the pairs that may be assigned with their weights, and cap groups.

    ``pair_citizen[p]`` and ``pair_dwelling[p]`` index ``citizen_ids`` and ``dwelling_ids``;
    ``pair_weight[p]`` is the weight of assigning them. Only listed pairs may be assigned.
    Build instances with :func:`make_problem`, which validates them.
    """

    citizen_ids: tuple[str, ...]
    dwelling_ids: tuple[str, ...]
    pair_citizen: IntArray
    pair_dwelling: IntArray
    pair_weight: FloatArray
    groups: Groups

    @property
    def n_citizens(self) -> int:
        return len(self.citizen_ids)

    @property
    def n_dwellings(self) -> int:
        return len(self.dwelling_ids)

    @property
    def n_pairs(self) -> int:
        return int(self.pair_weight.shape[0])


@dataclass(frozen=True)
class GroupSpec:
    """A cap group as written by a caller: its id, bounds and the placements already made."""

    id: str
    max: int
    min: int = 0
    placed: int = 0


def _first_duplicate(ids: Sequence[str]) -> str | None:
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            return i
        seen.add(i)
    return None


def make_problem(
    *,
    citizen_ids: Sequence[str],
    dwelling_ids: Sequence[str],
    pair_citizen: NDArray[np.integer] | Sequence[int],
    pair_dwelling: NDArray[np.integer] | Sequence[int],
    pair_weight: NDArray[np.floating] | Sequence[float],
    groups: Sequence[GroupSpec] = (),
    dwelling_groups: Sequence[Sequence[int]] | None = None,
    citizen_groups: Sequence[Sequence[int]] | None = None,
) -> PairProblem:
    """Validate and assemble a :class:`PairProblem`.

    ``dwelling_groups[d]`` lists the indices (into ``groups``) of the groups dwelling ``d``
    belongs to; ``citizen_groups`` likewise for citizens. Raises :class:`ProblemError` naming the
    first problem found (duplicate ids or pairs, indices out of range, weights that are not
    finite numbers, negative caps, a minimum above the maximum, a group used on both sides).
    """
    cids = tuple(citizen_ids)
    dids = tuple(dwelling_ids)
    gids = tuple(g.id for g in groups)
    for kind, ids in (("citizen", cids), ("dwelling", dids), ("group", gids)):
        dup = _first_duplicate(ids)
        if dup is not None:
            raise ProblemError(f"duplicate {kind} id {dup!r}")
    pc, pd, pw = _pairs(pair_citizen, pair_dwelling, pair_weight, cids, dids)
    _check_caps(groups)
    dm, dg = _incidence(dwelling_groups, "dwelling", dids, len(groups))
    cm, cg = _incidence(citizen_groups, "citizen", cids, len(groups))
    if dg.size and cg.size:
        both = np.intersect1d(dg, cg)
        if both.size:
            raise ProblemError(
                f"group {gids[int(both[0])]!r} is used by both citizens and dwellings; "
                "a group counts either dwellings or citizens"
            )
    grp = Groups(
        ids=gids,
        max=np.asarray([g.max for g in groups], dtype=np.int64),
        min=np.asarray([g.min for g in groups], dtype=np.int64),
        placed=np.asarray([g.placed for g in groups], dtype=np.int64),
        dwelling_member=dm,
        dwelling_group=dg,
        citizen_member=cm,
        citizen_group=cg,
    )
    return PairProblem(cids, dids, pc, pd, pw, grp)


def _pairs(
    pair_citizen: NDArray[np.integer] | Sequence[int],
    pair_dwelling: NDArray[np.integer] | Sequence[int],
    pair_weight: NDArray[np.floating] | Sequence[float],
    cids: tuple[str, ...],
    dids: tuple[str, ...],
) -> tuple[IntArray, IntArray, NDArray[np.float64]]:
    """The pair arrays, checked: equal length, indices in range, finite weights, no pair twice."""
    pc = np.asarray(pair_citizen, dtype=np.int64)
    pd = np.asarray(pair_dwelling, dtype=np.int64)
    pw = np.asarray(pair_weight, dtype=np.float64)
    if not (pc.ndim == pd.ndim == pw.ndim == 1) or not (pc.shape == pd.shape == pw.shape):
        raise ProblemError("pair arrays must be one-dimensional and of equal length")
    if not pc.size:
        return pc, pd, pw
    nc, nd = len(cids), len(dids)
    for kind, index, n in (("citizen", pc, nc), ("dwelling", pd, nd)):
        if index.min() < 0 or index.max() >= n:
            bad = int(np.flatnonzero((index < 0) | (index >= n))[0])
            raise ProblemError(f"pair {bad}: {kind} index {int(index[bad])} out of range")
    finite = np.isfinite(pw)
    if not finite.all():
        bad = int(np.flatnonzero(~finite)[0])
        raise ProblemError(f"pair {bad}: weight is not a finite number")
    key = pc * max(nd, 1) + pd
    if bool((key[1:] > key[:-1]).all()):
        return pc, pd, pw  # strictly increasing (files written in order): no pair twice
    sorted_key = np.sort(key)
    if bool((sorted_key[1:] == sorted_key[:-1]).any()):
        # The first position that repeats an earlier pair, and that earlier pair.
        order = np.argsort(key, kind="stable")
        sk = key[order]
        p = int(order[1:][sk[1:] == sk[:-1]].min())
        q = int(np.flatnonzero(key == key[p])[0])
        raise ProblemError(
            f"duplicate pair: citizen {cids[pc[p]]!r} and dwelling {dids[pd[p]]!r} "
            f"are listed more than once (pairs {q} and {p})"
        )
    return pc, pd, pw


def _check_caps(groups: Sequence[GroupSpec]) -> None:
    for g in groups:
        for name in ("max", "min", "placed"):
            value = getattr(g, name)
            if value < 0:
                raise ProblemError(f"group {g.id!r}: {name} must not be negative (got {value})")
        if g.min > g.max:
            raise ProblemError(f"group {g.id!r}: min {g.min} is greater than max {g.max}")


def _incidence(
    lists: Sequence[Sequence[int]] | None, kind: str, ids: tuple[str, ...], ng: int
) -> tuple[IntArray, IntArray]:
    """The (member, group) pairs of one side, from each member's list of group indices."""
    if lists is None:
        z = np.zeros(0, dtype=np.int64)
        return z, z
    if len(lists) != len(ids):
        raise ProblemError(f"{kind} group lists: expected {len(ids)}, got {len(lists)}")
    members: list[int] = []
    gs: list[int] = []
    for i, lst in enumerate(lists):
        if len(set(lst)) != len(lst):
            raise ProblemError(f"{kind} {ids[i]!r} lists the same group more than once")
        for g in lst:
            if not 0 <= g < ng:
                raise ProblemError(f"{kind} {ids[i]!r}: group index {g} out of range")
            members.append(i)
            gs.append(g)
    return np.asarray(members, dtype=np.int64), np.asarray(gs, dtype=np.int64)
