"""The result blocks of the outcomes (tenancies, headlines, budget) and paired differences.

Replication i of every variant of one file (same seed) draws its citizens and vacancies from the
same streams (common random numbers), so the difference of a figure between two variants is
taken replication by replication, and its confidence interval is the interval of those
differences: much narrower than the two separate intervals suggest when the variants are
positively correlated. `paired_differences` needs the same seed and number of replications.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .intervals import interval
from .scenario import Scenario

PAIRED: tuple[tuple[str, tuple[str, ...], str], ...] = (
    # figure, path in a replication summary, what a higher value means for the citizens or
    # the municipality ("better", "worse" or "neutral")
    ("mean_days_on_list", ("headlines", "mean_days_on_list"), "worse"),
    ("share_housed_within_3_months", ("headlines", "share_housed_within", "3"), "better"),
    ("share_housed_within_6_months", ("headlines", "share_housed_within", "6"), "better"),
    ("share_housed_within_12_months", ("headlines", "share_housed_within", "12"), "better"),
    ("mean_number_waiting", ("queue", "mean_number_waiting"), "worse"),
    ("still_waiting_at_end", ("still_waiting_at_end",), "worse"),
    ("homeless_at_end", ("homeless_at_end",), "worse"),
    ("housed", ("housed_in_window",), "better"),
    ("still_housed_12_months", ("tenancy", "still_housed_12_months"), "better"),
    ("shelter_days", ("budget", "shelter_days"), "worse"),
    ("budget_total_kr", ("budget", "total"), "worse"),
    ("budget_present_value_kr", ("budget", "present_value"), "worse"),
)

BUDGET_ITEMS = (
    "shelter_days",
    "shelter_gross",
    "shelter_refund",
    "shelter_net",
    "void_rent",
    "guarantees",
    "support_gross",
    "support_refund",
    "support_net",
    "housing_benefit",
    "total",
    "total_discounted",
)


def _get(rep: Mapping[str, Any], path: Sequence[str]) -> float:
    x: Any = rep
    for p in path:
        x = x[p]
    return float(x)


def per_replication(reps: Sequence[Mapping[str, Any]]) -> dict[str, list[float]]:
    """The paired figures, one value per replication (for differences between runs)."""
    return {name: [_get(rep, path) for rep in reps] for name, path, _ in PAIRED}


def paired_differences(
    base: Mapping[str, Any], other: Mapping[str, Any]
) -> dict[str, dict[str, Any]] | None:
    """`other` − `base` per figure: the interval of the replication-wise differences, or None
    when the two results do not share their random numbers (seed, replications)."""
    a, b = base["scenario"], other["scenario"]
    if a["seed"] != b["seed"] or a["replications"] != b["replications"]:
        return None
    out: dict[str, dict[str, Any]] = {}
    for name, _, direction in PAIRED:
        xs, ys = base["per_replication"].get(name), other["per_replication"].get(name)
        if xs is None or ys is None:
            continue
        diffs = [
            y - x
            for x, y in zip(xs, ys, strict=True)
            if x is not None and y is not None and math.isfinite(x) and math.isfinite(y)
        ]
        d = interval(diffs)
        lo, hi = d["ci_low"], d["ci_high"]
        clear = lo is not None and hi is not None and (lo > 0 or hi < 0)
        out[name] = {
            **d,
            "base": interval([x for x in xs if x is not None]),
            "other": interval([y for y in ys if y is not None]),
            "direction": direction,
            "clear": clear,
        }
    return out


def _bands(rows: np.ndarray[Any, Any]) -> dict[str, list[Any]]:
    bands = [interval(rows[:, k].tolist()) for k in range(rows.shape[1])]
    return {
        "mean": [b["mean"] for b in bands],
        "ci_low": [b["ci_low"] for b in bands],
        "ci_high": [b["ci_high"] for b in bands],
    }


def _headlines(reps: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    h = [rep["headlines"] for rep in reps]
    outcomes = h[0]["count_by_outcome"]
    return {
        "joined": interval([x["joined"] for x in h]),
        "mean_days_on_list": interval([x["mean_days_on_list"] for x in h]),
        "mean_days_on_list_by_outcome": {
            k: interval([x["mean_days_on_list_by_outcome"][k] for x in h]) for k in outcomes
        },
        "count_by_outcome": {k: interval([x["count_by_outcome"][k] for x in h]) for k in outcomes},
        "cohort_12_months": interval([x["cohort_12_months"] for x in h]),
        "share_housed_within_months": {
            k: interval([x["share_housed_within"][k] for x in h])
            for k in h[0]["share_housed_within"]
        },
        "waiting_over_time": _bands(np.asarray([x["waiting_series"] for x in h], dtype=float)),
    }


def _tenancy(s: Scenario, reps: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    t = [rep["tenancy"] for rep in reps]
    keys = ("placements", "breakdowns", "followed_12_months", "still_housed_12_months")
    return {
        **{k: interval([x[k] for x in t]) for k in (*keys, "returns")},
        "share_still_housed_12_months": interval([x["share_still_housed_12_months"] for x in t]),
        "return_share": s.tenancy.return_share,
        "by_method": [
            {
                "name": m.name,
                "share": m.share,
                "retained_12_months": m.retained_12_months,
                **{k: interval([x["by_method"][i][k] for x in t]) for k in keys},
            }
            for i, m in enumerate(s.tenancy.methods)
        ],
    }


def _budget(s: Scenario, reps: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    b = [rep["budget"] for rep in reps]
    years = []
    for k in range(len(b[0]["years"])):
        row = [x["years"][k] for x in b]
        years.append(
            {
                "year": k + 1,
                **{item: interval([y[item] for y in row]) for item in BUDGET_ITEMS},
                "support_by_method": {
                    m.name: interval([y["support_by_method"][i] for y in row])
                    for i, m in enumerate(s.tenancy.methods)
                },
            }
        )
    return {
        "discount_rate": s.costs.discount_rate,
        "years": years,
        "total": interval([x["total"] for x in b]),
        "present_value": interval([x["present_value"] for x in b]),
        "support_committed_after_horizon": interval(
            [x["support_committed_after_horizon"] for x in b]
        ),
    }


def aggregate_outcomes(s: Scenario, reps: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    return {
        "tenancy": _tenancy(s, reps),
        "headlines": _headlines(reps),
        "budget": _budget(s, reps),
        "per_replication": per_replication(reps),
    }
