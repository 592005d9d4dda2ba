"""The words of meeting paperwork as plain text: the agenda sent with the papers, the placement
told to an owner, the minutes kept and issued, the reports to other bodies. The meeting use cases
store and send these; render/meetings.py puts the same words on cards. Pure."""

from __future__ import annotations

from datetime import date

from governance.dates import long_date, time_of_day, weekday_date
from services.meetings.views import (
    AgendaView,
    ItemView,
    MinutesView,
    Placement,
    ReportView,
)


def day(d: date | None) -> str:
    return weekday_date(d) if d else "not set"


def short_day(d: date | None) -> str:
    return long_date(d) if d else "not set"


def due_suffix(d: date | None) -> str:
    return f", due {short_day(d)}" if d else ""


def item_line(i: ItemView) -> str:
    line = f"{i.number}. {i.title}"
    if i.owner_name and i.kind != "information":
        line += f" (presented by {i.owner_name})"
    if i.kind == "full_approval":
        line += " [interim approval, for full approval]"
    if i.kind == "information":
        line += " [for information: approved by a Director]"
    if i.carried:
        line += " [carried forward]"
    if i.outcome_label:
        line += f" - {i.outcome_label}" + (f": {i.outcome_note}" if i.outcome_note else "")
    return line


def deadline_lines(view: AgendaView) -> list[str]:
    return [f"{label}: {short_day(d)}" for label, d in view.deadlines.described() if label != "Meeting"]


def agenda_text(view: AgendaView) -> str:
    lines = [f"Agenda: {view.body_name}, {day(view.meeting_on)} at {time_of_day(view.starts_at)}"
             + (" (one-off meeting)" if view.one_off else "")]
    if view.status == "cancelled":
        lines.append("This meeting is cancelled.")
    lines += deadline_lines(view)
    for s in view.sections:
        lines.append("")
        lines.append(s.title)
        if s.id == "progress":
            lines.append("1. Progress report and outstanding actions")
            if view.actions:
                lines += [f"   - {a.text} ({a.owner_name}{due_suffix(a.due)})" + (" OVERDUE" if a.overdue else "")
                          for a in view.actions]
            else:
                lines.append("   - No outstanding actions.")
            continue
        if not s.items:
            lines.append("   (nothing yet)")
        lines += [item_line(i) for i in s.items]
    if view.drafts:
        lines.append("")
        lines.append("Current drafts with these papers:")
        lines += [f"- {d}" for d in view.drafts]
    if view.comments:
        lines.append("")
        lines.append("Consultation comments with these papers:")
        lines += [f"- {c}" for c in view.comments]
    return "\n".join(lines)


def placement_text(p: Placement) -> str:
    if p.meeting_on is None:
        return (f"{p.title} is on the forward plan of the {p.body_name}. No meeting is scheduled yet: "
                "you will be told the date and deadlines when one is.")
    lines = [f"{p.title} is on the agenda of the {p.body_name} meeting on {day(p.meeting_on)}."]
    if p.deadlines:
        lines += [f"{label}: {short_day(d)}." for label, d in p.deadlines.described() if label != "Meeting"]
    return " ".join(lines)


def minutes_text(m: MinutesView) -> str:
    v = m.agenda
    lines = [f"Minutes: {v.body_name}, {day(v.meeting_on)}", "", "Attendance"]
    for a in m.attendance:
        what = {"present": "present", "absent": "absent, no delegate", "delegate": f"sent {a.delegate or 'a delegate'}"}[a.status]
        lines.append(f"- {a.name}: {what}")
    if not m.attendance:
        lines.append("- Not recorded.")
    for s in m.short:
        lines.append(f"Note: {s}")
    lines += ["", "Decisions"]
    for i in v.items:
        lines.append(item_line(i) if i.outcome_label else f"{i.number}. {i.title} - no outcome recorded")
    lines += ["", "Actions"]
    lines += [f"- {a.text}: {a.owner_name}" + (f", by {short_day(a.due)}" if a.due else "") for a in m.actions] or ["- None."]
    if m.notes:
        lines += ["", "Notes", m.notes]
    return "\n".join(lines)


REPORT_TITLES = {"after_meeting": "Report to the extended leadership team", "monthly": "Monthly communication: approved documents",
                 "annual": "Annual report"}


def report_text(r: ReportView) -> str:
    title = REPORT_TITLES.get(r.kind, r.kind)
    period = f"meeting of {short_day(r.start)}" if r.start == r.end else f"{short_day(r.start)} to {short_day(r.end)}"
    lines = [f"{title}: {r.body_name}, {period}"]
    if r.kind == "annual":
        lines.append(f"Meetings held: {r.meetings_held}" + (f" ({r.short_meetings} short of members)" if r.short_meetings else ""))
    lines += ["", "Approved documents"]
    lines += [f"- {a}" for a in r.approved] or ["- None."]
    if r.kind != "monthly":
        lines += ["", "Exceptions"]
        lines += [f"- {e}" for e in r.exceptions] or ["- None."]
    return "\n".join(lines)
