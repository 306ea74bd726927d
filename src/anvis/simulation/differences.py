"""Paired differences between finished runs, each with a plain sentence for the steering group.

Runs with the same seed and number of replications share their random numbers (common random
numbers), so `anvis_core.simulation.outcomes_results.paired_differences` takes each figure's
difference replication by replication, with its own 95 % confidence interval. Each later run is
compared with the first one chosen. A difference is "clear" when its interval does not contain
zero; otherwise the sentence says that the runs cannot be told apart on that figure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anvis_core.simulation.outcomes_results import paired_differences

from .models import SimulationRun
from .templatetags.simulation_tags import _num

FIGURES: dict[str, tuple[Any, str]] = {
    "mean_days_on_list": (gettext_lazy("the mean time on the list (days)"), "days"),
    "share_housed_within_3_months": (
        gettext_lazy("the share housed within 3 months of joining"),
        "share",
    ),
    "share_housed_within_6_months": (
        gettext_lazy("the share housed within 6 months of joining"),
        "share",
    ),
    "share_housed_within_12_months": (
        gettext_lazy("the share housed within 12 months of joining"),
        "share",
    ),
    "mean_number_waiting": (gettext_lazy("the mean number waiting"), "count"),
    "still_waiting_at_end": (gettext_lazy("the number still waiting at the end"), "count"),
    "homeless_at_end": (gettext_lazy("the number homeless at the end"), "count"),
    "housed": (gettext_lazy("the number housed"), "count"),
    "still_housed_12_months": (
        gettext_lazy("the number housed and still housed after 12 months"),
        "count",
    ),
    "shelter_days": (gettext_lazy("the § 110 shelter days"), "count"),
    "budget_total_kr": (gettext_lazy("the municipal budget over the period (kr)"), "kr"),
    "budget_present_value_kr": (
        gettext_lazy("the municipal budget, discounted (kr)"),
        "kr",
    ),
}


@dataclass(frozen=True)
class Difference:
    label: Any
    mean: float
    low: float | None
    high: float | None
    unit: str
    clear: bool
    sentence: str


def sentence(base: str, other: str, figure: str, d: dict[str, Any]) -> str:
    """One plain sentence (Danish through gettext) for one paired difference."""
    label, unit = FIGURES[figure]
    mean, low, high = d["mean"], d["ci_low"], d["ci_high"]
    values = {
        "base": base,
        "other": other,
        "figure": label,
        "amount": _num(abs(mean), unit),
        "low": _num(low, unit) if low is not None else "–",
        "high": _num(high, unit) if high is not None else "–",
    }
    if d["clear"] and mean < 0 and low is not None and high is not None:
        # "x lower (between a and b)": the interval as amounts lower, smaller first
        values["low"], values["high"] = _num(-high, unit), _num(-low, unit)
    if not d["clear"]:
        return (
            _(
                "“%(other)s” and “%(base)s” cannot be told apart on %(figure)s: the difference "
                "lies between %(low)s and %(high)s (95 %% confidence)."
            )
            % values
        )
    if mean < 0:
        text = _(
            "With “%(other)s”, %(figure)s is %(amount)s lower than with “%(base)s” "
            "(95 %% confidence: between %(low)s and %(high)s)."
        )
    else:
        text = _(
            "With “%(other)s”, %(figure)s is %(amount)s higher than with “%(base)s” "
            "(95 %% confidence: between %(low)s and %(high)s)."
        )
    return text % values


def difference_sets(
    runs: Sequence[SimulationRun], labels: Sequence[str] | None = None
) -> list[dict[str, Any]]:
    """For each run after the first: its paired differences against the first, or a note that
    the runs do not share their random numbers. `labels` name the runs (default: their names)."""
    if len(runs) < 2:
        return []
    names = list(labels) if labels is not None else [run.name for run in runs]
    base = runs[0]
    out = []
    for run, name in zip(runs[1:], names[1:], strict=True):
        diffs = (
            paired_differences(base.result, run.result)
            if base.result
            and run.result
            and "per_replication" in base.result
            and "per_replication" in run.result
            else None
        )
        rows = [
            Difference(
                FIGURES[figure][0],
                d["mean"],
                d["ci_low"],
                d["ci_high"],
                FIGURES[figure][1],
                d["clear"],
                sentence(names[0], name, figure, d),
            )
            for figure, d in (diffs or {}).items()
            if figure in FIGURES and d["mean"] is not None
        ]
        out.append(
            {
                "base": base,
                "run": run,
                "base_label": names[0],
                "run_label": name,
                "paired": diffs is not None,
                "rows": rows,
            }
        )
    return out
