"""Independent feasibility check of a set of chosen pairs (used after every solve and in tests)."""

from __future__ import annotations

import numpy as np

from anvis_core.matching.problem import IntArray, PairProblem


def group_counts(problem: PairProblem, pairs: IntArray) -> IntArray:
    """How many of the chosen pairs count against each group."""
    grp = problem.groups
    per_dwelling = np.bincount(problem.pair_dwelling[pairs], minlength=problem.n_dwellings)
    per_citizen = np.bincount(problem.pair_citizen[pairs], minlength=problem.n_citizens)
    counts = np.zeros(grp.size, dtype=np.int64)
    np.add.at(counts, grp.dwelling_group, per_dwelling[grp.dwelling_member])
    np.add.at(counts, grp.citizen_group, per_citizen[grp.citizen_member])
    return counts


def violations(problem: PairProblem, pairs: IntArray) -> list[str]:
    """Every way in which choosing ``pairs`` breaks the problem's constraints (empty if none)."""
    out: list[str] = []
    if pairs.size and (pairs.min() < 0 or pairs.max() >= problem.n_pairs):
        return ["pair index out of range"]
    # Counting by index (bincount) is linear; it also spares a fresh `anvis match` process the
    # import of numpy.ma that np.unique makes on first use.
    if pairs.size and np.bincount(pairs).max() > 1:
        out.append("a pair is chosen more than once")
    for kind, arr, ids in (
        ("citizen", problem.pair_citizen[pairs], problem.citizen_ids),
        ("dwelling", problem.pair_dwelling[pairs], problem.dwelling_ids),
    ):
        for i in np.flatnonzero(np.bincount(arr) > 1):
            out.append(f"{kind} {ids[int(i)]!r} is assigned more than once")
    counts = group_counts(problem, pairs)
    grp = problem.groups
    for g in np.flatnonzero(counts > grp.max_remaining):
        out.append(
            f"group {grp.ids[g]!r}: {int(counts[g])} new placements exceed the remaining "
            f"cap {int(grp.max_remaining[g])}"
        )
    for g in np.flatnonzero(counts < grp.min_remaining):
        out.append(
            f"group {grp.ids[g]!r}: {int(counts[g])} new placements are below the remaining "
            f"minimum {int(grp.min_remaining[g])}"
        )
    return out
