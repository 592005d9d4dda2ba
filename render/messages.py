"""The bot's messages, each rendered once for every channel (pure: views in, Reply out)."""

from __future__ import annotations

import html
import re
from datetime import date

from governance.glossary import Answer
from governance.dates import long_date, short_date, time_of_day
from render.reply import Reply, card, command_button, facts, heading, para
from services.views import DocumentDetail, DocumentView

STATE_LABEL = {"overdue": "Review overdue", "due_soon": "Review due soon", "ok": "Review in date", "none": "No review date"}
STATE_COLOR = {"overdue": "Attention", "due_soon": "Warning", "ok": "Good", "none": "Default"}

HELP_LINES = [
    ("find <words>", "look in the procedures manual and the register, e.g. 'is there a procedure on missing children?'"),
    ("my documents", "what you own or sign off, with review dates (overdue first)"),
    ("status <ref>", "where one document stands, e.g. 'status PP-014'"),
    ("history <ref>", "every change to one document: who, when, what and why"),
    ("request a new document", "ask for a new policy or procedure; I check the register first, e.g. 'I need a new procedure on county lines'"),
    ("my tasks", "what waits for you: decisions, drafts, consultations, conditions"),
    ("nudge settings", "how you get reminders: 'quiet hours 18:00 to 08:00', 'daily digest', 'single reminders'"),
    ("report", "the register: documents by status, reviews overdue and due, decisions this month, a compliance chart"),
    ("overdue reviews / reviews due in 60 days", "reviews by service area and owner"),
    ("next agenda / forward plan", "a decision body's next agenda, or everything on its forward plan, e.g. 'forward plan for PPG'"),
    ("for chairs", "'add a meeting on 14 January', 'cancel the meeting on 9 February', 'put item 3 first', "
                   "'add item: <title> under horizon scanning', 'attendance: <name> present, <name> absent, <name> sent <delegate>', "
                   "'issue the minutes with action: <what> for <name> by <date>'"),
    ("help", "this list"),
]


def uk_date(d: date | None) -> str:
    return long_date(d) if d else "not set"


def help_reply(name: str | None = None, organisation: str | None = None, *, lines: list[tuple[str, str]] | None = None,
               examples: tuple[str, ...] = ()) -> Reply:
    """`lines` come from the command table, filtered to what this person's roles allow."""
    lines = lines if lines is not None else HELP_LINES
    greeting = f"Hello {name.split()[0]}." if name else "Hello."
    intro = (
        f"{greeting} I'm policybot. I look after {organisation + chr(39) + 's' if organisation else 'your'} "
        "policies and procedures register. Ask in your own words; for example:"
    )
    text_lines = "\n".join(f"- {cmd}: {what}" for cmd, what in lines)
    body = [heading("What I can do"), para(intro)]
    if examples:
        body.append(para("\n".join(f"- '{e}'" for e in examples)))
    body += [facts([(cmd, what) for cmd, what in lines])]
    buttons = [command_button("My documents", "my documents"), command_button("Find a procedure", "find missing children")]
    buttons += [command_button(e[:40], e) for e in examples[:3] if e not in ("my documents",)]
    c = card(body, buttons)
    tried = "".join(f"<li>{html.escape(e)}</li>" for e in examples)
    html_body = (
        f"<p>{html.escape(intro)}</p>" + (f"<ul>{tried}</ul>" if tried else "") + "<ul>"
        + "".join(f"<li><b>{html.escape(cmd)}</b>: {html.escape(what)}</li>" for cmd, what in lines)
        + "</ul><p>Reply to this email with one of them on the first line.</p>"
    )
    tries = "".join(f"\n- '{e}'" for e in examples)
    return Reply(text=f"{intro}{tries}\n{text_lines}", card=c, html=html_body,
                 suggestions=tuple(examples) or ("my documents", "help"))


def welcome_reply(organisation: str | None = None) -> Reply:
    r = help_reply(None, organisation)
    thanks = "Thanks for adding me."
    c = dict(r.card or {})
    c["body"] = [para(thanks)] + list(c.get("body", []))
    return Reply(text=f"{thanks} {r.text}", card=c, html=f"<p>{thanks}</p>" + (r.html or ""), suggestions=r.suggestions)


def first_contact(reply: Reply, lines: list[str], examples: tuple[str, ...]) -> Reply:
    """The first message from a new person: the answer to what they said, then three lines of what
    I can do for them and three examples they can tap."""
    intro = lines[:3]
    tries = "Try: " + "; ".join(f"'{e}'" for e in examples[:3])
    c = dict(reply.card) if reply.card is not None else card([para(reply.text)])
    c["body"] = list(c.get("body", [])) + [
        {"type": "Container", "separator": True, "spacing": "Large",
         "items": [para("**New here? What I can do for you**"), *[para(x, subtle=True) for x in intro]]}]
    have = {a.get("data", {}).get("command") for a in c.get("actions", []) if isinstance(a, dict)}
    c["actions"] = list(c.get("actions", [])) + [command_button(e[:40], e) for e in examples[:3] if e not in have]
    text = "\n".join([reply.text, "", "New here? What I can do for you:", *intro, tries])
    html_body = (reply.html_body() + "<hr><p><b>New here? What I can do for you</b><br>"
                 + "<br>".join(html.escape(x) for x in intro) + "</p><p>" + html.escape(tries) + "</p>")
    return Reply(text=text, card=c, html=html_body, suggestions=reply.suggestions or tuple(examples[:3]))


def definition_text(answer: Answer) -> str:
    return answer.meaning


def definition_reply(answer: Answer) -> Reply:
    """A term explained (MA-1, MA-2), from the preset's glossary."""
    title = " or ".join(answer.compared) if answer.compared else answer.term
    text = answer.meaning
    return Reply(text=text, card=card([heading(title), para(text)],
                                      [command_button(f"Find {answer.term}", f"find {answer.term}"),
                                       command_button("Help", "help")]))


_THANKS = ("thank", "thanks", "cheers", "ta", "brilliant", "lovely", "great", "star", "perfect", "ok", "okay")
_GREETING = ("hello", "hi", "hey", "morning", "afternoon", "evening", "hiya")
_BYE = ("bye", "goodbye", "night", "later")


def smalltalk_reply(said: str, name: str | None = None) -> Reply:
    """Off-topic chat: a friendly answer, and no false match."""
    words = set(re.findall(r"[a-z]+", (said or "").lower()))
    first = f" {name.split()[0]}" if name else ""
    if words & set(_BYE):
        text = f"Goodbye{first}. I'm here whenever you need a policy or procedure."
    elif words & set(_GREETING):
        text = f"Hello{first}. Ask me about a policy or procedure in your own words, or type 'help'."
    elif words & set(_THANKS):
        text = "You're welcome."
    else:
        text = ("I can only help with policies, procedures and their reviews, I'm afraid. "
                "Ask me about one in your own words, or type 'help'.")
    return Reply(text=text)


def did_you_mean(options: list[str], *, confirm: bool) -> Reply:
    """A guessed reading, never acted on: 'Did you mean: approve case 12?' with Yes / No (Teams) or
    numbered choices (email); or the best two or three readings to choose from."""
    if confirm:
        said = options[0]
        text = f"Did you mean: {said}?\n1. Yes\n2. No"
        c = card([para(f"Did you mean: **{_md(said)}**?")], [command_button("Yes", "yes"), command_button("No", "no")])
        html_body = (f"<p>Did you mean: <b>{html.escape(said)}</b>?</p><ol><li>Yes</li><li>No</li></ol>"
                     "<p>Reply with 1 or 2.</p>")
        return Reply(text=text, card=c, html=html_body, suggestions=("yes", "no"))
    if len(options) == 1:
        text = f"Did you mean: {options[0]}? Say it like that, or in other words."
        return Reply(text=text, card=card([para(text)], [command_button(options[0][:40], options[0])]))
    numbered = "\n".join(f"{i}. {o}" for i, o in enumerate(options, 1))
    text = f"I'm not sure which you meant. Did you mean:\n{numbered}\nReply with the number, or say it another way."
    c = card([para("I'm not sure which you meant. Did you mean:")],
             [command_button(o[:40], o) for o in options] + [command_button("None of these", "no")])
    html_body = ("<p>I'm not sure which you meant. Did you mean:</p><ol>"
                 + "".join(f"<li>{html.escape(o)}</li>" for o in options) + "</ol><p>Reply with the number.</p>")
    return Reply(text=text, card=c, html=html_body, suggestions=tuple(options))


def _md(text: str) -> str:
    return re.sub(r"([\\*_\[\]])", r"\\\1", text)


def _doc_line(d: DocumentView, today: date) -> str:
    state = d.review_state(today)
    due = f"review by {uk_date(d.next_review_due)}" if d.next_review_due else "no review date"
    flag = " (OVERDUE)" if state == "overdue" else ""
    return f"{d.ref} {d.title} [{d.doc_type}] - {due}{flag}"


def detail_reply(detail: DocumentDetail, today: date, ro_role: str = "Responsible Officer",
                 rsm_role: str | None = "Responsible Strategic Manager") -> Reply:
    """A document's card. `ro_role` and `rsm_role` are the preset's own names for its owner and its
    strategic manager (BCT: the responsible person in the service area, and no RSM)."""
    d = detail.document
    state = d.review_state(today)
    ro_label = f"{d.ro.name} (the RSM, standing in)" if d.ro and d.ro_is_rsm_standing_in else (d.ro.name if d.ro else "none named")
    pairs = [
        ("Reference", d.ref),
        ("Type", d.doc_type),
        ("Category", d.category or ""),
        ("Service area", d.service_area or ""),
        ("Status", d.status),
        ("Version", d.version or ""),
        ("Approved", uk_date(d.approved_on) if d.approved_on else ""),
        ("Last reviewed", uk_date(d.last_reviewed_on) if d.last_reviewed_on else ""),
        ("Next review by", uk_date(d.next_review_due)),
        (ro_role, ro_label),
        *(((rsm_role, d.rsm.name if d.rsm else "none named"),) if rsm_role else ()),
        ("Manual", d.manual_url or ""),
        *d.publisher,
        *d.own_columns,  # the organisation's own tracker columns, kept by the import
        *detail.open_cases,  # and its update deadline on Route 1 (NCT-4, NCT-17)
    ]
    body = [heading(d.title), para(STATE_LABEL[state], color=STATE_COLOR[state]), facts(pairs)]
    if d.summary:
        body.append(para(d.summary, subtle=True))
    text = f"{d.ref} {d.title}\n{STATE_LABEL[state]}\n" + "\n".join(f"{k}: {v}" for k, v in pairs if v)
    if detail.assets:  # DOR-14: what to update when this document changes
        lines = [f"{a.ref} {a.title} ({a.kind})" + (f" - {a.note}" if a.note else "") for a in detail.assets]
        body += [para("**Forms and assets to update when this changes**"), para("\n".join(f"- {x}" for x in lines))]
        text += "\nForms and assets to update when this changes:\n" + "\n".join(f"- {x}" for x in lines)
    return Reply(text=text, card=card(body, [command_button("History", f"history {d.ref}")]))


def history_reply(detail: DocumentDetail) -> Reply:
    d = detail.document
    if not detail.history:
        text = f"No changes have been recorded for {d.ref} {d.title} since it was added to the register."
        return Reply(text=text, card=card([heading(f"History of {d.ref}"), para(text)]))
    lines = []
    for h in detail.history:
        when = f"{short_date(h.at)} {time_of_day(h.at)}"
        line = f"{when} - {h.who}: {h.summary}"
        if h.reason:
            line += f" (reason: {h.reason})"
        lines.append(line)
    text = f"History of {d.ref} {d.title}:\n" + "\n".join(f"- {line}" for line in lines)
    body = [heading(f"History of {d.ref}"), para(d.title, subtle=True)] + [para(line) for line in lines]
    return Reply(text=text, card=card(body))


def my_documents_reply(name: str, docs: list[DocumentView], today: date) -> Reply:
    if not docs:
        text = f"{name}, the register has no documents that you own or sign off."
        return Reply(text=text, card=card([heading("My documents"), para(text)]))
    overdue = sum(1 for d in docs if d.review_state(today) == "overdue")
    intro = f"{name}, you own or sign off {len(docs)} document{'s' if len(docs) != 1 else ''}"
    intro += f"; {overdue} {'is' if overdue == 1 else 'are'} overdue for review." if overdue else "."
    body = [heading("My documents"), para(intro)]
    for d in docs:
        state = d.review_state(today)
        body.append(
            {
                "type": "ColumnSet",
                "separator": True,
                "selectAction": {"type": "Action.Submit", "data": {"command": f"status {d.ref}"}},
                "columns": [
                    {"type": "Column", "width": "stretch", "items": [para(f"**{d.ref}** {d.title}")]},
                    {
                        "type": "Column",
                        "width": "auto",
                        "items": [para(uk_date(d.next_review_due), color=STATE_COLOR[state])],
                    },
                ],
            }
        )
    text = intro + "\n" + "\n".join(f"- {_doc_line(d, today)}" for d in docs)
    return Reply(text=text, card=card(body))


def error_reply(message: str) -> Reply:
    return Reply(text=message, card=card([para(message)], [command_button("Help", "help")]))


def unknown_person_reply() -> Reply:
    text = (
        "I don't know who you are yet, so I can only help with finding documents. "
        "Ask your Policy and Procedures Officer to add you to policybot's directory."
    )
    return Reply(text=text, card=card([para(text)], [command_button("Help", "help")]))


def not_understood_reply(said: str) -> Reply:
    text = (
        f"Sorry, I didn't understand \"{said[:80]}\". "
        "You can ask me things like 'is there a procedure on missing children?', 'my documents' or 'status PP-014'. "
        "Type 'help' to see everything."
    )
    return Reply(text=text, card=card([para(text)], [command_button("Help", "help"), command_button("My documents", "my documents")]))


def apology_reply() -> Reply:
    text = (
        "Sorry, something went wrong on my side and I couldn't finish that. Nothing was changed. "
        "Please try again; if it keeps happening, tell your Policy and Procedures Officer."
    )
    return Reply(text=text, card=None)


def notice_reply(subject: str, body: str) -> Reply:
    """Something the bot tells a person unprompted (papers, minutes, reports, reminders)."""
    lines = [x for x in body.split("\n")]
    c = card([heading(subject), *[para(x) for x in lines if x.strip()]])
    return Reply(text=f"{subject}\n{body}", card=c)
