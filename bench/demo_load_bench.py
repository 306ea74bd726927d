"""How long does `load_demo --scale national` take on PostgreSQL (560 organisations, 7,000
departments, about 590,000 dwellings)?

Creates a throw-away database (BENCH_DATABASE, default anvis_bench_demo) on the PostgreSQL server
at 127.0.0.1:5432, migrates it, loads the national demo data in a fresh process and prints the
wall-clock time of the load command alone. Repeats BENCH_REPEAT times (default 3).
"""

from __future__ import annotations

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


def psql(sql: str) -> None:
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql, "postgres"], check=True
    )


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
        times.append(manage("load_demo", "--scale", "national", show=True))
        print(f"load_demo --scale national: {times[-1]:.1f} s", flush=True)
    print(
        f"median {statistics.median(times):.1f} s over {len(times)} runs (min {min(times):.1f} s)"
    )
    if os.environ.get("BENCH_KEEP") != "1":
        psql(f"DROP DATABASE IF EXISTS {DB}")


if __name__ == "__main__":
    main()
