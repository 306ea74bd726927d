"""Tenancies, honest headlines, the budget and paired differences."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest

from anvis_core.simulation import compile_model, run_replication, run_scenario, scenario_from_dict
from anvis_core.simulation.runner import run_scenarios
from anvis_core.simulation.scenario import scenarios_from_dict

Make = Callable[..., dict[str, Any]]

TWO_METHODS = {
    "return_share": 0.6,
    "methods": [
        {"name": "ACT", "share": 1, "retained_12_months": 0.9, "support_per_year": 120000},
        {"name": "none", "share": 1, "retained_12_months": 0.5, "support_per_year": 0},
    ],
}


def test_retention_by_method_and_returns_follow_the_parameters(small: Make) -> None:
    data = small(
        replications=8,
        horizon_years=6,
        regime={"share_percent": 100},
        matching={"acceptance_probability": 1.0},
        tenancy=TWO_METHODS,
    )
    res = run_scenario(scenario_from_dict(data))
    act, none = res["tenancy"]["by_method"]
    for method, retained in ((act, 0.9), (none, 0.5)):
        kept = method["still_housed_12_months"]["mean"] / method["followed_12_months"]["mean"]
        assert abs(kept - retained) < 0.08, (method["name"], kept)
    t = res["tenancy"]
    ratio = t["returns"]["mean"] / t["breakdowns"]["mean"]
    assert abs(ratio - 0.6) < 0.1
    # returns are new spells on the list: they are housed again or still waiting
    assert res["vacancies"]["returns"]["mean"] > 0


def test_no_breakdowns_by_default(small: Make) -> None:
    rep = run_replication(compile_model(scenario_from_dict(small())), 0)
    assert rep["counts"]["breakdowns"] == rep["counts"]["returns"] == 0
    t = rep["tenancy"]
    assert t["still_housed_12_months"] == t["followed_12_months"] > 0


def test_headlines_cover_everyone_who_joined(small: Make) -> None:
    rep = run_replication(compile_model(scenario_from_dict(small(tenancy=TWO_METHODS))), 1)
    h = rep["headlines"]
    assert sum(h["count_by_outcome"].values()) == h["joined"]
    shares = h["share_housed_within"]
    assert 0 <= shares["3"] <= shares["6"] <= shares["12"] <= 1
    assert h["mean_days_on_list_by_outcome"]["waiting"] > 0
    # the number waiting each month averages to the mean number waiting
    mean = sum(h["waiting_series"][:-1]) / len(h["waiting_series"][:-1])
    assert mean == pytest.approx(rep["queue"]["mean_number_waiting"], rel=0.05)


def test_budget_adds_up(small: Make) -> None:
    data = small(
        tenancy=TWO_METHODS,
        costs={
            "discount_rate": 0.0,
            "shelter_refund_days_per_year": 400,
            "housing_benefit_per_year": 24000,
            "housing_benefit_municipal_share": 0.25,
        },
    )
    rep = run_replication(compile_model(scenario_from_dict(data)), 0)
    b = rep["budget"]
    years = b["years"]
    assert len(years) == 3
    assert b["shelter_days"] == pytest.approx(rep["shelter_days"])
    assert sum(y["void_rent"] for y in years) == pytest.approx(rep["void_rent"])
    for y in years:
        # every shelter day refunded (400 ≥ 365 days): the refund is exactly half
        assert y["shelter_refund"] == pytest.approx(0.5 * y["shelter_gross"])
        assert y["support_gross"] == pytest.approx(sum(y["support_by_method"]))
        parts = (y["shelter_net"] + y["void_rent"] + y["guarantees"] + y["support_net"]) + y[
            "housing_benefit"
        ]
        assert y["total"] == pytest.approx(parts)
        assert y["total_discounted"] == pytest.approx(y["total"])
    assert any(y["guarantees"] > 0 for y in years)
    assert any(y["housing_benefit"] > 0 for y in years)
    discounted = run_replication(
        compile_model(
            scenario_from_dict({**data, "costs": {**data["costs"], "discount_rate": 0.05}})
        ),
        0,
    )["budget"]
    assert discounted["total"] == pytest.approx(b["total"])
    assert discounted["present_value"] < b["total"]


def test_paired_differences_use_common_random_numbers(small: Make) -> None:
    data = small(
        replications=6,
        variants={
            "quarter": {"regime": {"share_percent": 25}},
            "half": {"regime": {"share_percent": 50}},
            "same": {"regime": {"share_percent": 25}},
        },
    )
    out = run_scenarios(scenarios_from_dict(data))
    paired = out["paired_differences"]
    assert paired["base"] == "quarter"
    same = paired["variants"]["same"]
    assert all(d["mean"] == 0 and not d["clear"] for d in same.values())
    half = paired["variants"]["half"]["mean_number_waiting"]
    assert half["mean"] < 0 and half["clear"]
    # the paired interval is narrower than either variant's own interval
    own = half["base"]["ci_high"] - half["base"]["ci_low"]
    assert half["ci_high"] - half["ci_low"] < own
    assert math.isclose(half["mean"], half["other"]["mean"] - half["base"]["mean"])
