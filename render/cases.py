"""Cases as cards (Teams) and text (email and the local chat). Pure."""

from __future__ import annotations

from typing import Any
import re
from dataclasses import replace

from governance import actions
from governance.actions import Input, InputKind
from governance.calendar import LONDON
from governance.case_model import ActionSpec
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
from services.cases.views import DECIDE_WITHIN_WORKING_DAYS


def reply_words(action_id: str, case_id: int, hidden: tuple[str, ...] = ()) -> str | None:
    """The words to reply with by email (where card buttons do not work), from the action's declaration."""
    declared = actions.action(action_id)
    if declared is None or not declared.words:
        return None
    first = declared.words[0].text.upper()
    if any(i.kind is InputKind.YES_NO for i in declared.inputs):
        return " or ".join(f"{w.text.upper()} case {case_id}" for w in declared.words)
    text = declared.text_input
    if declared.reply_tail:
        return f"{first} case {case_id}{declared.reply_tail}"
    tail = ": <version>" if any(i.carries == "version" for i in declared.inputs) else (": <your words>" if text else "")
    out = f"{first} case {case_id}{tail}"
    others = [w for w in declared.words[1:] if w.data and not set(w.data) & set(hidden)]
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


def _tick_line(n: int, item: str, by: str | None) -> str:
    return f"☑ {n}. {item} (ticked by {by})" if by else f"☐ {n}. {item} (not ticked)"


def _input_for(view: CaseView, a: ActionSpec, spec: Input) -> dict[str, Any] | None:
    """A declared input as this case shows it: a preset's own question (NCT-8), the checklist's items (NCT-16)."""
    if spec.carries == "text" and a.text_label:
        return _input(replace(spec, label=a.text_label))
    if spec.id.startswith("checklist_"):
        n = int(spec.id.split("_")[1])
        if n > len(view.checklist_ticks):
            return None
        _, item, by = view.checklist_ticks[n - 1]
        block = _input(replace(spec, label=f"{n}. {item}" + (f" (ticked by {by})" if by else "")))
        block["value"] = "true" if by else "false"
        return block
    if spec.id.startswith("related_"):  # NCT-14: on = affected, to check too; off = dismissed
        n = int(spec.id.split("_")[1])
        if n > len(view.related):
            return None
        _, item, decision = view.related[n - 1]
        block = _input(replace(spec, label=f"{n}. {item}" + (f" ({decision})" if decision else "")))
        block["value"] = "true" if decision == "confirmed" else "false"
        return block
    return _input(spec)


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


def _requested(view: CaseView) -> str:
    if view.kind != "new_document" or not view.requested_by:
        return ""
    return view.requested_by + (f" on {uk_date(view.requested_on)}" if view.requested_on else "")


def _decide_by(view: CaseView) -> str:
    """The step's deadline, in UK working days (the consultation's own deadline where it has one)."""
    if view.decide_by is None or view.consult_deadline is not None or view.status != "open":
        return ""
    return f"{uk_date(view.decide_by)} ({DECIDE_WITHIN_WORKING_DAYS} working days from reaching this step)"


def case_reply(view: CaseView, message: str | None = None) -> Reply:
    d = view.document
    status = view.status.replace("_", " ")
    pairs = [
        ("Document", f"{d.ref} {d.title}"),
        ("Work", view.kind.replace("_", " ")),
        ("Stage", view.stage_label if view.status == "open" else status),
        ("Waiting for", ", ".join(view.waiting_for) if view.waiting_for else "nobody"),
        ("Consultation closes", uk_date(view.consult_deadline) if view.consult_deadline else ""),
        ("Consultation", "closed" if view.consulted else ""),
        ("Decide by", _decide_by(view)),
        ("Type", d.doc_type or ""),
        ("Category", d.category or ""),
        ("Service area", d.service_area or ""),
        ("Published version", d.version or ""),
        ("Requested by", _requested(view)),
        ("Why it is needed", (view.reason or d.summary or "") if view.kind == "new_document" else ""),
        ("Stakeholders", (view.stakeholders or "none named") if view.kind == "new_document" else ""),
        *view.notes,
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
    ticking = any(a.id == "tick_checklist" for a in view.actions)
    if view.checklist_ticks and not ticking:
        body.append(para("Review checklist (NCT-16):"))
        body += [para(_tick_line(n, item, by)) for n, item, by in view.checklist_ticks]
    elif view.checklist and not ticking:
        body.append(para("Review checklist:"))
        body += [para(f"{i}. {item}") for i, item in enumerate(view.checklist, 1)]
    for a in view.actions:  # each decision has its own inputs with their own labels
        declared = actions.action(a.id)
        if a.id == "tick_checklist":
            body.append(para("Review checklist (NCT-16): tick each item as you do it, then Save the checklist."))
        if a.id == "record_related":
            body.append(para("Related procedures and chapters (NCT-14): tick those affected too, untick to dismiss, then Save."))
        body += [b for i in (declared.inputs if declared else ()) if i.id not in view.hidden_inputs
                 and (b := _input_for(view, a, i))]
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
    if view.related:
        lines += ["Related procedures (NCT-14):", *(f"{n}. {item}" + (f" ({dec})" if dec else " (to confirm or dismiss)")
                                                     for n, item, dec in view.related)]
    if view.checklist_ticks:
        lines += ["Review checklist (NCT-16):", *(_tick_line(n, item, by) for n, item, by in view.checklist_ticks)]
    replies = [w for a in view.actions if (w := reply_words(a.id, view.id, view.hidden_inputs))]
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


def reasons_reply(ref: str, reasons: tuple[str, ...], what: str = "unscheduled review") -> Reply:
    """Which reason applies (NCT-13 triggers, BCT-11 amendment reasons), as a choice and as reply words."""
    text = f"An {what} of {ref} needs its reason. Which one applies?"
    body = [heading(f"{what[0].upper() + what[1:]} of {ref}"), para(text),
            {"type": "Input.ChoiceSet", "id": "trigger", "label": "Reason", "isRequired": True,
             "choices": [{"title": t, "value": t} for t in reasons]}]
    listed = "\n".join(f"{i}. {t}" for i, t in enumerate(reasons, start=1))
    return Reply(text=f"{text}\n{listed}\nReply e.g. '{what} {ref} because {reasons[0].lower()}', or with its number.",
                 card=card(body, [{"type": "Action.Submit", "title": f"Ask for the {what}", "data": {"command": f"{what} {ref}"}}]))


def triggers_reply(ref: str, triggers: tuple[str, ...]) -> Reply:
    return reasons_reply(ref, triggers)


def trigger_confirm_reply(ref: str, trigger: str, said: str, tail: str = "") -> Reply:
    """NCT-13: a reason in the person's own words, read as one of the triggers, to be confirmed."""
    command = f"unscheduled review {ref} because {trigger}: {said}{tail}"
    question = f"An unscheduled review of {ref}: I read your reason as '{trigger}'. Is that right?"
    text = (f"{question}\nTo confirm, reply '{command}'.\nIf not, reply 'unscheduled review {ref}' to choose "
            "the reason from the list.")
    body = [heading(f"Unscheduled review of {ref}"), para(question), para(f"In your words: {said}", subtle=True)]
    return Reply(text=text, card=card(body, [command_button("Yes, ask for the review", command),
                                             command_button("No, choose the reason", f"unscheduled review {ref}")]))


def comparison_reply(c: Comparison) -> Reply:
    """'compare PP-001 version 2 with 3': what changed, by section (the redline follows as a file)."""
    headline = f"{c.document_ref} version {c.old} to {c.new}: {c.line}."
    lines = change_lines(c.summary)
    body = [heading(f"{c.document_ref} {c.title}: version {c.old} to {c.new}"), para(headline)]
    body += [para(f"• {line}", subtle=True) for line in lines]
    return Reply(text="\n".join([headline, *(f"- {line}" for line in lines)]), card=card(body))
