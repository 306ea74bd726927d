"""Turning float weights into integer costs for the min-cost flow, deterministically.

The flow solver works in 64-bit integers and multiplies costs internally by about the number of
nodes, so the largest cost magnitude must stay below ``2**62 / (nodes + 1)``. We look for the
smallest number of decimal digits ``d`` (0 to 12) at which every weight is an integer once
multiplied by ``10**d`` (up to floating-point noise of a few units in the last place, so the
weight ``12.3`` read from JSON counts as the decimal 12.3). If that scale fits, the integer
problem is the weight problem exactly and the optimum is exact. Otherwise we use the largest
power of ten that fits and round; each rounded weight is then within ``0.5 / scale`` of the
true one, so the solution is within ``k / scale`` of the optimum, where ``k`` is the largest
possible number of assignments. That bound is reported as the gap.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from anvis_core.matching.problem import FloatArray, IntArray

MAX_DECIMALS = 12
_SAMPLE = 1024


@dataclass(frozen=True, eq=False)
class Scaled:
    costs: IntArray
    """The scaled weights, rounded to integers."""
    scale: float
    exact: bool
    abs_error_bound: float
    """An upper bound on ``|optimum - value of the solution|`` in weight units."""


def cost_limit(n_nodes: int) -> int:
    """The largest arc cost magnitude we allow for a network of ``n_nodes`` nodes."""
    return int(2**62 // (n_nodes + 1))


def scale_weights(weights: FloatArray, max_abs_scaled: int, k: int) -> Scaled:
    """Scale ``weights`` so that no scaled weight exceeds ``max_abs_scaled`` in magnitude.

    ``k`` bounds the number of assignments in any solution (used for the error bound).
    """
    if weights.size == 0:
        return Scaled(np.zeros(0, dtype=np.int64), 1.0, True, 0.0)
    wmax = float(np.max(np.abs(weights)))
    if wmax == 0.0:
        return Scaled(np.zeros(weights.size, dtype=np.int64), 1.0, True, 0.0)
    sample = weights[:_SAMPLE]
    for d in range(MAX_DECIMALS + 1):
        scale = 10.0**d
        if wmax * scale > max_abs_scaled:
            break
        # A scale at which the first weights are not whole cannot make all of them whole, so
        # only a scale that passes on the sample is tried on every weight.
        if _whole(sample * scale) is not None and (rounded := _whole(weights * scale)) is not None:
            return Scaled(rounded.astype(np.int64), scale, True, 0.0)
    # No exact decimal scale fits: take the largest power of ten (possibly below one) that fits.
    d = int(np.floor(np.log10(max_abs_scaled / wmax)))
    d = min(d, MAX_DECIMALS + 3)
    scale = 10.0**d
    while wmax * scale > max_abs_scaled:
        scale /= 10.0
    costs = np.rint(weights * scale).astype(np.int64)
    return Scaled(costs, scale, False, k / scale)


def _whole(scaled: FloatArray) -> FloatArray | None:
    """``scaled`` rounded, if every value is whole up to a few units in the last place."""
    rounded = np.rint(scaled)
    tol = 8.0 * np.finfo(np.float64).eps * np.maximum(np.abs(scaled), 1.0)
    return rounded if bool(np.all(np.abs(scaled - rounded) <= tol)) else None
