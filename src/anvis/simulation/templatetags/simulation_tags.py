from __future__ import annotations

from typing import Any

from django import template
from django.utils.formats import number_format

register = template.Library()


def _num(value: float, unit: str) -> str:
    if unit == "share":
        return f"{number_format(value * 100, 1)} %"
    if unit in ("kr", "count") and abs(value) >= 1000:
        return number_format(round(value), 0, force_grouping=True)
    if unit == "kr":
        return number_format(round(value), 0, force_grouping=True)
    return number_format(value, 1, force_grouping=True)


@register.filter
def figure(cell: Any) -> str:
    """ "mean (low–high)" for a result cell; "–" when the figure is missing."""
    if cell is None or cell.mean is None:
        return "–"
    text = _num(cell.mean, cell.unit)
    if cell.low is not None and cell.high is not None:
        text += f" ({_num(cell.low, cell.unit)}–{_num(cell.high, cell.unit)})"
    return text


@register.filter
def number(value: Any, digits: int = 1) -> str:
    if value is None:
        return "–"
    return number_format(value, digits, force_grouping=True)
