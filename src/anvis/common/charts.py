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
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, wraps
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

#: A table chart's width in the page's pixels (the `<img>` is shown 614 wide) and its parts.
TABLE_WIDTH = 640
_FONT = 11  # tick and legend text
_TITLE_FONT = 13
_CHAR = 0.56  # a sans-serif letter's mean width, in font sizes (for label gutters)


@dataclass(frozen=True)
class _TableChart:
    """Everything a report table's chart is drawn from, and nothing else."""

    kind: str
    horizontal: bool
    reference: Decimal | None
    title: str
    row_labels: tuple[str, ...]
    series_labels: tuple[str, ...]
    reference_label: str
    values: tuple[tuple[float | None, ...], ...]  # a row per table row, a value per series


def chart_image(
    table: Table,
    *,
    title: str,
    row_labels: Sequence[str],
    column_labels: Sequence[str],
    reference_label: str = "",
) -> str | None:
    """The chart of a table as an SVG data URI (for the page's and the PDF's `<img>`), or None
    when the table has no chart or no rows.

    The bars and lines are written as SVG directly: a chart takes well under a millisecond,
    where matplotlib took 150-350 ms a chart and the steering group's dashboard, with two
    dozen, took seconds whenever a figure had changed."""
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
    )
    svg = _table_chart_svg(spec)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")


def nice_ticks(top: float, most: int = 5) -> list[float]:
    """Ticks from 0 to at least `top` in steps of 1, 2, 2.5 or 5 times a power of ten, at most
    `most` steps (0-1 when there is nothing above 0)."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / most
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    n = math.ceil(top / step - 1e-9)
    return [i * step for i in range(n + 1)]


def _short(label: str) -> str:
    return label if len(label) <= 22 else label[:21] + "…"


def _text_width(text: str, size: float = _FONT) -> float:
    return len(text) * size * _CHAR


@dataclass(frozen=True)
class _Frame:
    """Where a table chart's plot sits: its corners, the value scale's top and the bands."""

    horizontal: bool
    x0: float
    y0: float
    x1: float
    y1: float
    top: float
    n_rows: int
    height: int  # the whole canvas's

    @property
    def band(self) -> float:  # the room of one table row along the category axis
        span = (self.y1 - self.y0) if self.horizontal else (self.x1 - self.x0)
        return span / max(1, self.n_rows)

    def value(self, v: float) -> float:
        frac = v / self.top if self.top else 0.0
        if self.horizontal:
            return self.x0 + (self.x1 - self.x0) * frac
        return self.y1 - (self.y1 - self.y0) * frac

    def category(self, i: int) -> float:  # the middle of row i's band
        return (self.y0 if self.horizontal else self.x0) + self.band * (i + 0.5)


def _legend_entries(spec: _TableChart) -> list[tuple[str, str, bool]]:
    """(colour, label, dashed) per series and the reference line; none for a single series."""
    if len(spec.series_labels) <= 1 and spec.reference is None:
        return []
    entries = [(colour(i), label, False) for i, label in enumerate(spec.series_labels)]
    if spec.reference is not None:
        entries.append((REFERENCE, spec.reference_label, True))
    return entries


def _legend_width(label: str) -> float:
    return 18 + _text_width(label) + 16


def _legend_svg(entries: list[tuple[str, str, bool]], top: float) -> tuple[list[str], float]:
    """The legend's swatches and names in rows from `top`; and where the next thing may start."""
    out: list[str] = []
    x, y = 8.0, top
    for swatch, label, dashed in entries:
        width = _legend_width(label)
        if x > 8 and x + width > TABLE_WIDTH - 8:
            x, y = 8.0, y + _FONT + 8
        mid = y + _FONT / 2 + 1
        if dashed:
            out.append(
                f'<line x1="{x:.1f}" y1="{mid:.1f}" x2="{x + 14:.1f}" y2="{mid:.1f}" '
                f'stroke="{swatch}" stroke-width="1.5" stroke-dasharray="4 3"/>'
            )
        else:
            out.append(
                f'<rect x="{x:.1f}" y="{y + 1:.1f}" width="12" height="{_FONT}" fill="{swatch}"/>'
            )
        out.append(
            f'<text x="{x + 18:.1f}" y="{y + _FONT:.1f}" font-size="{_FONT}" fill="{INK}">'
            f"{escape(label)}</text>"
        )
        x += width
    return out, (y + _FONT + 12 if entries else top)


def _ticks(spec: _TableChart) -> list[float]:
    if spec.kind == "line" and spec.reference is not None:
        return [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]  # shares in percent, benchmark in view
    drawn = [v for row in spec.values for v in row if v is not None]
    return nice_ticks(max([*drawn, float(spec.reference or 0), 0.0]))


def _frame(spec: _TableChart, labels: list[str], ticks: list[float], top: float) -> _Frame:
    """The plot's place: room left for the row labels (lying bars) or the value labels and,
    below, for the row labels, slanted when there are more than four (upright bars, lines)."""
    n_rows = len(labels)
    widest = max(map(_text_width, labels))
    if spec.horizontal:
        height = max(288, int(top + 30 + 20 * n_rows + 12))
        left = min(TABLE_WIDTH * 0.4, max(60.0, widest + 14))
        return _Frame(True, left, top + 4, TABLE_WIDTH - 24, height - 28, ticks[-1], n_rows, height)
    slanted = n_rows > 4
    below = widest * 0.5 + 18 if slanted else 22
    height = int(max(288, top + 160 + below)) if slanted else 288
    left = max(36.0, max(_text_width(_fmt(t)) for t in ticks) + 12)
    if slanted:  # the first slanted label ends left of its bar; keep it on the canvas
        half_band = (TABLE_WIDTH - 12 - left) / n_rows / 2
        left = max(left, _text_width(labels[0]) * 0.87 - half_band + 4)
    return _Frame(False, left, top + 4, TABLE_WIDTH - 12, height - below, ticks[-1], n_rows, height)


def _axes_svg(frame: _Frame, labels: list[str], ticks: list[float]) -> list[str]:
    """Grid lines and value labels at the ticks, and one label per table row."""
    f, out = frame, []
    for tick in ticks:
        pos, text = f.value(tick), escape(_fmt(tick))
        if f.horizontal:
            out.append(
                f'<line x1="{pos:.1f}" y1="{f.y0:.1f}" x2="{pos:.1f}" y2="{f.y1:.1f}" '
                f'stroke="{GRID}" stroke-width="1"/><text x="{pos:.1f}" '
                f'y="{f.y1 + _FONT + 6:.1f}" font-size="{_FONT}" text-anchor="middle" '
                f'fill="{INK}">{text}</text>'
            )
        else:
            out.append(
                f'<line x1="{f.x0:.1f}" y1="{pos:.1f}" x2="{f.x1:.1f}" y2="{pos:.1f}" '
                f'stroke="{GRID}" stroke-width="1"/><text x="{f.x0 - 6:.1f}" '
                f'y="{pos + _FONT / 3:.1f}" font-size="{_FONT}" text-anchor="end" '
                f'fill="{INK}">{text}</text>'
            )
    for i, label in enumerate(labels):
        c, text = f.category(i), escape(label)
        if f.horizontal:
            place = f'x="{f.x0 - 6:.1f}" y="{c + _FONT / 3:.1f}" text-anchor="end"'
        elif len(labels) > 4:
            place = f'transform="translate({c:.1f},{f.y1 + 12:.1f}) rotate(-30)" text-anchor="end"'
        else:
            place = f'x="{c:.1f}" y="{f.y1 + _FONT + 6:.1f}" text-anchor="middle"'
        out.append(f'<text {place} font-size="{_FONT}" fill="{INK}">{text}</text>')
    return out


def _table_chart_svg(spec: _TableChart) -> str:
    """The chart as SVG: grouped bars (upright or lying) or lines with points, an optional
    dashed reference line, a legend when there is more than one series or a reference, the
    value axis in round steps in the locale's number format. A missing (suppressed) value
    draws no bar or point."""
    labels = [_short(label) for label in spec.row_labels]
    ticks = _ticks(spec)
    out = [
        f'<text x="8" y="{8 + _TITLE_FONT}" font-size="{_TITLE_FONT}" fill="{INK}">'
        f"{escape(spec.title)}</text>"
    ]
    legend, top = _legend_svg(_legend_entries(spec), 8 + _TITLE_FONT + 8)
    out += legend
    f = _frame(spec, labels, ticks, top)
    out += _axes_svg(f, labels, ticks)
    out += _table_chart_marks(spec, f)
    if spec.reference is not None:
        pos = f.value(float(spec.reference))
        out.append(
            f'<line x1="{f.x0:.1f}" y1="{pos:.1f}" x2="{f.x1:.1f}" y2="{pos:.1f}" '
            f'stroke="{REFERENCE}" stroke-width="1.5" stroke-dasharray="6 4"/>'
        )
    # The axes themselves, over the bars' feet.
    out.append(
        f'<line x1="{f.x0:.1f}" y1="{f.y0:.1f}" x2="{f.x0:.1f}" y2="{f.y1:.1f}" stroke="{AXIS}" '
        f'stroke-width="1"/><line x1="{f.x0:.1f}" y1="{f.y1:.1f}" x2="{f.x1:.1f}" '
        f'y2="{f.y1:.1f}" stroke="{AXIS}" stroke-width="1"/>'
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{TABLE_WIDTH}" height="{f.height}" '
        f'viewBox="0 0 {TABLE_WIDTH} {f.height}" font-family="DejaVu Sans, Arial, sans-serif">'
        f'<rect width="100%" height="100%" fill="#ffffff"/>{"".join(out)}</svg>'
    )


def _table_chart_marks(spec: _TableChart, f: _Frame) -> list[str]:
    """The bars, or the lines and their points, of every series."""
    n_series = len(spec.series_labels)
    out: list[str] = []
    for s in range(n_series):
        fill = colour(s)
        if spec.kind == "line":
            segment: list[str] = []
            for i, row in enumerate(spec.values):
                v = row[s]
                if v is None:
                    if len(segment) > 1:
                        out.append(_polyline(segment, fill))
                    segment = []
                    continue
                cx, cy = f.category(i), f.value(v)
                segment.append(f"{cx:.1f},{cy:.1f}")
                out.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="3.5" fill="{fill}"/>')
            if len(segment) > 1:
                out.append(_polyline(segment, fill))
            continue
        thickness = f.band * 0.8 / n_series
        for i, row in enumerate(spec.values):
            v = row[s]
            if v is None or v <= 0:
                continue
            start, end = f.category(i) - f.band * 0.4 + thickness * s, f.value(v)
            if f.horizontal:
                out.append(
                    f'<rect x="{f.x0:.1f}" y="{start:.1f}" width="{end - f.x0:.1f}" '
                    f'height="{thickness:.1f}" fill="{fill}"/>'
                )
            else:
                out.append(
                    f'<rect x="{start:.1f}" y="{end:.1f}" width="{thickness:.1f}" '
                    f'height="{f.y1 - end:.1f}" fill="{fill}"/>'
                )
    return out


def _polyline(points: list[str], stroke: str) -> str:
    return f'<polyline points="{" ".join(points)}" fill="none" stroke="{stroke}" stroke-width="2"/>'


# -- Simulation: runs compared ---------------------------------------------------------------

#: How long a simulator chart is kept: a finished run's results never change, so a kept chart
#: is never stale; the time only returns the cache's room.
SIMULATION_CHART_SECONDS = 7 * 24 * 3600


@cache
def _drawing_version() -> str:
    """What else decides how a matplotlib chart looks: this module's code and matplotlib's
    version."""
    source = Path(__file__).read_bytes() + version("matplotlib").encode()
    return hashlib.sha256(source).hexdigest()[:16]


def _kept(draw: Callable[..., str]) -> Callable[..., str]:
    """A matplotlib chart kept in Django's cache under a hash of exactly what it is drawn from
    (the arguments, labels as text in the language shown, this module's code and matplotlib's
    version): the same inputs give the same image. A simulator chart took 1-1.6 s to draw, on
    every view of a run that can no longer change."""

    @wraps(draw)
    def kept(*args: Any, **kwargs: Any) -> str:
        inputs = repr((draw.__name__, _drawing_version(), _as_text(args), _as_text(kwargs)))
        key = "chart:" + hashlib.sha256(inputs.encode()).hexdigest()
        image: str | None = django_cache.get(key)
        if image is None:
            image = draw(*args, **kwargs)
            django_cache.set(key, image, SIMULATION_CHART_SECONDS)
        return image

    return kept


def _as_text(value: Any) -> Any:
    """`value` with lazy translations as text (and containers rebuilt around them)."""
    if isinstance(value, dict):
        return {k: _as_text(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_as_text(v) for v in value]
    if isinstance(value, str | int | float | bool | Decimal) or value is None:
        return value
    return str(value)


@_kept
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


@_kept
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
