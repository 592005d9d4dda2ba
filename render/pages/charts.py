"""Review compliance over time as an SVG drawn on the server (no script, follows the theme through
CSS classes): the % in date as a line, the overdue count as bars. Its figures go in a table beneath
it, so a screen reader or a copy into a report has the numbers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from markupsafe import Markup, escape

from governance.dates import short_date
from services.register.reports import CompliancePoint

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 44, 16, 36


def compliance_svg(history: Iterable[CompliancePoint]) -> Markup:
    points = list(history)
    if not points:
        return Markup("")
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    n = len(points)
    step = inner_w / max(n, 1)
    top_overdue = max([p.overdue for p in points] + [1])
    parts = [f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="chart-title" focusable="false">',
             f'<title id="chart-title">Review compliance from {escape(short_date(points[0].on))} to '
             f'{escape(short_date(points[-1].on))}: {points[-1].percent:g}% in date now</title>',
             f'<line class="axis" x1="{LEFT}" y1="{TOP + inner_h}" x2="{WIDTH - RIGHT}" y2="{TOP + inner_h}"/>',
             f'<line class="axis" x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + inner_h}"/>']
    for pct in (0, 50, 100):
        y = TOP + inner_h * (1 - pct / 100)
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{pct}%</text>')
    parts.append(f'<text x="{WIDTH - RIGHT + 6}" y="{TOP + 10}">{top_overdue}</text>')
    coords = []
    for i, p in enumerate(points):
        x = LEFT + step * (i + 0.5)
        h = inner_h * 0.6 * p.overdue / top_overdue
        parts.append(f'<rect class="bar" x="{x - step * 0.3:.1f}" y="{TOP + inner_h - h:.1f}" width="{step * 0.6:.1f}" height="{h:.1f}"/>')
        y = TOP + inner_h * (1 - p.percent / 100)
        coords.append(f"{x:.1f},{y:.1f}")
        parts.append(f'<circle class="dot" cx="{x:.1f}" cy="{y:.1f}" r="3"/>')
    parts.append(f'<polyline class="line" points="{" ".join(coords)}"/>')
    for i in sorted({0, n - 1}):
        x = LEFT + step * (i + 0.5)
        parts.append(f'<text x="{x:.1f}" y="{HEIGHT - 12}" text-anchor="middle">{escape(short_date(points[i].on))}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


BAR_ROW, BAR_LABEL = 28, 200


def demand_svg(topics: Sequence[tuple[str, int]], days: int) -> Markup:
    """What nobody found as horizontal bars, one per topic (most asked first): the topic's name
    on the left, the times asked at the bar's end."""
    if not topics:
        return Markup("")
    top = max(n for _t, n in topics) or 1
    height = TOP + BAR_ROW * len(topics) + 8
    room = WIDTH - BAR_LABEL - RIGHT
    title = (f"Questions not answered in the last {days} days, by topic: "
             + "; ".join(f"{t} {n}" for t, n in topics))
    parts = [f'<svg viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="demand-title" focusable="false">',
             f'<title id="demand-title">{escape(title)}</title>',
             f'<line class="axis" x1="{BAR_LABEL}" y1="{TOP - 4}" x2="{BAR_LABEL}" y2="{height - 8}"/>']
    for i, (topic, n) in enumerate(topics):
        y = TOP + BAR_ROW * i
        w = max(2.0, room * n / top)
        short = topic if len(topic) <= 28 else topic[:27] + "\u2026"
        parts.append(f'<text x="{BAR_LABEL - 8}" y="{y + 15}" text-anchor="end">{escape(short)}</text>')
        parts.append(f'<rect class="bar demand" x="{BAR_LABEL}" y="{y + 2}" width="{w:.1f}" height="{BAR_ROW - 10}"/>')
        parts.append(f'<text x="{BAR_LABEL + w + 6:.1f}" y="{y + 15}">{n}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def initials_svg(name: str) -> str:
    """A person's initials in a circle, where Graph has no photo for them (or no token to ask with):
    white on dark grey (7:1), a picture on its own (an <img>), so it carries its colours."""
    words = [w for w in name.replace("-", " ").split() if w[:1].isalpha()]
    letters = (words[0][0] + (words[-1][0] if len(words) > 1 else "")).upper() if words else "?"
    return ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 96 96" role="img">'
            f'<title>{escape(name)}</title><circle cx="48" cy="48" r="48" fill="#424242"/>'
            '<text x="48" y="61" text-anchor="middle" font-family="Segoe UI, sans-serif" font-size="38" '
            f'fill="#ffffff">{escape(letters)}</text></svg>')
