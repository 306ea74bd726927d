from __future__ import annotations

from typing import Any

from django import template

from anvis.common import formats as fmt

register = template.Library()


def _num(value: float, unit: str) -> str:
    if unit == "share":
        return fmt.percent(value * 100, 1)
    if unit in ("kr", "count") and abs(value) >= 1000:
        return fmt.number(round(value), 0)
    if unit == "kr":
        return fmt.number(round(value), 0)
    return fmt.number(value, 1)


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
    return fmt.number(value, digits)
