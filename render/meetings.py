"""Agendas, papers, outcome cards, minutes and reports, as text (email, notices) and cards (Teams). Pure."""

from __future__ import annotations

from datetime import date

from governance.dates import long_date, time_of_day, weekday_date
from governance.meetings import OUTCOMES
from render.reply import Reply, card, command_button, facts, heading, para
from services.meetings.views import AgendaView, ItemView, MinutesView, Placement, PlanView, ReportView

OUTCOME_INPUT = "outcome"
NOTE_INPUT = "note"
VOTES_FOR_INPUT = "votes_for"
VOTES_AGAINST_INPUT = "votes_against"


def day(d: date | None) -> str:
    return weekday_date(d) if d else "not set"


def short_day(d: date | None) -> str:
    return long_date(d) if d else "not set"


def _due(d: date | None) -> str:
    return f", due {short_day(d)}" if d else ""


def _item_line(i: ItemView) -> str:
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
                lines += [f"   - {a.text} ({a.owner_name}{_due(a.due)})" + (" OVERDUE" if a.overdue else "")
                          for a in view.actions]
            else:
                lines.append("   - No outstanding actions.")
            continue
        if not s.items:
            lines.append("   (nothing yet)")
        lines += [_item_line(i) for i in s.items]
    if view.drafts:
        lines.append("")
        lines.append("Current drafts with these papers:")
        lines += [f"- {d}" for d in view.drafts]
    return "\n".join(lines)


def agenda_reply(view: AgendaView, message: str | None = None) -> Reply:
    text = ((message + "\n") if message else "") + agenda_text(view)
    body = []
    if message:
        body.append(para(message, color="Good"))
    body += [heading(f"{view.body_name}: {day(view.meeting_on)}"),
             facts([(label, short_day(d)) for label, d in view.deadlines.described() if label != "Meeting"])]
    for s in view.sections:
        body.append(para(s.title, subtle=False) | {"weight": "Bolder", "separator": True})
        if s.id == "progress":
            body.append(para("1. Progress report and outstanding actions"))
            for a in view.actions or ():
                body.append(para(f"- {a.text} ({a.owner_name}{_due(a.due)})", color="Attention" if a.overdue else None))
            continue
        if not s.items:
            body.append(para("(nothing yet)", subtle=True))
        body += [para(_item_line(i)) for i in s.items]
    actions = [command_button(f"Outcome of item {i.number}", f"outcome card item {i.number} for {view.body_id}")
               for i in view.items if not i.outcome][:4]
    actions.append(command_button("Who has not sent papers?", f"who has not sent papers for {view.body_id}"))
    return Reply(text=text, card=card(body, actions))


def outcome_card(view: AgendaView, item: ItemView, choices: tuple[str, ...], message: str | None = None) -> Reply:
    """The chair records an item's outcome (approved, with amendments, a vote, referred, deferred...)."""
    title = f"Item {item.number}: {item.title}"
    body = []
    if message:
        body.append(para(message, color="Attention"))
    body += [
        heading(f"Record the outcome, {view.body_name} {short_day(view.meeting_on)}"),
        para(title),
        {"type": "Input.ChoiceSet", "id": OUTCOME_INPUT, "label": "Outcome", "isRequired": True, "style": "expanded",
         "choices": [{"title": OUTCOMES[c], "value": c} for c in choices]},
        {"type": "Input.Text", "id": NOTE_INPUT, "label": "Amendments agreed, reasons or notes", "isMultiline": True},
        {"type": "Input.Number", "id": VOTES_FOR_INPUT, "label": "Votes for (if decided by vote)", "min": 0},
        {"type": "Input.Number", "id": VOTES_AGAINST_INPUT, "label": "Votes against (if decided by vote)", "min": 0},
    ]
    submit = {"type": "Action.Submit", "title": "Record the outcome",
              "data": {"command": f"record outcome item {item.number} for {view.body_id}"}}
    text = (f"{title}\nReply with the outcome, e.g. 'record outcome item {item.number}: approved' or "
            f"'record outcome item {item.number}: approved with amendments: <the amendments>'. Outcomes: "
            + ", ".join(OUTCOMES[c].lower() for c in choices) + ".")
    return Reply(text=text, card=card(body, [submit]))


def outcome_reply(view: AgendaView, item: ItemView, message: str) -> Reply:
    text = f"{message}\n{_item_line(item)}"
    body = [para(message, color="Good"), heading(f"{view.body_name}: {short_day(view.meeting_on)}"), para(_item_line(item))]
    return Reply(text=text, card=card(body, [command_button("Show the agenda", f"what is on the next agenda for {view.body_id}")]))


def missing_papers_reply(view: AgendaView) -> Reply:
    missing = [i for i in view.items if not i.has_papers]
    head = f"{view.body_name}, {day(view.meeting_on)}"
    if not missing:
        text = f"Every paper is in for the {head}."
    else:
        due = view.deadlines.items_due or view.deadlines.papers_due
        text = f"Papers not yet sent for the {head}" + (f" (due {short_day(due)})" if due else "") + ":\n" + "\n".join(
            f"- Item {i.number}: {i.title}: {i.owner_name or 'no owner named'}" for i in missing)
    return Reply(text=text, card=card([heading("Papers"), *[para(x) for x in text.split("\n")]]))


def meeting_changed_reply(message: str, body_id: str, title: str = "Meetings") -> Reply:
    """A one-off meeting added, a meeting cancelled (DOR-7), attendance recorded (DOR-11)."""
    return Reply(text=message, card=card([heading(title), para(message, color="Good")],
                                         [command_button("Show the next agenda", f"what is on the next agenda for {body_id}"),
                                          command_button("Show the forward plan", f"forward plan for {body_id}")]))


KIND_LABELS = {"review": "review", "proposal": "new proposal", "draft": "new draft", "full_approval": "for full approval",
               "information": "for information", "horizon": "horizon scanning", "other": "other business"}


def plan_line(line) -> str:
    text = f"- {line.title}"
    text += f" ({KIND_LABELS.get(line.kind, line.kind)})"
    text += f": meeting on {short_day(line.meeting_on)}" if line.meeting_on else ": no meeting date yet"
    if line.referred_from:
        text += f", referred by the {line.referred_from}"
    return text


def forward_plan_reply(plan: PlanView) -> Reply:
    """What a body has still to consider, with the meeting each item is on (DOR-8, BCT-7)."""
    head = f"Forward plan: {plan.body_name}"
    if not plan.lines:
        text = f"{head}\nNothing is waiting for the {plan.body_name}."
    else:
        text = f"{head}\n" + "\n".join(plan_line(x) for x in plan.lines)
    body = [heading(head)] + [para(x) for x in text.split("\n")[1:]]
    return Reply(text=text, card=card(body, [command_button("Show the next agenda", f"what is on the next agenda for {plan.body_id}")]))


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
        lines.append(_item_line(i) if i.outcome_label else f"{i.number}. {i.title} - no outcome recorded")
    lines += ["", "Actions"]
    lines += [f"- {a.text}: {a.owner_name}" + (f", by {short_day(a.due)}" if a.due else "") for a in m.actions] or ["- None."]
    if m.notes:
        lines += ["", "Notes", m.notes]
    return "\n".join(lines)


def minutes_reply(m: MinutesView, message: str | None = None) -> Reply:
    text = minutes_text(m)
    body = ([para(message, color="Good")] if message else []) + [para(x) for x in text.split("\n") if x]
    return Reply(text=((message + "\n") if message else "") + text, card=card(body))


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
