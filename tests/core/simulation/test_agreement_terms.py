"""The agreement's terms in the simulator as production applies them: the rent ceiling on its
basis (net or gross with the a conto) and comparison (at most or below), judged dwelling by
dwelling by `anvis_core.rent_ceiling.judge_rent_ceiling`; a cap of 0 (no placements); and
departments closed by composition monitoring, under both matching policies."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from anvis_core.rent_ceiling import CeilingTerms, judge_rent_ceiling
from anvis_core.simulation import (
    ScenarioError,
    compile_model,
    run_replication,
    run_scenario,
    scenario_from_dict,
)
from anvis_core.simulation.scenario import ExplicitStockSpec

Make = Callable[..., dict[str, Any]]

# A1: 20 at 3,400 and 10 at 4,600 + 500 a conto; A2: 25 at 3,900; B1: 30 at 4,400 + 600 a
# conto and 10 at 6,000 (the small scenario's stock, with a conto).
A_CONTO = {
    "departments": [
        {
            "organisation": "A",
            "name": "A1",
            "entrances": 3,
            "dwellings": [
                {"count": 20, "rent": 3400, "rooms": 1},
                {"count": 10, "rent": 4600, "aconto": 500, "rooms": 2, "accessible": True},
            ],
        },
        {
            "organisation": "A",
            "name": "A2",
            "entrances": 2,
            "dwellings": [{"count": 25, "rent": 3900, "rooms": 2}],
        },
        {
            "organisation": "B",
            "name": "B1",
            "entrances": 4,
            "dwellings": [
                {"count": 30, "rent": 4400, "aconto": 600, "rooms": 3},
                {"count": 10, "rent": 6000, "rooms": 3},
            ],
        },
    ]
}


def _with_a_conto(small: Make, **regime: Any) -> dict[str, Any]:
    data = small(horizon_years=4, regime={"share_percent": 100, **regime})
    data["stock"]["departments"] = A_CONTO["departments"]
    return data


@pytest.mark.parametrize(
    ("terms", "within"),
    [
        ({}, 85),  # net, at most: every dwelling up to 5,000 kr
        ({"rent_ceiling_basis": "net", "rent_ceiling_comparison": "at_most"}, 85),
        ({"rent_ceiling_basis": "gross"}, 75),  # 4,600 + 500 is over
        ({"rent_ceiling_basis": "gross", "rent_ceiling_comparison": "below"}, 45),  # 5,000 too
        ({"rent_ceiling_comparison": "below"}, 85),
    ],
)
def test_the_ceiling_is_judged_on_the_agreements_basis_and_comparison(
    small: Make, terms: dict[str, Any], within: int
) -> None:
    s = scenario_from_dict(_with_a_conto(small, **terms))
    assert isinstance(s.stock, ExplicitStockSpec)
    judged = CeilingTerms(
        ceiling=5000,
        basis=s.regime.rent_ceiling_basis,
        comparison=s.regime.rent_ceiling_comparison,
    )
    # what the gate would let in, dwelling by dwelling
    gate = [
        d.type in s.regime.covered_types
        and judge_rent_ceiling(rent=d.rent, aconto=d.aconto, terms=judged).within
        for d in s.stock.dwellings
    ]
    assert sum(gate) == within
    result = run_scenario(s.with_changes(replications=2))
    assert result["stock"]["covered_dwellings_within_ceiling"] == within
    for policy in ("baseline", "production"):
        model = compile_model(s.with_changes(matching=_policy(s, policy)))
        log = run_replication(model, 0, record=True)["placement_log"]
        assert log, policy
        assert all(gate[p["dwelling"]] for p in log), policy


def _policy(s: Any, policy: str) -> Any:
    import dataclasses

    return dataclasses.replace(s.matching, policy=policy)


def test_without_the_new_terms_results_are_those_of_net_at_most(small: Make) -> None:
    """A scenario that does not name the terms means what it meant before: net, at most."""
    data = _with_a_conto(small)
    explicit = _with_a_conto(small, rent_ceiling_basis="net", rent_ceiling_comparison="at_most")
    assert run_scenario(scenario_from_dict(data)) == run_scenario(scenario_from_dict(explicit))


def test_the_production_gate_gets_the_ceiling_terms(small: Make) -> None:
    from anvis_core.simulation.matching import VacancyView
    from anvis_core.simulation.production import ProductionPolicy

    s = scenario_from_dict(
        _with_a_conto(small, rent_ceiling_basis="gross", rent_ceiling_comparison="below")
    )
    policy = ProductionPolicy(s, ("A1", "A2", "B1"))
    assert policy.admit(VacancyView(4400.0, 3, False, 0, 1, 2, 5, aconto=599.0)) == ""
    assert policy.admit(VacancyView(4400.0, 3, False, 0, 1, 2, 5, aconto=600.0)) != ""


@pytest.mark.parametrize("policy", ["baseline", "production"])
@pytest.mark.parametrize("mode", ["online", "batch"])
def test_a_cap_of_zero_places_nobody(small: Make, policy: str, mode: str) -> None:
    data = small(
        horizon_years=2,
        regime={"share_percent": 100, "stairwell_cap": 0},
        matching={"policy": policy, "mode": mode},
    )
    rep = run_replication(compile_model(scenario_from_dict(data)), 0)
    assert rep["counts"]["placements"] == 0
    # a cap of 0 is reached on every report day: each vacancy is blocked, none is a turn
    assert rep["counts"]["blocked"] == rep["counts"]["reported"] > 0
    assert rep["counts"]["municipal"] == 0


@pytest.mark.parametrize("mode", ["online", "batch"])
def test_the_baseline_places_nobody_in_a_closed_department(small: Make, mode: str) -> None:
    data = small(
        horizon_years=3,
        regime={"share_percent": 100, "closed_departments": ["A2"]},
        matching={"mode": mode, "acceptance_probability": 1.0},
    )
    model = compile_model(scenario_from_dict(data))
    rep = run_replication(model, 0, record=True)
    assert rep["placement_log"]
    assert "A2" not in {model.stock.departments[p["department"]] for p in rep["placement_log"]}
    # its vacancies are blocked on the report day, not taken and handed back
    assert rep["counts"]["blocked"] > 0
    assert rep["counts"]["closed"] == 0


def test_a_negative_a_conto_is_refused(small: Make) -> None:
    data = _with_a_conto(small)
    data["stock"]["departments"][0]["dwellings"][1]["aconto"] = -1
    with pytest.raises(ScenarioError) as exc:
        scenario_from_dict(data)
    assert exc.value.parameter == "stock.dwellings[20].aconto"
