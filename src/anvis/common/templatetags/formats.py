"""Template filters for `anvis.common.formats` (a builtin: no ``{% load %}`` needed).

``{{ d|day }}`` 04.12.2026 · ``{{ t|moment }}`` 04.12.2026 14:30 · ``{{ t|timestamp }}`` with
seconds · ``{{ x|num:2 }}`` 1.234,50 · ``{{ x|signed:1 }}`` +1,5 · ``{{ x|kr }}`` 4.500 kr. ·
``{{ x|pct }}`` 40 % · ``{{ q|quarter }}`` 4. kvartal 2026 · ``{{ d|month }}`` december 2026 ·
``{{ n|rooms }}`` 1 værelse / 2 værelser · ``{{ cell|figure:1 }}`` a report cell: "<5" when
suppressed, "–" when empty.
"""

from __future__ import annotations

from typing import Any

from django import template

from anvis.common import formats
from anvis_core.reports import SUPPRESSED_TEXT

register = template.Library()


@register.filter
def day(value: Any) -> str:
    return formats.date(value)


@register.filter
def moment(value: Any) -> str:
    return formats.datetime(value)


@register.filter
def timestamp(value: Any) -> str:
    return formats.timestamp(value)


@register.filter
def month(value: Any) -> str:
    return formats.month(value)


@register.filter
def num(value: Any, decimals: Any = None) -> str:
    return formats.number(value, None if decimals is None else int(decimals))


@register.filter
def signed(value: Any, decimals: Any = 1) -> str:
    return formats.number(value, int(decimals), signed=True)


@register.filter
def kr(value: Any, decimals: Any = None) -> str:
    return formats.money(value, None if decimals is None else int(decimals))


@register.filter
def pct(value: Any, decimals: Any = 0) -> str:
    return formats.percent(value, int(decimals))


@register.filter
def quarter(value: Any) -> str:
    return formats.quarter(value)


@register.filter
def rooms(value: Any) -> str:
    return formats.rooms(value)


@register.filter
def figure(cell: Any, decimals: Any = None) -> str:
    """A figure cell (`anvis_core.reports.table.Cell`) as the pages write numbers: the
    suppressed text ("<5") when suppressed, "–" when it has no value."""
    if cell.suppressed:
        return SUPPRESSED_TEXT
    if cell.value is None:
        return "–"
    return formats.number(cell.value, None if decimals is None else int(decimals))
