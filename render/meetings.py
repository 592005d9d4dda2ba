"""Agendas, papers, outcome cards, minutes and reports, as text (email, notices) and cards (Teams). Pure."""

from __future__ import annotations

from governance.meetings import OUTCOMES
from render.reply import Reply, card, command_button, facts, heading, para
from services.meetings.texts import (
    REPORT_TITLES,
    agenda_text,
    day,
    deadline_lines,
    due_suffix,
    item_line,
    minutes_text,
    placement_text,
    report_text,
    short_day,
)
from services.meetings.views import AgendaView, ItemView, MinutesView, PlanLine, PlanView

__all__ = ["REPORT_TITLES", "agenda_reply", "agenda_text", "day", "deadline_lines", "forward_plan_reply", "item_line",
           "meeting_changed_reply", "minutes_reply", "minutes_text", "missing_papers_reply", "outcome_card",
           "outcome_reply", "placement_text", "plan_line", "report_text", "short_day"]

OUTCOME_INPUT = "outcome"
NOTE_INPUT = "note"
VOTES_FOR_INPUT = "votes_for"
VOTES_AGAINST_INPUT = "votes_against"


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
                body.append(para(f"- {a.text} ({a.owner_name}{due_suffix(a.due)})", color="Attention" if a.overdue else None))
            continue
        if not s.items:
            body.append(para("(nothing yet)", subtle=True))
        body += [para(item_line(i)) for i in s.items]
    for title, lines in (("Current drafts with these papers", view.drafts), ("Consultation comments with these papers", view.comments)):
        if lines:  # BCT-6: the second draft and the comments go out with the agenda
            body.append(para(title) | {"weight": "Bolder", "separator": True})
            body += [para(f"- {x}") for x in lines]
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
    text = f"{message}\n{item_line(item)}"
    body = [para(message, color="Good"), heading(f"{view.body_name}: {short_day(view.meeting_on)}"), para(item_line(item))]
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


def plan_line(line: PlanLine) -> str:
    text = f"- {line.title}"
    text += f" ({KIND_LABELS.get(line.kind, line.kind)})"
    text += f": meeting on {short_day(line.meeting_on)}" if line.meeting_on else ": no meeting date yet"
    if line.referred_from:
        text += f", referred by the {line.referred_from}"
    if line.status:  # BCT-4
        text += f" ({line.status})"
    return text


def forward_plan_reply(plan: PlanView) -> Reply:
    """What a body has still to consider, with the meeting each item is on (DOR-8, BCT-7)."""
    head = f"Forward plan: {plan.body_name}"
    if not plan.lines:
        text = f"{head}\nNothing is waiting for the {plan.body_name}."
    else:
        text = f"{head}\n" + "\n".join(plan_line(x) for x in plan.lines)
    body = [heading(head)] + [para(x) for x in text.split("\n")[1:]]
    if plan.gaps:  # issue 16: what staff looked for in the manual and did not find
        gaps_head = "Gaps: what staff looked for and did not find (last 30 days)"
        text += f"\n{gaps_head}\n" + "\n".join(f"- {g}" for g in plan.gaps)
        body += [heading(gaps_head)] + [para(f"• {g}") for g in plan.gaps]
    return Reply(text=text, card=card(body, [command_button("Show the next agenda", f"what is on the next agenda for {plan.body_id}")]))


def minutes_reply(m: MinutesView, message: str | None = None) -> Reply:
    text = minutes_text(m)
    body = ([para(message, color="Good")] if message else []) + [para(x) for x in text.split("\n") if x]
    return Reply(text=((message + "\n") if message else "") + text, card=card(body))
