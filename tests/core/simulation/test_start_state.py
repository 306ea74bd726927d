"""A scenario that starts from today: the ledger's credit, open vacancies, recent placements."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from anvis_core.simulation import compile_model, run_replication, scenario_from_dict
from anvis_core.simulation.scenario import BucketCredit, RecentPlacement

Make = Callable[..., dict[str, Any]]


def first_municipal_report(data: dict[str, Any], **changes: Any) -> tuple[float, float]:
    s = scenario_from_dict(data)
    if "start_credit" in changes:
        s = s.with_changes(regime=dataclasses.replace(s.regime, **changes))
    rep = run_replication(compile_model(s), 0)
    return rep["counts"]["municipal"], rep["org_expected"][0]


def test_a_running_counter_starts_from_its_credit(small: Make) -> None:
    data = small(regime={"share_percent": 25}, horizon_years=1)
    fresh, promised = first_municipal_report(data)
    credit = (BucketCredit("A", Fraction(1, 4), Fraction(3, 4)),)
    running, promised_running = first_municipal_report(data, start_credit=credit)
    # with 3/4 credit, organisation A's first eligible vacancy is already municipal
    assert running == fresh + 1
    # what the share promised during the run does not include the credit brought in
    assert promised_running == promised


def test_open_vacancies_are_offered_at_once_and_recent_placements_count_for_caps(
    small: Make,
) -> None:
    data = small(
        horizon_years=1,
        regime={"share_percent": 0, "stairwell_cap": 1},
        matching={"acceptance_probability": 1.0, "offer_response_days": 0},
    )
    s = scenario_from_dict(data)
    log = run_replication(
        compile_model(s.with_changes(open_vacancies=("A1/1", "A1/2"))), 0, record=True
    )["placement_log"]
    assert sorted(p["dwelling"] for p in log) == [0, 1] and all(p["time"] == 0 for p in log)
    # A1/1 and A1/4 share stairwell A1/1 (three stairwells): a placement 100 days ago blocks it
    blocked = s.with_changes(
        open_vacancies=("A1/1", "A1/2"), recent_placements=(RecentPlacement("A1/4", 100),)
    )
    rep = run_replication(compile_model(blocked), 0, record=True)
    assert [p["dwelling"] for p in rep["placement_log"]] == [1]
    assert rep["counts"]["cap_stairwell"] == 1
    # a placement 400 days ago has left the 365-day window
    old = s.with_changes(
        open_vacancies=("A1/1",), recent_placements=(RecentPlacement("A1/4", 400),)
    )
    assert len(run_replication(compile_model(old), 0, record=True)["placement_log"]) == 1


def test_the_start_state_survives_the_workers_copy(small: Make) -> None:
    s = scenario_from_dict(small(horizon_years=1)).with_changes(
        open_vacancies=("A1/1",), recent_placements=(RecentPlacement("A1/4", 100),)
    )
    model = compile_model(s)
    assert run_replication(model.slim(), 0) == run_replication(model, 0)
