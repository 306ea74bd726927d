"""The production policy: the production gate, ranking and batch solver in the simulator."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from tests.core.simulation.test_model import rolling_max

from anvis_core.simulation import (
    ScenarioError,
    compile_model,
    run_replication,
    run_scenario,
    scenario_from_dict,
)

Make = Callable[..., dict[str, Any]]

FIGURES = (
    ("queue", "mean_wait_days"),
    ("queue", "mean_number_waiting"),
    ("housed",),
    ("costs_kr", "void_days"),
)


def figure(result: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any]:
    x: Any = result
    for p in path:
        x = x[p]
    return dict(x)


def log_of(data: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    model = compile_model(scenario_from_dict(data))
    rep = run_replication(model, 0, record=True)
    return rep, rep["placement_log"]


@pytest.mark.parametrize("mode", ["online", "batch"])
def test_without_constraints_production_agrees_with_the_baseline(small: Make, mode: str) -> None:
    """No caps, no closures: the production rules reduce to the baseline's, so every headline
    figure of one lies within the other's 95 % interval."""
    data = small(replications=12, horizon_years=4, matching={"mode": mode, "batch_days": 10})
    base = run_scenario(scenario_from_dict(data))
    prod = run_scenario(
        scenario_from_dict({**data, "matching": {**data["matching"], "policy": "production"}})
    )
    assert prod["scenario"]["matching_policy"] == "production"
    for path in FIGURES:
        b, p = figure(base, path), figure(prod, path)
        assert b["ci_low"] <= p["mean"] <= b["ci_high"], path
        assert p["ci_low"] <= b["mean"] <= p["ci_high"], path


def test_online_production_ranks_exactly_as_the_baseline(small: Make) -> None:
    base, _ = log_of(small())
    prod, _ = log_of(small(matching={"policy": "production"}))
    assert base["counts"] == {k: v for k, v in prod["counts"].items() if k in base["counts"]}
    assert base["waits"] == prod["waits"]


@pytest.mark.parametrize("mode", ["online", "batch"])
def test_production_caps_and_closures_hold(small: Make, mode: str) -> None:
    data = small(
        horizon_years=4,
        regime={
            "share_percent": 100,
            "stairwell_cap": 1,
            "department_cap": 5,
            "closed_departments": ["A2"],
        },
        matching={"policy": "production", "mode": mode, "acceptance_probability": 1.0},
    )
    rep, log = log_of(data)
    assert log
    by_entrance: dict[int, list[float]] = {}
    by_department: dict[int, list[float]] = {}
    for p in log:
        by_entrance.setdefault(p["entrance"], []).append(p["time"])
        by_department.setdefault(p["department"], []).append(p["time"])
        assert p["rent"] <= p["max_rent"] and p["rooms"] >= p["rooms_needed"]
        assert p["accessible"] or not p["needs_accessible"]
    assert max(rolling_max(t, 365.0) for t in by_entrance.values()) <= 1
    assert max(rolling_max(t, 365.0) for t in by_department.values()) <= 5
    assert 1 not in by_department  # A2 is department 1, closed
    # a closed department's or a full stairwell's vacancies are blocked on the report day
    assert rep["counts"]["blocked"] > 0
    assert rep["counts"]["closed"] == 0
    # a cap that fills between the report and the municipality's decision still hands back
    assert rep["counts"]["cap_stairwell"] + rep["counts"]["cap_department"] > 0


def test_rules_are_chosen_by_name(small: Make) -> None:
    """Leaving out the room rule lets households into dwellings too small for them (so the
    rule list is really what decides)."""
    data = small(horizon_years=4, matching={"policy": "production"})
    _, with_rule = log_of(data)
    data["matching"]["rules"] = ["active_offer", "declined_before", "rent_over_max"]
    _, without = log_of(data)
    assert all(p["rooms"] >= p["rooms_needed"] for p in with_rule)
    assert any(p["rooms"] < p["rooms_needed"] for p in without)


@pytest.mark.parametrize(
    ("overrides", "parameter"),
    [
        ({"matching": {"policy": "fancy"}}, "matching.policy"),
        ({"matching": {"policy": "production", "rules": ["pets"]}}, "matching.rules"),
        ({"matching": {"rules": ["accessibility"]}}, "matching.rules"),
    ],
)
def test_policy_parameters_are_validated(
    small: Make, overrides: dict[str, Any], parameter: str
) -> None:
    with pytest.raises(ScenarioError) as exc:
        scenario_from_dict(small(**overrides))
    assert exc.value.parameter == parameter
