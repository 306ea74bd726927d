"""Run the benchmarks in bench/ (every `*_bench.py`, or those named on the command line).

`make bench` or `make bench BENCH_ARGS="demo_load matching"`. Each script prints its figures;
the measured figures are recorded by hand in docs/benchmarks.md with the date and conditions.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    scripts = sorted(HERE.glob("*_bench.py"))
    if argv:
        scripts = [s for s in scripts if any(s.stem.startswith(name) for name in argv)]
    status = 0
    for script in scripts:
        print(f"=== {script.name}", flush=True)
        status |= subprocess.run([sys.executable, str(script)], check=False).returncode
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
