"""Benchmark: the steering group's quarterly report at national scale.

Usage (PostgreSQL with the national demo data loaded, see docs/benchmarks.md):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/anvis_bench_reports \\
        python bench/report_bench.py --runs 3

Each run times the phases of one quarterly report: gathering the input snapshot (queries),
building every figure from it (pure), drawing the charts and the page tables, rendering the PDF
(WeasyPrint) and the XLSX workbook. "report" is gather + build: the figures themselves. The
charts are written as SVG on every request, with no cache (anvis.common.charts.chart_image).
Prints each run and the medians.
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

PHASES = (
    "gather",
    "build",
    "report",
    "charts_and_tables",
    "pdf",
    "xlsx",
    "total",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quarter", help="YYYY-Qn (default: the running quarter)")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone
    from django.utils.translation import activate

    from anvis.agreements.models import TurnRecord
    from anvis.cases.models import Case
    from anvis.monitoring.models import MunicipalPlacement
    from anvis.reports.labels import present
    from anvis.reports.render import render_pdf, render_xlsx
    from anvis.reports.selectors import report_snapshot_gather
    from anvis.stock.models import Dwelling
    from anvis_core.quotas import Quarter
    from anvis_core.reports import build_report, canonical_json

    activate("da")
    today = timezone.localdate()
    quarter = Quarter.parse(args.quarter) if args.quarter else Quarter.of(today)
    print(
        f"database: {connection.vendor} {connection.settings_dict.get('NAME')}; quarter {quarter}; "
        f"dwellings {Dwelling.objects.count()}, turn records {TurnRecord.objects.count()}, "
        f"placements {MunicipalPlacement.objects.count()}, cases {Case.objects.count()}; "
        f"cpus {os.cpu_count()}; load average {os.getloadavg()[0]:.2f}"
    )
    results: dict[str, list[float]] = {p: [] for p in PHASES}
    for run in range(1, args.runs + 1):
        reset_queries()
        t0 = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            raw = report_snapshot_gather(quarter=quarter, today=today)
        t1 = time.perf_counter()
        report = build_report(raw)
        t2 = time.perf_counter()
        present(report, suppressed=True)
        t3 = time.perf_counter()
        pdf = render_pdf(report, suppressed=True)
        t4 = time.perf_counter()
        xlsx = render_xlsx(report, suppressed=True)
        t5 = time.perf_counter()
        timing = {
            "gather": t1 - t0,
            "build": t2 - t1,
            "report": t2 - t0,
            "charts_and_tables": t3 - t2,
            "pdf": t4 - t3,
            "xlsx": t5 - t4,
            "total": t5 - t0,
        }
        for phase, seconds in timing.items():
            results[phase].append(seconds)
        print(
            f"run {run}: "
            + ", ".join(f"{p} {timing[p]:.2f} s" for p in PHASES)
            + f"; {len(queries.captured_queries)} queries, snapshot "
            f"{len(canonical_json(raw)) / 1e6:.2f} MB, PDF {len(pdf) / 1e3:.0f} kB, "
            f"XLSX {len(xlsx) / 1e3:.0f} kB; load average {os.getloadavg()[0]:.2f}"
        )
    print("median: " + ", ".join(f"{p} {statistics.median(results[p]):.2f} s" for p in PHASES))


if __name__ == "__main__":
    main()
