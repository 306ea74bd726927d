"""Small statistics for the report: median, nearest-rank percentile, bands."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from decimal import Decimal

from anvis_core.cases.household import YOUNG_AGES

AGE_BANDS: tuple[tuple[int, int | None], ...] = (
    (0, YOUNG_AGES[0] - 1),
    YOUNG_AGES,
    (YOUNG_AGES[1] + 1, 29),
    (30, 39),
    (40, 49),
    (50, 64),
    (65, None),
)
#: Upper limits (exclusive) of the rent bands, whole kroner a month. The agreement's binding
#: constraint sits at 3,500–4,000 kr, so the bands are 500 kr wide around it.
RENT_LIMITS: tuple[int, ...] = (3000, 3500, 4000, 4500, 5000)


def median(values: Sequence[int]) -> Decimal | None:
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return Decimal(ordered[mid])
    return Decimal(ordered[mid - 1] + ordered[mid]) / 2


def percentile(values: Sequence[int], p: int) -> int | None:
    """Nearest-rank percentile: the smallest value with at least p % of the values at or
    below it."""
    if not values:
        return None
    if not 0 < p <= 100:
        raise ValueError("p must be in (0, 100]")
    ordered = sorted(values)
    rank = math.ceil(p * len(ordered) / 100)
    return ordered[rank - 1]


def age_band(age: int | None) -> str:
    if age is None:
        return "?"
    for low, high in AGE_BANDS:
        if high is None:
            if age >= low:
                return f"{low}+"
        elif low <= age <= high:
            return f"{low}–{high}"
    return "?"


def age_band_labels() -> list[str]:
    return [f"{lo}+" if hi is None else f"{lo}–{hi}" for lo, hi in AGE_BANDS]


def rent_band(rent: int | None) -> str:
    if rent is None:
        return "?"
    low = 0
    for limit in RENT_LIMITS:
        if rent < limit:
            return f"{_kr(low)}–{_kr(limit - 1)}" if low else f"< {_kr(limit)}"
        low = limit
    return f"≥ {_kr(low)}"


def rent_band_labels() -> list[str]:
    labels = [f"< {_kr(RENT_LIMITS[0])}"]
    for low, high in itertools.pairwise(RENT_LIMITS):
        labels.append(f"{_kr(low)}–{_kr(high - 1)}")
    labels.append(f"≥ {_kr(RENT_LIMITS[-1])}")
    return labels


def _kr(amount: int) -> str:
    text = f"{amount:,}".replace(",", ".")
    return text
