"""The demo's shared context: scale, seed, reference date, log and what one loader hands the next.

Loaders are deterministic: they draw random numbers only from `ctx.rng_for(name)`, seeded from
`ctx.seed`.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

#: The demo accounts' password when ANVIS_DEMO_PASSWORD is not set: it is in the README, so
#: `load_demo` refuses it in the production profile.
PUBLISHED_PASSWORD = "Anvis-demo-2026"  # noqa: S105

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


def weighted(rng: random.Random, options: Sequence[tuple[Any, float]]) -> Any:
    """One of the options, drawn with their weights (which sum to 1) by one random number."""
    roll, acc = rng.random(), 0.0
    for value, weight in options:
        acc += weight
        if roll < acc:
            return value
    return options[-1][0]
