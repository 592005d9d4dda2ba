"""Replies for NCT's own process (issue 18): a change of RO to confirm, and the like. Pure."""

from __future__ import annotations

from render.reply import Reply, card, command_button, para


def confirm_reply(question: str, yes_title: str, yes_command: str) -> Reply:
    """A change kept until the person confirms it: Yes / No buttons in Teams, the words by email."""
    text = f"{question}\nTo confirm, reply '{yes_command}'. To leave it, reply 'cancel'."
    return Reply(text=text, card=card([para(question)], [command_button(yes_title, yes_command),
                                                          command_button("No, leave it", "cancel")]))


def done_reply(message: str) -> Reply:
    return Reply(text=message, card=card([para(message, color="Good")], [command_button("My documents", "my documents")]))
