"""Mean and t-based 95 % confidence interval over replications; JSON-safe numbers."""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import cache
from typing import Any

import numpy as np

CONFIDENCE = 0.95


def clean(x: Any) -> Any:
    """JSON has no NaN or infinity: they become null (None)."""
    if isinstance(x, float) and not math.isfinite(x):
        return None
    if isinstance(x, dict):
        return {k: clean(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [clean(v) for v in x]
    return x


def interval(values: Sequence[float]) -> dict[str, float | int | None]:
    """Mean and t-based 95 % confidence interval of per-replication values (NaNs ignored)."""
    arr = np.asarray([v for v in values if v is not None and not math.isnan(v)], dtype=float)
    n = int(arr.size)
    if n == 0:
        return {"mean": None, "ci_low": None, "ci_high": None, "sd": None, "n": 0}
    mean = float(arr.mean())
    if n < 2:
        return {"mean": mean, "ci_low": None, "ci_high": None, "sd": None, "n": n}
    sd = float(arr.std(ddof=1))
    half = t_quantile(n - 1) * sd / math.sqrt(n)
    return {"mean": mean, "ci_low": mean - half, "ci_high": mean + half, "sd": sd, "n": n}


@cache
def t_quantile(df: int) -> float:
    """Student's t quantile for the interval with `df` degrees of freedom: the same few values
    are asked for thousands of times per result (every figure has the same count)."""
    # The inverse of Student's t distribution function, which `scipy.stats.t.ppf` calls too:
    # scipy.special imports in a fraction of scipy.stats's second or more (worker processes
    # never need either).
    from scipy.special import stdtrit

    return float(stdtrit(df, 0.5 + CONFIDENCE / 2))
