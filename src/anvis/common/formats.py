"""How the interface writes dates, numbers, money and quarters: one home, through Django's
localisation (``da``: 04.12.2026, 1.234,50), so a page, a message and an export cell agree.

Views, messages and templates call these (templates through the filters in
``anvis.common.templatetags.formats``, loaded everywhere); none formats a date or a number by hand.
Machine formats (ISO dates in URLs, CSV for import, the API's JSON) are not this module's
business.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def _local(value: Any) -> Any:
    """An aware moment in local time; a naive one, a day or a time as it is."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def date(value: dt.date | str | None) -> str:
    """A day, short: ``04.12.2026`` in Danish; also a day kept as an ISO string in stored
    figures ("2026-12-04", as report snapshots and simulation results hold it)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    return formats.date_format(_local(value), "SHORT_DATE_FORMAT")


def datetime(value: dt.datetime | None) -> str:
    """A moment to the minute in local time: ``04.12.2026 14:30``."""
    if value is None:
        return ""
    return formats.date_format(_local(value), "SHORT_DATETIME_FORMAT")


def timestamp(value: dt.datetime | None) -> str:
    """A moment to the second in local time (audit and operations pages)."""
    if value is None:
        return ""
    value = _local(value)
    return f"{date(value)} {formats.time_format(value, 'H:i:s')}"


def time(value: dt.time | dt.datetime | None) -> str:
    """A time of day: ``14:30`` in Danish."""
    if value is None:
        return ""
    return formats.time_format(_local(value), "TIME_FORMAT")


def month(value: dt.date | None) -> str:
    """A month in words: ``december 2026``."""
    return "" if value is None else formats.date_format(value, "YEAR_MONTH_FORMAT")


def number(value: Any, decimals: int | None = None, *, signed: bool = False) -> str:
    """A number with the locale's separators (``1.234,50``); ``decimals`` rounds to that many
    places; ``signed`` writes ``+`` before a positive number. Fractions become decimals."""
    if value is None or value == "":
        return ""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    if isinstance(value, float):
        value = Decimal(repr(value))
    if decimals is not None:
        # Half up, as Danes round and as the report's figures are rounded
        # (anvis_core.reports): 11.25 is 11,3 on every page, in every download and report.
        value = Decimal(value).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
        if value == 0:
            value = abs(value)
    text = formats.number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)
    if signed and Decimal(value) > 0:
        text = f"+{text}"
    return text


def money(value: Any, decimals: int | None = None) -> str:
    """An amount in kroner: ``4.500 kr.``, ``1.234,50 kr.`` (øre shown when there are any,
    unless ``decimals`` says how many places)."""
    if value is None or value == "":
        return ""
    if decimals is None:
        decimals = 0 if Decimal(str(value)) == Decimal(str(value)).to_integral_value() else 2
    return _("%(amount)s kr.") % {"amount": number(value, decimals)}


def percent(value: Any, decimals: int | None = 0) -> str:
    """A percentage: ``40 %``; with ``decimals=None`` as precise as the value is, without
    trailing zeros (a share of ``2.50`` is ``2,5 %``)."""
    if value is None or value == "":
        return ""
    if decimals is None:
        value = Decimal(str(value)).normalize()
    return f"{number(value, decimals)} %"


def quarter(value: Any) -> str:
    """A quarter, one way everywhere: ``4. kvartal 2026`` (``value``: an
    ``anvis_core.quotas.Quarter`` or its ``2026-Q4`` text)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        from anvis_core.quotas import Quarter

        value = Quarter.parse(value)
    return _("%(number)s. quarter %(year)s") % {"number": value.number, "year": value.year}


def rooms(value: Any) -> str:
    """A number of rooms with its plural form: ``1 værelse``, ``2 værelser``."""
    if value is None or value == "":
        return ""
    n = int(value)
    return ngettext("%(n)s room", "%(n)s rooms", n) % {"n": n}


def persons(value: Any) -> str:
    """A number of persons with its plural form: ``1 person``, ``3 personer``."""
    if value is None or value == "":
        return ""
    n = int(value)
    return ngettext("%(n)s person", "%(n)s persons", n) % {"n": n}
