import datetime as dt

import pytest

from anvis_core.cases.bars import (
    AreaKind,
    BarEvent,
    BarKind,
    Benefit,
    bar_status,
    bar_statuses,
)
from anvis_core.cases.dates import add_months, add_years, last_start_within

D = dt.date


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2025, 8, 31), 6, D(2026, 2, 28)),
        (D(2027, 8, 31), 6, D(2028, 2, 29)),  # leap year
        (D(2025, 3, 15), 6, D(2025, 9, 15)),
        (D(2025, 12, 31), 2, D(2026, 2, 28)),
        (D(2026, 3, 31), -1, D(2026, 2, 28)),
        (D(2025, 1, 31), 1, D(2025, 2, 28)),
        (D(2025, 7, 31), 12, D(2026, 7, 31)),
    ],
)
def test_add_months(start: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(start, months) == expected


def test_add_years_leap_day() -> None:
    assert add_years(D(2024, 2, 29), 1) == D(2025, 2, 28)
    assert add_years(D(2024, 2, 29), 4) == D(2028, 2, 29)


RELEASE = BarKind.PRISON_RELEASE
BREACH = BarKind.GROSS_BREACH_TERMINATION


@pytest.mark.parametrize(
    ("kind", "event", "on", "barred", "until"),
    [
        (RELEASE, D(2025, 8, 31), D(2025, 8, 30), False, None),  # before the event
        (RELEASE, D(2025, 8, 31), D(2025, 8, 31), True, D(2026, 2, 28)),
        (RELEASE, D(2025, 8, 31), D(2026, 2, 28), True, D(2026, 2, 28)),  # last barred day
        (RELEASE, D(2025, 8, 31), D(2026, 3, 1), False, None),  # first free day
        (RELEASE, D(2025, 8, 28), D(2026, 2, 28), True, D(2026, 2, 28)),
        (BREACH, D(2025, 3, 15), D(2025, 9, 15), True, D(2025, 9, 15)),
        (BREACH, D(2025, 3, 15), D(2025, 9, 16), False, None),
    ],
)
def test_six_month_event_bars(
    kind: BarKind, event: dt.date, on: dt.date, barred: bool, until: dt.date | None
) -> None:
    for area in AreaKind:
        status = bar_status([BarEvent(kind, event)], area, on)
        assert status.barred is barred
        assert status.until == until
        assert status.reasons == ((kind,) if barred else ())


def test_overlapping_bars_chain_to_the_later_end() -> None:
    events = [BarEvent(RELEASE, D(2025, 1, 10)), BarEvent(BREACH, D(2025, 5, 1))]
    status = bar_status(events, AreaKind.VULNERABLE, D(2025, 2, 1))
    assert status.barred and status.until == D(2025, 11, 1)
    assert status.reasons == (RELEASE,)


def test_adjacent_bars_chain_but_gaps_do_not() -> None:
    adjacent = [BarEvent(RELEASE, D(2025, 1, 10)), BarEvent(BREACH, D(2025, 7, 11))]
    assert bar_status(adjacent, AreaKind.VULNERABLE, D(2025, 2, 1)).until == D(2026, 1, 11)
    gap = [BarEvent(RELEASE, D(2025, 1, 10)), BarEvent(BREACH, D(2025, 7, 12))]
    assert bar_status(gap, AreaKind.VULNERABLE, D(2025, 2, 1)).until == D(2025, 7, 10)


def _benefit(start: dt.date, end: dt.date | None, benefit: Benefit) -> BarEvent:
    return BarEvent(BarKind.BENEFITS, start, end=end, benefit=benefit)


@pytest.mark.parametrize(
    ("benefit", "end", "on", "vulnerable", "prevention"),
    [
        # kontanthjælp from 31 Aug: six consecutive months reached on 28 Feb
        (Benefit.CASH_BENEFIT, None, D(2026, 2, 27), (False, None), (False, None)),
        (Benefit.CASH_BENEFIT, None, D(2026, 2, 28), (True, None), (False, None)),
        (
            Benefit.CASH_BENEFIT,
            D(2026, 4, 30),
            D(2026, 4, 30),
            (True, D(2026, 4, 30)),
            (False, None),
        ),
        (Benefit.CASH_BENEFIT, D(2026, 4, 30), D(2026, 5, 1), (False, None), (False, None)),
        (Benefit.CASH_BENEFIT, D(2026, 2, 27), D(2026, 2, 27), (False, None), (False, None)),
        # selvforsørgelses- og hjemrejseydelse is listed for both kinds of area
        (Benefit.SELF_SUPPORT, None, D(2026, 6, 1), (True, None), (True, None)),
    ],
)
def test_benefit_bars(
    benefit: Benefit,
    end: dt.date | None,
    on: dt.date,
    vulnerable: tuple[bool, dt.date | None],
    prevention: tuple[bool, dt.date | None],
) -> None:
    statuses = bar_statuses([_benefit(D(2025, 8, 31), end, benefit)], on)
    v, p = statuses[AreaKind.VULNERABLE], statuses[AreaKind.PREVENTION]
    assert (v.barred, v.until) == vulnerable
    assert (p.barred, p.until) == prevention
    assert v.open_ended == (vulnerable[0] and vulnerable[1] is None)


def test_benefit_event_needs_the_benefit_and_an_ordered_period() -> None:
    with pytest.raises(ValueError):
        BarEvent(BarKind.BENEFITS, D(2025, 1, 1))
    with pytest.raises(ValueError):
        _benefit(D(2025, 1, 1), D(2024, 1, 1), Benefit.CASH_BENEFIT)


@pytest.mark.parametrize(
    ("end", "months", "expected"),
    [
        (dt.date(2026, 6, 30), 6, dt.date(2025, 12, 31)),  # 31 Dec + 6 months = 30 June
        (dt.date(2026, 9, 30), 6, dt.date(2026, 3, 31)),
        (dt.date(2027, 2, 28), 6, dt.date(2026, 8, 31)),  # 29-31 Aug → 28 Feb
        (dt.date(2025, 2, 28), 12, dt.date(2024, 2, 29)),  # leap day → 28 Feb
        (dt.date(2026, 7, 15), 6, dt.date(2026, 1, 15)),
        (dt.date(2026, 4, 29), 6, dt.date(2025, 10, 29)),  # 30 Oct + 6 = 30 Apr: after
        (dt.date(2026, 3, 31), 6, dt.date(2025, 9, 30)),
    ],
)
def test_last_start_within(end: dt.date, months: int, expected: dt.date) -> None:
    assert last_start_within(end, months) == expected
    assert add_months(expected, months) <= end
    assert add_months(expected + dt.timedelta(days=1), months) > end


def test_last_start_within_is_the_inverse_of_add_months_on_every_day() -> None:
    day = dt.date(2023, 1, 1)
    while day < dt.date(2029, 1, 1):
        for months in (6, 12, 24):
            latest = last_start_within(day, months)
            assert (
                add_months(latest, months)
                <= day
                < add_months(latest + dt.timedelta(days=1), months)
            )
        day += dt.timedelta(days=1)
