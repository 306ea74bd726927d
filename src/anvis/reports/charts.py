"""Server-side SVG charts (matplotlib) for the dashboard and the PDF.

The page embeds each chart as an `<img>` with a data URI (allowed by the CSP, no script, no
inline style) and an alternative text; the data table beside it carries the figures. Charts are
drawn from the table as shown, so suppressed cells draw no bar.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")

from matplotlib import rcParams
from matplotlib.figure import Figure

from anvis_core.reports import Table, numeric

rcParams["svg.hashsalt"] = "anvis-reports"
rcParams["svg.fonttype"] = "none"
rcParams["font.size"] = 9

# Colour-blind safe (Okabe-Ito), with enough contrast on white.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")


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
    lays out much faster), or None when the table has no chart or no rows."""
    chart = table.chart
    rows = table.rows[: chart.rows] if chart is not None and chart.rows is not None else table.rows
    if chart is None or not rows:
        return None
    row_labels = row_labels[: len(rows)]
    height = max(3.0, 0.9 + 0.2 * len(rows)) if chart.horizontal else 3.0
    fig = Figure(figsize=(6.4, height), dpi=96)
    ax = fig.add_subplot()
    n_series = len(chart.value_columns)
    positions = list(range(len(rows)))
    if chart.kind == "line":
        for i, col in enumerate(chart.value_columns):
            values = [numeric(row[col]) for row in rows]
            ax.plot(
                positions,
                [float("nan") if v is None else v for v in values],
                marker="o",
                color=PALETTE[i % len(PALETTE)],
                label=column_labels[col],
            )
    else:
        width = 0.8 / n_series
        for i, col in enumerate(chart.value_columns):
            values = [numeric(row[col]) or 0.0 for row in rows]
            offsets = [p - 0.4 + width * (i + 0.5) for p in positions]
            bar = ax.barh if chart.horizontal else ax.bar
            bar(offsets, values, width, color=PALETTE[i % len(PALETTE)], label=column_labels[col])
    drawn = [
        v for col in chart.value_columns for row in rows if (v := numeric(row[col])) is not None
    ]
    if not drawn or max(drawn) <= 0:
        # Nothing to draw (or all suppressed): a plain 0–1 axis rather than matplotlib's ±0.04.
        (ax.set_xlim if chart.horizontal else ax.set_ylim)(0, 1)
    if chart.kind == "line" and chart.reference is not None:
        ax.set_ylim(0, 105)  # shares in percent, with the benchmark line always in view
    if chart.reference is not None:
        ax.axhline(
            float(chart.reference),
            color="#B00020",
            linestyle="--",
            linewidth=1,
            label=reference_label,
        )
    short = [label if len(label) <= 22 else label[:21] + "…" for label in row_labels]
    if chart.horizontal:
        ax.set_yticks(positions, short)
        ax.invert_yaxis()
    else:
        ax.set_xticks(positions, short, rotation=30 if len(positions) > 4 else 0, ha="right")
    ax.set_title(title, fontsize=10, loc="left")
    ax.spines[["top", "right"]].set_visible(False)
    if n_series > 1 or chart.reference is not None:
        ax.legend(fontsize=8, frameon=False)
    if chart.horizontal:
        fig.subplots_adjust(left=0.33, right=0.98, top=1 - 0.35 / height, bottom=0.3 / height)
    else:
        fig.subplots_adjust(left=0.1, right=0.98, top=0.88, bottom=0.3)
    buffer = io.BytesIO()
    if fmt == "png":
        fig.savefig(buffer, format="png", dpi=150, metadata={"Software": None})
        mime = "image/png"
    else:
        fig.savefig(buffer, format="svg", metadata={"Date": None})
        mime = "image/svg+xml"
    return f"data:{mime};base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
