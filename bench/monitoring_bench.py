"""Benchmark: recompute every department's monitoring status at national scale.

Usage (PostgreSQL with the national demo data loaded, see docs/benchmarks.md):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/anvis_bench_monitoring \\
        python bench/monitoring_bench.py --runs 5

Each run recomputes indicators → statuses and step proposals, structural features → twins,
placement windows (12/24/36 months) and rewrites the snapshot table, exactly as
`manage.py recompute_monitoring` does. It also times the two read selectors that matching
uses. Prints the per-phase and total times of each run and the medians.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anvis.config.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--date", help="Reference date YYYY-MM-DD (default: today)")
    args = parser.parse_args()

    import django

    django.setup()
    import datetime as dt

    from django.db import connection
    from django.utils import timezone

    from anvis.monitoring.compute import recompute
    from anvis.monitoring.models import DepartmentIndicators, MunicipalPlacement
    from anvis.monitoring.placements import placement_counts
    from anvis.monitoring.selectors import department_status_map
    from anvis.stock.models import Department, Dwelling

    on_date = dt.date.fromisoformat(args.date) if args.date else timezone.localdate()
    print(
        f"database: {connection.vendor} {connection.settings_dict.get('NAME')}; "
        f"departments {Department.objects.count()}, dwellings {Dwelling.objects.count()}, "
        f"indicator rows {DepartmentIndicators.objects.count()}, "
        f"placements {MunicipalPlacement.objects.count()}; cpus {os.cpu_count()}; "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    totals: list[float] = []
    phases: dict[str, list[float]] = {}
    reads: dict[str, list[float]] = {"department_status_map": [], "placement_counts": []}
    for run in range(1, args.runs + 1):
        timings: dict[str, float] = {}
        started = time.perf_counter()
        result = recompute(on_date=on_date, timings=timings)
        total = time.perf_counter() - started
        totals.append(total)
        for name, seconds in timings.items():
            phases.setdefault(name, []).append(seconds)
        t0 = time.perf_counter()
        department_status_map(on_date)
        reads["department_status_map"].append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        placement_counts(on_date, 12)
        reads["placement_counts"].append(time.perf_counter() - t0)
        detail = ", ".join(f"{k} {v:.2f}" for k, v in timings.items())
        print(f"run {run}: recompute {result.departments} departments in {total:.2f} s ({detail})")
    print(
        f"median recompute: {statistics.median(totals):.2f} s over {len(totals)} runs "
        f"(min {min(totals):.2f}, max {max(totals):.2f})"
    )
    for name, values in phases.items():
        print(f"  median {name}: {statistics.median(values):.2f} s")
    for name, values in reads.items():
        print(f"median {name}: {statistics.median(values) * 1000:.0f} ms")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
