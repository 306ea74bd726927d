"""The independent feasibility check names every broken constraint of a chosen set of pairs."""

from __future__ import annotations

import numpy as np

from anvis_core.matching.check import violations
from anvis_core.matching.problem import GroupSpec, PairProblem, make_problem


def _problem() -> PairProblem:
    # Pairs: 0 c1-d1, 1 c1-d2, 2 c2-d1, 3 c3-d3; group g holds d1 and d2 with room for one.
    return make_problem(
        citizen_ids=["c1", "c2", "c3"],
        dwelling_ids=["d1", "d2", "d3"],
        pair_citizen=np.array([0, 0, 1, 2]),
        pair_dwelling=np.array([0, 1, 0, 2]),
        pair_weight=np.array([1.0, 2.0, 3.0, 4.0]),
        groups=[GroupSpec("g", 1, 1, 0)],
        dwelling_groups=[[0], [0], []],
    )


def test_a_feasible_choice_has_no_violations() -> None:
    assert violations(_problem(), np.array([0, 3])) == []
    assert violations(_problem(), np.array([2, 3])) == []


def test_each_broken_constraint_is_named() -> None:
    p = _problem()
    assert violations(p, np.array([0, 0, 3])) == [
        "a pair is chosen more than once",
        "citizen 'c1' is assigned more than once",
        "dwelling 'd1' is assigned more than once",
        "group 'g': 2 new placements exceed the remaining cap 1",
    ]
    assert violations(p, np.array([0, 1])) == [
        "citizen 'c1' is assigned more than once",
        "group 'g': 2 new placements exceed the remaining cap 1",
    ]
    assert violations(p, np.array([0, 2])) == [
        "dwelling 'd1' is assigned more than once",
        "group 'g': 2 new placements exceed the remaining cap 1",
    ]
    assert violations(p, np.array([3])) == [
        "group 'g': 0 new placements are below the remaining minimum 1"
    ]
    assert violations(p, np.array([4])) == ["pair index out of range"]
    assert violations(p, np.array([], dtype=np.int64)) == [
        "group 'g': 0 new placements are below the remaining minimum 1"
    ]
