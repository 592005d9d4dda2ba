"""Cases as cards (Teams) and text (email and the local chat). Pure."""

from __future__ import annotations

from typing import Any
import re

from governance import actions
from governance.actions import Input, InputKind
from governance.calendar import LONDON
from render.messages import uk_date
from render.reply import (
    Reply,
    card,
    command_button,
    execute_button,
    facts,
    heading,
    para,
)
from services.cases.draft_changes import DraftView, change_lines, summary_line
from services.cases.draft_delivery import Comparison
from services.cases.drafts import size_text
from services.cases.lifecycle import CaseView


def reply_words(action_id: str, case_id: int) -> str | None:
    """The words to reply with by email (where card buttons do not work), from the action's declaration."""
    declared = actions.action(action_id)
    if declared is None or not declared.words:
        return None
    first = declared.words[0].text.upper()
    if any(i.kind is InputKind.YES_NO for i in declared.inputs):
        return " or ".join(f"{w.text.upper()} case {case_id}" for w in declared.words)
    text = declared.text_input
    tail = ": <version>" if any(i.carries == "version" for i in declared.inputs) else (": <your words>" if text else "")
    out = f"{first} case {case_id}{tail}"
    others = [w for w in declared.words[1:] if w.data]
    for w in others:  # words that carry a choice as well ("... and return to me")
        out += f" (or {w.text.upper()} case {case_id}{tail})"
    return out


def _input(spec: Input) -> dict[str, Any]:
    if spec.kind is InputKind.YES_NO:
        return {"type": "Input.ChoiceSet", "id": spec.id, "label": spec.label, "style": "expanded",
                "choices": [{"title": "Yes", "value": "yes"}, {"title": "No", "value": "no"}]}
    if spec.kind is InputKind.TOGGLE:
        return {"type": "Input.Toggle", "id": spec.id, "valueOn": "true", "valueOff": "false", "value": "false",
                "title": spec.label}
    block: dict[str, Any] = {"type": "Input.Text", "id": spec.id, "label": spec.label}
    if spec.kind is InputKind.TEXT:
        block["isMultiline"] = True
    if spec.placeholder:
        block["placeholder"] = spec.placeholder
    return block


def draft_line(d: DraftView) -> str:
    who = f", sent by {d.uploaded_by}" if d.uploaded_by else ""
    return f"version {d.number}, {d.filename} ({size_text(d.size)}){who} on {uk_date(d.uploaded_at.astimezone(LONDON).date())}"


def _kind_word(d: DraftView) -> str:
    return {"editorial": "Editorial change", "substantive": "Substantive change"}.get(d.change_kind or "", "")


def _what_changed(d: DraftView) -> tuple[str, list[str]]:
    """(headline, the first five changes and a count) for a draft's change summary."""
    if d.changes is None:
        return ("", [])
    headline = summary_line(d.changes)
    if d.compared_with:
        headline += f" (compared with version {d.compared_with})"
    return headline[:1].upper() + headline[1:], change_lines(d.changes)


def draft_blocks(view: CaseView) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[str]]:
    """(card blocks, buttons, text lines) for the draft under decision (issue 17)."""
    d = view.draft
    if d is None:
        return [], [], []
    headline, changes = _what_changed(d)
    pairs = [("Draft", draft_line(d)), ("Change", _kind_word(d)), ("What changed", headline)]
    blocks: list[dict[str, Any]] = [facts(pairs)] + [para(f"• {line}", subtle=True) for line in changes]
    buttons = [execute_button("Open the draft", "draft", {"case": view.id, "case_version": view.version, "draft": d.number})]
    if d.number > 1:
        buttons.append(execute_button(f"Compare with version {d.number - 1}", "command",
                                      {"command": f"compare {view.document.ref} version {d.number - 1} with {d.number}"}))
    lines = [f"{k}: {v}" for k, v in pairs if v] + [f"- {line}" for line in changes]
    lines.append(f"To get the draft, say 'draft case {view.id}'.")
    return blocks, buttons, lines


_DOUBLE_STOP = re.compile(r"(?<!\.)([.!?])\.(?=\s|$)")


def _one_stop(text: str) -> str:
    """'...the training requirement..' from free text followed by our own full stop reads as one."""
    return _DOUBLE_STOP.sub(r"\1", text)


def case_reply(view: CaseView, message: str | None = None) -> Reply:
    d = view.document
    status = view.status.replace("_", " ")
    pairs = [
        ("Document", f"{d.ref} {d.title}"),
        ("Work", view.kind.replace("_", " ")),
        ("Stage", view.stage_label if view.status == "open" else status),
        ("Waiting for", ", ".join(view.waiting_for) if view.waiting_for else "nobody"),
        ("Consultation closes", uk_date(view.consult_deadline) if view.consult_deadline else ""),
        ("Type", d.doc_type or ""),
        ("Category", d.category or ""),
        ("Service area", d.service_area or ""),
        ("Published version", d.version or ""),
        ("Why it is needed", (d.summary or "") if view.kind == "new_document" else ""),
    ]
    body = []
    if message:
        message = _one_stop(message)
        body.append(para(message, color="Good"))
    body += [heading(f"Case {view.id}: {d.title}"), facts(pairs)]
    draft_body, draft_buttons, draft_lines = draft_blocks(view)
    body += draft_body
    if view.open_conditions:
        body.append({"type": "TextBlock", "wrap": True, "weight": "Bolder",  # bold, not a low-contrast yellow
                     "text": "Conditions to meet: " + "; ".join(view.open_conditions)})
    if view.checklist:
        body.append(para("Review checklist:"))
        body += [para(f"{i}. {item}") for i, item in enumerate(view.checklist, 1)]
    for a in view.actions:  # each decision has its own inputs with their own labels
        declared = actions.action(a.id)
        body += [_input(i) for i in (declared.inputs if declared else ())]
    if view.history:
        body.append(para("History", subtle=True))
        body += [para(line, subtle=True) for line in view.history[-6:]]
    buttons = [
        {"type": "Action.Execute", "title": a.label, "verb": "case",
         "data": {"case": view.id, "case_version": view.version, "action": a.id}}
        for a in view.actions
    ]
    buttons += draft_buttons
    if not buttons:
        buttons = [command_button("My tasks", "my tasks")]
    lines = [f"Case {view.id}: {d.ref} {d.title}", *(f"{k}: {v}" for k, v in pairs if v), *draft_lines]
    if view.open_conditions:
        lines.append("Conditions to meet: " + "; ".join(view.open_conditions))
    replies = [w for a in view.actions if (w := reply_words(a.id, view.id))]
    if replies:
        lines.append("To act, reply with one of: " + "; ".join(replies) + ".")
    if any(a.id == "submit_draft" or a.id == "submit_amendments" for a in view.actions):
        lines.append("To send a draft, attach the Word document (with tracked changes for an amendment).")
    text = ((message + "\n") if message else "") + "\n".join(lines)
    return Reply(text=text, card=card(body, buttons))


def tasks_reply(name: str, views: list[CaseView]) -> Reply:
    if not views:
        text = f"{name}, nothing is waiting for you right now."
        return Reply(text=text, card=card([heading("My tasks"), para(text)], [command_button("My documents", "my documents")]))
    intro = f"{name}, {len(views)} case{'s' if len(views) != 1 else ''} {'are' if len(views) != 1 else 'is'} waiting for you:"
    body = [heading("My tasks"), para(intro)]
    lines = []
    for v in views:
        line = f"Case {v.id}: {v.document.ref} {v.document.title} - {v.stage_label}"
        lines.append(line)
        body.append({"type": "Container", "separator": True, "items": [para(line)],
                     "selectAction": {"type": "Action.Submit", "data": {"command": f"case {v.id}"}}})
    return Reply(text=intro + "\n" + "\n".join(f"- {line}" for line in lines),
                 card=card(body, [command_button(f"Open case {v.id}", f"case {v.id}") for v in views[:5]]))


def triggers_reply(ref: str, triggers: tuple[str, ...]) -> Reply:
    text = f"An unscheduled review of {ref} needs its reason. Which one applies?"
    body = [heading(f"Unscheduled review of {ref}"), para(text),
            {"type": "Input.ChoiceSet", "id": "trigger", "label": "Reason", "isRequired": True,
             "choices": [{"title": t, "value": t} for t in triggers]}]
    return Reply(text=text + "\n" + "\n".join(f"- {t}" for t in triggers) + f"\nReply e.g. 'unscheduled review {ref} because {triggers[0]}'.",
                 card=card(body, [{"type": "Action.Submit", "title": "Ask for the review", "data": {"command": f"unscheduled review {ref}"}}]))


def comparison_reply(c: Comparison) -> Reply:
    """'compare PP-001 version 2 with 3': what changed, by section (the redline follows as a file)."""
    headline = f"{c.document_ref} version {c.old} to {c.new}: {c.line}."
    lines = change_lines(c.summary)
    body = [heading(f"{c.document_ref} {c.title}: version {c.old} to {c.new}"), para(headline)]
    body += [para(f"• {line}", subtle=True) for line in lines]
    return Reply(text="\n".join([headline, *(f"- {line}" for line in lines)]), card=card(body))
