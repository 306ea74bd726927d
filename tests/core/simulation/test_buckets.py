"""The simulator's turn counters are the live ones: one per organisation and share.

Live, a vacancy's counter is `anvis_core.quotas.BucketKey(organisation, share)` (the persisted
`TurnCounter` is unique per agreement, organisation and share): departments of one
organisation on steps with the same share, or without a step where the agreement's share is
that share, count on one counter, and a running counter's credit is brought in once.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from anvis_core.quotas import BucketKey
from anvis_core.simulation import compile_model, run_replication, scenario_from_dict
from anvis_core.simulation.scenario import BucketCredit

Make = Callable[..., dict[str, Any]]


def _steps(data: dict[str, Any], steps: dict[str, str]) -> dict[str, Any]:
    for department in data["stock"]["departments"]:
        if department["name"] in steps:
            department["step"] = steps[department["name"]]
    return data


def _municipal(data: dict[str, Any], credit: tuple[BucketCredit, ...] = ()) -> list[Any]:
    s = scenario_from_dict(data)
    s = s.with_changes(regime=dataclasses.replace(s.regime, start_credit=credit))
    model = compile_model(s)
    return [
        (rep["counts"]["municipal"], rep["org_expected"])
        for rep in (run_replication(model, i) for i in range(4))
    ]


def test_steps_with_the_same_share_share_a_counter(small: Make) -> None:
    regime = {
        "share_percent": 50,
        "steps": [{"name": "x", "share_percent": 50}, {"name": "y", "share_percent": 50}],
    }
    data = _steps(small(regime=regime), {"A1": "x", "A2": "y", "B1": "x"})
    model = compile_model(scenario_from_dict(data))
    assert sorted(model.bucket_names) == [
        BucketKey(0, Fraction(1, 2)),
        BucketKey(1, Fraction(1, 2)),
    ]


def test_a_department_without_a_step_counts_with_the_step_of_the_agreements_share(
    small: Make,
) -> None:
    """A1 on a 50 % step, A2 without one under a 50 % agreement: the same turns as no steps,
    with a running counter's credit brought in once."""
    credit = (BucketCredit("A", Fraction(1, 2), Fraction(1, 2)),)
    plain = small(regime={"share_percent": 50})
    stepped = _steps(
        small(regime={"share_percent": 50, "steps": [{"name": "x", "share_percent": 50}]}),
        {"A1": "x"},
    )
    assert _municipal(stepped, credit) == _municipal(plain, credit)
