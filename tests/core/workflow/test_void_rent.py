from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from anvis_core.workflow import compute_void_rent, daily_rent


def test_thirty_days_of_3650_kr() -> None:
    # 3650 × 12 / 365 = 120 kr a day exactly.
    result = compute_void_rent(
        monthly_rent=3650, start=dt.date(2025, 3, 1), lease_start=dt.date(2025, 3, 31)
    )
    assert result.days == 30
    assert result.daily_rent == Decimal(120)
    assert result.amount == Decimal("3600.00")


def test_start_day_counts_lease_start_does_not() -> None:
    one = compute_void_rent(
        monthly_rent=3650, start=dt.date(2025, 3, 1), lease_start=dt.date(2025, 3, 2)
    )
    assert one.days == 1
    assert one.amount == Decimal("120.00")
    same = compute_void_rent(
        monthly_rent=3650, start=dt.date(2025, 3, 1), lease_start=dt.date(2025, 3, 1)
    )
    assert same.days == 0
    assert same.amount == Decimal("0.00")
    before = compute_void_rent(
        monthly_rent=3650, start=dt.date(2025, 3, 10), lease_start=dt.date(2025, 3, 1)
    )
    assert before.days == 0
    assert before.amount == Decimal("0.00")


def test_rounding_half_up_to_ore() -> None:
    # 3100 × 12 × 1 / 365 = 101.9178… → 101.92
    result = compute_void_rent(
        monthly_rent=3100, start=dt.date(2024, 2, 28), lease_start=dt.date(2024, 2, 29)
    )
    assert result.amount == Decimal("101.92")
    assert daily_rent(0) == 0


@given(
    rent=st.integers(min_value=0, max_value=20_000),
    start=st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 1, 1)),
    a=st.integers(min_value=0, max_value=400),
    b=st.integers(min_value=0, max_value=400),
)
def test_additive_within_one_ore(rent: int, start: dt.date, a: int, b: int) -> None:
    """Splitting the void period in two gives the same total within rounding, and the amount
    never decreases with more days."""
    mid = start + dt.timedelta(days=a)
    end = mid + dt.timedelta(days=b)
    whole = compute_void_rent(monthly_rent=rent, start=start, lease_start=end).amount
    first = compute_void_rent(monthly_rent=rent, start=start, lease_start=mid).amount
    second = compute_void_rent(monthly_rent=rent, start=mid, lease_start=end).amount
    assert abs(whole - first - second) <= Decimal("0.01")
    assert whole >= first
