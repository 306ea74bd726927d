"""The ``anvis`` command line: one subcommand per tool (``anvis match``, ``anvis simulate``).

Each subcommand lives with its package and provides ``add_parser(subparsers)`` and
``run(args) -> int``. Only the package of the command being run is imported, so ``anvis match``
does not pay for the simulator's imports (SciPy) and the other way round.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from types import ModuleType

COMMANDS = {
    "match": "anvis_core.matching.cli",
    "simulate": "anvis_core.simulation.cli",
}


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="anvis", description="Anvis tools that work without a database."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, module_name in COMMANDS.items():
        if only is not None and name != only:
            continue
        module: ModuleType = importlib.import_module(module_name)
        module.add_parser(sub)
        runner: Callable[[argparse.Namespace], int] = module.run
        sub.choices[name].set_defaults(handler=runner)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    first = args_list[0] if args_list else None
    parser = build_parser(first if first in COMMANDS else None)
    args = parser.parse_args(args_list)
    code: int = args.handler(args)
    if argv is None and getattr(args, "exit_at_once", False):
        # The command's work is written and nothing else runs in the process: end it without
        # freeing every object one by one (a batch file leaves half a million behind).
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code


if __name__ == "__main__":
    sys.exit(main())
