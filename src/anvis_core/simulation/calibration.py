"""Estimates with 95 % intervals for calibrating a scenario from observed history.

- a rate (arrivals a year, exits per person-year, vacancies per dwelling-year) from a count of
  events over an exposure: exact Poisson (Garwood) interval;
- a share (offers accepted): Wilson score interval;
- a mean duration (days to answer): t-based interval over the observations.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from .intervals import CONFIDENCE, interval


@dataclass(frozen=True)
class Estimate:
    value: float | None
    low: float | None
    high: float | None
    n: int
    """Events (rates), trials (shares) or observations (means)."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def poisson_rate(count: int, exposure: float) -> Estimate:
    """`count` events over `exposure` (e.g. person-years): rate with the exact interval."""
    if exposure <= 0:
        return Estimate(None, None, None, count)
    # scipy.stats takes most of a second to import (intervals.py needs only scipy.special)
    from scipy import stats

    alpha = 1 - CONFIDENCE
    low = stats.chi2.ppf(alpha / 2, 2 * count) / 2 if count > 0 else 0.0
    high = stats.chi2.ppf(1 - alpha / 2, 2 * count + 2) / 2
    return Estimate(count / exposure, float(low) / exposure, float(high) / exposure, count)


def proportion(successes: int, trials: int) -> Estimate:
    """Share of successes with the Wilson score interval."""
    if trials <= 0:
        return Estimate(None, None, None, 0)
    from scipy import stats

    z = float(stats.norm.ppf(0.5 + CONFIDENCE / 2))
    p = successes / trials
    denom = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denom
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denom
    return Estimate(p, max(0.0, centre - half), min(1.0, centre + half), trials)


def mean_days(values: Sequence[float]) -> Estimate:
    i = interval(list(values))
    return Estimate(i["mean"], i["ci_low"], i["ci_high"], int(i["n"] or 0))
