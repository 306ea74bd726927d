"""Whole results for fixed seeds, pinned exactly, before the simulator was made faster.

`data/pinned_results.json` holds, for each configuration below, the full replication summaries
(with the placement log) and the aggregated result of `run_scenarios` (comparison and paired
differences included). The configurations cover what the engine does: tenancy breakdowns and
returns, batch and online matching, caps and steps, the production policy online and in
batches, closed departments, a start from today's state with citizens whose priorities tie
exactly, and the national comparison over one year (pinned by the SHA-256 of its canonical
JSON, with its headline figures, as the whole is over a megabyte). A change meant to leave the results alone
(a faster engine, a split function) must reproduce every number exactly: no tolerance. A change
meant to alter the model regenerates the file (`python -m tests.core.simulation.
test_pinned_results`) and says why in its commit.
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
from pathlib import Path
from typing import Any

import pytest
from tests.core.simulation.conftest import SCENARIOS, SMALL

from anvis_core.simulation import compile_model, load_scenarios, run_replication
from anvis_core.simulation.runner import run_scenarios
from anvis_core.simulation.scenario import (
    InitialCitizen,
    RecentPlacement,
    Scenario,
    deep_merge,
    scenarios_from_dict,
)

DATA = Path(__file__).parent / "data" / "pinned_results.json"

TENANCY = {
    "return_share": 0.6,
    "methods": [
        {"name": "ACT", "share": 1, "retained_12_months": 0.8, "support_per_year": 120000},
        {"name": "none", "share": 2, "retained_12_months": 0.5, "support_per_year": 0},
    ],
}
CAPS = {"stairwell_cap": 2, "department_cap": 8, "share_percent": 60}

CONFIGS: dict[str, dict[str, Any]] = {
    "baseline_online": {"horizon_years": 4, "tenancy": TENANCY},
    "baseline_batch_caps": {
        "horizon_years": 4,
        "tenancy": TENANCY,
        "regime": {**CAPS, "other_needs_share": 0.1, "notice_lead_days": 3},
        "matching": {"mode": "batch", "batch_days": 10, "move_in_days": 4},
    },
    "production_online": {
        "horizon_years": 4,
        "tenancy": TENANCY,
        "regime": {**CAPS, "closed_departments": ["A2"]},
        "matching": {"policy": "production"},
    },
    "production_batch": {
        "horizon_years": 4,
        "tenancy": TENANCY,
        "regime": CAPS,
        "matching": {"policy": "production", "mode": "batch", "batch_days": 14},
    },
    "ad_hoc": {
        "horizon_years": 4,
        "regime": {"kind": "ad_hoc", "access_probability": 0.5, "response_days": 20},
    },
}


def _small(name: str) -> dict[str, Scenario]:
    data = deep_merge(copy.deepcopy(SMALL), CONFIGS[name])
    return scenarios_from_dict({**data, "variants": {"first": {}, "second": {"seed": 8}}})


def _from_today() -> dict[str, Scenario]:
    """An initial list given citizen by citizen, with whole waiting days (exact ties in
    priority), open vacancies and recent placements."""
    data = deep_merge(copy.deepcopy(SMALL), {"horizon_years": 2, "tenancy": TENANCY})
    citizens = tuple(
        InitialCitizen(
            group="street young" if i % 3 == 0 else "shelter older",
            waiting_days=float(10 * (i % 4)),
            max_rent=math.inf if i % 5 == 0 else 4500.0,
            rooms_needed=1 + (i % 7 == 0),
            needs_accessible=i % 11 == 0,
        )
        for i in range(40)
    )
    return {
        name: s.with_changes(
            initial_citizens=citizens,
            open_vacancies=("A1/1", "A2/3", "B1/2"),
            recent_placements=(RecentPlacement("A1/4", 100),),
        )
        for name, s in scenarios_from_dict(
            {**data, "variants": {"online": {}, "batch": {"matching": {"mode": "batch"}}}}
        ).items()
    }


def _national() -> dict[str, Scenario]:
    return {
        name: s.with_changes(horizon_days=365.25, replications=2)
        for name, s in load_scenarios(SCENARIOS / "national.toml").items()
    }


def scenarios(name: str) -> dict[str, Scenario]:
    if name == "from_today":
        return _from_today()
    if name == "national_one_year":
        return _national()
    return _small(name)


NAMES = sorted([*CONFIGS, "from_today", "national_one_year"])


def results(name: str) -> dict[str, Any]:
    variants = scenarios(name)
    first = next(iter(variants.values()))
    model = compile_model(first)
    reps = 1 if name == "national_one_year" else 2
    return {
        "replications": [run_replication(model, i, record=True) for i in range(reps)],
        "result": run_scenarios(variants),
    }


def _plain(x: Any) -> Any:
    """The JSON form, as the pinned file holds it."""
    return json.loads(json.dumps(x, sort_keys=True))


def pinned_form(name: str) -> Any:
    now = _plain(results(name))
    if name != "national_one_year":
        return now
    text = json.dumps(now, sort_keys=True)
    return {
        "sha256": hashlib.sha256(text.encode()).hexdigest(),
        "comparison": now["result"]["comparison"],
        "placements": [len(r["placement_log"]) for r in now["replications"]],
    }


def first_difference(a: Any, b: Any, path: str = "") -> str | None:
    """Where two JSON values first differ (NaN equals NaN; otherwise exact equality)."""
    if isinstance(a, dict) and isinstance(b, dict):
        if a.keys() != b.keys():
            return f"{path}: keys {sorted(a.keys() ^ b.keys())}"
        for k in a:
            found = first_difference(a[k], b[k], f"{path}.{k}")
            if found:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{path}: length {len(a)} != {len(b)}"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            found = first_difference(x, y, f"{path}[{i}]")
            if found:
                return found
        return None
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return None
    if type(a) is not type(b) or a != b:
        return f"{path}: {a!r} != {b!r}"
    return None


@pytest.mark.parametrize("name", NAMES)
def test_results_for_a_seed_are_exactly_unchanged(name: str) -> None:
    pinned = json.loads(DATA.read_text())[name]
    now = pinned_form(name)
    assert first_difference(pinned, now) is None, first_difference(pinned, now)


if __name__ == "__main__":
    DATA.write_text(json.dumps({n: pinned_form(n) for n in NAMES}, sort_keys=True) + "\n")
