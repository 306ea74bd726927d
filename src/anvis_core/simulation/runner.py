"""Run a scenario's replications, in parallel if asked, and aggregate them.

Replication i always uses the random streams derived from (scenario seed, i), whichever process
runs it, and results are put back in replication order, so the result does not depend on the
number of workers.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Mapping
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any

from .engine import CompiledModel, compile_model, run_replication
from .matching import MatchingPolicy
from .outcomes_results import paired_differences
from .results import aggregate
from .scenario import Scenario
from .stock import Stock

ProgressCallback = Callable[[int, int], None]

_worker_model: CompiledModel | None = None
_worker_policy: MatchingPolicy | None = None


def _init_worker(model: CompiledModel, policy: MatchingPolicy | None) -> None:
    global _worker_model, _worker_policy
    _worker_model = model
    _worker_policy = policy


def _run_in_worker(index: int) -> tuple[int, dict[str, Any]]:
    assert _worker_model is not None
    return index, run_replication(_worker_model, index, _worker_policy)


def run_replications(
    model: CompiledModel,
    *,
    workers: int = 1,
    progress: ProgressCallback | None = None,
    policy: MatchingPolicy | None = None,
    mp_context: str = "spawn",
) -> list[dict[str, Any]]:
    """The replication summaries, in replication order."""
    total = model.scenario.replications
    out: list[dict[str, Any] | None] = [None] * total
    if progress:
        progress(0, total)
    if workers <= 1 or total == 1:
        for i in range(total):
            out[i] = run_replication(model, i, policy)
            if progress:
                progress(i + 1, total)
    else:
        ctx = multiprocessing.get_context(mp_context)
        with ProcessPoolExecutor(
            max_workers=min(workers, total),
            mp_context=ctx,
            initializer=_init_worker,
            initargs=(model.slim(), policy),
        ) as pool:
            futures = [pool.submit(_run_in_worker, i) for i in range(total)]
            for done, fut in enumerate(as_completed(futures), start=1):
                index, rep = fut.result()
                out[index] = rep
                if progress:
                    progress(done, total)
    return [rep for rep in out if rep is not None]


def run_scenario(
    scenario: Scenario,
    *,
    workers: int = 1,
    progress: ProgressCallback | None = None,
    stock: Stock | None = None,
    policy: MatchingPolicy | None = None,
    mp_context: str = "spawn",
) -> dict[str, Any]:
    """Simulate all replications of a scenario and return the JSON-serialisable result.

    `progress(done_replications, total)` is called from the calling process, first with
    done = 0. `stock` overrides the scenario's stock spec (e.g. a stock built once and shared
    by several scenarios); `policy` replaces the built-in matching.
    """
    model = compile_model(scenario, stock)
    reps = run_replications(
        model, workers=workers, progress=progress, policy=policy, mp_context=mp_context
    )
    return aggregate(model, reps)


COMPARED = (
    ("mean_wait_days", ("queue", "mean_wait_days")),
    ("mean_number_waiting", ("queue", "mean_number_waiting")),
    ("homeless_at_end", ("homeless_at_end",)),
    ("housed", ("housed",)),
    ("days_until_initial_list_left", ("initial_waiting_list", "days_until_all_left")),
    ("days_until_90pct_of_initial_list_left", ("initial_waiting_list", "days_until_90pct_left")),
    ("shelter_cost_kr", ("costs_kr", "shelter")),
    ("support_cost_kr", ("costs_kr", "support")),
    ("void_rent_kr", ("costs_kr", "void_rent")),
    ("total_cost_kr", ("costs_kr", "total")),
    ("municipal_vacancies", ("vacancies", "municipal")),
    ("cap_binding_stairwell", ("cap_binding_events", "stairwell")),
    ("cap_binding_department", ("cap_binding_events", "department")),
)


def compare(results: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    """Side-by-side table of the headline figures of several results (same keys as input)."""
    table: dict[str, dict[str, Any]] = {}
    for label, path in COMPARED:
        row: dict[str, Any] = {}
        for name, res in results.items():
            x: Any = res
            for p in path:
                x = x[p]
            row[name] = x
        table[label] = row
    return table


def run_scenarios(
    scenarios: Mapping[str, Scenario],
    *,
    workers: int = 1,
    progress: Callable[[str, int, int], None] | None = None,
    mp_context: str = "spawn",
) -> dict[str, Any]:
    """Run several scenarios (e.g. a file's variants); one result each plus a comparison."""
    results: dict[str, dict[str, Any]] = {}
    for name, sc in scenarios.items():

        def report(done: int, total: int, _name: str = name) -> None:
            if progress:
                progress(_name, done, total)

        results[name] = run_scenario(sc, workers=workers, progress=report, mp_context=mp_context)
    return {
        "variants": results,
        "comparison": compare(results) if len(results) > 1 else None,
        "paired_differences": differences(results),
    }


def differences(results: Mapping[str, dict[str, Any]]) -> dict[str, Any] | None:
    """Each variant against the first, replication by replication (common random numbers)."""
    names = list(results)
    if len(names) < 2:
        return None
    base = names[0]
    return {
        "base": base,
        "variants": {name: paired_differences(results[base], results[name]) for name in names[1:]},
    }
