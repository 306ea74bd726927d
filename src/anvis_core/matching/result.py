"""The outcome of a batch allocation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from anvis_core.matching.problem import IntArray

Status = Literal["optimal", "feasible", "infeasible"]

OPTIMAL_GAP = 1e-9
"""A solution whose proven relative gap is at most this is reported as optimal."""


@dataclass(frozen=True, eq=False)
class MatchingResult:
    """``pairs`` are the indices of the chosen pairs in ascending order (so in input order).

    ``gap`` is the proven relative gap ``(bound - total) / max(|bound|, |total|)`` between the
    best possible total weight and ``total_weight`` (0 when both are 0), ``None`` when
    infeasible. ``method`` names the algorithm that produced the answer.
    """

    status: Status
    pairs: IntArray
    assignments: tuple[tuple[str, str], ...]
    total_weight: float
    gap: float | None
    seconds: float
    method: str
    laminar: bool

    @property
    def count(self) -> int:
        return int(self.pairs.size)


def relative_gap(bound: float, value: float) -> float:
    den = max(abs(bound), abs(value))
    if den == 0.0:
        return 0.0
    return max(0.0, (bound - value) / den)


def no_pairs() -> IntArray:
    return np.zeros(0, dtype=np.int64)
