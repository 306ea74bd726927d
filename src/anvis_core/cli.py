"""The ``anvis`` command line: one subcommand per tool (``anvis match ...``).

Each subcommand lives with its package and registers itself here through ``add_parser``; the
packages import their heavy dependencies only when the subcommand runs.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def build_parser() -> argparse.ArgumentParser:
    from anvis_core.matching import cli as matching_cli

    parser = argparse.ArgumentParser(
        prog="anvis", description="Anvis tools that work without a database."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    matching_cli.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    code: int = args.handler(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
