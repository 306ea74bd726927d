"""``anvis match PROBLEM.json --out RESULT.json``: batch allocation from a file.

Exit codes: 0 when a result was written (also when the status is ``infeasible``), 2 when the
input is invalid (the message on standard error names the problem), 1 on an internal failure.
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_INVALID = 2


def add_parser(subparsers: Any) -> None:
    p: argparse.ArgumentParser = subparsers.add_parser(
        "match",
        help="solve a batch allocation problem file",
        description=(
            "Assign citizens to dwellings maximising total weight under group caps. "
            "The file format is described in docs/matching.md."
        ),
    )
    p.add_argument("problem", help="problem file (JSON), or - for standard input")
    p.add_argument("--out", help="result file (JSON); standard output if omitted")
    p.add_argument(
        "--gap",
        type=float,
        default=None,
        help="relative gap at which to stop when groups do not nest (default 1e-4)",
    )
    p.add_argument(
        "--time-limit",
        type=float,
        default=None,
        help="seconds allowed for the solver when groups do not nest (default 600)",
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    path: str = args.problem
    try:
        if path == "-":
            raw = sys.stdin.buffer.read()
        else:
            with open(path, "rb") as fh:
                raw = fh.read()
    except OSError as exc:
        print(f"anvis match: cannot read {path}: {exc.strerror}", file=sys.stderr)
        return EXIT_INVALID

    from anvis_core.matching.problem import ProblemError
    from anvis_core.matching.typed import decode_pair_form

    with _without_cycle_collection():
        try:
            # Pair-form files are decoded straight into typed structures; anything else, and
            # any file with an error (named by the reference reader), takes the reference path.
            typed = decode_pair_form(raw)
            problem, objective = typed if typed is not None else _reference_read(raw)
        except ProblemError as exc:
            print(f"anvis match: {path}: invalid problem: {exc}", file=sys.stderr)
            return EXIT_INVALID
        return _solve_and_write(problem, objective, args)


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """Reading a file builds hundreds of thousands of objects and no reference cycles, so the
    cycle collector would only scan them again and again (a fifth of the read); it is switched
    off for the one command and restored after. Memory is still freed by reference counting."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _reference_read(raw: bytes) -> tuple[Any, Any]:
    from anvis_core.matching.jsonio import loads

    data = loads(raw)
    if isinstance(data, dict) and data.get("form") == "domain":
        from anvis_core.matching.domain_form import parse_domain_form

        return parse_domain_form(data)
    from anvis_core.matching.jsonio import parse_pair_form

    return parse_pair_form(data)


def _solve_and_write(problem: Any, objective: Any, args: argparse.Namespace) -> int:
    from anvis_core.matching.jsonio import result_to_json
    from anvis_core.matching.solve import DEFAULT_GAP, DEFAULT_TIME_LIMIT, solve

    result = solve(
        problem,
        objective=objective,
        gap=DEFAULT_GAP if args.gap is None else args.gap,
        time_limit=DEFAULT_TIME_LIMIT if args.time_limit is None else args.time_limit,
    )
    import json

    text = json.dumps(result_to_json(result), ensure_ascii=False, separators=(",", ":"))
    if args.out:
        try:
            with open(args.out, "w", encoding="utf-8") as fh:
                fh.write(text)
                fh.write("\n")
        except OSError as exc:
            print(f"anvis match: cannot write {args.out}: {exc.strerror}", file=sys.stderr)
            return EXIT_FAILURE
    else:
        sys.stdout.write(text + "\n")
    return EXIT_OK
