"""Several variants share one set of worker processes: the same results, and progress reported
in the same order, as running them one after the other in one process."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from anvis_core.simulation import run_scenario, scenarios_from_dict
from anvis_core.simulation.runner import run_scenarios

Make = Callable[..., dict[str, Any]]


def test_variants_in_shared_workers_equal_variants_one_by_one(small: Make) -> None:
    data = small(
        replications=5,
        variants={
            "quarter": {"regime": {"share_percent": 25}},
            "half": {"regime": {"share_percent": 50}, "replications": 3},
        },
    )
    scenarios = scenarios_from_dict(data)
    calls: dict[int, list[tuple[str, int, int]]] = {1: [], 2: []}
    out = {}
    for w in (1, 2):

        def progress(name: str, done: int, total: int, _w: int = w) -> None:
            calls[_w].append((name, done, total))

        out[w] = run_scenarios(scenarios, workers=w, progress=progress)
    assert json.dumps(out[1], sort_keys=True) == json.dumps(out[2], sort_keys=True)
    for name, sc in scenarios.items():
        alone = run_scenario(sc, workers=1)
        assert json.dumps(out[2]["variants"][name], sort_keys=True) == json.dumps(
            alone, sort_keys=True
        )
    expected = [("quarter", d, 5) for d in range(6)] + [("half", d, 3) for d in range(4)]
    assert calls[1] == expected
    assert calls[2] == expected
