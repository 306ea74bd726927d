"""The `anvis` command: a dispatcher over the subcommands of the core packages."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any

_SUBCOMMANDS = ("anvis_core.simulation.cli", "anvis_core.matching.cli")


def _modules() -> list[ModuleType]:
    found = []
    for name in _SUBCOMMANDS:
        try:
            found.append(importlib.import_module(name))
        except ModuleNotFoundError as exc:
            if exc.name is None or not name.startswith(exc.name):
                raise
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="anvis")
    sub = parser.add_subparsers(dest="command", required=True)
    for module in _modules():
        p = module.add_parser(sub)
        runner: Callable[[argparse.Namespace], int] = module.run
        p.set_defaults(_run=runner)
    args = parser.parse_args(argv)
    run: Callable[[Any], int] = args._run
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
