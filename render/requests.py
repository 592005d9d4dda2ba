"""The new-document request dialog's questions, as a card for Teams and as text for email. Pure."""

from __future__ import annotations

from typing import Any
from render.reply import Reply, card, command_button, facts, heading, para

ANSWER_INPUT = "answer"
TITLE = "Request a new document"


def question(prompt: str, *, options: list[tuple[str, str]] | None = None, notes: list[str] | None = None,
             free_text: str | None = None, hint: str | None = None, skippable: bool = False,
             summary: list[tuple[str, str]] | None = None) -> Reply:
    """One step of the dialog. `options` are (what to say, what it means); free_text is the label of
    a text box; `summary` (what, the person's words) is a FactSet on the card, "what: words" lines by
    email. By email the options are numbered and the person replies with a number or words."""
    notes = [n for n in (notes or []) if n]
    shown = [(k, v.strip()) for k, v in (summary or []) if v and v.strip()]
    body = [heading(TITLE), *[para(n) for n in notes], *([facts(shown)] if shown else []), para(prompt, color=None)]
    actions: list[dict[str, Any]] = []
    lines = [*notes, *(f"{k}: {v}" for k, v in shown), prompt]
    if options:
        for i, (say, meaning) in enumerate(options, 1):
            lines.append(f"{i}. {say}" + (f": {meaning}" if meaning else ""))
            if meaning:
                body.append(para(f"**{say}**: {meaning}", subtle=True))
        if len(options) <= 4:
            actions += [command_button(say, say) for say, _ in options]
        else:  # Teams shows few buttons: a longer list is a choice set
            body.append({"type": "Input.ChoiceSet", "id": ANSWER_INPUT, "label": "Choose one", "style": "expanded",
                         "choices": [{"title": say, "value": say} for say, _ in options]})
            actions.append({"type": "Action.Submit", "title": "Send", "data": {"dialog": "new_document"}})
    if free_text:
        body.append({"type": "Input.Text", "id": ANSWER_INPUT, "label": free_text, "isMultiline": True})
        actions.append({"type": "Action.Submit", "title": "Send", "data": {"dialog": "new_document"}})
    if skippable:
        actions.append(command_button("None", "none"))
    actions.append(command_button("Cancel", "cancel"))
    reply_hint = hint or ("Reply with a number or the words." if options else "Reply in your own words.")
    lines.append(f"{reply_hint} Say 'help' for more, or 'cancel' to stop.")
    return Reply(text="\n".join(lines), card=card(body, actions))


def said(text: str) -> Reply:
    return Reply(text=text, card=card([para(text)], [command_button("My tasks", "my tasks"), command_button("Help", "help")]))


def with_note(reply: Reply, note: str) -> Reply:
    """The same reply with a line before it (e.g. that an abandoned dialog was set aside)."""
    c = None
    if reply.card is not None:
        c = dict(reply.card)
        c["body"] = [para(note, color="Warning")] + list(c.get("body", []))
    return Reply(text=f"{note}\n{reply.text}", card=c, suggestions=reply.suggestions)
