"""Reports rendered for people: the register report, overdue reviews, reviews due, and the review
compliance chart as a PNG (pure: report views in, Reply or PNG bytes out)."""

from __future__ import annotations

from typing import Any
import base64
from collections.abc import Sequence
import io

from governance.dates import short_day_month
from render.messages import uk_date
from render.reply import Reply, card, command_button, facts, heading, para
from services.register.reports import WINDOWS, RegisterReport, ReviewLine, Tally

CARD_CHART_LIMIT = 40_000  # bytes of PNG; the whole card must stay under Teams' 80 KB


def compliance_chart_png(report: RegisterReport, *, width: float = 6.0, height: float = 2.6, dpi: int = 80) -> bytes:
    """Review compliance over time: % of live documents in date (line) and overdue count (bars)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num
    from matplotlib.figure import Figure

    points = report.history
    dates = [p.on for p in points]
    days = [float(x) for x in date2num(dates)]  # matplotlib's day numbers, what it turns dates into itself
    gaps = sorted((b - a).days for a, b in zip(dates, dates[1:], strict=False))
    gap = gaps[len(gaps) // 2] if gaps else 7  # the usual spacing of the snapshots, in days
    fig = Figure(figsize=(width, height), dpi=dpi)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    bars = ax.twinx()
    bars.bar(days, [p.overdue for p in points], width=max(gap * 0.6, 0.6), color="#C62828", alpha=0.3, label="overdue")
    bars.set_ylabel("overdue", color="#C62828")
    bars.set_ylim(0, max([p.overdue for p in points] + [1]) * 1.6)
    ax.set_zorder(bars.get_zorder() + 1)  # the line in front of the bars
    ax.patch.set_visible(False)
    ax.plot(days, [p.percent for p in points], marker="o", color="#2E7D32", linewidth=2, label="% in date")
    ax.set_ylim(0, 100)
    ax.set_ylabel("% in date", color="#2E7D32")
    ax.set_xlim(days[0] - max(gap, 3), days[-1] + max(gap, 3))
    ax.set_title(f"Review compliance: {report.compliance.percent:g}% in date on {uk_date(report.today)}", fontsize=10)
    ax.grid(axis="y", alpha=0.3)
    locator = AutoDateLocator(maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    ax.tick_params(axis="x", labelsize=8)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def _line(r: ReviewLine) -> str:
    when = f"{-r.days} days overdue" if r.days < 0 else ("due today" if r.days == 0 else f"due in {r.days} days")
    return f"{r.ref} {r.title} - {r.owner} - {uk_date(r.due)} ({when})"


def _tally_text(title: str, rows: Sequence[Tally], limit: int = 12) -> list[str]:
    out = [f"{title}:"]
    for t in rows[:limit]:
        w = ", ".join(f"{n} in {lo}-{hi} days" for (lo, hi), n in zip(_ranges(), t.within, strict=True) if n)
        out.append(f"- {t.name}: {t.overdue} overdue" + (f"; {w}" if w else ""))
    if len(rows) > limit:
        out.append(f"- and {len(rows) - limit} more")
    return out


def _ranges() -> list[tuple[int, int]]:
    lows = [0] + [w + 1 for w in WINDOWS[:-1]]
    return list(zip(lows, WINDOWS, strict=True))


def _tally_facts(rows: Sequence[Tally], limit: int = 12) -> dict[str, Any]:
    return facts([(t.name, f"{t.overdue} overdue · " + " · ".join(str(n) for n in t.within)) for t in rows[:limit]])


def report_reply(report: RegisterReport, chart_png: bytes | None = None) -> Reply:
    c = report.compliance
    statuses = ", ".join(f"{label} {n}" for label, n in report.by_status)
    counts = [len(report.overdue)] + [sum(1 for r in report.due if lo <= r.days <= hi) for lo, hi in _ranges()]
    intro = (f"Register on {uk_date(report.today)}: {c.total} live documents, {c.percent:g}% in date for review "
             f"({c.overdue} overdue" + (f", {c.no_date} with no review date" if c.no_date else "") + ").")
    due_text = f"Reviews overdue: {counts[0]}; due in 0-30 days: {counts[1]}; 31-60: {counts[2]}; 61-90: {counts[3]}."
    lines = [intro, f"By status: {statuses}.", due_text, ""]
    lines += _tally_text("By service area (overdue; due in 0-30, 31-60, 61-90 days)", report.by_area)
    lines += [""] + _tally_text("By owner", report.by_owner)
    lines += ["", f"Decisions taken in {report.month}: {len(report.decisions)}"]
    lines += [f"- {short_day_month(d.at)} {d.decision}: {d.ref} {d.title} ({d.who})" for d in report.decisions[:15]]
    body = [heading("Register report"), para(intro), facts([(label, str(n)) for label, n in report.by_status]),
            facts([("Overdue", str(counts[0])), ("Due in 0-30 days", str(counts[1])), ("Due in 31-60 days", str(counts[2])),
                   ("Due in 61-90 days", str(counts[3]))])]
    if chart_png and len(chart_png) <= CARD_CHART_LIMIT:
        body.append({"type": "Image", "url": "data:image/png;base64," + base64.b64encode(chart_png).decode(),
                     "altText": f"Review compliance over time: {c.percent:g}% in date today", "size": "Stretch"})
    body += [para("**By service area** (overdue · due in 0-30 · 31-60 · 61-90 days)"), _tally_facts(report.by_area),
             para("**By owner**"), _tally_facts(report.by_owner),
             para(f"**Decisions taken in {report.month}**: {len(report.decisions)}")]
    if report.decisions:
        body.append(facts([(f"{short_day_month(d.at)}", f"{d.decision}: {d.ref} {d.title} ({d.who})") for d in report.decisions[:15]]))
    actions = [command_button("Overdue reviews", "overdue reviews"), command_button("Reviews due", "reviews due")]
    return Reply(text="\n".join(lines), card=card(body, actions))


def _grouped(lines: tuple[ReviewLine, ...]) -> list[tuple[str, list[ReviewLine]]]:
    groups: dict[str, list[ReviewLine]] = {}
    for r in lines:
        groups.setdefault(r.service_area, []).append(r)
    return sorted(groups.items())


def _list_reply(title: str, intro: str, lines: tuple[ReviewLine, ...], empty: str) -> Reply:
    if not lines:
        return Reply(text=empty, card=card([heading(title), para(empty)]))
    text = [intro]
    body = [heading(title), para(intro)]
    for area, rows in _grouped(lines):
        text.append(f"{area}:")
        text += [f"- {_line(r)}" for r in rows]
        body.append(para(f"**{area}**"))
        body.append(facts([(r.ref, f"{r.title} · {r.owner} · {uk_date(r.due)}") for r in rows]))
    return Reply(text="\n".join(text), card=card(body, [command_button("Register report", "report")]))


def overdue_reply(report: RegisterReport) -> Reply:
    n = len(report.overdue)
    intro = f"{n} review{'s are' if n != 1 else ' is'} overdue on {uk_date(report.today)}, by service area (owner, date due):"
    return _list_reply("Overdue reviews", intro, tuple(sorted(report.overdue, key=lambda r: (r.days, r.ref))),
                       "No reviews are overdue. Well done.")


def due_reply(report: RegisterReport, days: int) -> Reply:
    lines = report.due_within(days)
    intro = f"{len(lines)} review{'s are' if len(lines) != 1 else ' is'} due in the next {days} days, by service area (owner, date due):"
    return _list_reply(f"Reviews due in the next {days} days", intro, lines, f"No reviews are due in the next {days} days.")
