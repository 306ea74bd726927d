import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anvis_core.cases.dates import add_years
from anvis_core.cases.reimbursement import (
    CAP_SCHEDULE,
    RunningYear,
    Schedule,
    Stay,
    cap_on,
    reimbursement_status,
    running_years,
)

D = dt.date
DAY = dt.timedelta(days=1)


def nth_day(start: dt.date, n: int) -> dt.date:
    return start + (n - 1) * DAY


def test_cap_switches_on_1_april_2026() -> None:
    assert cap_on(D(2026, 3, 31)) == 120
    assert cap_on(D(2026, 4, 1)) == 90


@pytest.mark.parametrize(
    ("days", "reimbursable"),
    [(90, 90), (91, 90), (120, 90), (1, 1)],
)
def test_after_the_switch_day_91_is_not_reimbursed(days: int, reimbursable: int) -> None:
    start = D(2026, 5, 1)
    stay = Stay(start, nth_day(start, days) + DAY)  # discharged the day after the last night
    [year] = running_years([stay], today=D(2027, 6, 1))
    assert year.days_used == days
    assert year.reimbursable_days == reimbursable


@pytest.mark.parametrize(("days", "reimbursable"), [(90, 90), (91, 91), (120, 120), (121, 120)])
def test_before_the_switch_the_cap_is_120(days: int, reimbursable: int) -> None:
    start = D(2025, 1, 1)
    [year] = running_years([Stay(start, nth_day(start, days) + DAY)], today=D(2026, 6, 1))
    assert (year.days_used, year.reimbursable_days) == (days, reimbursable)


def test_year_straddling_the_switch_uses_the_cap_of_each_day() -> None:
    # 95 days used by 31 March 2026 (continuous stay from 27 Dec 2025); from 1 April the cap is
    # 90, so no further day is reimbursed; the 95 days before the switch stay reimbursed.
    start = D(2025, 12, 27)
    assert (D(2026, 3, 31) - start).days + 1 == 95
    status = reimbursement_status([Stay(start)], today=D(2026, 3, 31))
    assert status.year is not None and status.year.days_used == 95
    assert status.year.reimbursable_days == 95
    assert status.days_left == 0 and status.warning and not status.exceeded
    later = reimbursement_status([Stay(start)], today=D(2026, 4, 10))
    assert later.year is not None
    assert later.year.days_used == 105 and later.year.reimbursable_days == 95
    assert later.exceeded


def test_days_left_counts_down_through_the_switch() -> None:
    # 60 days used by 31 March 2026: 30 more days are reimbursable under the 90-day cap.
    start = D(2026, 1, 31)
    status = reimbursement_status([Stay(start, D(2026, 4, 1))], today=D(2026, 4, 1))
    assert status.year is not None and status.year.days_used == 60
    assert status.days_left == 30 and not status.warning


@pytest.mark.parametrize(("used", "warning"), [(75, False), (76, True), (90, True)])
def test_warning_as_the_cap_nears(used: int, warning: bool) -> None:
    start = D(2026, 6, 1)
    today = nth_day(start, used)
    status = reimbursement_status([Stay(start)], today=today, warning_days=14)
    assert status.year is not None and status.year.days_used == used
    assert status.days_left == 90 - used
    assert status.warning is warning and status.in_stay


def test_running_year_resets_one_year_after_first_admission() -> None:
    stays = [
        Stay(D(2026, 5, 1), D(2026, 7, 30)),  # 90 nights
        Stay(D(2027, 3, 1), D(2027, 3, 11)),  # 10 nights, same running year: not reimbursed
        Stay(D(2027, 5, 1), D(2027, 5, 11)),  # new running year from 1 May 2027
    ]
    years = running_years(stays, today=D(2027, 12, 31))
    assert [(y.start, y.end) for y in years] == [
        (D(2026, 5, 1), D(2027, 4, 30)),
        (D(2027, 5, 1), D(2028, 4, 30)),
    ]
    assert [(y.days_used, y.reimbursable_days) for y in years] == [(100, 90), (10, 10)]


def test_stay_running_over_the_reset_starts_a_new_year_the_next_day() -> None:
    years = running_years([Stay(D(2026, 5, 1))], today=D(2027, 5, 3))
    assert [(y.start, y.days_used) for y in years] == [(D(2026, 5, 1), 365), (D(2027, 5, 1), 3)]


def test_day_counting_conventions() -> None:
    assert Stay(D(2026, 5, 1), D(2026, 5, 1)).days(D(2026, 6, 1)) == [D(2026, 5, 1)]
    assert len(Stay(D(2026, 5, 1), D(2026, 5, 3)).days(D(2026, 6, 1))) == 2
    assert len(Stay(D(2026, 5, 1)).days(D(2026, 5, 3))) == 3  # ongoing: through today
    overlapping = [Stay(D(2026, 5, 1), D(2026, 5, 11)), Stay(D(2026, 5, 6), D(2026, 5, 16))]
    [year] = running_years(overlapping, today=D(2026, 6, 1))
    assert year.days_used == 15
    with pytest.raises(ValueError):
        Stay(D(2026, 5, 2), D(2026, 5, 1))


def test_no_stays_means_no_year_and_no_warning() -> None:
    status = reimbursement_status([], today=D(2026, 5, 1))
    assert status.year is None and not status.warning and status.days_left == 0
    expired = reimbursement_status([Stay(D(2024, 1, 1), D(2024, 1, 5))], today=D(2026, 5, 1))
    assert expired.year is None and len(expired.years) == 1


def test_sel_110_days_before_1_october_2023_lie_before_the_scheme() -> None:
    """SEL § 110 (L 64 2022/23): the running year counts from the first admission after the
    reform came into force on 1 October 2023; earlier nights are not counted."""
    stay = Stay(D(2023, 9, 20), D(2023, 10, 11))
    [year] = running_years([stay], today=D(2024, 1, 1))
    assert year.start == D(2023, 10, 1)
    assert year.days_used == 10
    assert cap_on(D(2023, 9, 30)) == 0 and cap_on(D(2023, 10, 1)) == 120


# -- The counter against a day-by-day reading of the rules ---------------------------------------
#
# The module counts piece by piece under each cap; this reference walks the days one at a time,
# as the rules are written, and the two must agree on any stays, day and schedule.


def _reference_years(stays: list[Stay], today: dt.date, schedule: Schedule) -> list[RunningYear]:
    days = sorted({d for stay in stays for d in stay.days(today) if d >= schedule[0][0]})
    years, i = [], 0
    while i < len(days):
        start = days[i]
        end = add_years(start, 1) - DAY
        used = reimbursable = 0
        while i < len(days) and days[i] <= end:
            used += 1
            reimbursable += used <= cap_on(days[i], schedule)
            i += 1
        years.append(RunningYear(start, end, used, reimbursable))
    return years


def _reference_days_left(years: list[RunningYear], today: dt.date, schedule: Schedule) -> int:
    current = years[-1] if years and years[-1].end >= today else None
    if current is None:
        return 0
    used, left, day = current.days_used, 0, today + DAY
    while day <= current.end:
        used += 1
        left += used <= cap_on(day, schedule)
        day += DAY
    return left


_BASE = D(2023, 6, 1)
_stays = st.lists(
    st.tuples(st.integers(0, 1400), st.one_of(st.none(), st.integers(0, 400))).map(
        lambda t: Stay(_BASE + t[0] * DAY, None if t[1] is None else _BASE + (t[0] + t[1]) * DAY)
    ),
    max_size=6,
)
_schedules = st.lists(
    st.tuples(st.integers(0, 1500), st.integers(0, 200)),
    min_size=1,
    max_size=4,
    unique_by=lambda t: t[0],
).map(lambda rows: tuple(sorted((_BASE + d * DAY, cap) for d, cap in rows)))


@settings(max_examples=400, deadline=None)
@given(stays=_stays, today=st.integers(0, 1600), schedule=st.one_of(st.none(), _schedules))
def test_counter_agrees_with_the_day_by_day_reading(
    stays: list[Stay], today: int, schedule: Schedule | None
) -> None:
    day = _BASE + today * DAY
    rules = CAP_SCHEDULE if schedule is None else schedule
    expected = _reference_years(stays, day, rules)
    assert running_years(stays, day, schedule=rules) == expected
    status = reimbursement_status(stays, day, schedule=rules)
    assert status.years == tuple(expected)
    assert status.days_left == _reference_days_left(expected, day, rules)
