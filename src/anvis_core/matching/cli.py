"""``anvis match PROBLEM.json --out RESULT.json``: batch allocation from a file.

Exit codes: 0 when a result was written (also when the status is ``infeasible``), 2 when the
input is invalid (the message on standard error names the problem), 1 on an internal failure.
"""

from __future__ import annotations

import argparse
import ctypes
import importlib.machinery
import importlib.util
import os
import sys
import threading
from typing import Any

from anvis_core.memory import without_cycle_collection

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
    p.set_defaults(handler=run, exit_at_once=True)


def run(args: argparse.Namespace) -> int:
    path: str = args.problem
    # The file is read in a thread of its own while the reader is imported. The first step of
    # the reading needs msgspec alone; while it runs on a large file, the compiled libraries of
    # numpy and the solver are linked on the second core (see _start_linking).
    reading = _Read(path)
    from anvis_core.matching import pairfile

    try:
        raw = reading.result()
    except OSError as exc:
        print(f"anvis match: cannot read {path}: {exc.strerror}", file=sys.stderr)
        return EXIT_INVALID
    if len(raw) >= _LINK_AHEAD_FROM_BYTES:
        _start_linking()

    with without_cycle_collection():
        decoded = pairfile.read(raw)
        from anvis_core.matching.problem import ProblemError
        from anvis_core.matching.typed import build

        try:
            # Pair-form files are decoded straight into typed structures; anything else, and
            # any file with an error (named by the reference reader), takes the reference path.
            typed = build(decoded)
            problem, objective = typed if typed is not None else _reference_read(raw)
        except ProblemError as exc:
            print(f"anvis match: {path}: invalid problem: {exc}", file=sys.stderr)
            return EXIT_INVALID
        return _solve_and_write(problem, objective, args)


class _Read(threading.Thread):
    """The problem file (or standard input) read in a thread of its own; reading releases the
    interpreter lock, so it goes on while the main thread imports."""

    def __init__(self, path: str) -> None:
        super().__init__(daemon=True)
        self.path = path
        self.data = b""
        self.error: OSError | None = None
        self.start()

    def run(self) -> None:
        try:
            if self.path == "-":
                self.data = sys.stdin.buffer.read()
            else:
                with open(self.path, "rb") as fh:
                    self.data = fh.read()
        except OSError as exc:
            self.error = exc

    def result(self) -> bytes:
        self.join()
        if self.error is not None:
            raise self.error
        return self.data


# The compiled modules linked ahead, in the order the command imports them: numpy's core, then
# the min-cost-flow solver (whose library, with OR-Tools' own, takes 30 to 40 ms to link).
_LINKED_AHEAD = (
    ("numpy", "_core/_multiarray_umath"),
    ("ortools", "graph/python/min_cost_flow"),
)


_LINK_AHEAD_FROM_BYTES = 2_000_000
"""From this size up the decoding overlaps the linking (30 to 40 ms) usefully. Below it the main
thread soon imports numpy and waits for the loader anyway, and a small file was measured about
10 ms slower with the linking started ahead than without."""


def _start_linking() -> None:
    """Link the compiled libraries of numpy and the solver in a background thread.

    The dynamic loader links a library without the interpreter lock when it is called through
    ctypes as a foreign function (``ctypes.CDLL`` itself keeps the lock), but it holds its own
    lock meanwhile, so an import of any compiled module on the main thread would wait. The
    command therefore starts this after its last such import before the numpy one (msgspec's,
    with the reader), and decodes the file meanwhile; the imports that follow find the
    libraries loaded.
    Nothing is imported here, and any failure is left for those imports to report."""
    paths = [p for p in map(_extension_path, _LINKED_AHEAD) if p is not None]
    try:
        dlopen = ctypes.CDLL(None).dlopen
    except (AttributeError, OSError, TypeError):  # no C library to ask (not a POSIX system)
        return
    dlopen.restype = ctypes.c_void_p
    dlopen.argtypes = [ctypes.c_char_p, ctypes.c_int]
    flags = sys.getdlopenflags()

    def link() -> None:
        for path in paths:
            dlopen(os.fsencode(path), flags)

    threading.Thread(target=link, daemon=True).start()


def _extension_path(where: tuple[str, str]) -> str | None:
    """The file of a package's compiled module, found without importing the package."""
    package, module = where
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    base = os.path.join(spec.submodule_search_locations[0], module)
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        if os.path.isfile(base + suffix):
            return base + suffix
    return None


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
