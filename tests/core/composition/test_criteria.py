import dataclasses
import datetime as dt
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anvis_core.composition import (
    IndicatorValues,
    Status,
    WarningMargins,
    area_rules,
    assess,
    is_suppressed,
    judged_years,
    latest_list_year,
    latest_usable_year,
    official_list_kinds,
    propose_step,
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


# The socio-economic part of § 61 b ("prevention level"): two of > 30 %, ≥ 2 ×, > 60 %, < 65 %.
# Since C-417/23 it is Anvis's early warning (yellow), without the law's non-Western criterion.
PREVENTION_ROWS = [
    ({"outside_work_education": D("30.1"), "income_relative_region": D("64.9")}, True),
    ({"outside_work_education": D("30.0"), "income_relative_region": D("64.9")}, False),
    ({"convictions_relative_national": D("2.0"), "income_relative_region": D("64")}, True),
    ({"convictions_relative_national": D("1.99"), "income_relative_region": D("64")}, False),
    ({"basic_schooling_only": D("60.01"), "income_relative_region": D("65.0")}, False),
    ({"basic_schooling_only": D("60.01"), "income_relative_region": D("64.99")}, True),
]


@pytest.mark.parametrize(("values", "prevention"), PREVENTION_ROWS)
def test_abl_61_b_socio_economic_level_is_an_early_warning(
    values: dict[str, D], prevention: bool
) -> None:
    """ABL § 61 b nr. 1–4 at their thresholds: yellow, never red on the figures alone."""
    a = assess(year(**values))
    assert a.prevention_level is prevention
    assert a.status is not Status.RED
    if prevention:
        assert a.status is Status.YELLOW
        assert a.reasons[0].code == "prevention_level"


@pytest.mark.parametrize("non_western", [D("0"), D("30.1"), D("50.1"), D("100")])
def test_own_judgement_ignores_the_non_western_share(non_western: D) -> None:
    """C-417/23: status, reasons and proposal are the same whatever the non-Western share."""
    for values in (
        {},
        {"outside_work_education": D("45"), "income_relative_region": D("50")},
        {"outside_work_education": D("31"), "income_relative_region": D("64")},
        {"basic_schooling_only": D("65")},
    ):
        base = assess(year(**values, non_western=D("10")))
        other = assess(year(**values, non_western=non_western))
        assert other == base
        assert propose_step(other, year(**values, non_western=non_western)) == propose_step(
            base, year(**values, non_western=D("10"))
        )
        assert not any("non_western" in r.code for r in other.reasons)


@pytest.mark.parametrize(
    ("values", "kinds"),
    [
        # § 61 a stk. 1: udsat and over 50 % non-Western → parallelsamfund; 50.0 is not over.
        (
            {
                "outside_work_education": D("45"),
                "income_relative_region": D("50"),
                "non_western": D("50.0"),
            },
            {"udsat"},
        ),
        (
            {
                "outside_work_education": D("45"),
                "income_relative_region": D("50"),
                "non_western": D("50.1"),
            },
            {"udsat", "parallelsamfund"},
        ),
        # § 61 b: over 30 % non-Western and two of the four at the lower levels.
        (
            {
                "outside_work_education": D("30.1"),
                "income_relative_region": D("64.9"),
                "non_western": D("30.1"),
            },
            {"forebyggelse"},
        ),
        (
            {
                "outside_work_education": D("30.1"),
                "income_relative_region": D("64.9"),
                "non_western": D("30.0"),
            },
            set(),
        ),
    ],
)
def test_official_list_kinds_reproduce_abl_61_a_and_61_b(
    values: dict[str, D], kinds: set[str]
) -> None:
    """The ministry's tests, for fabricating official lists in demo data only."""
    assert official_list_kinds(year(**values), None, area_rules(2026)) == kinds


def test_early_warning_is_yellow_and_margins_are_configurable() -> None:
    # Basic schooling 57 % (> 60 − 5) and convictions 2.6 × (≥ 3 − 0.5): near udsat, while only
    # one of the four § 61 b levels is met (2.6 ≥ 2), so the margins alone make it yellow.
    near = year(basic_schooling_only=D("57"), convictions_relative_national=D("2.6"))
    a = assess(near)
    assert a.status is Status.YELLOW
    assert not a.prevention_level
    assert {r.code for r in a.reasons} == {"near_udsat.basic_schooling", "near_udsat.convictions"}
    tight = WarningMargins(basic_schooling_only=D("2"), convictions_relative_national=D("0.2"))
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
    """Making every indicator worse never makes the status better (and the non-Western share,
    moved along with the others, never counts)."""
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
    assert assess(low) == assess(dataclasses.replace(low, non_western=None))


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


NO_CRITERIA = dict.fromkeys(
    (
        "outside_work_education",
        "convictions_relative_national",
        "basic_schooling_only",
        "income_relative_region",
    )
)


def test_a_year_without_any_criterion_value_is_unknown_not_green() -> None:
    a = assess(year(**NO_CRITERIA, move_out_rate=D("9.5")), None)
    assert a.status is Status.UNKNOWN
    assert [r.code for r in a.reasons] == ["no_values"]
    designated = assess(year(**NO_CRITERIA), None, designations=["udsat"], designation_year=2025)
    assert designated.status is Status.RED


def test_one_criterion_value_is_enough_to_judge() -> None:
    values = {**NO_CRITERIA, "income_relative_region": D("90")}
    assert assess(year(**values), None).status is Status.GREEN


def test_judged_years_pass_over_a_year_without_criterion_values() -> None:
    red = {"outside_work_education": D("45"), "income_relative_region": D("52")}
    years = {
        2023: year(2023, **red),
        2024: year(2024, **red),
        2025: year(2025, **NO_CRITERIA, move_out_rate=D("9.5")),
    }
    pair = judged_years(years)
    assert pair is not None
    assert (pair[0].year, pair[1] and pair[1].year) == (2024, 2023)
    assert assess(*pair).status is Status.RED
    # A suppressed latest year is still the one judged (unknown, as before).
    suppressed = {**years, 2025: IndicatorValues(year=2025, residents=80, households=40)}
    assert judged_years(suppressed)[0].year == 2025  # type: ignore[index]
    # No year with values: the latest, judged as having none.
    empty = {2025: years[2025]}
    assert assess(*judged_years(empty)).status is Status.UNKNOWN  # type: ignore[misc]
    assert judged_years({}) is None
