import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anvis_core.calendar import (
    ExtraClosingDay,
    add_working_days,
    closing_day_name,
    easter_sunday,
    is_working_day,
    public_holidays,
    working_days_between,
)

D = dt.date


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (2023, D(2023, 4, 9)),
        (2024, D(2024, 3, 31)),
        (2025, D(2025, 4, 20)),
        (2026, D(2026, 4, 5)),
        (2019, D(2019, 4, 21)),
        (2038, D(2038, 4, 25)),
    ],
)
def test_easter_sunday(year: int, easter: dt.date) -> None:
    assert easter_sunday(year) == easter


def test_holidays_2024_around_easter() -> None:
    # Easter 2024 is 31 March: skærtorsdag 28/3, langfredag 29/3, 2. påskedag 1/4.
    assert not is_working_day(D(2024, 3, 28))
    assert not is_working_day(D(2024, 3, 29))
    assert not is_working_day(D(2024, 4, 1))
    assert is_working_day(D(2024, 3, 27))
    assert is_working_day(D(2024, 4, 2))
    # Kristi himmelfartsdag 9/5, 2. pinsedag 20/5.
    assert closing_day_name(D(2024, 5, 9)) == "Kristi himmelfartsdag"
    assert closing_day_name(D(2024, 5, 20)) == "2. pinsedag"


def test_holidays_2025_and_2026() -> None:
    assert closing_day_name(D(2025, 4, 17)) == "skærtorsdag"
    assert closing_day_name(D(2025, 4, 21)) == "2. påskedag"
    assert closing_day_name(D(2025, 5, 29)) == "Kristi himmelfartsdag"
    assert closing_day_name(D(2026, 4, 2)) == "skærtorsdag"
    assert closing_day_name(D(2026, 4, 6)) == "2. påskedag"
    assert closing_day_name(D(2026, 5, 25)) == "2. pinsedag"


def test_great_prayer_day_only_until_2023() -> None:
    assert closing_day_name(D(2023, 5, 5)) == "store bededag"
    assert not is_working_day(D(2023, 5, 5))
    # 2024: the 4th Friday after Easter is 26 April, an ordinary working day.
    assert D(2024, 4, 26) not in public_holidays(2024)
    assert is_working_day(D(2024, 4, 26))


def test_extra_closing_days_are_configurable() -> None:
    assert not is_working_day(D(2025, 6, 5))
    assert not is_working_day(D(2025, 12, 24))
    assert not is_working_day(D(2025, 12, 31))
    assert is_working_day(D(2025, 6, 5), extra_closed=frozenset())
    assert is_working_day(D(2025, 12, 24), extra_closed={ExtraClosingDay.NEW_YEARS_EVE})
    assert not is_working_day(D(2025, 12, 31), extra_closed={ExtraClosingDay.NEW_YEARS_EVE})


def test_deadline_across_christmas_and_new_year() -> None:
    # Reported Monday 22 Dec 2025. Closed: 24, 25, 26, 31 Dec, 1 Jan, weekends.
    # Working days: 23/12, 29/12, 30/12, 2/1, 5/1, 6/1, 7/1 → 7th is 7 Jan 2026.
    assert add_working_days(D(2025, 12, 22), 7) == D(2026, 1, 7)
    # Without the customary extra days, 24 and 31 Dec count: 23, 24, 29, 30, 31 Dec, 2, 5 Jan.
    assert add_working_days(D(2025, 12, 22), 7, extra_closed=frozenset()) == D(2026, 1, 5)


def test_deadline_across_easter_2026() -> None:
    # Reported Tuesday 31 March 2026: 1/4, 7/4, 8/4, 9/4, 10/4, 13/4, 14/4.
    assert add_working_days(D(2026, 3, 31), 7) == D(2026, 4, 14)


def test_weekend_start() -> None:
    # Saturday 4 Jan 2025: the first working day after it is Monday 6 Jan.
    assert add_working_days(D(2025, 1, 4), 1) == D(2025, 1, 6)
    assert add_working_days(D(2025, 1, 5), 5) == D(2025, 1, 10)
    assert working_days_between(D(2025, 1, 4), D(2025, 1, 6)) == 1
    assert working_days_between(D(2025, 1, 6), D(2025, 1, 4)) == -1


def test_zero_and_negative() -> None:
    assert add_working_days(D(2025, 1, 4), 0) == D(2025, 1, 4)
    assert add_working_days(D(2025, 1, 6), -1) == D(2025, 1, 3)


dates = st.dates(min_value=D(2015, 1, 1), max_value=D(2035, 12, 31))


@given(start=dates, n=st.integers(min_value=0, max_value=60))
def test_add_and_between_are_inverse(start: dt.date, n: int) -> None:
    end = add_working_days(start, n)
    assert working_days_between(start, end) == n
    if n > 0:
        assert is_working_day(end)
        assert end > start
