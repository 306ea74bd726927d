import datetime as dt
from decimal import Decimal as D

import pytest

from anvis_core.composition import (
    add_months,
    count_in_window,
    estimated_lettings,
    in_window,
    share_percent,
    window_start,
)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 5, 31), -3, dt.date(2026, 2, 28)),
        (dt.date(2024, 5, 31), -3, dt.date(2024, 2, 29)),
        (dt.date(2026, 1, 15), -12, dt.date(2025, 1, 15)),
        (dt.date(2026, 11, 30), 3, dt.date(2027, 2, 28)),
        (dt.date(2026, 12, 1), 1, dt.date(2027, 1, 1)),
    ],
)
def test_add_months(day: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("placed", "on", "months", "inside"),
    [
        (dt.date(2025, 11, 25), dt.date(2026, 11, 25), 12, False),  # exactly 12 months back: out
        (dt.date(2025, 11, 26), dt.date(2026, 11, 25), 12, True),
        (dt.date(2026, 11, 25), dt.date(2026, 11, 25), 12, True),  # the day itself: in
        (dt.date(2026, 11, 26), dt.date(2026, 11, 25), 12, False),  # future: out
        (dt.date(2023, 11, 26), dt.date(2026, 11, 25), 36, True),
        (dt.date(2024, 2, 28), dt.date(2025, 2, 28), 12, False),
        (dt.date(2024, 2, 29), dt.date(2025, 2, 28), 12, True),
    ],
)
def test_window_boundaries(placed: dt.date, on: dt.date, months: int, inside: bool) -> None:
    assert in_window(placed, on, months) is inside


def test_window_start_and_count() -> None:
    on = dt.date(2026, 3, 31)
    assert window_start(on, 1) == dt.date(2026, 3, 1)
    dates = [dt.date(2026, 2, 28), dt.date(2026, 3, 1), dt.date(2026, 3, 31), dt.date(2026, 4, 1)]
    assert count_in_window(dates, on, 1) == 2
    with pytest.raises(ValueError):
        window_start(on, 0)


def test_lettings_estimate_and_share() -> None:
    assert estimated_lettings(100, 12, D("10")) == D("10")
    assert estimated_lettings(100, 24, D("10")) == D("20")
    assert estimated_lettings(100, 12) == D("13.1")
    assert share_percent(1, D("3")) == D("33.3")
    assert share_percent(1, 0) is None
