from __future__ import annotations

import copy
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from anvis_core.simulation.scenario import deep_merge

REPO = Path(__file__).resolve().parents[3]
SCENARIOS = REPO / "docs" / "scenarios"

SMALL: dict[str, Any] = {
    "name": "small",
    "seed": 7,
    "replications": 4,
    "horizon_years": 3,
    "groups": [
        {
            "name": "street young",
            "situation": "street",
            "age_band": "18-24",
            "initial": 20,
            "arrivals_per_year": 40,
            "exits_per_year": 0.5,
            "priority_points": 30,
            "shelter_fraction": 0.1,
            "max_rent": {"dist": "normal", "mean": 4200, "sd": 600, "min": 3000},
            "rooms_needed": {"dist": "choice", "values": [1, 2], "weights": [8, 2]},
            "accessible_probability": 0.1,
        },
        {
            "name": "shelter older",
            "situation": "shelter",
            "age_band": "50+",
            "initial": 30,
            "arrivals_per_year": 50,
            "exits_per_year": 0.8,
            "shelter_fraction": 1.0,
            "max_rent": {"dist": "uniform", "low": 3000, "high": 5000},
            "rooms_needed": 1,
        },
    ],
    "stock": {
        "kind": "departments",
        "types": [{"name": "family", "turnover_per_year": 0.25}],
        "departments": [
            {
                "organisation": "A",
                "name": "A1",
                "entrances": 3,
                "dwellings": [
                    {"count": 20, "rent": 3400, "rooms": 1},
                    {"count": 10, "rent": 4600, "rooms": 2, "accessible": True},
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
                    {"count": 30, "rent": 4400, "rooms": 3},
                    {"count": 10, "rent": 6000, "rooms": 3},
                ],
            },
        ],
    },
    "regime": {"kind": "agreement", "share_percent": 50, "rent_ceiling": 5000},
    "matching": {"acceptance_probability": 0.8, "offer_response_days": 5, "max_offers": 3},
}


@pytest.fixture
def small() -> Callable[..., dict[str, Any]]:
    """The small scenario as a dict, with nested overrides merged in."""

    def make(**overrides: Any) -> dict[str, Any]:
        return deep_merge(copy.deepcopy(SMALL), overrides)

    return make


@pytest.fixture
def mm1_data() -> dict[str, Any]:
    return tomllib.loads((SCENARIOS / "mm1.toml").read_text())
