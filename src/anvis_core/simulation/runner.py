"""Run a scenario's replications, in parallel if asked, and aggregate them.

Replication i always uses the random streams derived from (scenario seed, i), whichever process
runs it, and results are put back in replication order, so the result does not depend on the
number of workers.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any

from .engine import CompiledModel, compile_model, run_replication
from .matching import MatchingPolicy
from .outcomes_results import paired_differences
from .results import aggregate
from .scenario import Scenario
from .stock import Stock

ProgressCallback = Callable[[int, int], None]

_worker_models: tuple[CompiledModel, ...] = ()
_worker_policy: MatchingPolicy | None = None


def _init_worker(models: tuple[CompiledModel, ...], policy: MatchingPolicy | None) -> None:
    global _worker_models, _worker_policy
    _worker_models = models
    _worker_policy = policy


def _run_in_worker(which: int, index: int) -> tuple[int, int, dict[str, Any]]:
    return which, index, run_replication(_worker_models[which], index, _worker_policy)


def run_replications(
    model: CompiledModel,
    *,
    workers: int = 1,
    progress: ProgressCallback | None = None,
    policy: MatchingPolicy | None = None,
    mp_context: str = "spawn",
) -> list[dict[str, Any]]:
    """The replication summaries, in replication order."""

    def report(which: int, done: int, total: int) -> None:
        if progress:
            progress(done, total)

    (reps,) = _replicate(
        (model,), workers=workers, progress=report, policy=policy, mp_context=mp_context
    )
    return reps


def _replicate(
    models: Sequence[CompiledModel],
    *,
    workers: int,
    progress: Callable[[int, int, int], None],
    policy: MatchingPolicy | None,
    mp_context: str,
    finished: Callable[[int, list[dict[str, Any]]], None] | None = None,
) -> list[list[dict[str, Any]]]:
    """The replication summaries of each model, in replication order, from one set of worker
    processes for all of them (one start-up, and no worker idles at the end of one model while
    another has replications left).

    `progress(which, done, total)` and `finished(which, summaries)` are called in model order,
    as if the models ran one after the other: a model's calls wait until the models before it
    have finished."""
    totals = [m.scenario.replications for m in models]
    out: list[list[dict[str, Any] | None]] = [[None] * t for t in totals]
    done = [0] * len(models)
    reported = [0] * len(models)
    current = 0

    def catch_up() -> None:
        # report in model order: the current model's progress, then move on once it is whole
        nonlocal current
        while current < len(models):
            while reported[current] < done[current]:
                reported[current] += 1
                progress(current, reported[current], totals[current])
            if done[current] < totals[current]:
                return
            if finished:
                finished(current, [r for r in out[current] if r is not None])
            current += 1
            if current < len(models):
                progress(current, 0, totals[current])

    if models:
        progress(0, 0, totals[0])
    if workers <= 1 or sum(totals) <= 1:
        for which, model in enumerate(models):
            for i in range(totals[which]):
                out[which][i] = run_replication(model, i, policy)
                done[which] += 1
                catch_up()
    else:
        ctx = multiprocessing.get_context(mp_context)
        with ProcessPoolExecutor(
            max_workers=min(workers, sum(totals)),
            mp_context=ctx,
            initializer=_init_worker,
            initargs=(tuple(m.slim() for m in models), policy),
        ) as pool:
            futures = [
                pool.submit(_run_in_worker, which, i)
                for which, total in enumerate(totals)
                for i in range(total)
            ]
            for fut in as_completed(futures):
                which, index, rep = fut.result()
                out[which][index] = rep
                done[which] += 1
                catch_up()
    catch_up()
    return [[rep for rep in reps if rep is not None] for reps in out]


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
    """Run several scenarios (e.g. a file's variants); one result each plus a comparison.

    The same results as :func:`run_scenario` on each in turn; with several workers, the
    replications of all of them share one set of worker processes."""
    names = list(scenarios)
    models = [compile_model(scenarios[name]) for name in names]
    results: dict[str, dict[str, Any]] = {}

    def report(which: int, done: int, total: int) -> None:
        if progress:
            progress(names[which], done, total)

    def finished(which: int, reps: list[dict[str, Any]]) -> None:
        results[names[which]] = aggregate(models[which], reps)

    _replicate(
        models,
        workers=workers,
        progress=report,
        policy=None,
        mp_context=mp_context,
        finished=finished,
    )
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
