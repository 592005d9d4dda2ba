"""The new-document request's questions, its help for each step, the last look before it is sent, and
the small readers of answers (dialogs/new_document.py asks them and reads the answers)."""

from __future__ import annotations

import re

from render import requests as ask
from render.reply import Reply
from services.cases import requests
from services.context import Services

WORDS = re.compile(r"[A-Za-z]{2,}")


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", (text or "").replace("\u00a0", " ").strip()).lower()


def sensible(text: str, *, min_words: int = 1) -> bool:
    """Words, not a stray key press: enough letters to be an answer."""
    return len(WORDS.findall(text or "")) >= min_words


def pick(low: str, options: list[str]) -> str | None:
    """An option by its number, its name, or a unique part of its name."""
    if not low:
        return None
    if low.isdigit():
        n = int(low)
        return options[n - 1] if 1 <= n <= len(options) else None
    for o in options:
        if low == o.lower():
            return o
    if len(low) < 3:
        return None
    part = [o for o in options if low in o.lower()]
    return part[0] if len(part) == 1 else None


def question(services: Services, step: str, data: dict, setup: requests.RequestSetup, notes: list[str]) -> Reply:
    """The question for `step`, with `notes` above it (what was wrong with the last answer, help)."""
    if step == "subject":
        return ask.question("What should the new document cover? A few words, for example 'children missing from care'.",
                            notes=notes, free_text="What it should cover")
    if step == "check":
        options = [(ref, title) for ref, title in data.get("matches") or []]
        options.append(("New", "none of these: carry on with a new document"))
        return ask.question(
            "Before we write something new: the register already has documents on this. Would you rather ask for "
            "one of them to be reviewed and updated? Reply with its reference, or 'new' to carry on.",
            options=options, notes=notes + ["Checking first avoids two documents saying different things (LBBD-1)."])
    if step == "type":
        help_ = requests.type_help(services, data.get("subject", ""))
        labels = {t.id: t.label for t in setup.types}
        extra = list(notes)
        if help_.strategy_note and help_.strategy_note not in extra:
            extra.append(help_.strategy_note)
        suggested = [labels[t] for t in help_.suggested if t in labels and not (t == "strategy" and help_.strategy_meeting)]
        if suggested:
            extra.append(f"From what you said, it sounds like a {suggested[0]}.")
        return ask.question("What type of document is it?", options=[(t.label, t.description) for t in setup.types],
                            notes=extra)
    if step == "category":
        return ask.question("Which category is it? The category decides who drafts, consults and signs it off.",
                            options=[(c, "") for c in setup.categories], notes=notes)
    if step == "service_area":
        return ask.question("Which service area is it for?", options=[(a, "") for a in setup.service_areas], notes=notes,
                            hint="Reply with a number, the name, or 'other: <its name>'.")
    if step == "reason":
        return ask.question("Why is it needed? For example a change in the law, a gap found by an audit, or a new service.",
                            notes=notes, free_text="Why it is needed")
    if step == "stakeholders":
        return ask.question("Who are the stakeholders who need to agree the need and help shape it? "
                            "Teams, services, partners or people; or 'none'.", notes=notes,
                            free_text="Stakeholders", skippable=True)
    if step == "consultees":
        return ask.question("Is there anyone in particular to consult on the draft, besides the usual consultees? "
                            "Give their names separated by commas, or 'none'.", notes=notes,
                            free_text="People to consult", skippable=True)
    return ask.question("Shall I send this request?", notes=notes, summary=summary(data, setup),
                        options=[("Yes", "send it"), ("No", "change something first")])


def summary(data: dict, setup: requests.RequestSetup) -> list[tuple[str, str]]:
    """The request as (what, the person's words) pairs: a FactSet on the card, lines by email."""
    labels = {t.id: t.label for t in setup.types}
    pairs = [("Subject", data.get("subject") or ""), ("Type", labels.get(data.get("type"), data.get("type")) or "")]
    if data.get("category"):
        pairs.append(("Category", data["category"]))
    pairs += [("Service area", data.get("service_area") or ""), ("Why", data.get("reason") or ""),
              ("Stakeholders", data.get("stakeholders") or "none named"),
              ("Consultees you named", ", ".join(n for _, n in data.get("consultees") or []) or "none"),
              ("It goes to", f"the {setup.recipient}" + (f" ({setup.mailbox})" if setup.mailbox else ""))]
    return pairs


def help_text(step: str) -> str:
    general = " Nothing is sent until you say yes at the end; 'cancel' stops at any point."
    texts = {
        "subject": "Tell me in a few words what the document is about; I'll check the register for anything that already covers it.",
        "check": "The documents listed already cover some of this. Updating one (reply with its reference) keeps the "
                 "manual consistent; say 'new' if none of them is right.",
        "type": "Each type is described below. In short: a Policy says why, a Procedure says how, Practice Guidance "
                "advises, Practice Standards set the bottom lines, a Protocol is an agreement between services or "
                "agencies, and a Pathway is the route a person follows through services. A Strategy document (with an "
                "implementation plan) is not a strategy meeting or discussion under Section 47.",
        "category": "The category decides the route: who drafts it, how it is consulted on, and who signs it off.",
        "service_area": "The service area that will own the document; its manager usually signs it off.",
        "reason": "Why it is needed helps whoever receives the request agree the need quickly.",
        "stakeholders": "The people, teams or partners who should agree the need and shape the document. Say 'none' to skip.",
        "consultees": "People who should comment on the draft. The organisation's usual consultees are always included. "
                      "Say 'none' to skip.",
        "confirm": "Say 'yes' to send the request, or 'change' and what to change.",
    }
    return texts.get(step, "") + general
