from __future__ import annotations

import random

import numpy as np
import pytest

from anvis_core.matching.check import violations
from anvis_core.matching.laminar import laminar_forest
from anvis_core.matching.problem import GroupSpec, make_problem
from anvis_core.matching.scaling import scale_weights
from anvis_core.matching.solve import solve

from .helpers import brute_force, random_problem

OBJECTIVES = ["max_weight", "max_count_then_weight"]


@pytest.mark.parametrize("objective", OBJECTIVES)
@pytest.mark.parametrize(
    "shape",
    [
        {"nested": True},
        {"nested": True, "with_min": True},
        {"nested": True, "citizen_groups": True},
        {"nested": True, "crossing": True},
        {"nested": True, "crossing": True, "with_min": True},
    ],
    ids=["nested", "nested-min", "citizen-groups", "crossing", "crossing-min"],
)
def test_matches_brute_force_on_tiny_instances(objective: str, shape: dict[str, bool]) -> None:
    rng = random.Random(hash((objective, tuple(sorted(shape)))) & 0xFFFF)
    checked = 0
    for _ in range(60):
        p = random_problem(rng, nc=rng.randint(1, 5), nd=rng.randint(1, 6), density=0.4, **shape)
        if p.n_pairs > 11:
            continue
        best = brute_force(p, objective)
        res = solve(p, objective=objective, gap=0.0)
        checked += 1
        if not best.feasible:
            assert res.status == "infeasible"
            continue
        assert res.status == "optimal", (res, best)
        assert not violations(p, res.pairs)
        if objective == "max_count_then_weight":
            assert res.count == best.count
        assert res.total_weight == pytest.approx(best.weight, abs=1e-9)
        if shape.get("crossing") and not res.laminar and p.n_pairs:
            assert res.method.startswith("highs")
    assert checked >= 30


@pytest.mark.parametrize("objective", OBJECTIVES)
@pytest.mark.parametrize("seed", range(4))
def test_flow_agrees_with_highs_milp_on_medium_instances(objective: str, seed: int) -> None:
    rng = random.Random(seed)
    p = random_problem(rng, nc=60, nd=40, density=0.12, with_min=seed % 2 == 1)
    flow = solve(p, objective=objective)
    milp = solve(p, objective=objective, force_highs=True, gap=0.0)
    assert flow.method == "min_cost_flow"
    assert flow.status == milp.status
    if flow.status == "infeasible":
        return
    assert flow.count == milp.count or objective == "max_weight"
    assert flow.total_weight == pytest.approx(milp.total_weight, abs=1e-6)
    assert not violations(p, flow.pairs)


@pytest.mark.parametrize("seed", range(3))
def test_crossing_groups_report_a_true_gap(seed: int) -> None:
    rng = random.Random(100 + seed)
    p = random_problem(rng, nc=80, nd=50, density=0.1, crossing=True)
    res = solve(p, gap=1e-3)
    exact = solve(p, gap=0.0)
    assert not res.laminar
    assert res.gap is not None and exact.gap is not None
    assert exact.total_weight >= res.total_weight - 1e-6
    # The reported gap is proven: the exact optimum lies within it.
    den = max(abs(exact.total_weight), abs(res.total_weight))
    assert exact.total_weight - res.total_weight <= res.gap * den + 1e-6


def test_issue_example() -> None:
    p = make_problem(
        citizen_ids=["c1"],
        dwelling_ids=["d1"],
        pair_citizen=[0],
        pair_dwelling=[0],
        pair_weight=[12.5],
        groups=[GroupSpec("s1", 1), GroupSpec("a1", 3), GroupSpec("o1", 10, 0)],
        dwelling_groups=[[0, 1, 2]],
    )
    res = solve(p)
    assert res.status == "optimal"
    assert res.assignments == (("c1", "d1"),)
    assert res.total_weight == 12.5
    assert res.gap == 0.0


def test_count_then_weight_prefers_more_assignments() -> None:
    # c1 alone on d1 is worth 10; c1-d2 and c2-d1 together only 2.
    p = make_problem(
        citizen_ids=["c1", "c2"],
        dwelling_ids=["d1", "d2"],
        pair_citizen=[0, 0, 1],
        pair_dwelling=[0, 1, 0],
        pair_weight=[10.0, 1.0, 1.0],
    )
    assert solve(p, objective="max_weight").assignments == (("c1", "d1"),)
    both = solve(p, objective="max_count_then_weight")
    assert both.assignments == (("c1", "d2"), ("c2", "d1"))
    assert both.total_weight == 2.0


def test_minimum_is_met_even_at_a_loss_and_infeasible_minimum_is_reported() -> None:
    base = {
        "citizen_ids": ["c1", "c2"],
        "dwelling_ids": ["d1", "d2"],
        "pair_citizen": [0, 1],
        "pair_dwelling": [0, 1],
        "pair_weight": [5.0, -3.0],
        "dwelling_groups": [[], [0]],
    }
    p = make_problem(**base, groups=[GroupSpec("o2", 1, 1)])  # type: ignore[arg-type]
    res = solve(p)
    assert res.assignments == (("c1", "d1"), ("c2", "d2"))
    assert res.total_weight == 2.0
    q = make_problem(**base, groups=[GroupSpec("o2", 2, 2)])  # type: ignore[arg-type]
    assert solve(q).status == "infeasible"
    assert solve(q, force_highs=True).status == "infeasible"


def test_placed_counts_against_the_cap() -> None:
    p = make_problem(
        citizen_ids=["c1", "c2"],
        dwelling_ids=["d1", "d2"],
        pair_citizen=[0, 1],
        pair_dwelling=[0, 1],
        pair_weight=[5.0, 4.0],
        groups=[GroupSpec("a", 3, 0, 2)],
        dwelling_groups=[[0], [0]],
    )
    assert solve(p).assignments == (("c1", "d1"),)


def test_laminar_detection() -> None:
    member = np.array([0, 0, 1, 1, 2, 2, 0], dtype=np.int64)
    # groups: 0 = {0,1,2}, 1 = {0,1}, 2 = {2}; nested
    group = np.array([0, 1, 0, 1, 0, 2, 0], dtype=np.int64)[:6]
    f = laminar_forest(3, 3, member[:6], group)
    assert f is not None
    assert f.parent.tolist() == [-1, 0, 0]
    assert f.leaf.tolist() == [1, 1, 2]
    # add group 3 = {1, 2}: crosses group 1
    m2 = np.concatenate((member[:6], [1, 2]))
    g2 = np.concatenate((group, [3, 3]))
    assert laminar_forest(3, 4, m2, g2) is None
    # identical sets nest both ways
    f3 = laminar_forest(2, 2, np.array([0, 1, 0, 1]), np.array([0, 0, 1, 1]))
    assert f3 is not None and f3.parent.tolist() == [-1, 0]


def test_scaling_is_exact_for_decimals_and_bounded_otherwise() -> None:
    w = np.array([12.5, 0.1, 3.25, -7.3])
    s = scale_weights(w, 10**12, 4)
    assert s.exact and s.scale == 100.0
    assert s.costs.tolist() == [1250, 10, 325, -730]
    irrational = np.array([np.pi, np.e])
    t = scale_weights(irrational, 10**6, 2)
    assert not t.exact
    assert t.abs_error_bound == pytest.approx(2 / t.scale)
    assert np.all(np.abs(t.costs / t.scale - irrational) <= 0.5 / t.scale)


def test_non_decimal_weights_give_feasible_with_tiny_gap() -> None:
    p = make_problem(
        citizen_ids=["c1", "c2"],
        dwelling_ids=["d1"],
        pair_citizen=[0, 1],
        pair_dwelling=[0, 0],
        pair_weight=[1 / 3, 2 / 7],
    )
    res = solve(p)
    assert res.assignments == (("c1", "d1"),)
    assert res.gap is not None and res.gap < 1e-6


def test_fractional_lp_goes_through_the_residual_problem_and_reports_its_gap() -> None:
    # Three pairwise-crossing groups of two dwellings, each with cap 1: the LP puts 1/2 on every
    # dwelling (value 1.5) while any integer solution houses one citizen (value 1).
    p = make_problem(
        citizen_ids=["c0", "c1", "c2"],
        dwelling_ids=["d0", "d1", "d2"],
        pair_citizen=[0, 1, 2],
        pair_dwelling=[0, 1, 2],
        pair_weight=[1.0, 1.0, 1.0],
        groups=[GroupSpec("x01", 1), GroupSpec("x12", 1), GroupSpec("x02", 1)],
        dwelling_groups=[[0, 2], [0, 1], [1, 2]],
    )
    loose = solve(p, gap=0.5)
    assert not loose.laminar
    assert loose.method == "highs_lp_fix_mip"
    assert loose.status == "feasible"
    assert loose.count == 1
    assert loose.gap == pytest.approx(1 / 3)
    tight = solve(p)
    assert tight.method == "highs_mip"
    assert tight.status == "optimal" and tight.gap == 0.0 and tight.count == 1
