"""Replies for NCT's own process (issue 18): a change of RO to confirm, and the like. Pure."""

from __future__ import annotations

from governance.dates import long_date
from render.reply import Reply, card, command_button, facts, heading, para
from services.cases.signoff import SignOffView
from services.manual.related import Related


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


SYNC_HOW = ("To sync it, an administrator runs 'policybot manual sync <the manual's address>' (or sets "
            "POLICYBOT_MANUAL_URL, and the daily refresh does it).")


def related_reply(r: Related) -> Reply:
    """NCT-14: what a change to a document may affect; never an empty list without saying why."""
    items = [f"{i.ref + ' ' if i.ref else ''}{i.title}: {'; '.join(i.reasons)}" for i in r.report.items]
    lines = [f"Procedures and chapters a change to {r.ref} {r.report.subject} may affect (NCT-14):"]
    if not r.synced:
        lines = [f"The procedures manual has never been synced here, so I don't know which chapters link to {r.ref} "
                 f"{r.report.subject}. {SYNC_HOW}"]
        if items:
            lines.append("From the register alone, these share its key terms:")
    elif not items:
        terms = ", ".join(r.report.key_terms) or "none found"
        lines = [f"No other procedure or chapter links to {r.ref} {r.report.subject} or shares its key terms ({terms})."]
    text = "\n".join(lines + [f"- {x}" for x in items])
    body = [heading(f"Related to {r.ref}")] + [para(x) for x in lines] + [para(f"• {x}") for x in items]
    return Reply(text=text, card=card(body, [command_button(f"Open {r.ref}", f"status {r.ref}")]))
