"""The one home of a service's optional ``today``."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from anvis.common.clock import local_today


def test_the_day_given_wins_and_otherwise_it_is_today_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2026, 12, 24))
    assert local_today(dt.date(2026, 1, 2)) == dt.date(2026, 1, 2)
    assert local_today(None) == dt.date(2026, 12, 24)
    assert local_today() == dt.date(2026, 12, 24)
