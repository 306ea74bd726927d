"""The installation's law table: ANVIS_LAW_OVERRIDES (docs/law.md)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from anvis.common.law import configured_table, install
from anvis_core import law
from anvis_core.cases.bars import AreaKind, BarEvent, BarKind, Benefit, bar_status


def test_without_a_file_the_built_in_table_is_used() -> None:
    with override_settings(ANVIS_LAW_OVERRIDES=""):
        assert configured_table() is law.DEFAULT_TABLE


def test_an_overrides_file_changes_the_bars_everywhere(tmp_path: Path) -> None:
    """ABL § 59 stk. 7 read differently by an installation: every kontanthjælp bars from
    1 July 2025. Installed, the plain `bar_status` (as the gate calls it) follows it."""
    path = tmp_path / "law.json"
    rows = [
        {
            "key": "bar.benefits.prevention",
            "valid_to": "2025-06-30",
            "source": "L 23 2021/22",
            "value": ["self_support", "transition"],
        },
        {
            "key": "bar.benefits.prevention",
            "valid_from": "2025-07-01",
            "source": "LBK (test)",
            "value": ["self_support", "transition", "cash_benefit", "cash_benefit_minimum"],
        },
    ]
    path.write_text(json.dumps(rows), encoding="utf-8")
    events = [BarEvent(BarKind.BENEFITS, dt.date(2025, 7, 1), benefit=Benefit.CASH_BENEFIT)]
    on = dt.date(2026, 2, 1)
    assert not bar_status(events, AreaKind.PREVENTION, on).barred
    try:
        with override_settings(ANVIS_LAW_OVERRIDES=str(path)):
            install()
        assert bar_status(events, AreaKind.PREVENTION, on).barred
    finally:
        law.install_table(law.DEFAULT_TABLE)
    assert not bar_status(events, AreaKind.PREVENTION, on).barred


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "law.json"),
        ('{"key": "x"}', "expected a list"),
        ('[{"key": "bar.nonsense", "value": 1, "source": "x"}]', "unknown rule"),
        ('[{"key": "bar.event_months", "value": 3}]', "missing field 'source'"),
    ],
)
def test_a_bad_overrides_file_stops_start_up_with_the_reason(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "law.json"
    path.write_text(content, encoding="utf-8")
    with (
        override_settings(ANVIS_LAW_OVERRIDES=str(path)),
        pytest.raises(ImproperlyConfigured, match=message),
    ):
        configured_table()


def test_the_extra_closing_days_are_the_installations_choice() -> None:
    """Grundlovsdag, juleaftensdag and nytårsaftensdag are closing days by custom, not by law:
    the setting chooses them at start-up, and every deadline computed afterwards (here the
    municipality's answer deadline, as the vacancy report computes it) follows; an unknown day
    stops start-up with its name."""
    from anvis_core import calendar
    from anvis_core.workflow import response_deadline

    reported = dt.date(2025, 12, 22)  # Monday before Christmas; 7 working days to answer
    try:
        with override_settings(ANVIS_EXTRA_CLOSING_DAYS=""):
            install()
            assert calendar.installed_extra_closed() == frozenset()
            assert response_deadline(reported, 7) == dt.date(2026, 1, 5)
        with override_settings(ANVIS_EXTRA_CLOSING_DAYS="juleaftensdag, nytaarsaftensdag"):
            install()
            assert not calendar.is_working_day(dt.date(2025, 12, 24))
            assert calendar.is_working_day(dt.date(2026, 6, 5))
        with (
            override_settings(ANVIS_EXTRA_CLOSING_DAYS="grundlovsdag,juledag"),
            pytest.raises(ImproperlyConfigured, match="juledag"),
        ):
            install()
    finally:
        install()  # the test settings' own days again
    assert response_deadline(reported, 7) == dt.date(2026, 1, 7)
