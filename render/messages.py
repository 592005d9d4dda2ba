"""The bot's messages, each rendered once for every channel (pure: views in, Reply out)."""

from __future__ import annotations

import html
from datetime import date

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


def help_reply(name: str | None = None, organisation: str | None = None) -> Reply:
    greeting = f"Hello {name.split()[0]}." if name else "Hello."
    intro = (
        f"{greeting} I'm policybot. I look after {organisation + chr(39) + 's' if organisation else 'your'} "
        "policies and procedures register. You can type any of these:"
    )
    lines = "\n".join(f"- {cmd}: {what}" for cmd, what in HELP_LINES)
    body = [heading("What I can do"), para(intro)]
    body += [facts([(cmd, what) for cmd, what in HELP_LINES])]
    c = card(
        body,
        [
            command_button("My documents", "my documents"),
            command_button("Find a procedure", "find missing children"),
        ],
    )
    html_body = (
        f"<p>{html.escape(intro)}</p><ul>"
        + "".join(f"<li><b>{html.escape(cmd)}</b>: {html.escape(what)}</li>" for cmd, what in HELP_LINES)
        + "</ul><p>Reply to this email with one of them on the first line.</p>"
    )
    return Reply(text=f"{intro}\n{lines}", card=c, html=html_body, suggestions=("my documents", "help"))


def welcome_reply(organisation: str | None = None) -> Reply:
    r = help_reply(None, organisation)
    thanks = "Thanks for adding me."
    c = dict(r.card or {})
    c["body"] = [para(thanks)] + list(c.get("body", []))
    return Reply(text=f"{thanks} {r.text}", card=c, html=f"<p>{thanks}</p>" + (r.html or ""), suggestions=r.suggestions)


def _doc_line(d: DocumentView, today: date) -> str:
    state = d.review_state(today)
    due = f"review by {uk_date(d.next_review_due)}" if d.next_review_due else "no review date"
    flag = " (OVERDUE)" if state == "overdue" else ""
    return f"{d.ref} {d.title} [{d.doc_type}] - {due}{flag}"


def detail_reply(detail: DocumentDetail, today: date) -> Reply:
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
        ("Responsible Officer", ro_label),
        ("Responsible Strategic Manager", d.rsm.name if d.rsm else "none named"),
        ("Manual", d.manual_url or ""),
        *d.own_columns,  # the organisation's own tracker columns, kept by the import
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
