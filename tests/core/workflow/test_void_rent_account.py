"""The void-rent start rule, the running account and the two conventions (hand-computed)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anvis_core.workflow.void_rent import (
    compute_void_rent,
    void_rent_account,
    void_rent_start,
)

D = dt.date


def test_start_never_before_the_report_date_unless_allowed() -> None:
    # Available 29.11, reported 02.12 (late): void rent from 02.12.
    late = {"available_from": D(2026, 11, 29), "report_date": D(2026, 12, 2)}
    assert void_rent_start(rule="available_from", accepted_on=D(2026, 12, 3), **late) == D(
        2026, 12, 2
    )
    allowed = void_rent_start(
        rule="available_from", accepted_on=D(2026, 12, 3), before_report_allowed=True, **late
    )
    assert allowed == D(2026, 11, 29)
    # From acceptance: the acceptance day, never before the dwelling is available.
    assert void_rent_start(rule="acceptance", accepted_on=D(2026, 12, 3), **late) == D(2026, 12, 3)
    early = {"available_from": D(2026, 12, 20), "report_date": D(2026, 12, 2)}
    assert void_rent_start(rule="acceptance", accepted_on=D(2026, 12, 3), **early) == D(
        2026, 12, 20
    )
    assert void_rent_start(rule="available_from", accepted_on=D(2026, 12, 3), **early) == D(
        2026, 12, 20
    )


def test_month30_whole_months_and_part_months() -> None:
    # 3000 kr: 15.01–31.01 is 17 days = 1700; February whole = 3000; 01.03–09.03 is 9 days = 900.
    run = compute_void_rent(
        monthly_rent=3000, start=D(2026, 1, 15), lease_start=D(2026, 3, 10), convention="month30"
    )
    assert run.days == 54
    assert [(p.month, p.days, p.whole_month, p.amount) for p in run.months] == [
        (D(2026, 1, 1), 17, False, Decimal("1700.00")),
        (D(2026, 2, 1), 28, True, Decimal("3000.00")),
        (D(2026, 3, 1), 9, False, Decimal("900.00")),
    ]
    assert run.amount == Decimal("5600.00")
    # The same days under the daily convention, 3000 × 12 / 365 a day, each month rounded:
    # 17 days 1676.71 + 28 days 2761.64 + 9 days 887.67 = 5326.02 kr (the run rounded once
    # would be 5326.03, an øre more than its statements pay).
    daily = compute_void_rent(monthly_rent=3000, start=D(2026, 1, 15), lease_start=D(2026, 3, 10))
    assert daily.amount == Decimal("5326.02")
    assert sum(p.days for p in daily.months) == 54


def test_month30_a_part_month_costs_at_most_one_monthly_rent() -> None:
    # 02.01–31.01 is 30 days of a 31-day month: 30/30 of the rent, not more.
    run = compute_void_rent(
        monthly_rent=3000, start=D(2026, 1, 2), lease_start=D(2026, 2, 1), convention="month30"
    )
    assert run.amount == Decimal("3000.00")
    # 27 days of February: 2700.
    feb = compute_void_rent(
        monthly_rent=3000, start=D(2026, 2, 1), lease_start=D(2026, 2, 28), convention="month30"
    )
    assert feb.amount == Decimal("2700.00")
    with pytest.raises(ValueError):
        compute_void_rent(
            monthly_rent=3000, start=D(2026, 2, 1), lease_start=D(2026, 2, 2), convention="weekly"
        )


def test_running_account_counts_through_today_and_stops_at_the_end() -> None:
    # 3650 kr a month is 120 kr a day (daily convention).
    running = void_rent_account(
        monthly_rent=3650, start=D(2026, 3, 1), end=None, as_of=D(2026, 3, 10)
    )
    assert running is not None and running.running
    assert running.rent.days == 10 and running.rent.amount == Decimal("1200.00")
    # A lease from 15.03 is known: still running on 10.03, ended from 14.03.
    future = void_rent_account(
        monthly_rent=3650, start=D(2026, 3, 1), end=D(2026, 3, 15), as_of=D(2026, 3, 10)
    )
    assert future is not None and future.running and future.rent.days == 10
    ended = void_rent_account(
        monthly_rent=3650, start=D(2026, 3, 1), end=D(2026, 3, 15), as_of=D(2026, 4, 30)
    )
    assert ended is not None and not ended.running and ended.ended_on == D(2026, 3, 15)
    assert ended.rent.days == 14 and ended.rent.amount == Decimal("1680.00")
    # Before the start day nothing is owed; without a start there is no account.
    assert (
        void_rent_account(
            monthly_rent=3650, start=D(2026, 3, 1), end=None, as_of=D(2026, 2, 20)
        ).rent.days
        == 0
    )  # type: ignore[union-attr]
    assert void_rent_account(monthly_rent=3650, start=None, end=None, as_of=D(2026, 3, 1)) is None


@given(
    rent=st.integers(min_value=0, max_value=20_000),
    start=st.dates(min_value=D(2024, 1, 1), max_value=D(2030, 12, 31)),
    days=st.integers(min_value=0, max_value=800),
    convention=st.sampled_from(["daily", "month30"]),
)
def test_months_add_up_and_month30_never_exceeds_a_rent_a_month(
    rent: int, start: dt.date, days: int, convention: str
) -> None:
    run = compute_void_rent(
        monthly_rent=rent,
        start=start,
        lease_start=start + dt.timedelta(days=days),
        convention=convention,
    )
    assert run.days == days == sum(p.days for p in run.months)
    for part in run.months:
        assert part.start.month == part.month.month and part.end > part.start
        if convention == "month30":
            assert part.amount <= rent
    # The run's amount is what its months' statements pay, under either convention.
    assert run.amount == sum((p.amount for p in run.months), Decimal(0))


def test_a_lease_from_the_first_void_rent_day_ends_the_account_at_nothing() -> None:
    """Accepted with void rent from 14.12 and let from 14.12, seen on 08.12: there will be no
    void rent at all, so the account is closed at 0 days, not "running"."""
    account = void_rent_account(
        monthly_rent=2830, start=D(2026, 12, 14), end=D(2026, 12, 14), as_of=D(2026, 12, 8)
    )
    assert account is not None
    assert (account.running, account.ended_on, account.rent.days) == (False, D(2026, 12, 14), 0)
    # A lease that starts later than the void-rent start still runs until it starts.
    later = void_rent_account(
        monthly_rent=2830, start=D(2026, 12, 14), end=D(2026, 12, 20), as_of=D(2026, 12, 8)
    )
    assert later is not None and later.running
