"""Per loader of `load_demo`: wall clock, CPU of this Python process, CPU of its PostgreSQL
backend and the number of SQL statements; then every table's row count against
`demo_rowcounts.json`. CPU is the steadier figure when the machine is shared.

Needs an empty, migrated PostgreSQL database in DATABASE_URL on this machine (the backend's CPU
is read from /proc). Usage:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/anvis_bench_demo \\
        .venv/bin/python bench/demo_load_cpu.py national   # or aalborg
"""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anvis.config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from anvis.demo.context import DemoContext  # noqa: E402
from anvis.demo.loaders import load_all  # noqa: E402

EXPECTED = json.loads((Path(__file__).with_name("demo_rowcounts.json")).read_text())


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def backend_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    scale = sys.argv[1] if len(sys.argv) > 1 else "national"
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    statements = [0]

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        statements[0] += 1
        return execute(sql, params, many, context)

    mark = [own_cpu(), backend_cpu(pid)]

    def loaded(name: str, seconds: float) -> None:
        cpu, pg = own_cpu(), backend_cpu(pid)
        print(
            f"{name:18s} wall {seconds:6.1f} s  cpu {cpu - mark[0]:5.1f} s  "
            f"postgres cpu {pg - mark[1]:5.1f} s  {statements[0]:6d} statements",
            flush=True,
        )
        mark[:] = [cpu, pg]
        statements[0] = 0

    today = dt.date.fromisoformat(EXPECTED["today"])
    ctx = DemoContext(scale=scale, seed=EXPECTED["seed"], today=today, log=lambda _s: None)
    print(f"load average at start {os.getloadavg()}", flush=True)
    started, cpu0, pg0 = time.perf_counter(), own_cpu(), backend_cpu(pid)
    with connection.execute_wrapper(count):
        load_all(ctx, loaded)
    print(
        f"whole load: wall {time.perf_counter() - started:.1f} s, cpu {own_cpu() - cpu0:.1f} s, "
        f"postgres cpu {backend_cpu(pid) - pg0:.1f} s; load average at end {os.getloadavg()}"
    )
    with connection.cursor() as cursor:
        differ = {}
        for table, expected in EXPECTED[scale].items():
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            got = cursor.fetchone()[0]
            if got != expected:
                differ[table] = (expected, got)
    if differ:
        raise SystemExit(f"row counts differ from demo_rowcounts.json (expected, got): {differ}")
    print(f"row counts as recorded in {len(EXPECTED[scale])} tables")


if __name__ == "__main__":
    main()
