from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anvis_core.retention import citizen_due, retention_cutoff, years_before


def test_cutoff_same_day_years_earlier() -> None:
    assert retention_cutoff(dt.date(2031, 3, 15), 5) == dt.date(2026, 3, 15)


def test_leap_day_counts_from_28_february() -> None:
    assert years_before(dt.date(2028, 2, 29), 5) == dt.date(2023, 2, 28)


def test_boundary_closed_exactly_the_period_ago_is_due() -> None:
    today = dt.date(2031, 3, 15)
    assert citizen_due([dt.date(2026, 3, 15)], today, 5)
    assert not citizen_due([dt.date(2026, 3, 16)], today, 5)


def test_an_open_case_or_no_case_is_never_due() -> None:
    today = dt.date(2040, 1, 1)
    assert not citizen_due([dt.date(2020, 1, 1), None], today, 5)
    assert not citizen_due([], today, 5)


def test_the_latest_closing_counts() -> None:
    today = dt.date(2031, 1, 1)
    assert not citizen_due([dt.date(2020, 1, 1), dt.date(2027, 1, 1)], today, 5)


def test_negative_years_refused() -> None:
    with pytest.raises(ValueError):
        years_before(dt.date(2026, 1, 1), -1)


@given(
    st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2100, 12, 31)),
    st.integers(min_value=0, max_value=30),
)
def test_cutoff_is_years_earlier_and_at_most_one_day_off(day: dt.date, years: int) -> None:
    cut = years_before(day, years)
    assert cut.year == day.year - years
    assert cut.month == day.month
    assert day.day - cut.day in {0, 1}


@given(
    st.lists(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2040, 1, 1)), min_size=1),
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2060, 1, 1)),
)
def test_due_is_monotone_in_time(closed: list[dt.date], today: dt.date) -> None:
    """Once due, a citizen stays due on every later day."""
    if citizen_due(closed, today, 5):
        assert citizen_due(closed, today + dt.timedelta(days=400), 5)
