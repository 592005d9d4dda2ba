"""An answer from the manual, for every channel (pure): the passage, then its source, then the next
chapters; Helpful / Not what I needed as buttons in Teams and as numbered replies by email."""

from __future__ import annotations

import html
from datetime import date
from typing import Any

from governance.actions import ANSWER_ACTIONS, ANSWER_VERB, LOOKING_FOR, AnswerFeedback
from governance.dates import long_date
from render.reply import Reply, card, command_button, execute_button, heading, link_button, para
from render.search import Offer, _html_snippet, _md, _md_snippet
from services.manual.answers import FIRST, MORE, AnswerOutcome, Cited

MAY_HELP = "These chapters may help:"


def _when(d: date | None) -> str:
    return long_date(d) if d else "not dated"


def _source_line(c: Cited) -> str:
    """Section, heading, last updated and the local owner of one chapter (or register document)."""
    if c.kind == "document":
        bits = [f"Our own document {c.ref}" + (f" ({c.doc_type})" if c.doc_type else "")]
        if c.updated_on:
            bits.append(f"last reviewed {_when(c.updated_on)}")
    else:
        bits = ["Manual" + (f": {c.section}" if c.section else "")]
        if c.heading:
            bits.append(f"under \"{c.heading}\"")
        bits.append(f"updated {_when(c.updated_on)}")
    if c.owner:
        bits.append(f"local owner {c.owner}" + (f" ({c.ref})" if c.kind == "chapter" and c.ref else ""))
    elif c.kind == "chapter":
        bits.append("no local owner in the register")
    return " · ".join(bits)


def _label(c: Cited) -> str:
    return f"{c.ref} {c.title}" if c.kind == "document" and c.ref else c.title


def _beside(c: Cited) -> str | None:
    """The organisation's own document that adapts this chapter, shown beside it."""
    if c.local is None or not c.local.ref:
        return None
    owner = f", owner {c.local.owner}" if c.local.owner else ""
    return f"Our own document for this chapter: {c.local.ref} {c.local.title}{owner}."


def _feedback_buttons(answer_id: int | None) -> list[dict[str, Any]]:
    if answer_id is None:
        return []
    return [execute_button(d.label, ANSWER_VERB, {"answer": answer_id, "feedback": d.id.value})
            for d in ANSWER_ACTIONS.values()]


def _email_feedback(answer_id: int | None) -> str:
    if answer_id is None:
        return ""
    h, n = ANSWER_ACTIONS[AnswerFeedback.HELPFUL], ANSWER_ACTIONS[AnswerFeedback.NOT_HELPFUL]
    return (f"Was this helpful? Reply {h.number} for \"{h.label}\" or {n.number} for \"{n.label}\" "
            f"(you can add a line saying what you were looking for), or 'more' for more chapters. (answer {answer_id})")


def answer_reply(outcome: AnswerOutcome, *, offer: Offer | None = None, start: int = 0, understood: bool = True) -> Reply:
    """The reply to a question. `start` > 0 is "more": the next five chapters, no passage. `understood`
    is False when the message was not a request I know, read as a question."""
    if start:
        return _more_reply(outcome, start)
    offered = offer or Offer(outcome.question[:120])
    notes = ("I read " + ", ".join(f"'{a}' as '{b}'" for a, b in outcome.corrections) + ". ") if outcome.corrections else ""
    if outcome.kind == "nothing" or not outcome.cited:
        lead = (f"Sorry, I didn't understand \"{outcome.question[:80]}\" as something I can do, and I couldn't find "
                "anything in the manual or the register about it." if not understood else
                f"I couldn't find anything in the manual or the register (our own documents) about \"{outcome.question}\".")
        text = f"{notes}{lead} {offered.sentence()}"
        nothing = card([heading("Nothing found"), para(text)], offered.buttons())
        return Reply(text=text, card=nothing, html=f"<p>{html.escape(text)}</p>")
    if outcome.kind == "weak":
        return _weak_reply(outcome, notes, offered)
    first = outcome.cited[0]
    body: list[dict[str, Any]] = [heading(first.title)]
    if notes:
        body.append(para(notes.strip(), subtle=True))
    body.append({"type": "Container", "style": "emphasis",
                 "items": [{"type": "TextBlock", "text": _md_snippet_full(outcome.quote or ""), "wrap": True}]})
    body.append(para(_source_line(first), subtle=True))
    beside = _beside(first)
    if beside:
        body.append(para(beside))
    lines = [f"\"{_plain(outcome.quote)}\"", f"From: {_label(first)} ({_source_line(first)})"]
    if first.url:
        lines.append(first.url)
    if beside:
        lines.append(beside)
    others = outcome.cited[1:FIRST]
    if others:
        body.append(para("Also:", subtle=True))
        lines.append("Also:")
    for c in others:
        body.append(_one_line(c))
        lines.append(f"- {_label(c)} ({_source_line(c)})" + (f" {c.url}" if c.url else ""))
    actions = ([link_button("Open in the manual" if first.kind == "chapter" else "Open", first.url)] if first.url else [])
    actions += _feedback_buttons(outcome.answer_id)
    if len(outcome.cited) > FIRST:
        actions.append(command_button("More", f"more results for {outcome.question}"[:200]))
    feedback = _email_feedback(outcome.answer_id)
    text = notes + "\n".join(lines) + (f"\n{feedback}" if feedback else "")
    html_body = (f"<blockquote>{_html_snippet_full(outcome.quote or '')}</blockquote>"
                 f"<p>From: {_html_link(first)} <i>({html.escape(_source_line(first))})</i></p>"
                 + (f"<p>{html.escape(beside)}</p>" if beside else "")
                 + ("<p>Also:</p><ul>" + "".join(f"<li>{_html_link(c)} <i>({html.escape(_source_line(c))})</i></li>"
                                                 for c in others) + "</ul>" if others else "")
                 + (f"<p>{html.escape(feedback)}</p>" if feedback else ""))
    return Reply(text=text, card=card(body, actions), html=html_body)


def _weak_reply(outcome: AnswerOutcome, notes: str, offered: Offer) -> Reply:
    shown = outcome.cited[:FIRST]
    body = [heading("No passage answers that closely"), para(f"{notes}{MAY_HELP}")]
    lines = [f"{notes}Nothing in the manual answers \"{outcome.question}\" closely. {MAY_HELP}"]
    for c in shown:
        body.append(_one_line(c))
        lines.append(f"- {_label(c)} ({_source_line(c)})" + (f" {c.url}" if c.url else ""))
    body.append(para(offered.sentence()))
    lines.append(offered.sentence())
    feedback = _email_feedback(outcome.answer_id)
    if feedback:
        lines.append(feedback)
    actions = _feedback_buttons(outcome.answer_id) + offered.buttons()[:1]
    text = "\n".join(lines)
    html_body = (f"<p>{html.escape(lines[0])}</p><ul>"
                 + "".join(f"<li>{_html_link(c)} <i>({html.escape(_source_line(c))})</i></li>" for c in shown)
                 + f"</ul><p>{html.escape(offered.sentence())}</p>" + (f"<p>{html.escape(feedback)}</p>" if feedback else ""))
    return Reply(text=text, card=card(body, actions), html=html_body)


def _more_reply(outcome: AnswerOutcome, start: int) -> Reply:
    shown = outcome.cited[start:start + MORE]
    if not shown:
        text = f"That is everything I found for \"{outcome.question}\"."
        return Reply(text=text, card=card([para(text)]), html=f"<p>{html.escape(text)}</p>")
    body = [heading(f"More for \"{outcome.question}\"")]
    lines = [f"More for \"{outcome.question}\":"]
    for c in shown:
        body.append(_one_line(c))
        lines.append(f"- {_label(c)} ({_source_line(c)})" + (f" {c.url}" if c.url else ""))
    html_body = "<ul>" + "".join(f"<li>{_html_link(c)} <i>({html.escape(_source_line(c))})</i></li>" for c in shown) + "</ul>"
    return Reply(text="\n".join(lines), card=card(body), html=html_body)


def _one_line(c: Cited) -> dict[str, Any]:
    items = [para(f"**{_md(_label(c))}** · {_md(_source_line(c))}")]
    beside = _beside(c)
    if beside:
        items.append(para(beside, subtle=True))
    block: dict[str, Any] = {"type": "Container", "separator": True, "items": items}
    if c.url:
        block["selectAction"] = {"type": "Action.OpenUrl", "url": c.url}
    return block


def _plain(quote: str | None) -> str:
    return (quote or "").replace("**", "")


def _md_snippet_full(quote: str) -> str:
    return _md_snippet(quote) if len(quote) <= 300 else "".join(
        f"**{_md(p)}**" if i % 2 and p else _md(p) for i, p in enumerate(quote.split("**")))


def _html_snippet_full(quote: str) -> str:
    return _html_snippet(quote) if len(quote) <= 300 else "".join(
        f"<b>{html.escape(p)}</b>" if i % 2 else html.escape(p) for i, p in enumerate(quote.split("**")))


def _html_link(c: Cited) -> str:
    label = html.escape(_label(c))
    return f"<a href=\"{html.escape(c.url)}\">{label}</a>" if c.url else label


def looking_for_card(answer_id: int) -> dict[str, Any]:
    """After "Not what I needed": one optional line, what they were looking for."""
    d = ANSWER_ACTIONS[AnswerFeedback.NOT_HELPFUL]
    return card([para("Thank you. What were you looking for? One line is enough, and you can leave it empty."),
                 {"type": "Input.Text", "id": LOOKING_FOR.id, "label": LOOKING_FOR.label, "maxLength": 300,
                  "placeholder": LOOKING_FOR.placeholder or ""}],
                [execute_button("Send", ANSWER_VERB, {"answer": answer_id, "feedback": d.id.value, "step": "note"})])


def feedback_thanks(feedback: str, note: str | None = None) -> Reply:
    if feedback == AnswerFeedback.HELPFUL:
        text = "Thank you: glad that helped."
    elif note:
        text = "Thank you. I've passed on what you were looking for to the policy team."
    else:
        text = "Thank you. I've told the policy team this didn't answer your question."
    return Reply(text=text, card=card([para(text)]), html=f"<p>{html.escape(text)}</p>")


def not_helpful_asks(answer_id: int) -> Reply:
    text = ("Thank you. What were you looking for? Reply with one line (or nothing: it is already recorded).")
    return Reply(text=text, card=looking_for_card(answer_id), html=f"<p>{html.escape(text)}</p>")
