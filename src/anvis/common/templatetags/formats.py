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

# The filters that take no argument are the formats themselves, under the templates' names.
register.filter("day", formats.date)
register.filter("moment", formats.datetime)
register.filter("timestamp", formats.timestamp)
register.filter("month", formats.month)
register.filter("quarter", formats.quarter)
register.filter("rooms", formats.rooms)


def _places(decimals: Any) -> int | None:
    """A filter's argument for the number of decimals (``{{ x|num:2 }}``); None: as precise as
    the value is."""
    return None if decimals is None else int(decimals)


@register.filter
def num(value: Any, decimals: Any = None) -> str:
    return formats.number(value, _places(decimals))


@register.filter
def signed(value: Any, decimals: Any = 1) -> str:
    return formats.number(value, int(decimals), signed=True)


@register.filter
def kr(value: Any, decimals: Any = None) -> str:
    return formats.money(value, _places(decimals))


@register.filter
def pct(value: Any, decimals: Any = 0) -> str:
    return formats.percent(value, int(decimals))


@register.filter
def figure(cell: Any, decimals: Any = None) -> str:
    """A figure cell (`anvis_core.reports.table.Cell`) as the pages write numbers: the
    suppressed text ("<5") when suppressed, "–" when it has no value."""
    if cell.suppressed:
        return SUPPRESSED_TEXT
    if cell.value is None:
        return "–"
    return formats.number(cell.value, _places(decimals))
