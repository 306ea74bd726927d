"""Invariants of the solver on random instances (hypothesis)."""

from __future__ import annotations

import random

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anvis_core.matching.check import group_counts
from anvis_core.matching.solve import solve

from .helpers import brute_force, random_problem

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def problems(draw: st.DrawFn, tiny: bool = False):  # type: ignore[no-untyped-def]
    seed = draw(st.integers(0, 2**32 - 1))
    rng = random.Random(seed)
    nc = draw(st.integers(0, 4 if tiny else 25))
    nd = draw(st.integers(0, 5 if tiny else 20))
    return random_problem(
        rng,
        nc=nc,
        nd=nd,
        density=draw(st.sampled_from([0.1, 0.3, 0.6])),
        crossing=draw(st.booleans()),
        with_min=draw(st.booleans()),
        citizen_groups=draw(st.booleans()),
    )


@SETTINGS
@given(problems(), st.sampled_from(["max_weight", "max_count_then_weight"]))
def test_solution_respects_every_constraint(p, objective) -> None:  # type: ignore[no-untyped-def]
    res = solve(p, objective=objective, gap=1e-3)
    pairs = res.pairs
    # only listed pairs, each at most once
    assert np.all((pairs >= 0) & (pairs < p.n_pairs))
    assert np.unique(pairs).size == pairs.size
    # each citizen and dwelling at most once
    assert np.unique(p.pair_citizen[pairs]).size == pairs.size
    assert np.unique(p.pair_dwelling[pairs]).size == pairs.size
    if res.status == "infeasible":
        assert pairs.size == 0
        return
    counts = group_counts(p, pairs)
    grp = p.groups
    # caps never exceeded (counting placements already made), minimums met
    assert np.all(counts + grp.placed <= np.maximum(grp.max, grp.placed))
    assert np.all(counts >= grp.min_remaining)
    assert (
        res.total_weight == sum(sorted(p.pair_weight[pairs].tolist()))
        or abs(res.total_weight - float(np.sum(p.pair_weight[pairs]))) < 1e-9
    )
    assert res.assignments == tuple(
        (p.citizen_ids[c], p.dwelling_ids[d])
        for c, d in zip(p.pair_citizen[pairs], p.pair_dwelling[pairs], strict=True)
    )


@SETTINGS
@given(problems(), st.sampled_from(["max_weight", "max_count_then_weight"]))
def test_same_input_same_output(p, objective) -> None:  # type: ignore[no-untyped-def]
    a = solve(p, objective=objective)
    b = solve(p, objective=objective)
    assert a.status == b.status
    assert a.pairs.tolist() == b.pairs.tolist()
    assert a.total_weight == b.total_weight
    assert a.gap == b.gap


@settings(max_examples=25, deadline=None)
@given(problems(tiny=True))
def test_infeasible_only_when_no_solution_exists(p) -> None:  # type: ignore[no-untyped-def]
    if p.n_pairs > 10:
        return
    res = solve(p)
    assert (res.status == "infeasible") == (not brute_force(p, "max_weight").feasible)
