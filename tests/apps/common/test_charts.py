"""A report table's chart: bars or lines written as SVG from exactly the table's figures."""

from __future__ import annotations

import base64
import math
import re
from decimal import Decimal
from itertools import pairwise
from typing import Any

import pytest
from django.core.cache import cache
from django.utils.translation import gettext_lazy, override

from anvis.common import charts
from anvis_core.reports import Table
from anvis_core.reports.table import Cell, Chart, Kind, count, text


def _table(*figures: int | None, chart: Chart | None = None, series: int = 1) -> Table:
    def cell(n: int | None) -> Cell:
        return count(n) if n is not None else Cell(None, Kind.COUNT, (), True)

    return Table(
        "t",
        ("quarter", *(f"s{i}" for i in range(series))),
        tuple(
            (text(f"2026-K{i + 1}"), *(cell(n) for _ in range(series)))
            for i, n in enumerate(figures)
        ),
        chart or Chart("bar", tuple(range(1, series + 1))),
    )


def _svg(table: Table, **kwargs: Any) -> str:
    uri = charts.chart_image(
        table,
        title=kwargs.get("title", "Placed"),
        row_labels=kwargs.get("rows", [str(row[0].value) for row in table.rows]),
        column_labels=kwargs.get("columns", ["Quarter", *table.columns[1:]]),
        reference_label=kwargs.get("reference_label", "Benchmark"),
    )
    assert uri is not None and uri.startswith("data:image/svg+xml;base64,")
    return base64.b64decode(uri.split(",", 1)[1]).decode()


def _bars(svg: str) -> list[float]:
    """The bars' heights, left to right (the legend's swatches are 12 wide and come first)."""
    return [
        float(h)
        for w, h in re.findall(r'<rect x="[^"]+" y="[^"]+" width="([^"]+)" height="([^"]+)"', svg)
        if w != "12"
    ]


def test_one_bar_per_figure_in_proportion() -> None:
    svg = _svg(_table(3, 6, 2))
    heights = _bars(svg)
    assert len(heights) == 3
    assert heights[1] == pytest.approx(2 * heights[0], rel=0.01)
    assert heights[2] == pytest.approx(heights[0] * 2 / 3, rel=0.01)
    assert ">Placed</text>" in svg


def test_a_suppressed_or_zero_figure_draws_no_bar() -> None:
    assert len(_bars(_svg(_table(3, None, 0, 4)))) == 2


def test_nothing_to_draw_gives_a_plain_axis_and_no_table_gives_no_chart() -> None:
    svg = _svg(_table(None, None))
    assert _bars(svg) == []
    assert ">1</text>" in svg
    empty = Table("t", ("quarter", "placed"), (), Chart("bar", (1,)))
    no_chart = Table("t", ("quarter", "placed"), ((text("x"), count(1)),), None)
    for table in (empty, no_chart):
        assert charts.chart_image(table, title="x", row_labels=[], column_labels=[]) is None


def test_the_legend_names_the_series_only_when_there_are_several() -> None:
    one = _svg(_table(1, 2), columns=["Quarter", "Anvist"])
    two = _svg(_table(1, 2, series=2), columns=["Quarter", "Anvist", "Afvist"])
    assert "Anvist" not in one
    assert ">Anvist</text>" in two and ">Afvist</text>" in two
    assert len(_bars(two)) == 4


def test_values_are_written_in_the_locale_and_text_is_escaped() -> None:
    svg = _svg(_table(1200, 3000), title="Tom & <ledig>", rows=["A<b", "B"])
    assert "Tom &amp; &lt;ledig&gt;" in svg and "A&lt;b" in svg
    with override("da"):
        danish = _svg(_table(1200, 3000))
    assert ">3.000</text>" in danish


def test_a_line_with_a_reference_keeps_the_benchmark_in_view_and_leaves_gaps() -> None:
    table = _table(95, None, 80, 85, chart=Chart("line", (1,), reference=Decimal(90)))
    svg = _svg(table, reference_label="Housing First")
    assert svg.count("<circle") == 3
    # The gap splits the line: the first point stands alone, the last two are joined.
    assert svg.count("<polyline") == 1
    assert 'stroke-dasharray="6 4"' in svg and ">Housing First</text>" in svg
    assert ">100</text>" in svg


def test_lying_bars_keep_long_labels_short_and_in_order() -> None:
    names = ["Limfjordens Boligselskab Nord", "B", "C"]
    svg = _svg(_table(5, 3, 1, chart=Chart("bar", (1,), horizontal=True)), rows=names)
    assert "Limfjordens Boligsels…" in svg
    ys = [float(y) for y in re.findall(r'<rect x="[^"]+" y="([^"]+)" width', svg)]
    assert ys == sorted(ys)  # the first row is drawn at the top


def test_lazy_labels_are_drawn_in_the_language_shown() -> None:
    columns = [gettext_lazy("Quarter"), gettext_lazy("Placed"), gettext_lazy("Waiting")]
    with override("en"):
        english = _svg(_table(1, 2, series=2), columns=columns)
    assert ">Placed</text>" in english and ">Waiting</text>" in english


@pytest.mark.parametrize("top", [0.3, 1, 7, 10, 12.5, 99, 1234, 98765])
def test_ticks_cover_the_largest_value_in_at_most_five_round_steps(top: float) -> None:
    ticks = charts.nice_ticks(top)
    assert ticks[0] == 0 and ticks[-1] >= top and len(ticks) <= 6
    step = ticks[1]
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert round(mantissa, 9) in {1, 2, 2.5, 5}
    assert all(b - a == pytest.approx(step) for a, b in pairwise(ticks))


# -- The simulator's charts (matplotlib), kept by exactly what they are drawn from -------------


@pytest.fixture
def simulator_draws(monkeypatch: Any) -> list[str]:
    cache.clear()
    calls: list[str] = []
    real = charts._new_figure

    def counting(**kwargs: Any) -> Any:
        calls.append("drawn")
        return real(**kwargs)

    monkeypatch.setattr(charts, "_new_figure", counting)
    return calls


def _homeless(mean: list[float], ylabel: Any = "Homeless") -> str:
    series = {"t_days": [0, 365, 730], "mean": mean, "ci_low": mean, "ci_high": mean}
    return charts.homeless_over_time([("Run", series)], xlabel="Years", ylabel=ylabel)


def test_a_simulator_chart_is_drawn_once_for_the_same_results(simulator_draws: list[str]) -> None:
    first = _homeless([10.0, 12.0, 11.0])
    assert first.startswith("data:image/svg+xml;base64,")
    assert _homeless([10.0, 12.0, 11.0]) == first
    assert len(simulator_draws) == 1
    assert _homeless([10.0, 12.0, 13.0]) != first  # other figures: drawn again
    groups = charts.waiting_by_group(["A"], [("Run", [(5.0, 4.0, 6.0)])], xlabel="Days")
    assert groups != first
    assert len(simulator_draws) == 3


def test_a_simulator_chart_is_kept_per_language_of_its_labels(simulator_draws: list[str]) -> None:
    label = gettext_lazy("Years")
    with override("en"):
        english = _homeless([1.0, 2.0, 3.0], ylabel=label)
    with override("da"):
        danish = _homeless([1.0, 2.0, 3.0], ylabel=label)
    assert len(simulator_draws) == 2 and english != danish
