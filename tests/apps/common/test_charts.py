"""Report charts are kept in the cache under a hash of exactly what they are drawn from."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.utils.translation import gettext_lazy, override

from anvis.common import charts
from anvis_core.reports import Table
from anvis_core.reports.table import Cell, Chart, Kind, count, text


def _table(*figures: int | None) -> Table:
    return Table(
        "t",
        ("quarter", "placed"),
        tuple(
            (
                text(f"2026-K{i + 1}"),
                count(n) if n is not None else Cell(None, Kind.COUNT, (), True),
            )
            for i, n in enumerate(figures)
        ),
        Chart("bar", (1,)),
    )


@pytest.fixture
def drawn(monkeypatch: Any) -> list[Any]:
    cache.clear()
    calls: list[Any] = []
    draw = charts._draw_table_chart

    def counting(spec: Any) -> str:
        calls.append(spec)
        return draw(spec)

    monkeypatch.setattr(charts, "_draw_table_chart", counting)
    return calls


def _image(table: Table, **kwargs: Any) -> str | None:
    return charts.chart_image(
        table,
        title=kwargs.get("title", "Placed"),
        row_labels=[str(row[0].value) for row in table.rows],
        column_labels=kwargs.get("columns", ["Quarter", "Placed"]),
        fmt=kwargs.get("fmt", "svg"),
    )


def test_the_same_figures_are_drawn_once(drawn: list[Any]) -> None:
    first = _image(_table(3, 5, 2))
    assert first is not None and first.startswith("data:image/svg+xml;base64,")
    assert _image(_table(3, 5, 2)) == first
    assert len(drawn) == 1
    # What is kept is what drawing gives.
    assert charts._draw_table_chart(drawn[0]) == first


@pytest.mark.parametrize(
    "change",
    [
        {"figures": (3, 5, 3)},
        {"figures": (3, 5, None)},  # a suppressed cell is drawn without its bar
        {"title": "Anvist"},
        {"columns": ["Quarter", "Anvist"], "legend": False},  # the key, not the image
        {"fmt": "png"},
    ],
)
def test_anything_drawn_differently_is_drawn_again(
    drawn: list[Any], change: dict[str, Any]
) -> None:
    before = _image(_table(3, 5, 2))
    after = _image(_table(*change.get("figures", (3, 5, 2))), **change)
    assert len(drawn) == 2
    # One series and no reference line: no legend, so the series' name does not show.
    assert (after != before) == change.get("legend", True)


def test_lazy_labels_key_by_their_text_in_the_language_shown(drawn: list[Any]) -> None:
    columns = [gettext_lazy("Quarter"), gettext_lazy("Placed")]
    with override("en"):
        english = _image(_table(1, 2), columns=columns)
        assert _image(_table(1, 2), columns=columns) == english
    assert len(drawn) == 1
    assert drawn[0].series_labels == ("Placed",)
