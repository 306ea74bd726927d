"""The shared import framework's reader and its one-row-per-key rule (no database needed)."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pytest
from django.utils import translation

from anvis.common.importing import Cells, FirstSeen, RowError
from anvis.common.tabular import Row


@pytest.fixture(autouse=True)
def danish() -> Any:
    with translation.override("da"):
        yield


def cells(**values: str) -> tuple[Cells, list[RowError]]:
    errors: list[RowError] = []
    return Cells(Row(4, values), errors), errors


def test_first_seen_names_the_first_line_on_every_repeat() -> None:
    errors: list[RowError] = []
    seen = FirstSeen[str]("samme bolig står også i %(other)s")
    assert [seen.repeated(key, line, errors) for key, line in [("a", 2), ("b", 3), ("a", 4)]] == [
        False,
        False,
        True,
    ]
    assert seen.repeated("a", 5, errors)
    assert [str(e) for e in errors] == [
        "Linje 4: samme bolig står også i linje 2",
        "Linje 5: samme bolig står også i linje 2",
    ]


def test_first_seen_with_a_column_and_another_way_of_naming_the_row() -> None:
    errors: list[RowError] = []
    seen = FirstSeen[int]("bruges også i %(other)s", column="dar_bolig", where=lambda n: f"#{n}")
    seen.repeated(7, 2, errors)
    seen.repeated(7, 6, errors)
    assert [str(e) for e in errors] == ["Linje 6, kolonne 'dar_bolig': bruges også i #2"]


@pytest.mark.parametrize(
    ("raw", "value", "message"),
    [
        ("", None, None),
        ("2.024", 2024, None),
        ("tyve", None, "Linje 4, kolonne 'aar': skal være et helt tal (fik 'tyve')"),
        ("1999", None, "Linje 4, kolonne 'aar': skal være mindst 2000 (fik 1999)"),
        ("2031", None, "Linje 4, kolonne 'aar': må højst være 2030 (fik 2031)"),
    ],
)
def test_number_is_none_when_empty_bad_or_out_of_bounds(
    raw: str, value: int | None, message: str | None
) -> None:
    reader, errors = cells(aar=raw)
    assert reader.number("aar", minimum=2000, maximum=2030) == value
    assert [str(e) for e in errors] == ([message] if message else [])


def test_a_required_number_names_an_empty_cell() -> None:
    reader, errors = cells(aar=" ")
    assert reader.number("aar", required=True) is None
    assert [str(e) for e in errors] == ["Linje 4, kolonne 'aar': skal udfyldes"]


@pytest.mark.parametrize(
    ("raw", "value", "message"),
    [
        ("", None, None),
        ("40,1 %", D("40.1"), None),
        ("40.1", D("40.1"), None),
        ("fyrre", None, "Linje 4, kolonne 'andel': skal være et tal som 40,1 (fik 'fyrre')"),
        ("100,5", None, "Linje 4, kolonne 'andel': må højst være 100 (fik 100,5)"),
        ("-1", None, "Linje 4, kolonne 'andel': skal være mindst 0 (fik -1)"),
        ("40,15", None, "Linje 4, kolonne 'andel': må højst have 1 decimal (fik '40,15')"),
    ],
)
def test_decimal(raw: str, value: D | None, message: str | None) -> None:
    reader, errors = cells(andel=raw)
    assert reader.decimal("andel", minimum=D(0), maximum=D(100), places=1) == value
    assert [str(e) for e in errors] == ([message] if message else [])
