"""The simulator reduced to an M/M/1 queue, checked against queueing theory and Little's law.

Vacancies are the service events (rate μ) and citizens the arrivals (rate λ). A citizen waits
from joining the list until housed, the one at the head of the list included, so the mean wait
is the sojourn time W = 1/(μ − λ) and the mean number waiting is L = ρ/(1 − ρ) (not the
queue-only Wq, Lq). Tolerances: the 95 % confidence half-width over replications, widened by
half (about a 99.7 % interval); seeds are fixed, so the tests are deterministic.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from anvis_core.simulation import run_scenario, scenario_from_dict
from anvis_core.simulation.scenario import deep_merge


def half_width(ci: dict[str, Any]) -> float:
    return float(ci["ci_high"] - ci["mean"])


def run_mm1(data: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return run_scenario(scenario_from_dict(deep_merge(data, changes)), workers=1)


@pytest.fixture(scope="module")
def mm1_result() -> dict[str, Any]:
    path = Path(__file__).resolve().parents[3] / "docs" / "scenarios" / "mm1.toml"
    return run_mm1(tomllib.loads(path.read_text()))


def test_shipped_mm1_file_is_recognised_as_mm1(mm1_result: dict[str, Any]) -> None:
    ref = mm1_result["mm1_reference"]
    assert ref is not None
    assert ref["utilisation_rho"] == pytest.approx(0.75)
    assert ref["mean_wait_days"] == pytest.approx(365.25 / 12)
    assert ref["mean_number_waiting"] == pytest.approx(3.0)


def test_mean_wait_is_the_sojourn_time(mm1_result: dict[str, Any]) -> None:
    ref, w = mm1_result["mm1_reference"], mm1_result["queue"]["mean_wait_days"]
    tol = 1.5 * half_width(w)
    assert abs(w["mean"] - ref["mean_wait_days"]) <= tol
    # and the test can tell W from the queue-only Wq
    assert abs(w["mean"] - ref["queue_only_mean_wait_days_Wq"]) > 2 * tol


def test_mean_number_waiting_is_rho_over_one_minus_rho(mm1_result: dict[str, Any]) -> None:
    ref, n = mm1_result["mm1_reference"], mm1_result["queue"]["mean_number_waiting"]
    tol = 1.5 * half_width(n)
    assert abs(n["mean"] - ref["mean_number_waiting"]) <= tol
    assert abs(n["mean"] - ref["queue_only_mean_number_Lq"]) > 2 * tol


def test_arrival_rate_matches_lambda(mm1_result: dict[str, Any]) -> None:
    lam = mm1_result["queue"]["arrival_rate_per_day"]
    assert abs(lam["mean"] - mm1_result["mm1_reference"]["arrival_rate_per_day"]) <= 1.5 * (
        half_width(lam)
    )


def test_littles_law_in_the_mm1_case(mm1_result: dict[str, Any]) -> None:
    little = mm1_result["queue"]["littles_law"]
    L, lw = little["L_mean_number_waiting"], little["lambda_times_W"]
    assert abs(L["mean"] - lw["mean"]) <= half_width(L)


@pytest.mark.parametrize(("lam", "turnover"), [(24.0, 0.48), (40.0, 0.50)])
def test_other_utilisations(mm1_data: dict[str, Any], lam: float, turnover: float) -> None:
    """ρ = 0.5 and ρ = 0.8, on shorter runs."""
    res = run_mm1(
        mm1_data,
        replications=40,
        horizon_years=25,
        groups=[{"name": "everyone", "arrivals_per_year": lam, "max_rent": float("inf")}],
        stock={"types": [{"name": "family", "turnover_per_year": turnover}]},
    )
    ref = res["mm1_reference"]
    assert ref is not None
    assert ref["utilisation_rho"] == pytest.approx(lam / (100 * turnover))
    w, n = res["queue"]["mean_wait_days"], res["queue"]["mean_number_waiting"]
    assert abs(w["mean"] - ref["mean_wait_days"]) <= 1.5 * half_width(w)
    assert abs(n["mean"] - ref["mean_number_waiting"]) <= 1.5 * half_width(n)


def test_not_mm1_when_acceptance_is_uncertain(mm1_data: dict[str, Any]) -> None:
    res = run_mm1(
        mm1_data, replications=2, horizon_years=3, matching={"acceptance_probability": 0.9}
    )
    assert res["mm1_reference"] is None
