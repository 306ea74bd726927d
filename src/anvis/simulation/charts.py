"""Server-side SVG charts with matplotlib (no JavaScript). Each chart is returned as a data URI
for an <img> (the CSP allows `img-src 'self' data:`); the page gives it a title, an alt text and
a data table with the same numbers."""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from typing import Any

from matplotlib.figure import Figure

COLOURS = ("#1f4e79", "#b35806", "#2d7d46", "#7b3294", "#8c510a", "#404040")


def _data_uri(fig: Figure) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight")
    encoded = base64.b64encode(buffer.getvalue().encode("utf-8")).decode("ascii")
    return f"data:image/svg+xml;base64,{encoded}"


def homeless_over_time(
    series: Sequence[tuple[str, dict[str, Any]]], *, xlabel: str, ylabel: str
) -> str:
    """One line per run (mean) with its 95 % confidence band; x in years."""
    fig = Figure(figsize=(7.5, 3.6))
    ax = fig.add_subplot()
    for i, (label, s) in enumerate(series):
        colour = COLOURS[i % len(COLOURS)]
        t = [d / 365.25 for d in s.get("t_days", [])]
        mean = [float("nan") if v is None else v for v in s.get("mean", [])]
        low = [float("nan") if v is None else v for v in s.get("ci_low", [])]
        high = [float("nan") if v is None else v for v in s.get("ci_high", [])]
        if not t:
            continue
        ax.fill_between(t, low, high, color=colour, alpha=0.2, linewidth=0)
        ax.plot(t, mean, color=colour, linewidth=2, label=label)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_ylim(bottom=0)
    ax.grid(True, color="#dddddd", linewidth=0.6)
    ax.legend(loc="best", fontsize=8)
    return _data_uri(fig)


def waiting_by_group(
    groups: Sequence[str],
    runs: Sequence[tuple[str, Sequence[tuple[float | None, float | None, float | None]]]],
    *,
    xlabel: str,
) -> str:
    """Horizontal grouped bars: mean waiting days per group and run, with 95 % CI whiskers."""
    n_runs = max(1, len(runs))
    height = 0.8 / n_runs
    fig = Figure(figsize=(7.5, max(2.5, 0.35 * len(groups) * n_runs + 1.2)))
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
            color=COLOURS[i % len(COLOURS)],
            xerr=[err_low, err_high],
            ecolor="#222222",
            capsize=2,
            label=label,
        )
    ax.set_yticks([g + height * (n_runs - 1) / 2 for g in range(len(groups))])
    ax.set_yticklabels(list(groups), fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    ax.set_xlim(left=0)
    ax.grid(True, axis="x", color="#dddddd", linewidth=0.6)
    ax.legend(loc="best", fontsize=8)
    return _data_uri(fig)
