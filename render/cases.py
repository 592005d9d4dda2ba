"""Cases as cards (Teams) and text (email and the local chat). Pure."""

from __future__ import annotations

from governance import actions
from governance.actions import Input, InputKind
from render.messages import uk_date
from render.reply import Reply, card, command_button, facts, heading, para
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


def _input(spec: Input) -> dict:
    if spec.kind is InputKind.YES_NO:
        return {"type": "Input.ChoiceSet", "id": spec.id, "label": spec.label, "style": "expanded",
                "choices": [{"title": "Yes", "value": "yes"}, {"title": "No", "value": "no"}]}
    if spec.kind is InputKind.TOGGLE:
        return {"type": "Input.Toggle", "id": spec.id, "valueOn": "true", "valueOff": "false", "value": "false",
                "title": spec.label}
    block: dict = {"type": "Input.Text", "id": spec.id, "label": spec.label}
    if spec.kind is InputKind.TEXT:
        block["isMultiline"] = True
    if spec.placeholder:
        block["placeholder"] = spec.placeholder
    return block


def case_reply(view: CaseView, message: str | None = None) -> Reply:
    d = view.document
    status = view.status.replace("_", " ")
    pairs = [
        ("Document", f"{d.ref} {d.title}"),
        ("Work", view.kind.replace("_", " ")),
        ("Stage", view.stage_label if view.status == "open" else status),
        ("Waiting for", ", ".join(view.waiting_for) if view.waiting_for else "nobody"),
        ("Consultation closes", uk_date(view.consult_deadline) if view.consult_deadline else ""),
    ]
    body = []
    if message:
        body.append(para(message, color="Good"))
    body += [heading(f"Case {view.id}: {d.title}"), facts(pairs)]
    if view.open_conditions:
        body.append(para("Conditions to meet: " + "; ".join(view.open_conditions), color="Warning"))
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
    if not buttons:
        buttons = [command_button("My tasks", "my tasks")]
    lines = [f"Case {view.id}: {d.ref} {d.title}", *(f"{k}: {v}" for k, v in pairs if v)]
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
