"""Benchmark of the policy simulator (issue 9 targets).

    python bench/simulation_bench.py [--runs 3] [--workers 2] [--only TEXT] [--write]

Cases: the Aalborg-like scenario (both variants) for ten years × 100 replications, and the
national scenario (both shares) for ten years × 20 replications. Each case is run --runs times;
the wall-clock time covers everything `run_scenario` does (stock generation, worker start-up,
the replications, aggregation). With --write the "## Simulation" section of
docs/benchmarks.md is replaced by the measured table (other sections are left alone).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import platform
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import numpy as np  # noqa: E402
import scipy  # noqa: E402

from anvis_core.simulation import load_scenarios, run_scenario  # noqa: E402

CASES = [
    ("aalborg.toml", "agreement", 100, 60.0, "baseline"),
    ("aalborg.toml", "agreement", 100, 60.0, "production"),
    ("aalborg.toml", "ad_hoc", 100, 60.0, "baseline"),
    ("national.toml", "share_25", 20, 120.0, "baseline"),
    ("national.toml", "share_50", 20, 120.0, "baseline"),
]


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (the pool's workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    parser.add_argument(
        "--only", default="", help="run the cases whose 'file variant policy' contains this"
    )
    args = parser.parse_args()

    rows = []
    loads = [os.getloadavg()[0]]
    for filename, variant, reps, target, policy in CASES:
        if args.only not in f"{filename} {variant} {policy}":
            continue
        scenario = load_scenarios(ROOT / "docs" / "scenarios" / filename)[variant]
        scenario = scenario.with_changes(
            replications=reps, matching=dataclasses.replace(scenario.matching, policy=policy)
        )
        times, cpus = [], []
        for _ in range(args.runs):
            cpu0 = cpu_seconds()
            started = time.perf_counter()
            result = run_scenario(scenario, workers=args.workers)
            times.append(time.perf_counter() - started)
            cpus.append(cpu_seconds() - cpu0)
            loads.append(os.getloadavg()[0])
        years = scenario.horizon_days / 365.25
        wait = result["queue"]["mean_wait_days"]["mean"]
        rows.append((filename, variant, policy, years, reps, times, cpus, target, wait))
        print(
            f"{filename} {variant} ({policy}): {years:.0f} years × {reps} replications: "
            f"median {statistics.median(times):.1f} s "
            f"(runs: {', '.join(f'{t:.1f}' for t in times)}; "
            f"CPU {statistics.median(cpus):.1f} s; target < {target:.0f} s)",
            flush=True,
        )

    conditions = (
        f"{os.cpu_count()} logical CPUs ({cpu_model()}), workers = {args.workers}, "
        f"{args.runs} runs per case, Python {platform.python_version()}, "
        f"numpy {np.__version__}, scipy {scipy.__version__}; 1-minute load average "
        f"{min(loads):.2f}–{max(loads):.2f} during the runs (the machine is shared)."
    )
    lines = [
        "## Simulation",
        "",
        "Measured with `python bench/simulation_bench.py --runs "
        f"{args.runs} --workers {args.workers}`. Wall-clock time of `run_scenario` (stock "
        "generation, worker start-up, replications, aggregation), median of the runs.",
        "",
        f"Conditions: {conditions}",
        "",
        "CPU is the processor time of the benchmark and its worker processes together "
        "(median); with other work on the machine, wall-clock time exceeds CPU / workers.",
        "",
        "| scenario | variant | policy | horizon | replications | median wall (s) | runs (s) "
        "| median CPU (s) | target wall (s) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for filename, variant, policy, years, reps, times, cpus, target, _ in rows:
        lines.append(
            f"| {filename} | {variant} | {policy} | {years:.0f} years | {reps} | "
            f"{statistics.median(times):.1f} | {', '.join(f'{t:.1f}' for t in times)} | "
            f"{statistics.median(cpus):.1f} | < {target:.0f} |"
        )
    section = "\n".join(lines) + "\n"
    print()
    print(section)
    if args.write:
        path = ROOT / "docs" / "benchmarks.md"
        text = path.read_text() if path.exists() else "# Benchmarks\n"
        start = text.find("## Simulation")
        if start < 0:
            text = text.rstrip("\n") + "\n\n" + section
        else:
            end = text.find("\n## ", start + 1)
            text = text[:start] + section + (text[end + 1 :] if end >= 0 else "")
        path.write_text(text)
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
