import datetime as dt
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anvis_core.composition import (
    IndicatorValues,
    Status,
    WarningMargins,
    assess,
    is_suppressed,
    latest_list_year,
    latest_usable_year,
)

BIG = {"residents": 500, "households": 250}
CALM = {
    "outside_work_education": D("15"),
    "convictions_relative_national": D("0.8"),
    "basic_schooling_only": D("30"),
    "income_relative_region": D("90"),
    "non_western": D("10"),
}


def year(y: int = 2025, **values: object) -> IndicatorValues:
    data = {**BIG, **CALM, **values}
    return IndicatorValues(year=y, **data)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("residents", "households", "suppressed"),
    [(100, 50, False), (99, 50, True), (100, 49, True), (1000, 400, False), (None, 60, True)],
)
def test_suppression_boundary(residents: int | None, households: int | None, suppressed: bool):
    assert is_suppressed(residents, households) is suppressed


# Each row: values that meet exactly this many udsat criteria (two needed); boundaries exact.
UDSAT_ROWS = [
    # outside work/education: "over 40 %" — 40.0 is not over, 40.1 is.
    ({"outside_work_education": D("40.0"), "income_relative_region": D("54.9")}, False),
    ({"outside_work_education": D("40.1"), "income_relative_region": D("54.9")}, True),
    # convictions: "at least 3 ×" — 3.0 counts, 2.99 does not.
    ({"convictions_relative_national": D("3.0"), "basic_schooling_only": D("60.1")}, True),
    ({"convictions_relative_national": D("2.99"), "basic_schooling_only": D("60.1")}, False),
    # basic schooling: "over 60 %" — 60.0 is not over.
    ({"basic_schooling_only": D("60.0"), "income_relative_region": D("54")}, False),
    # income: "under 55 %" — 55.0 is not under.
    ({"income_relative_region": D("55.0"), "outside_work_education": D("41")}, False),
    ({"income_relative_region": D("54.99"), "outside_work_education": D("41")}, True),
]


@pytest.mark.parametrize(("values", "udsat"), UDSAT_ROWS)
def test_udsat_boundaries(values: dict[str, D], udsat: bool) -> None:
    a = assess(year(**values), None)
    assert a.udsat is udsat
    if udsat:
        assert a.status is Status.RED
        assert any(r.code == "udsat" for r in a.reasons)


def test_two_year_average_for_labour_market_and_convictions() -> None:
    # 42 % this year but 38 % last year averages 40.0 %: not over 40 %.
    now = year(2025, outside_work_education=D("42"), income_relative_region=D("50"))
    before = year(2024, outside_work_education=D("38"), income_relative_region=D("50"))
    assert not assess(now, before).udsat
    assert assess(now, None).udsat  # without last year the current year stands alone
    reason = next(r for r in assess(now, None).reasons if r.code == "udsat.outside_work_education")
    assert reason.params == {"value": "42", "threshold": "40", "years": 1}


def test_previous_year_must_be_the_year_before() -> None:
    now = year(2025, outside_work_education=D("42"), income_relative_region=D("50"))
    old = year(2022, outside_work_education=D("20"))
    assert assess(now, old).udsat


def test_suppressed_previous_year_is_not_used() -> None:
    now = year(2025, outside_work_education=D("42"), income_relative_region=D("50"))
    small = IndicatorValues(year=2024, residents=80, households=40, outside_work_education=D("0"))
    assert assess(now, small).udsat


def test_parallelsamfund_needs_over_50_percent_non_western() -> None:
    base = {"outside_work_education": D("45"), "income_relative_region": D("50")}
    assert not assess(year(**base, non_western=D("50.0"))).parallelsamfund
    assert assess(year(**base, non_western=D("50.1"))).parallelsamfund


FOREBYGGELSE_ROWS = [
    (
        {
            "non_western": D("30.1"),
            "outside_work_education": D("30.1"),
            "income_relative_region": D("64.9"),
        },
        True,
    ),
    (
        {
            "non_western": D("30.0"),
            "outside_work_education": D("30.1"),
            "income_relative_region": D("64.9"),
        },
        False,
    ),
    (
        {
            "non_western": D("31"),
            "outside_work_education": D("30.0"),
            "income_relative_region": D("64.9"),
        },
        False,
    ),
    (
        {
            "non_western": D("31"),
            "convictions_relative_national": D("2.0"),
            "income_relative_region": D("64"),
        },
        True,
    ),
    (
        {
            "non_western": D("31"),
            "convictions_relative_national": D("1.99"),
            "income_relative_region": D("64"),
        },
        False,
    ),
    (
        {
            "non_western": D("31"),
            "basic_schooling_only": D("60.01"),
            "income_relative_region": D("65.0"),
        },
        False,
    ),
]


@pytest.mark.parametrize(("values", "forebyggelse"), FOREBYGGELSE_ROWS)
def test_forebyggelse_boundaries(values: dict[str, D], forebyggelse: bool) -> None:
    a = assess(year(**values))
    assert a.forebyggelse is forebyggelse
    assert (a.status is Status.RED) is forebyggelse


def test_early_warning_is_yellow_and_margins_are_configurable() -> None:
    near = year(outside_work_education=D("36"), income_relative_region=D("58"))
    a = assess(near)
    assert a.status is Status.YELLOW
    assert {r.code for r in a.reasons} >= {"near_udsat.outside_work_education", "near_udsat.income"}
    tight = WarningMargins(outside_work_education=D("2"), income_relative_region=D("2"))
    assert assess(near, margins=tight).status is Status.GREEN


def test_one_udsat_criterion_alone_is_yellow() -> None:
    a = assess(year(basic_schooling_only=D("65")))
    assert a.status is Status.YELLOW
    assert a.reasons[0].code == "one_udsat_criterion"


def test_green_and_unknown() -> None:
    assert assess(year()).status is Status.GREEN
    small = IndicatorValues(year=2025, residents=99, households=60, outside_work_education=D("90"))
    a = assess(small)
    assert a.status is Status.UNKNOWN
    assert a.reasons[0].code == "suppressed"
    assert assess(None).status is Status.UNKNOWN


def test_designation_makes_red_even_without_data() -> None:
    a = assess(None, designations=["forebyggelse"], designation_year=2024)
    assert a.status is Status.RED
    assert a.reasons[0].code == "designated"
    assert a.reasons[0].params == {"kind": "forebyggelse", "year": 2024}


share = st.decimals(min_value=0, max_value=100, places=1)


@settings(deadline=None)  # no wall-clock limit: the machine is shared
@given(share, share, share, share, share)
def test_status_is_monotone_in_risk(owe: D, basic: D, income: D, nw: D, bump: D) -> None:
    """Making every indicator worse never makes the status better."""
    order = {Status.GREEN: 0, Status.YELLOW: 1, Status.RED: 2}
    low = year(
        outside_work_education=owe,
        basic_schooling_only=basic,
        income_relative_region=income,
        non_western=nw,
    )
    high = year(
        outside_work_education=min(owe + bump, D(100)),
        basic_schooling_only=min(basic + bump, D(100)),
        income_relative_region=max(income - bump, D(0)),
        non_western=min(nw + bump, D(100)),
    )
    assert order[assess(high).status] >= order[assess(low).status]


@pytest.mark.parametrize(
    ("day", "list_year", "indicator_year"),
    [
        (dt.date(2025, 11, 30), 2024, 2024),
        (dt.date(2025, 12, 1), 2025, 2024),
        (dt.date(2025, 12, 31), 2025, 2024),
        (dt.date(2026, 1, 1), 2025, 2025),
    ],
)
def test_list_in_force_from_1_december(day: dt.date, list_year: int, indicator_year: int) -> None:
    assert latest_list_year(day) == list_year
    assert latest_usable_year(day) == indicator_year
