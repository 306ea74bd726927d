"""How long does `load_demo --scale national` take on PostgreSQL (560 organisations, 7,000
departments, about 590,000 dwellings)?

Creates a throw-away database (BENCH_DATABASE, default anvis_bench_demo) on the PostgreSQL server
at 127.0.0.1:5432, migrates it, loads the national demo data in a fresh process and prints the
wall-clock time of the load command alone. Repeats BENCH_REPEAT times (default 3).

BENCH_SCALE=aalborg loads the default scale instead. The reference date is fixed (BENCH_TODAY,
default the one in `demo_rowcounts.json`), so every run loads the same data: after each load the
row count of every table is compared with `demo_rowcounts.json`, the counts the loaders gave
before they were made faster, and the bench fails on any difference.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DB = os.environ.get("BENCH_DATABASE", "anvis_bench_demo")
URL = f"postgres://postgres@127.0.0.1:5432/{DB}"
ENV = {**os.environ, "DATABASE_URL": URL}
SCALE = os.environ.get("BENCH_SCALE", "national")
EXPECTED = json.loads((Path(__file__).with_name("demo_rowcounts.json")).read_text())
TODAY = os.environ.get("BENCH_TODAY", EXPECTED["today"])
# Every table's name and row count in one query.
COUNT_SQL = (
    "SELECT table_name, (xpath('/row/c/text()', query_to_xml(format('SELECT COUNT(*) AS c "
    "FROM %I', table_name), false, true, '')))[1]::text FROM information_schema.tables "
    "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
)


def psql(sql: str) -> None:
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql, "postgres"], check=True
    )


def row_counts() -> dict[str, int]:
    result = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-AtF", "\t", "-c", COUNT_SQL, DB],
        check=True,
        capture_output=True,
        text=True,
    )
    return {t: int(n) for t, n in (line.split("\t") for line in result.stdout.splitlines())}


def check_counts() -> None:
    """The loaded tables hold as many rows as recorded for this scale, seed and date."""
    if EXPECTED["today"] != TODAY:
        print("row counts not compared: BENCH_TODAY differs from the recorded date")
        return
    counts, expected = row_counts(), EXPECTED[SCALE]
    differ = {t: (n, counts.get(t)) for t, n in expected.items() if counts.get(t) != n}
    if differ:
        raise SystemExit(f"row counts differ from demo_rowcounts.json (expected, got): {differ}")
    print(f"row counts as recorded in {len(expected)} tables ({sum(expected.values())} rows)")


def manage(*args: str, show: bool = False) -> float:
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=ENV,
        check=True,
        capture_output=True,
        text=True,
    )
    if show:
        print(result.stdout, end="", flush=True)
    return time.perf_counter() - started


def main() -> None:
    times = []
    for _ in range(int(os.environ.get("BENCH_REPEAT", "3"))):
        psql(f"DROP DATABASE IF EXISTS {DB}")
        psql(f"CREATE DATABASE {DB}")
        manage("migrate", "--noinput", "-v", "0")
        times.append(manage("load_demo", "--scale", SCALE, "--today", TODAY, show=True))
        print(f"load_demo --scale {SCALE}: {times[-1]:.1f} s", flush=True)
        check_counts()
    print(
        f"median {statistics.median(times):.1f} s over {len(times)} runs (min {min(times):.1f} s)"
    )
    if os.environ.get("BENCH_KEEP") != "1":
        psql(f"DROP DATABASE IF EXISTS {DB}")


if __name__ == "__main__":
    main()
