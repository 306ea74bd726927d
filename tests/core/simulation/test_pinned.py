"""The engine's results for fixed seeds, recorded before the engine was restructured.

`data/pinned_replications.json` holds full replication summaries of the small scenario in four
configurations (online and batch, with and without caps, steps and other needs). A change to the
engine that is meant to be a pure restructuring must reproduce them exactly; a change that is
meant to alter the model regenerates the file (`python -m tests.core.simulation.test_pinned`)
and says why in its commit.
"""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path
from typing import Any

import pytest
from tests.core.simulation.conftest import SMALL

from anvis_core.simulation import compile_model, run_replication, scenario_from_dict
from anvis_core.simulation.scenario import deep_merge

DATA = Path(__file__).parent / "data" / "pinned_replications.json"

CONFIGS: dict[str, dict[str, Any]] = {
    "online": {},
    "online_caps": {
        "regime": {
            "stairwell_cap": 1,
            "department_cap": 6,
            "other_needs_share": 0.2,
            "response_days": {"dist": "exponential", "mean": 8},
            "notice_lead_days": 3,
            "steps": [
                {"name": "low", "share_percent": 20},
                {"name": "high", "share_percent": 60},
            ],
        },
        "stock": {"kind": "departments"},
        "matching": {"move_in_days": 4},
    },
    "batch": {"matching": {"mode": "batch", "batch_days": 10}},
    "ad_hoc": {"regime": {"kind": "ad_hoc", "access_probability": 0.5, "response_days": 20}},
}


def scenario_data(name: str) -> dict[str, Any]:
    data = deep_merge(copy.deepcopy(SMALL), CONFIGS[name])
    if name == "online_caps":
        deps = data["stock"]["departments"]
        deps[0]["step"], deps[1]["step"], deps[2]["step"] = "low", "high", "high"
    return data


def summaries(name: str) -> list[dict[str, Any]]:
    model = compile_model(scenario_from_dict(scenario_data(name)))
    return [run_replication(model, i, record=True) for i in range(2)]


def _close(a: Any, b: Any) -> bool:
    if isinstance(a, dict):
        return all(k in b and _close(v, b[k]) for k, v in a.items())
    if isinstance(a, list):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or a == b or math.isclose(a, b, rel_tol=1e-12)
    return bool(a == b)


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_results_for_a_seed_are_unchanged(name: str) -> None:
    pinned = json.loads(DATA.read_text())[name]
    now = json.loads(json.dumps(summaries(name)))
    # every figure recorded then is reproduced now (new outputs may have been added since)
    assert _close(pinned, now)


if __name__ == "__main__":
    DATA.write_text(json.dumps({n: summaries(n) for n in sorted(CONFIGS)}, sort_keys=True) + "\n")
