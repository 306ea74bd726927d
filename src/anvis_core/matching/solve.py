"""``solve``: batch allocation, exact by min-cost flow when the groups nest, HiGHS otherwise."""

from __future__ import annotations

import math
import time
from typing import NamedTuple

import numpy as np

from anvis_core.matching.check import violations
from anvis_core.matching.laminar import Forest, laminar_forest
from anvis_core.matching.problem import (
    OBJECTIVES,
    IntArray,
    Objective,
    PairProblem,
    ProblemError,
)
from anvis_core.matching.result import (
    OPTIMAL_GAP,
    MatchingResult,
    Status,
    no_pairs,
    relative_gap,
)

DEFAULT_GAP = 1e-4
DEFAULT_TIME_LIMIT = 600.0


def solve(
    problem: PairProblem,
    *,
    objective: Objective = "max_weight",
    gap: float = DEFAULT_GAP,
    time_limit: float = DEFAULT_TIME_LIMIT,
    force_highs: bool = False,
) -> MatchingResult:
    """Choose pairs maximising the objective, each citizen and dwelling at most once, every
    group within its remaining bounds.

    When both the dwelling-side and the citizen-side group families nest, the problem is solved
    exactly as a min-cost flow. Otherwise HiGHS is used and stops at relative gap ``gap`` (or
    after ``time_limit`` seconds); the proven gap is reported. ``force_highs`` uses HiGHS even for
    nesting groups (for cross-checks). The same input always gives the same output, unless the
    time limit is reached.
    """
    if objective not in OBJECTIVES:
        raise ProblemError(f"unknown objective {objective!r}; expected one of {OBJECTIVES}")
    t0 = time.perf_counter()
    grp = problem.groups
    dw = laminar_forest(problem.n_dwellings, grp.size, grp.dwelling_member, grp.dwelling_group)
    ct = laminar_forest(problem.n_citizens, grp.size, grp.citizen_member, grp.citizen_group)
    laminar = dw is not None and ct is not None

    has_members = np.zeros(grp.size, dtype=np.bool_)
    has_members[grp.dwelling_group] = True
    has_members[grp.citizen_group] = True
    if np.any(grp.min_remaining[~has_members] > 0):
        # A minimum on a group nobody belongs to can never be met.
        return _infeasible(t0, "trivial", laminar)
    if laminar and not force_highs:
        assert dw is not None and ct is not None
        found = _by_flow(problem, objective, dw, ct)
    else:
        found = _by_highs(problem, objective, gap=gap, time_limit=time_limit)
    pairs, total, g, method = found
    if pairs is None:
        return _infeasible(t0, method, laminar)
    problems = violations(problem, pairs)
    if problems:
        raise RuntimeError("solver returned an infeasible assignment: " + "; ".join(problems[:5]))
    status: Status = "optimal" if g <= OPTIMAL_GAP and "unproven" not in method else "feasible"
    cids, dids = problem.citizen_ids, problem.dwelling_ids
    assignments = tuple(
        (cids[c], dids[d])
        for c, d in zip(
            problem.pair_citizen[pairs].tolist(), problem.pair_dwelling[pairs].tolist(), strict=True
        )
    )
    return MatchingResult(
        status=status,
        pairs=pairs,
        assignments=assignments,
        total_weight=total,
        gap=g,
        seconds=time.perf_counter() - t0,
        method=method,
        laminar=laminar,
    )


class _Found(NamedTuple):
    """What a method found: the chosen pairs (None when the problem is infeasible), their total
    weight, the proven relative gap and the method's name."""

    pairs: IntArray | None
    total: float
    gap: float
    method: str


def _by_flow(problem: PairProblem, objective: Objective, dw: Forest, ct: Forest) -> _Found:
    """Exact, as a min-cost flow over the nesting group forests."""
    from anvis_core.matching.flow import build_network, solve_network

    out = solve_network(build_network(problem, objective, dw, ct))
    if not out.feasible:
        return _Found(None, 0.0, 0.0, "min_cost_flow")
    total = math.fsum(problem.pair_weight[out.pairs].tolist())
    err = out.abs_error_bound
    g = 0.0 if err == 0.0 else relative_gap(total + err, total)
    return _Found(out.pairs, total, g, "min_cost_flow")


def _by_highs(
    problem: PairProblem, objective: Objective, *, gap: float, time_limit: float
) -> _Found:
    """HiGHS, to the relative gap or the time limit; no pairs at all is trivial."""
    if problem.n_pairs == 0:
        if np.any(problem.groups.min_remaining > 0):
            return _Found(None, 0.0, 0.0, "trivial")
        return _Found(no_pairs(), 0.0, 0.0, "trivial")
    from anvis_core.matching.mip import solve_highs

    mo = solve_highs(problem, objective, gap=gap, time_limit=time_limit)
    if not mo.feasible:
        return _Found(None, 0.0, 0.0, mo.method)
    total = math.fsum(problem.pair_weight[mo.pairs].tolist())
    return _Found(mo.pairs, total, relative_gap(mo.bound, mo.value), mo.method)


def _infeasible(t0: float, method: str, laminar: bool) -> MatchingResult:
    return MatchingResult(
        status="infeasible",
        pairs=no_pairs(),
        assignments=(),
        total_weight=0.0,
        gap=None,
        seconds=time.perf_counter() - t0,
        method=method,
        laminar=laminar,
    )
