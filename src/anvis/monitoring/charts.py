"""Small server-side SVG trend charts: no JavaScript, no inline styles (strict CSP), with a
<title>/<desc> for screen readers. Every chart on the page also has a data table."""

from __future__ import annotations

from decimal import Decimal
from itertools import count

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 360, 170
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 28
_ids = count(1)


def _fmt(value: Decimal | float) -> str:
    text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


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
        'stroke="#767676" stroke-width="1"/>',
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + plot_h}" stroke="#767676" '
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
            f'<line x1="{LEFT}" y1="{ty:.1f}" x2="{WIDTH - RIGHT}" y2="{ty:.1f}" stroke="#b00020" '
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
            f'<polyline points="{" ".join(seg)}" fill="none" stroke="#1f4e79" stroke-width="2"/>'
        )
    for i, v in enumerate(values):
        if v is not None:
            parts.append(
                f'<circle cx="{x(i):.1f}" cy="{y(float(v)):.1f}" r="3" fill="#1f4e79">'
                f"<title>{years[i]}: {escape(_fmt(v))}{escape(unit)}</title></circle>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every dynamic text above is escaped
