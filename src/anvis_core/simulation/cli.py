"""`anvis simulate SCENARIO --out RESULT.json`."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from .errors import ScenarioError
from .intervals import clean
from .runner import run_scenarios
from .scenario import load_scenarios


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = subparsers.add_parser(
        "simulate",
        help="run a policy scenario (TOML or JSON) and write the result as JSON",
        description="Simulate an allocation scenario; see docs/simulation.md.",
    )
    p.add_argument("scenario", help="scenario file (.toml or .json)")
    p.add_argument("--out", required=True, help="where to write the result (JSON)")
    p.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="processes to use (default: all cores); results do not depend on it",
    )
    p.add_argument("--replications", type=int, help="override the scenario's replications")
    p.add_argument("--seed", type=int, help="override the scenario's seed")
    p.add_argument("--horizon-years", type=float, help="override the scenario's horizon")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")
    return p


def run(args: argparse.Namespace) -> int:
    try:
        scenarios = load_scenarios(args.scenario)
        overrides: dict[str, Any] = {}
        if args.replications is not None:
            overrides["replications"] = args.replications
        if args.seed is not None:
            overrides["seed"] = args.seed
        if args.horizon_years is not None:
            overrides["horizon_days"] = args.horizon_years * 365.25
        if overrides:
            scenarios = {k: s.with_changes(**overrides) for k, s in scenarios.items()}
        if args.workers < 1:
            raise ScenarioError("--workers", "must be ≥ 1")
        _check_writable(Path(args.out))
    except ScenarioError as exc:
        print(f"anvis simulate: invalid scenario: {exc}", file=sys.stderr)
        return 2

    started = time.perf_counter()

    interactive = sys.stderr.isatty()

    def progress(name: str, done: int, total: int) -> None:
        if args.quiet or (not interactive and done != total):
            return
        end = "\n" if done == total else ""
        print(f"\r{name}: {done}/{total} replications", end=end, file=sys.stderr, flush=True)

    out = run_scenarios(scenarios, workers=args.workers, progress=progress)
    out["elapsed_seconds"] = round(time.perf_counter() - started, 3)
    out["workers"] = args.workers
    if len(scenarios) == 1:
        # a single scenario: its result at the top level, for easy reading
        (only,) = out["variants"].values()
        document = {**only, "elapsed_seconds": out["elapsed_seconds"], "workers": args.workers}
    else:
        document = out
    Path(args.out).write_text(json.dumps(clean(document), indent=1, ensure_ascii=False) + "\n")
    if not args.quiet:
        for name, res in out["variants"].items():
            q = res["queue"]
            w, n = q["mean_wait_days"], q["mean_number_waiting"]
            print(
                f"{name}: mean wait {_fmt(w)} days, mean number waiting {_fmt(n)}",
                file=sys.stderr,
            )
    return 0


def _check_writable(out: Path) -> None:
    """Refuse an --out the result could not be written to, before the run (not after it)."""
    folder = out.parent
    if out.is_dir():
        raise ScenarioError("--out", f"{out} is a folder; name a file")
    if not folder.is_dir():
        raise ScenarioError("--out", f"the folder {folder} does not exist")
    if not os.access(folder, os.W_OK) or (out.exists() and not os.access(out, os.W_OK)):
        raise ScenarioError("--out", f"{out} cannot be written")


def _fmt(ci: dict[str, Any]) -> str:
    if ci["mean"] is None:
        return "n/a"
    if ci["ci_low"] is None:
        return f"{ci['mean']:.2f}"
    return f"{ci['mean']:.2f} (95 % CI {ci['ci_low']:.2f}–{ci['ci_high']:.2f})"
