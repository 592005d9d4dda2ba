"""The meeting commands' handlers (DOR-7, DOR-9, DOR-10, DOR-11): read the arguments, call one
meeting service, render. Listed in dialogs/handlers.HANDLERS with the others."""

from __future__ import annotations

import re

from dialogs import meeting_words
from dialogs.recogniser import Reading
from dialogs.response import Response
from dialogs.turn import Turn, ask_form, original, typed_date
from render import meetings as meeting_render
from render.reply import Reply
from services.meetings import agenda as meetings


def _body(t: Turn, r: Reading) -> str | None:
    body = (r.match.get("body") or r.match.get("body2") or "").strip()
    if not body:
        m = re.search(r"\b(?:for|of|at)\s+(?:the\s+)?([A-Za-z][\w&' -]{1,40}?)(?:\s+meeting)?[.?!]*$", r.slots.original)
        body = m.group(1).strip() if m and _is_body(t, m.group(1)) else ""
    value_body = t.value.get("body") if isinstance(t.value.get("body"), str) else ""
    return body or value_body or None


def _is_body(t: Turn, name: str) -> bool:
    low = name.strip().lower()
    for b in t.services.preset.bodies.values():
        if low in {b.id.lower(), b.name.lower(), *(a.lower() for a in getattr(b, "aliases", ()) or ())}:
            return True
    return False


def _words(r: Reading) -> str:
    return original(r, "text") or original(r, "text2") or r.slots.payload


async def next_agenda(t: Turn, r: Reading) -> Response:
    return Response(meeting_render.agenda_reply(await meetings.next_agenda(t.services, t.ident, _body(t, r))))


async def forward_plan(t: Turn, r: Reading) -> Response:
    return Response(meeting_render.forward_plan_reply(await meetings.forward_plan_view(t.services, t.ident, _body(t, r))))


async def missing_papers(t: Turn, r: Reading) -> Response:
    return Response(meeting_render.missing_papers_reply(await meetings.missing_papers(t.services, t.ident, _body(t, r))))


def _item(r: Reading) -> int | None:
    n = r.match.get("n") or r.match.get("n2")
    return int(n) if n else r.slots.item


async def move_item(t: Turn, r: Reading) -> Response:
    n = _item(r)
    if n is None:
        return ask_form(r.command, "Which item?")
    out = await meetings.move_item(t.services, t.ident, n, _body(t, r))
    return Response(meeting_render.agenda_reply(out.agenda, out.message) if out.agenda else Reply(text=out.message), out.notices)


async def action_done(t: Turn, r: Reading) -> Response:
    n = int(r.match["n"]) if r.match.get("n") else r.slots.action
    if n is None:
        return ask_form(r.command, "Which action?")
    out = await meetings.complete_action(t.services, t.ident, n)
    return Response(Reply(text=out.message))


async def add_meeting(t: Turn, r: Reading) -> Response:
    words = _words(r) or (r.slots.dates[0] if r.slots.dates else "")
    if not words:
        return ask_form(r.command, "On which date?")
    out = await meetings.add_meeting(t.services, t.ident, typed_date(words, t.today, "the meeting"), _body(t, r))
    return Response(meeting_render.meeting_changed_reply(out.message, out.body_id or "", "Meetings"), out.notices)


async def cancel_meeting(t: Turn, r: Reading) -> Response:
    words = _words(r) or (r.slots.dates[0] if r.slots.dates else "")
    if not words:
        return ask_form(r.command, "On which date?")
    out = await meetings.cancel_meeting(t.services, t.ident, typed_date(words, t.today, "the meeting"), _body(t, r))
    return Response(meeting_render.meeting_changed_reply(out.message, out.body_id or "", "Meetings"), out.notices)


async def reorder_item(t: Turn, r: Reading) -> Response:
    n = _item(r)
    words = _words(r)
    if not words:
        if re.search(r"\b(first|top)\b", r.slots.original, re.IGNORECASE):
            words = "first"
        elif re.search(r"\bsecond\b", r.slots.original, re.IGNORECASE):
            words = "2"
        elif r.slots.numbers:
            words = str(r.slots.numbers[-1])
    if n is None or not words:
        return ask_form(r.command, "Which item, and to which position?")
    to_number = 2 if words.lower() == "first" else int(words)  # item 1 is always the progress report
    out = await meetings.reorder_item(t.services, t.ident, n, to_number, _body(t, r))
    return Response(meeting_render.agenda_reply(out.agenda, out.message) if out.agenda else Reply(text=out.message), out.notices)


async def add_item(t: Turn, r: Reading) -> Response:
    words = _words(r)
    if not words:
        return ask_form(r.command, "What is the item?")
    title, section = meeting_words.item_and_section(words)
    out = await meetings.add_item(t.services, t.ident, title, section, _body(t, r))
    return Response(meeting_render.agenda_reply(out.agenda, out.message) if out.agenda else Reply(text=out.message), out.notices)


async def attendance(t: Turn, r: Reading) -> Response:
    out = await meetings.record_attendance(t.services, t.ident, meeting_words.parse_attendance(_words(r)), _body(t, r))
    return Response(meeting_render.meeting_changed_reply(out.message, out.body_id or "", "Attendance"), out.notices)


async def issue_minutes(t: Turn, r: Reading) -> Response:
    words = original(r, "text") or r.slots.payload
    new = [meetings.NewAction(text, owner, due) for text, owner, due in meeting_words.parse_actions(words, t.today)]
    out, minutes = await meetings.issue_minutes(t.services, t.ident, new, body_name=_body(t, r))
    return Response(meeting_render.minutes_reply(minutes, out.message), out.notices)


async def outcome_card(t: Turn, r: Reading) -> Response:
    n = _item(r)
    if n is None:
        return ask_form(r.command, "Which item?")
    view, item, choices = await meetings.outcome_choices(t.services, t.ident, n, _body(t, r))
    return Response(meeting_render.outcome_card(view, item, choices))


async def record_outcome(t: Turn, r: Reading) -> Response:
    n = _item(r)
    if n is None:
        return ask_form(r.command, "Which item?")
    words = _words(r)
    if not words and not r.match:
        m = re.search(r"\b(?:was|is|as|outcome)\s+(.+)$", r.slots.original, re.IGNORECASE)
        words = m.group(1).strip() if m else ""
    outcome, note, votes = outcome_from(words, t.value)
    body = _body(t, r)
    if outcome is None:
        view, item, choices = await meetings.outcome_choices(t.services, t.ident, n, body)
        return Response(meeting_render.outcome_card(view, item, choices))
    out = await meetings.record_outcome(t.services, t.ident, n, outcome, note, votes=votes, body_name=body)
    recorded = out.agenda.item(n) if out.agenda else None
    reply = meeting_render.outcome_reply(out.agenda, recorded, out.message) if out.agenda and recorded else Reply(text=out.message)
    return Response(reply, out.notices)


def outcome_from(words: str, value: dict) -> tuple[str | None, str | None, tuple[int, int] | None]:
    """The outcome, note and votes from the card's inputs, or from typed words such as
    'approved with amendments: add the LADO details' or 'approved by vote 6-2'."""
    chosen = value.get(meeting_render.OUTCOME_INPUT)
    if isinstance(chosen, str) and chosen.strip():
        note = value.get(meeting_render.NOTE_INPUT)
        votes = None
        try:
            f, a = value.get(meeting_render.VOTES_FOR_INPUT), value.get(meeting_render.VOTES_AGAINST_INPUT)
            if f not in (None, "") and a not in (None, ""):
                votes = (int(float(f)), int(float(a)))
        except (TypeError, ValueError):
            votes = None
        return chosen.strip(), note if isinstance(note, str) else None, votes
    words = (words or "").strip()
    if not words:
        return None, None, None
    head, _, note = words.partition(":")
    votes = meetings.parse_votes(head)
    if votes:
        head = re.sub(r"\s*\(?\d+\s*(-|to|for,?|:)\s*\d+\)?\s*(against)?", "", head)
    return head.strip(), note.strip() or None, votes
