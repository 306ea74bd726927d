"""The demo data framework.

Each app may have a `demo.py` with `ORDER: int` and `load(ctx: DemoContext) -> None`.
`manage.py load_demo` calls them in ORDER, in one transaction, with a shared context. Loaders are
deterministic: they draw random numbers only from `ctx.rng_for(name)`, seeded from `ctx.seed`.
"""

from __future__ import annotations

import datetime as dt
import importlib
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps

SCALES = ("aalborg", "national")


@dataclass
class DemoContext:
    scale: str = "aalborg"
    seed: int = 2023
    today: dt.date = field(default_factory=dt.date.today)
    log: Callable[[str], None] = print
    data: dict[str, Any] = field(default_factory=dict)

    def rng_for(self, name: str) -> random.Random:
        return random.Random(f"{self.seed}:{self.scale}:{name}")

    @property
    def national(self) -> bool:
        return self.scale == "national"


def loaders() -> list[tuple[int, str, Callable[[DemoContext], None]]]:
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("anvis."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.demo":
                raise
            continue
        if hasattr(module, "load"):
            found.append((getattr(module, "ORDER", 100), config.name, module.load))
    return sorted(found, key=lambda item: (item[0], item[1]))
