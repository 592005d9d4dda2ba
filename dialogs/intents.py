"""What did the person ask for, as a name and its arguments (kept for callers that want a plain
answer, such as the tests of meeting phrasings). The reading itself is dialogs/recogniser.py,
built from the command table (dialogs/commands.py). Pure."""

from __future__ import annotations

from dataclasses import dataclass

from dialogs.recogniser import default

MEETING_INTENT_NAMES = ("next_agenda", "move_item", "missing_papers", "outcome_card", "record_outcome", "action_done",
                        "add_meeting", "cancel_meeting", "reorder_item", "add_item", "attendance", "issue_minutes",
                        "forward_plan")


@dataclass(frozen=True)
class Intent:
    name: str  # a command's id (dialogs/commands.py), "decide" for a case decision, or question | empty | unknown
    arg: str = ""
    detail: str = ""


def recognise(text: str | None) -> Intent:
    r = default().read(text)
    if r.kind == "empty":
        return Intent("empty")
    if r.command is None or r.kind == "question":
        return Intent("unknown", (text or "").strip().lower())
    c = r.command
    groups = r.match
    if c.action:
        words = groups.get("@text", groups.get("text", r.slots.payload)).strip()
        return Intent("decide", str(r.slots.case if r.slots.case is not None else ""), f"{c.say.split(' case')[0]}|{words}")
    if c.id in MEETING_INTENT_NAMES:
        body = (groups.get("body") or groups.get("body2") or "").strip()
        words = (groups.get("@text") or groups.get("@text2") or "").strip()
        n = groups.get("n") or groups.get("n2") or ""
        return Intent(c.id, n, f"{body}|{words}")
    if c.id in ("status", "history", "scheduled_review", "unscheduled_review"):
        return Intent(c.id, r.slots.refs[0] if r.slots.refs else "")
    if c.id == "case":
        return Intent("case", str(r.slots.case or ""))
    if c.id == "reviews_due":
        return Intent(c.id, str(r.slots.days or 30))
    return Intent(c.id)
