"""Batch allocation with HiGHS, for cap groups that do not nest.

Model: one variable ``x_p`` in {0, 1} per listed pair; each citizen and each dwelling at most
once; every group ``min_remaining <= sum <= max_remaining``. Method:

1. Solve the LP relaxation. Its optimum is an upper bound on the integer optimum.
2. Keep the variables the LP set to 1, drop those it set to 0, and solve the small residual
   integer problem over the fractional variables (with the row bounds reduced by the kept ones).
3. The gap between the LP bound and the combined integer solution is proven. If it is larger
   than the requested tolerance, or the residual problem is infeasible, solve the full integer
   problem starting from the best solution found, until the tolerance or the time limit.

``max_count_then_weight`` is solved in two stages: first the number of assignments, then the
weight with the number fixed at the count found.
"""

from __future__ import annotations

import math
import os
import sys
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from anvis_core.matching.check import violations
from anvis_core.matching.problem import FloatArray, IntArray, Objective, PairProblem

EPS = 1e-6


@dataclass(frozen=True, eq=False)
class Model:
    """The constraint matrix in compressed columns, rows: citizens, dwellings, groups, extra."""

    start: IntArray
    index: IntArray
    n_rows: int
    row_lower: FloatArray
    row_upper: FloatArray


@dataclass(frozen=True, eq=False)
class MipOutcome:
    feasible: bool
    pairs: IntArray
    bound: float
    value: float
    method: str


def build_model(problem: PairProblem) -> Model:
    from scipy import sparse

    nc, nd, npairs = problem.n_citizens, problem.n_dwellings, problem.n_pairs
    grp = problem.groups
    cols = np.arange(npairs)
    one = np.ones(npairs)
    cmat = sparse.csr_array((one, (problem.pair_citizen, cols)), shape=(nc, npairs))
    dmat = sparse.csr_array((one, (problem.pair_dwelling, cols)), shape=(nd, npairs))
    gd = sparse.csr_array(
        (np.ones(grp.dwelling_group.size), (grp.dwelling_group, grp.dwelling_member)),
        shape=(grp.size, nd),
    )
    gc = sparse.csr_array(
        (np.ones(grp.citizen_group.size), (grp.citizen_group, grp.citizen_member)),
        shape=(grp.size, nc),
    )
    gmat = gd @ dmat + gc @ cmat
    full = sparse.vstack((cmat, dmat, gmat), format="csc")
    full.sort_indices()
    inf = math.inf
    row_lower = np.concatenate((np.full(nc + nd, -inf), grp.min_remaining.astype(np.float64)))
    row_upper = np.concatenate((np.ones(nc + nd), grp.max_remaining.astype(np.float64)))
    return Model(
        np.asarray(full.indptr, dtype=np.int64),
        np.asarray(full.indices, dtype=np.int64),
        int(full.shape[0]),
        row_lower,
        row_upper,
    )


_banner_shown = False


def _new_highs() -> Any:
    """A HiGHS instance. The library prints a banner on standard output the first time; keep
    standard output clean (the command line may write its result there)."""
    global _banner_shown
    import highspy

    if _banner_shown:
        return highspy.Highs()  # type: ignore[no-untyped-call]
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 1)
            h = highspy.Highs()  # type: ignore[no-untyped-call]
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    _banner_shown = True
    return h


def _highs(time_limit: float) -> Any:
    h = _new_highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("random_seed", 0)
    h.setOptionValue("time_limit", float(max(time_limit, 1.0)))
    return h


def _run(
    model: Model,
    cols: IntArray,
    cost: FloatArray,
    row_lower: FloatArray,
    row_upper: FloatArray,
    *,
    integer: bool,
    mip_gap: float,
    time_limit: float,
    start: FloatArray | None = None,
) -> tuple[str, FloatArray, float, float]:
    """Solve max ``cost @ x`` over columns ``cols`` of the model.

    Returns (status, x, objective value, proven bound); status is "optimal", "feasible"
    (stopped with a solution), or "infeasible".
    """
    import highspy

    starts = model.start[cols]
    ends = model.start[cols + 1]
    lengths = ends - starts
    new_start = np.zeros(cols.size + 1, dtype=np.int64)
    np.cumsum(lengths, out=new_start[1:])
    take = np.repeat(starts - new_start[:-1], lengths) + np.arange(new_start[-1])
    index = model.index[take]

    lp = highspy.HighsLp()
    lp.num_col_ = int(cols.size)
    lp.num_row_ = model.n_rows
    lp.col_cost_ = np.asarray(cost, dtype=np.float64)
    lp.col_lower_ = np.zeros(cols.size)
    lp.col_upper_ = np.ones(cols.size)
    lp.row_lower_ = row_lower
    lp.row_upper_ = row_upper
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = new_start.astype(np.int32)
    lp.a_matrix_.index_ = index.astype(np.int32)
    lp.a_matrix_.value_ = np.ones(index.size)
    if integer:
        lp.integrality_ = [highspy.HighsVarType.kInteger] * int(cols.size)
    h = _highs(time_limit)
    if integer:
        h.setOptionValue("mip_rel_gap", float(mip_gap))
    h.passModel(lp)
    if start is not None and integer:
        sol = highspy.HighsSolution()
        sol.col_value = list(start)
        sol.value_valid = True
        h.setSolution(sol)
    h.run()
    ms = h.getModelStatus()
    info = h.getInfo()
    s = highspy.HighsModelStatus
    if ms in (s.kInfeasible, s.kUnboundedOrInfeasible):
        return "infeasible", np.zeros(cols.size), -math.inf, -math.inf
    if ms != s.kOptimal and (not integer or info.primal_solution_status != 2):
        return "unknown", np.zeros(cols.size), 0.0, 0.0
    x = np.asarray(h.getSolution().col_value, dtype=np.float64)
    value = float(info.objective_function_value)
    bound = float(info.mip_dual_bound) if integer else value
    status = "optimal" if ms == s.kOptimal else "feasible"
    return status, x, value, bound


def _lp_fix_mip(
    problem: PairProblem,
    model: Model,
    cost: FloatArray,
    row_lower: FloatArray,
    row_upper: FloatArray,
    *,
    gap: float,
    deadline: float,
) -> MipOutcome:
    allcols = np.arange(problem.n_pairs, dtype=np.int64)
    st, x, lp_value, _ = _run(
        model,
        allcols,
        cost,
        row_lower,
        row_upper,
        integer=False,
        mip_gap=gap,
        time_limit=deadline - time.perf_counter(),
    )
    if st == "infeasible":
        return MipOutcome(False, np.zeros(0, dtype=np.int64), -math.inf, -math.inf, "highs_lp")
    if st == "unknown":
        raise RuntimeError("the LP relaxation could not be solved in the time limit")
    bound = lp_value
    ones = np.flatnonzero(x > 1 - EPS)
    frac = np.flatnonzero((x > EPS) & (x <= 1 - EPS))
    chosen: IntArray | None = None
    method = "highs_lp"
    if frac.size == 0:
        chosen = ones
    else:
        method = "highs_lp_fix_mip"
        used = _activity(model, ones)
        st2, x2, _, _ = _run(
            model,
            frac,
            cost[frac],
            row_lower - used,
            row_upper - used,
            integer=True,
            mip_gap=gap,
            time_limit=deadline - time.perf_counter(),
        )
        if st2 in ("optimal", "feasible"):
            chosen = np.sort(np.concatenate((ones, frac[x2 > 0.5])))
    if chosen is not None and _feasible(problem, model, chosen, row_lower, row_upper):
        value = float(cost[chosen].sum())
        if _rel(bound, value) <= gap:
            return MipOutcome(True, chosen, bound, value, method)
    # Escalate: the full integer problem, warm-started from what we have.
    start = None
    if chosen is not None:
        start = np.zeros(problem.n_pairs)
        start[chosen] = 1.0
    st3, x3, _, bound3 = _run(
        model,
        allcols,
        cost,
        row_lower,
        row_upper,
        integer=True,
        mip_gap=gap,
        time_limit=deadline - time.perf_counter(),
        start=start,
    )
    if st3 == "infeasible":
        return MipOutcome(False, np.zeros(0, dtype=np.int64), -math.inf, -math.inf, "highs_mip")
    if st3 == "unknown":
        raise RuntimeError("no integer solution found in the time limit")
    chosen3 = np.flatnonzero(x3 > 0.5)
    return MipOutcome(True, chosen3, min(bound, bound3), float(cost[chosen3].sum()), "highs_mip")


def _rel(bound: float, value: float) -> float:
    den = max(abs(bound), abs(value))
    return 0.0 if den == 0 else (bound - value) / den


def _activity(model: Model, cols: IntArray) -> FloatArray:
    """Row activities when the variables ``cols`` are one and all others zero."""
    starts = model.start[cols]
    lengths = model.start[cols + 1] - starts
    offsets = np.cumsum(lengths) - lengths
    take = np.repeat(starts - offsets, lengths) + np.arange(int(lengths.sum()))
    return np.bincount(model.index[take], minlength=model.n_rows).astype(np.float64)


def _feasible(
    problem: PairProblem, model: Model, chosen: IntArray, lo: FloatArray, hi: FloatArray
) -> bool:
    if violations(problem, chosen):
        return False
    act = _activity(model, chosen)
    return bool(np.all(act >= lo - EPS) and np.all(act <= hi + EPS))


def solve_highs(
    problem: PairProblem, objective: Objective, *, gap: float, time_limit: float
) -> MipOutcome:
    """Solve the problem with HiGHS; ``gap`` is the relative gap at which to stop."""
    deadline = time.perf_counter() + time_limit
    model = build_model(problem)
    w = problem.pair_weight
    if objective == "max_weight":
        return _lp_fix_mip(
            problem, model, w, model.row_lower, model.row_upper, gap=gap, deadline=deadline
        )
    # Stage 1: the largest number of assignments (integral objective: a gap below one unit
    # proves the count).
    count = _lp_fix_mip(
        problem,
        model,
        np.ones(problem.n_pairs),
        model.row_lower,
        model.row_upper,
        gap=min(gap, 0.5 / max(problem.n_pairs, 1)),
        deadline=deadline,
    )
    if not count.feasible:
        return count
    k = count.pairs.size
    count_proven = math.floor(count.bound + EPS) <= k
    # Stage 2: the best weight among solutions with k assignments: add the row sum(x) >= k.
    stage2 = _with_count_row(problem, model, k, gap=gap, deadline=deadline)
    method = stage2.method + ("" if count_proven else "+unproven_count")
    return MipOutcome(stage2.feasible, stage2.pairs, stage2.bound, stage2.value, method)


def _with_count_row(
    problem: PairProblem, model: Model, k: int, *, gap: float, deadline: float
) -> MipOutcome:
    npairs = problem.n_pairs
    lengths = np.diff(model.start) + 1
    start = np.zeros(npairs + 1, dtype=np.int64)
    np.cumsum(lengths, out=start[1:])
    index = np.empty(int(start[-1]), dtype=np.int64)
    last = start[1:] - 1
    mask = np.ones(index.size, dtype=np.bool_)
    mask[last] = False
    index[mask] = model.index
    index[last] = model.n_rows
    ext = Model(
        start,
        index,
        model.n_rows + 1,
        np.concatenate((model.row_lower, [float(k)])),
        np.concatenate((model.row_upper, [math.inf])),
    )
    return _lp_fix_mip(
        problem,
        ext,
        problem.pair_weight,
        ext.row_lower,
        ext.row_upper,
        gap=gap,
        deadline=deadline,
    )
