"""Danish (translated) text for the reason codes that `anvis_core.composition` returns."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anvis.common import formats as fmt

CRITERION_LABELS = {
    "outside_work_education": gettext_lazy("18–64-year-olds outside work and education"),
    "convictions": gettext_lazy("convictions relative to the national rate"),
    "basic_schooling": gettext_lazy("30–59-year-olds with only basic schooling"),
    "income": gettext_lazy("income relative to the region"),
}
INDICATOR_LABELS = {
    "outside_work_education": gettext_lazy("Outside work and education (%)"),
    "basic_schooling_only": gettext_lazy("Only basic schooling (%)"),
    "income_relative_region": gettext_lazy("Income relative to the region (%)"),
    "convictions_relative_national": gettext_lazy("Convictions relative to the national rate"),
    "move_out_rate": gettext_lazy("Move-out rate (%)"),
    "public_support": gettext_lazy("On public support (%)"),
}
DESIGNATION_LABELS = {
    "udsat": gettext_lazy("vulnerable housing area (udsat boligområde)"),
    "parallelsamfund": gettext_lazy("parallel society (parallelsamfund)"),
    "omdannelse": gettext_lazy("transformation area (omdannelsesområde)"),
    "forebyggelse": gettext_lazy("prevention area (forebyggelsesområde)"),
}


def _num(text: Any) -> str:
    """A number as the current language writes it (44,7 in Danish)."""
    try:
        return fmt.number(Decimal(str(text)))
    except (InvalidOperation, ValueError):
        return str(text)


def comparison(criterion: str, threshold: Any) -> str:
    return _comparison(criterion, _num(threshold))


def _comparison(criterion: str, threshold: str) -> str:
    if criterion == "convictions":
        return _("at least %(t)s times") % {"t": threshold}
    if criterion == "income":
        return _("under %(t)s %%") % {"t": threshold}
    return _("over %(t)s %%") % {"t": threshold}


def _value(criterion: str, value: str) -> str:
    return f"{value} ×" if criterion == "convictions" else f"{value} %"


def describe(code: str, params: Mapping[str, Any] | None = None) -> str:
    """One reason as a Danish sentence."""
    p = dict(params or {})
    if code == "designated":
        return _("On the official list of 1 December %(year)s as %(kind)s.") % {
            "year": p.get("year"),
            "kind": DESIGNATION_LABELS.get(str(p.get("kind")), p.get("kind")),
        }
    if code == "no_data":
        return _("No indicators for this department.")
    if code == "no_values":
        return _("The figures for %(year)s hold no value for any of the criteria.") % {
            "year": p.get("year")
        }
    if code == "suppressed":
        return _(
            "The figures for %(year)s are suppressed (under 100 residents or 50 households)."
        ) % {"year": p.get("year")}
    if code == "below_thresholds":
        return _("All indicators are below the legal thresholds and the early-warning margins.")
    if code == "udsat":
        return (
            _(
                "Meets %(met)s of the 4 criteria for a vulnerable housing area (udsat, § 61 a); "
                "%(needed)s are enough."
            )
            % p
        )
    if code == "prevention_level":
        return (
            _(
                "Early warning: meets %(met)s of the 4 socio-economic criteria at the levels of "
                "a prevention area (§ 61 b); %(needed)s are enough."
            )
            % p
        )
    if code == "one_udsat_criterion":
        return _("Early warning: one of the four udsat criteria is met.")
    if code.startswith("step."):
        level = code.split(".", 1)[1]
        texts = {
            "red": _("Red: shielded, proposed share %(share)s %%."),
            "yellow": _("Early warning: reduced share %(share)s %%."),
            "green": _("Green: the standard share %(share)s %%."),
            "strong": _("Green with strong indicators: higher share %(share)s %%."),
            "unknown": _("No usable indicators: the standard share %(share)s %%."),
        }
        return texts.get(level, code) % p
    return _describe_criterion(code, p)


CRITERION_RULES = {
    "udsat": gettext_lazy("udsat criterion"),
    "prevention_level": gettext_lazy("forebyggelse criterion"),
    "near_udsat": gettext_lazy("close to the udsat threshold"),
}
"""How a criterion reason names the rule its value is measured against, by the code's prefix."""


def _describe_criterion(code: str, p: dict[str, Any]) -> str:
    """A reason about one criterion's value against its threshold (``udsat.employment`` …)."""
    prefix, _sep, criterion = code.partition(".")
    if criterion not in CRITERION_LABELS or prefix not in CRITERION_RULES:
        return code
    years = int(p.get("years", 1) or 1)
    return _("%(label)s: %(value)s%(avg)s, %(rule)s %(limit)s.") % {
        "label": CRITERION_LABELS[criterion],
        "value": _value(criterion, _num(p.get("value"))),
        "avg": _(" (two-year average)") if years == 2 else "",
        "rule": CRITERION_RULES[prefix],
        "limit": _comparison(criterion, _num(p.get("threshold"))),
    }


def describe_all(reasons: list[dict[str, Any]]) -> list[str]:
    return [describe(r.get("code", ""), r.get("params")) for r in reasons]
