"""The ``anvis`` command line: one subcommand per tool (``anvis match``, ``anvis simulate``).

Each subcommand lives with its package and provides ``add_parser(subparsers)`` and
``run(args) -> int``; the packages import their heavy dependencies only when the subcommand runs.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import Any


def build_parser() -> argparse.ArgumentParser:
    from anvis_core.matching import cli as matching_cli
    from anvis_core.simulation import cli as simulation_cli

    parser = argparse.ArgumentParser(
        prog="anvis", description="Anvis tools that work without a database."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in (matching_cli, simulation_cli):
        module.add_parser(sub)
        runner: Callable[[argparse.Namespace], int] = module.run
        sub.choices[_last_command(sub)].set_defaults(handler=runner)
    return parser


def _last_command(sub: Any) -> str:
    return str(list(sub.choices)[-1])


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    code: int = args.handler(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
