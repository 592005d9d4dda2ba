"""Replies for NCT's own process (issue 18): a change of RO to confirm, and the like. Pure."""

from __future__ import annotations

from governance.dates import long_date
from render.reply import Reply, card, command_button, facts, heading, para
from services.cases.signoff import SignOffView


def confirm_reply(question: str, yes_title: str, yes_command: str) -> Reply:
    """A change kept until the person confirms it: Yes / No buttons in Teams, the words by email."""
    text = f"{question}\nTo confirm, reply '{yes_command}'. To leave it, reply 'cancel'."
    return Reply(text=text, card=card([para(question)], [command_button(yes_title, yes_command),
                                                          command_button("No, leave it", "cancel")]))


def done_reply(message: str) -> Reply:
    return Reply(text=message, card=card([para(message, color="Good")], [command_button("My documents", "my documents")]))


_DECIDED = {"approve": "approved", "approve_with_conditions": "approved with conditions", "defer": "deferred it",
            "refer": "referred it", "conditions_met": "approved (conditions met)", "approve_by_vote": "approved by vote"}


def sign_off_reply(v: SignOffView) -> Reply:
    """NCT-7: who has signed off a document and who has not."""
    head = f"{v.ref} {v.title}: {v.where}."
    if v.stage is None:
        return Reply(text=head, card=card([para(head)], [command_button(f"Open {v.ref}", f"status {v.ref}")]))
    done = [f"{name} {_DECIDED.get(decision, decision)} on {long_date(on)}" for name, decision, on in v.decided]
    lines = [head, "Still to decide: " + (", ".join(v.waiting) if v.waiting else "nobody"),
             "Decided: " + ("; ".join(done) if done else "nobody yet")]
    body = [heading(f"Sign-off of {v.ref}"), para(head), facts([("Still to decide", ", ".join(v.waiting) or "nobody"),
                                                              ("Decided", "; ".join(done) or "nobody yet")])]
    return Reply(text="\n".join(lines), card=card(body, [command_button(f"Open case {v.case_id}", f"case {v.case_id}")]))
