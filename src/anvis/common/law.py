"""The installation's law table: the built-in rows of `anvis_core.law` with the overrides from
the JSON file named by ``settings.ANVIS_LAW_OVERRIDES`` (docs/law.md), installed at start-up
so that every reader (pages, API, batch jobs, the matching engine) uses the same rules; and
the extra closing days of the working-day deadlines (``settings.ANVIS_EXTRA_CLOSING_DAYS``,
`anvis_core.calendar`), installed the same way."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from anvis_core import calendar, law


def configured_table() -> law.LawTable:
    """The built-in table, with the overrides file applied when one is configured."""
    path = str(getattr(settings, "ANVIS_LAW_OVERRIDES", "") or "")
    if not path:
        return law.DEFAULT_TABLE
    try:
        rows = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ImproperlyConfigured(f"ANVIS_LAW_OVERRIDES {path}: {exc}") from exc
    if not isinstance(rows, list):
        raise ImproperlyConfigured(f"ANVIS_LAW_OVERRIDES {path}: expected a list of rows")
    try:
        return law.table_from_json(rows)
    except (law.LawError, ValueError, TypeError) as exc:
        raise ImproperlyConfigured(f"ANVIS_LAW_OVERRIDES {path}: {exc}") from exc


def configured_extra_closed() -> frozenset[calendar.ExtraClosingDay]:
    """The extra closing days the setting names (a comma-separated text or a list)."""
    value = getattr(settings, "ANVIS_EXTRA_CLOSING_DAYS", calendar.DEFAULT_EXTRA_CLOSED)
    names = value.split(",") if isinstance(value, str) else list(value)
    days = set()
    for name in (str(n).strip() for n in names):
        if not name:
            continue
        try:
            days.add(calendar.ExtraClosingDay(name))
        except ValueError:
            known = ", ".join(d.value for d in calendar.ExtraClosingDay)
            raise ImproperlyConfigured(
                f"ANVIS_EXTRA_CLOSING_DAYS: unknown day {name!r} (known: {known})"
            ) from None
    return frozenset(days)


def install() -> law.LawTable:
    table = configured_table()
    law.install_table(table)
    calendar.install_extra_closed(configured_extra_closed())
    return table
