"""``solve``: batch allocation, exact by min-cost flow when the groups nest, HiGHS otherwise."""

from __future__ import annotations

import math
import time

import numpy as np

from anvis_core.matching.check import violations
from anvis_core.matching.laminar import laminar_forest
from anvis_core.matching.problem import OBJECTIVES, Objective, PairProblem, ProblemError
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

    status: Status
    has_members = np.zeros(grp.size, dtype=np.bool_)
    has_members[grp.dwelling_group] = True
    has_members[grp.citizen_group] = True
    if np.any(grp.min_remaining[~has_members] > 0):
        # A minimum on a group nobody belongs to can never be met.
        return _infeasible(t0, "trivial", laminar)
    if laminar and not force_highs:
        from anvis_core.matching.flow import build_network, solve_network

        assert dw is not None and ct is not None
        net = build_network(problem, objective, dw, ct)
        out = solve_network(net)
        if not out.feasible:
            return _infeasible(t0, "min_cost_flow", laminar)
        pairs = out.pairs
        total = math.fsum(problem.pair_weight[pairs].tolist())
        err = out.abs_error_bound
        g = 0.0 if err == 0.0 else relative_gap(total + err, total)
        method = "min_cost_flow"
    else:
        if problem.n_pairs == 0:
            pairs = no_pairs()
            if np.any(grp.min_remaining > 0):
                return _infeasible(t0, "trivial", laminar)
            total, g, method = 0.0, 0.0, "trivial"
        else:
            from anvis_core.matching.mip import solve_highs

            mo = solve_highs(problem, objective, gap=gap, time_limit=time_limit)
            if not mo.feasible:
                return _infeasible(t0, mo.method, laminar)
            pairs = mo.pairs
            total = math.fsum(problem.pair_weight[pairs].tolist())
            g = relative_gap(mo.bound, mo.value)
            method = mo.method
    problems = violations(problem, pairs)
    if problems:
        raise RuntimeError("solver returned an infeasible assignment: " + "; ".join(problems[:5]))
    status = "optimal" if g <= OPTIMAL_GAP and "unproven" not in method else "feasible"
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
