"""The one chart module: every chart Anvis draws, in one palette, all server-side (no JavaScript).

- matplotlib charts (the dashboard, the PDF report and the simulator) are returned as a data URI
  for an `<img>` (the CSP allows `img-src 'self' data:`), SVG for pages, PNG for the PDF, which
  WeasyPrint lays out much faster;
- the small trend charts of composition monitoring are inline SVG with a `<title>`/`<desc>` for
  screen readers and no inline style.

Every chart has a data table with the same figures beside it; a chart drawn from a table with
suppressed cells draws no bar for them.
"""

from __future__ import annotations

import base64
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib.metadata import version
from itertools import count
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.cache import cache as django_cache
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from anvis.common import formats
from anvis_core.reports import Table, numeric

if TYPE_CHECKING:
    from matplotlib.figure import Figure


@cache
def _figure_class() -> type[Figure]:
    """matplotlib, set up for Anvis on the first chart drawn. It is imported here rather than at
    the top because every module that can draw a chart is imported with the URLconf, and
    matplotlib takes half a second to import: every process that resolves a URL (web workers,
    the worker, management commands) would pay for it, most without drawing anything."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import rcParams
    from matplotlib.figure import Figure

    rcParams["svg.hashsalt"] = "anvis-reports"
    rcParams["svg.fonttype"] = "none"
    rcParams["font.size"] = 9
    return Figure


def _new_figure(**kwargs: Any) -> Figure:
    return _figure_class()(**kwargs)


#: The series colours: colour-blind safe (Okabe-Ito), with enough contrast on white.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
REFERENCE = "#B00020"  # a threshold or benchmark line
AXIS = "#767676"
GRID = "#dddddd"
INK = "#222222"  # error bars


def colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def data_uri(fig: Figure, *, fmt: str = "svg", tight: bool = False) -> str:
    """The figure as a data URI: SVG (without a date, so the same chart is the same text) or
    PNG for the PDF."""
    buffer = io.BytesIO()
    extra: dict[str, Any] = {"bbox_inches": "tight"} if tight else {}
    if fmt == "png":
        fig.savefig(buffer, format="png", dpi=150, metadata={"Software": None}, **extra)
        mime = "image/png"
    else:
        fig.savefig(buffer, format="svg", metadata={"Date": None}, **extra)
        mime = "image/svg+xml"
    return f"data:{mime};base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


# -- Reports: a report table's chart ---------------------------------------------------------


CHART_CACHE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class _TableChart:
    """Everything a report table's chart is drawn from, and nothing else: the cache key."""

    kind: str
    horizontal: bool
    reference: Decimal | None
    title: str
    row_labels: tuple[str, ...]
    series_labels: tuple[str, ...]
    reference_label: str
    values: tuple[tuple[float | None, ...], ...]  # a row per table row, a value per series
    fmt: str


@cache
def _drawing_version() -> str:
    """What else decides how a chart looks: this module's code and matplotlib's version."""
    source = Path(__file__).read_bytes() + version("matplotlib").encode()
    return hashlib.sha256(source).hexdigest()[:16]


def chart_image(
    table: Table,
    *,
    title: str,
    row_labels: Sequence[str],
    column_labels: Sequence[str],
    reference_label: str = "",
    fmt: str = "svg",
) -> str | None:
    """The chart of a table as a data URI (SVG for the page, PNG for the PDF, which WeasyPrint
    lays out much faster), or None when the table has no chart or no rows.

    Drawing takes matplotlib 50–100 ms a chart and the steering group's dashboard has two dozen,
    so a chart is kept in Django's cache under a hash of exactly what it is drawn from (the
    figures, the labels, the format, this module's code and matplotlib's version): the same
    inputs give the same image, so a kept chart is never stale."""
    chart = table.chart
    rows = table.rows[: chart.rows] if chart is not None and chart.rows is not None else table.rows
    if chart is None or not rows:
        return None
    spec = _TableChart(
        kind=chart.kind,
        horizontal=chart.horizontal,
        reference=chart.reference,
        # Labels may be lazy translations: as text, in the language of the request.
        title=str(title),
        row_labels=tuple(map(str, row_labels[: len(rows)])),
        series_labels=tuple(str(column_labels[col]) for col in chart.value_columns),
        reference_label=str(reference_label),
        values=tuple(tuple(numeric(row[col]) for col in chart.value_columns) for row in rows),
        fmt=fmt,
    )
    digest = hashlib.sha256(repr((_drawing_version(), spec)).encode()).hexdigest()
    key = f"chart:{digest}"
    image: str | None = django_cache.get(key)
    if image is None:
        image = _draw_table_chart(spec)
        django_cache.set(key, image, CHART_CACHE_SECONDS)
    return image


def _draw_table_chart(spec: _TableChart) -> str:
    n_rows = len(spec.values)
    height = max(3.0, 0.9 + 0.2 * n_rows) if spec.horizontal else 3.0
    fig = _new_figure(figsize=(6.4, height), dpi=96)
    ax = fig.add_subplot()
    n_series = len(spec.series_labels)
    positions = list(range(n_rows))
    for i, label in enumerate(spec.series_labels):
        values = [row[i] for row in spec.values]
        if spec.kind == "line":
            ax.plot(
                positions,
                [float("nan") if v is None else v for v in values],
                marker="o",
                color=colour(i),
                label=label,
            )
        else:
            width = 0.8 / n_series
            offsets = [p - 0.4 + width * (i + 0.5) for p in positions]
            bar = ax.barh if spec.horizontal else ax.bar
            bar(offsets, [v or 0.0 for v in values], width, color=colour(i), label=label)
    drawn = [v for row in spec.values for v in row if v is not None]
    if not drawn or max(drawn) <= 0:
        # Nothing to draw (or all suppressed): a plain 0–1 axis rather than matplotlib's ±0.04.
        (ax.set_xlim if spec.horizontal else ax.set_ylim)(0, 1)
    if spec.kind == "line" and spec.reference is not None:
        ax.set_ylim(0, 105)  # shares in percent, with the benchmark line always in view
    if spec.reference is not None:
        ax.axhline(
            float(spec.reference),
            color=REFERENCE,
            linestyle="--",
            linewidth=1,
            label=spec.reference_label,
        )
    short = [label if len(label) <= 22 else label[:21] + "…" for label in spec.row_labels]
    if spec.horizontal:
        ax.set_yticks(positions, short)
        ax.invert_yaxis()
    else:
        ax.set_xticks(positions, short, rotation=30 if len(positions) > 4 else 0, ha="right")
    ax.set_title(spec.title, fontsize=10, loc="left")
    ax.spines[["top", "right"]].set_visible(False)
    if n_series > 1 or spec.reference is not None:
        ax.legend(fontsize=8, frameon=False)
    if spec.horizontal:
        fig.subplots_adjust(left=0.33, right=0.98, top=1 - 0.35 / height, bottom=0.3 / height)
    else:
        fig.subplots_adjust(left=0.1, right=0.98, top=0.88, bottom=0.3)
    return data_uri(fig, fmt=spec.fmt)


# -- Simulation: runs compared ---------------------------------------------------------------


def homeless_over_time(
    series: Sequence[tuple[str, dict[str, Any]]], *, xlabel: str, ylabel: str
) -> str:
    """One line per run (mean) with its 95 % confidence band; x in years."""
    fig = _new_figure(figsize=(7.5, 3.6))
    ax = fig.add_subplot()
    for i, (label, s) in enumerate(series):
        line_colour = colour(i)
        t = [d / 365.25 for d in s.get("t_days", [])]
        mean = [float("nan") if v is None else v for v in s.get("mean", [])]
        low = [float("nan") if v is None else v for v in s.get("ci_low", [])]
        high = [float("nan") if v is None else v for v in s.get("ci_high", [])]
        if not t:
            continue
        ax.fill_between(t, low, high, color=line_colour, alpha=0.2, linewidth=0)
        ax.plot(t, mean, color=line_colour, linewidth=2, label=label)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_ylim(bottom=0)
    ax.grid(True, color=GRID, linewidth=0.6)
    ax.legend(loc="best", fontsize=8)
    return data_uri(fig, tight=True)


def waiting_by_group(
    groups: Sequence[str],
    runs: Sequence[tuple[str, Sequence[tuple[float | None, float | None, float | None]]]],
    *,
    xlabel: str,
) -> str:
    """Horizontal grouped bars: mean waiting days per group and run, with 95 % CI whiskers."""
    n_runs = max(1, len(runs))
    height = 0.8 / n_runs
    fig = _new_figure(figsize=(7.5, max(2.5, 0.35 * len(groups) * n_runs + 1.2)))
    ax = fig.add_subplot()
    for i, (label, cells) in enumerate(runs):
        ys, means, err_low, err_high = [], [], [], []
        for g, (mean, low, high) in enumerate(cells):
            if mean is None:
                continue
            ys.append(g + i * height)
            means.append(mean)
            err_low.append(max(0.0, mean - low) if low is not None else 0.0)
            err_high.append(max(0.0, high - mean) if high is not None else 0.0)
        ax.barh(
            ys,
            means,
            height=height,
            color=colour(i),
            xerr=[err_low, err_high],
            ecolor=INK,
            capsize=2,
            label=label,
        )
    ax.set_yticks([g + height * (n_runs - 1) / 2 for g in range(len(groups))])
    ax.set_yticklabels(list(groups), fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    ax.set_xlim(left=0)
    ax.grid(True, axis="x", color=GRID, linewidth=0.6)
    ax.legend(loc="best", fontsize=8)
    return data_uri(fig, tight=True)


# -- Monitoring: inline SVG trend lines ------------------------------------------------------

WIDTH, HEIGHT = 360, 170
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 28
_ids = count(1)


def _fmt(value: Decimal | float) -> str:
    """A tick or point value in the locale's format, to two places without trailing zeros."""
    return formats.number(Decimal(f"{float(value):.2f}").normalize())


def line_chart(
    title: str,
    description: str,
    years: list[int],
    values: list[Decimal | None],
    thresholds: list[tuple[Decimal, str]] = (),  # type: ignore[assignment]
    unit: str = "",
) -> SafeString:
    """A line over the years; missing (suppressed) years leave a gap. Thresholds are dashed."""
    uid = f"chart-{next(_ids)}"
    known = [float(v) for v in values if v is not None]
    limits = [float(t) for t, _label in thresholds]
    top = max([*known, *limits, 1.0]) * 1.1
    low = 0.0
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM

    def x(i: int) -> float:
        return LEFT + (plot_w * i / max(1, len(years) - 1))

    def y(v: float) -> float:
        return TOP + plot_h * (1 - (v - low) / (top - low))

    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'role="img" aria-labelledby="{uid}-t {uid}-d" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{uid}-t">{escape(title)}</title>',
        f'<desc id="{uid}-d">{escape(description)}</desc>',
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_h}" '
        f'stroke="{AXIS}" stroke-width="1"/>',
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + plot_h}" stroke="{AXIS}" '
        'stroke-width="1"/>',
    ]
    for tick in (0.0, top / 2, top):
        parts.append(
            f'<text x="{LEFT - 4}" y="{y(tick) + 4:.1f}" text-anchor="end" font-size="10" '
            f'fill="#444">{escape(_fmt(tick))}</text>'
        )
    for threshold, label in thresholds:
        ty = y(float(threshold))
        parts.append(
            f'<line x1="{LEFT}" y1="{ty:.1f}" x2="{WIDTH - RIGHT}" y2="{ty:.1f}" stroke="{REFERENCE}" '
            f'stroke-width="1" stroke-dasharray="4 3"><title>{escape(label)}</title></line>'
        )
    step = max(1, len(years) // 5)
    for i, year in enumerate(years):
        if i % step == 0 or i == len(years) - 1:
            parts.append(
                f'<text x="{x(i):.1f}" y="{HEIGHT - 8}" text-anchor="middle" font-size="10" '
                f'fill="#444">{year}</text>'
            )
    segment: list[str] = []
    segments: list[list[str]] = []
    for i, v in enumerate(values):
        if v is None:
            if segment:
                segments.append(segment)
            segment = []
            continue
        segment.append(f"{x(i):.1f},{y(float(v)):.1f}")
    if segment:
        segments.append(segment)
    for seg in segments:
        parts.append(
            f'<polyline points="{" ".join(seg)}" fill="none" stroke="{PALETTE[0]}" stroke-width="2"/>'
        )
    for i, v in enumerate(values):
        if v is not None:
            parts.append(
                f'<circle cx="{x(i):.1f}" cy="{y(float(v)):.1f}" r="3" fill="{PALETTE[0]}">'
                f"<title>{years[i]}: {escape(_fmt(v))}{escape(unit)}</title></circle>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every dynamic text above is escaped
