"""Cases as cards (Teams) and text (email and the local chat). Pure."""

from __future__ import annotations

from render.messages import uk_date
from render.reply import Reply, card, command_button, facts, heading, para
from services.cases.lifecycle import CaseView

TEXT_INPUT_ID = "text"

# The words a person can type in Teams, or reply by email (where card buttons do not work),
# for each action; the first words listed for an action are the ones suggested.
DECISION_WORDS = {
    "approve with conditions": "approve_with_conditions", "approve subject to amendments": "approve_with_conditions",
    "approve": "approve", "defer": "defer", "refer": "refer", "not approved": "not_approved",
    "conditions met": "confirm_conditions_met", "conditions not met": "conditions_not_met",
    "agree the need": "agree_need", "agree": "agree_need", "decline": "decline_need",
    "ask for more information": "ask_more", "no changes are needed": "no_change", "no changes": "no_change",
    "withdraw": "withdraw", "publish": "publish", "legal review complete": "legal_cleared",
    "i agree": "respond_agree", "comment": "respond_comment",
    "approve with conditions and return to me": "approve_with_conditions",
    "eia needed": "record_eia", "eia not needed": "record_eia",
    "legal review needed": "record_legal", "legal review not needed": "record_legal",
    "workshop": "record_workshop", "more information": "provide_information", "close consultation": "close_consultation",
    "yes": "decide_yes", "no": "decide_no",
}
# Words that carry a choice as well as the action.
DECISION_DATA = {
    "approve with conditions and return to me": {"return_to_me": True},  # NCT-9: SLT asks to see it again
    "eia needed": {"required": "yes"}, "eia not needed": {"required": "no"},  # LBBD-5
    "legal review needed": {"required": "yes"}, "legal review not needed": {"required": "no"},  # LBBD-7
}
RETURN_TO_ME_INPUT = "return_to_me"
REQUIRED_INPUTS = {"record_eia": "eia_required", "record_legal": "legal_required"}
_SUGGESTED = {}
for _words, _action in DECISION_WORDS.items():
    _SUGGESTED.setdefault(_action, _words)


def reply_words(action_id: str, case_id: int, needs_text: bool) -> str | None:
    if action_id in REQUIRED_INPUTS:
        yes, no = [w for w, a in DECISION_WORDS.items() if a == action_id]
        return f"{yes.upper()} case {case_id} or {no.upper()} case {case_id}"
    if action_id == "approve_with_conditions":
        return (f"APPROVE WITH CONDITIONS case {case_id}: <your words> (or APPROVE WITH CONDITIONS AND RETURN TO ME "
                f"case {case_id}: <your words>, to check the amended draft yourself)")
    words = _SUGGESTED.get(action_id)
    if words is None:
        return None
    tail = ": <version>" if action_id == "publish" else (": <your words>" if needs_text else "")
    return f"{words.upper()} case {case_id}{tail}"


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
    if any(a.id == "publish" for a in view.actions):
        body.append({"type": "Input.Text", "id": "version", "label": "Version number being published", "placeholder": "e.g. 2.0"})
    ids = {a.id for a in view.actions}
    if "record_eia" in ids:
        body.append(_yes_no(REQUIRED_INPUTS["record_eia"], "Is an Equality Impact Assessment needed? (LBBD-5)"))
    if "record_legal" in ids:
        body.append(_yes_no(REQUIRED_INPUTS["record_legal"], "Is a legal review needed? (LBBD-7)"))
    needs_text = [a for a in view.actions if a.needs_text]
    if needs_text:
        labels = " / ".join(a.text_label or a.label for a in needs_text)
        body.append({"type": "Input.Text", "id": TEXT_INPUT_ID, "label": labels, "isMultiline": True})
    if "approve_with_conditions" in ids:
        body.append({"type": "Input.Toggle", "id": RETURN_TO_ME_INPUT, "valueOn": "true", "valueOff": "false", "value": "false",
                     "title": "With conditions: send the amended draft back to me to check"})
    if view.history:
        body.append(para("History", subtle=True))
        body += [para(line, subtle=True) for line in view.history[-6:]]
    actions = [
        {"type": "Action.Execute", "title": a.label, "verb": "case",
         "data": {"case": view.id, "case_version": view.version, "action": a.id}}
        for a in view.actions
    ]
    if not actions:
        actions = [command_button("My tasks", "my tasks")]
    lines = [f"Case {view.id}: {d.ref} {d.title}", *(f"{k}: {v}" for k, v in pairs if v)]
    if view.open_conditions:
        lines.append("Conditions to meet: " + "; ".join(view.open_conditions))
    replies = [w for a in view.actions if (w := reply_words(a.id, view.id, a.needs_text))]
    if replies:
        lines.append("To act, reply with one of: " + "; ".join(replies) + ".")
    if any(a.id == "submit_draft" or a.id == "submit_amendments" for a in view.actions):
        lines.append("To send a draft, attach the Word document (with tracked changes for an amendment).")
    text = ((message + "\n") if message else "") + "\n".join(lines)
    return Reply(text=text, card=card(body, actions))


def _yes_no(input_id: str, label: str) -> dict:
    return {"type": "Input.ChoiceSet", "id": input_id, "label": label, "style": "expanded",
            "choices": [{"title": "Yes", "value": "yes"}, {"title": "No", "value": "no"}]}


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
