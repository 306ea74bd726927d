"""Small-number suppression, formatting and the statistics the report uses."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anvis_core.reports import Kind, Table, format_cell, suppress
from anvis_core.reports.stats import age_band, median, percentile, rent_band, rent_band_labels
from anvis_core.reports.table import (
    Cell,
    code,
    count,
    money,
    must_suppress,
    share,
    stat,
    suppress_parts,
    text,
)


@pytest.mark.parametrize(
    ("n", "suppressed"), [(0, True), (1, True), (4, True), (5, False), (90, False)]
)
def test_count_under_five_is_suppressed(n: int, suppressed: bool) -> None:
    assert must_suppress(count(n)) is suppressed
    shown = suppress(Table("t", ("a",), ((count(n),),)))
    assert format_cell(shown.rows[0][0]) == ("<5" if suppressed else str(n))


def test_share_is_suppressed_when_numerator_or_denominator_is_small() -> None:
    assert must_suppress(share(4, 100))
    assert must_suppress(share(4, 4))
    assert not must_suppress(share(5, 100))
    assert must_suppress(share(3, 4))


@pytest.mark.parametrize(
    ("numerator", "denominator", "suppressed"),
    [
        (9, 10, True),  # 90 % of 10: the one not counted is told by subtraction
        (57, 58, True),  # 98,3 %: exactly one placement not retained
        (96, 100, True),  # the rest, 4, is under 5
        (95, 100, False),  # the rest, 5, may be shown
        (58, 58, True),  # 100 %: the rest is 0, and zero is under 5 like any count
        (10, 15, False),
    ],
)
def test_share_is_suppressed_when_the_rest_is_small(
    numerator: int, denominator: int, suppressed: bool
) -> None:
    assert must_suppress(share(numerator, denominator)) is suppressed
    shown = suppress(Table("t", ("a",), ((share(numerator, denominator),),)))
    assert (format_cell(shown.rows[0][0]) == "<5") is suppressed


def test_statistics_and_money_rest_on_their_observations() -> None:
    assert must_suppress(stat(Decimal(30), 4))
    assert not must_suppress(stat(Decimal(30), 5))
    assert must_suppress(money(12000, 2))
    assert not must_suppress(money(12000, 7))
    # A parameter (a cap) rests on nothing and is never suppressed.
    assert not must_suppress(Cell(3, Kind.STAT))


def test_a_label_derived_from_a_small_count_is_suppressed() -> None:
    reached = Cell("cap.reached", Kind.CODE, (2,))
    assert format_cell(suppress(Table("t", ("a",), ((reached,),))).rows[0][0]) == "<5"
    assert not must_suppress(Cell("cap.reached", Kind.CODE, (7,)))


def test_labels_are_never_suppressed() -> None:
    table = suppress(Table("t", ("a", "b"), ((text("Alfa"), count(1)), (code("x.y"), count(7)))))
    assert [format_cell(c) for c in table.rows[0]] == ["Alfa", "<5"]
    assert [format_cell(c) for c in table.rows[1]] == ["x.y", "7"]


@given(st.lists(st.integers(min_value=0, max_value=200), max_size=12))
def test_suppressed_tables_show_no_figure_under_five(values: list[int]) -> None:
    rows = tuple((count(v), share(v, max(sum(values), 1)), stat(Decimal(1), v)) for v in values)
    shown = suppress(Table("t", ("a", "b", "c"), rows))
    for row in shown.rows:
        for cell in row:
            if cell.suppressed:
                assert format_cell(cell) == "<5" and cell.value is None
            else:
                assert all(base >= 5 for base in cell.resting_on())


def test_one_part_of_a_total_is_never_left_alone_suppressed() -> None:
    """The waiting list by situation, whose size the report shows too: 2 in one situation
    alone hidden would be the size less the rest; the smallest part shown goes too."""
    rows = tuple((text(g), count(n)) for g, n in (("a", 40), ("b", 2), ("c", 9), ("d", 7)))
    shown = suppress(Table("t", ("group", "n"), rows, parts_of_total=(1,)))
    assert [format_cell(r[1]) for r in shown.rows] == ["40", "<5", "9", "<5"]
    # Without the mark (parts of no total shown) only the small part is hidden.
    plain = suppress(Table("t", ("group", "n"), rows))
    assert [format_cell(r[1]) for r in plain.rows] == ["40", "<5", "9", "7"]


@given(st.lists(st.integers(min_value=0, max_value=60), min_size=1, max_size=10))
def test_the_total_less_the_parts_shown_never_gives_one_hidden_part(values: list[int]) -> None:
    rows = tuple((text(str(i)), count(v)) for i, v in enumerate(values))
    shown = suppress(Table("t", ("group", "n"), rows, parts_of_total=(1,)))
    hidden = [r for r in shown.rows if r[1].suppressed]
    assert len(hidden) != 1 or len(values) == 1
    # and nothing shown rests on fewer than 5
    assert all(r[1].value >= 5 for r in shown.rows if not r[1].suppressed)


def test_danish_number_format() -> None:
    assert format_cell(count(1234567)) == "1.234.567"
    assert format_cell(share(1, 8)) == "12,5 %"
    assert format_cell(money(Decimal("12345.60"), 9)) == "12.346 kr"
    assert format_cell(stat(Decimal("10.5"), 9)) == "10,5"
    assert format_cell(stat(None, 9)) == "–"
    assert format_cell(share(0, 0)) == "–"


def test_median_and_nearest_rank_percentile() -> None:
    assert median([]) is None
    assert median([5, 1, 3]) == 3
    assert median([1, 2, 3, 10]) == Decimal("2.5")
    values = list(range(1, 11))  # 1..10
    assert percentile(values, 90) == 9
    assert percentile(values, 100) == 10
    assert percentile([7], 90) == 7
    assert percentile(list(range(1, 21)), 90) == 18


@given(st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=50))
def test_percentile_has_at_least_p_percent_at_or_below(values: list[int]) -> None:
    p90 = percentile(values, 90)
    assert p90 is not None
    assert sum(1 for v in values if v <= p90) >= 0.9 * len(values)
    assert sum(1 for v in values if v < p90) < 0.9 * len(values)


@pytest.mark.parametrize(
    ("rent", "band"),
    [
        (2999, "< 3.000"),
        (3000, "3.000–3.499"),
        (3499, "3.000–3.499"),
        (3500, "3.500–3.999"),
        (3999, "3.500–3.999"),
        (4999, "4.500–4.999"),
        (5000, "≥ 5.000"),
        (None, "?"),
    ],
)
def test_rent_bands_at_their_limits(rent: int | None, band: str) -> None:
    assert rent_band(rent) == band
    if rent is not None:
        assert band in rent_band_labels()


@pytest.mark.parametrize(
    ("age", "band"),
    [
        (17, "0–17"),
        (18, "18–24"),
        (24, "18–24"),
        (25, "25–29"),
        (64, "50–64"),
        (65, "65+"),
        (None, "?"),
    ],
)
def test_age_bands_at_their_limits(age: int | None, band: str) -> None:
    assert age_band(age) == band


def test_parts_of_a_shown_total_are_hidden_together() -> None:
    """Stairwells of 6 and 1 beside a department total of 7: hiding only the 1 would leave it
    to subtraction, so both are hidden; parts all at 5 or more stay."""
    assert [format_cell(c) for c in suppress_parts([count(6), count(1)])] == ["<5", "<5"]
    assert [format_cell(c) for c in suppress_parts([count(6), count(5)])] == ["6", "5"]


def test_nested_windows_hide_what_lies_between_them() -> None:
    """ "<5 5 8" for 12, 24 and 36 months told 3 placements in months 25–36: a wider window
    rests on its difference to each narrower one too."""
    from anvis_core.reports.table import nested_counts, suppress_cell

    shown = [suppress_cell(c) for c in nested_counts([4, 5, 8])]
    assert [c.suppressed for c in shown] == [True, True, True]
    shown = [suppress_cell(c) for c in nested_counts([6, 12, 14])]
    assert [c.value for c in shown] == [6, 12, None]  # 14 - 12 = 2 placements in months 25-36
    shown = [suppress_cell(c) for c in nested_counts([6, 8, 14])]
    assert [c.value for c in shown] == [6, None, 14]  # 14 - 6 = 8 is no small count
    shown = [suppress_cell(c) for c in nested_counts([7, 7, 7])]
    assert [c.value for c in shown] == [7, 7, 7]  # nobody in between is nobody's figure
