"""Search results from the manual and the register, for every channel (pure: outcome in, Reply out)."""

from __future__ import annotations

from typing import Any
import html
import re
from dataclasses import dataclass
from datetime import date

from governance.dates import long_date
from render.reply import Reply, card, command_button, heading, para
from services.manual.search import SearchOutcome, SearchResult

REQUEST_PHRASE = "request a new document"


@dataclass(frozen=True)
class Offer:
    """What to offer when nothing matches well: a new document on the topic, the PPO, help."""

    topic: str
    ppo: str | None = None
    officer: str = "Policy and Procedures Officer"  # the preset's policy officer (BCT: the Policy Service)

    def sentence(self) -> str:
        if self.officer != "Policy and Procedures Officer":
            who = f"{self.ppo} of the {self.officer}" if self.ppo else f"the {self.officer}"
        else:
            who = f"{self.ppo}, the {self.officer}" if self.ppo else f"your {self.officer}"
        return (f"If nothing covers it, you can ask for a new document on \"{self.topic}\" ('{REQUEST_PHRASE}'), "
                f"ask {who}, or type 'help'.")

    def buttons(self) -> list[dict[str, Any]]:
        return [command_button("Request a new document", f"{REQUEST_PHRASE} on {self.topic}"[:200]),
                command_button("Help", "help")]


def _date(d: date | None) -> str:
    return long_date(d) if d else ""


def _where(r: SearchResult) -> str:
    if r.kind == "chapter":
        bits = ["Manual" + (f": {r.section}" if r.section else "")]
        if r.updated_on:
            bits.append(f"updated {_date(r.updated_on)}")
    else:
        bits = [f"Register {r.ref}" + (f" ({r.doc_type})" if r.doc_type else "")]
        if r.updated_on:
            bits.append(f"last reviewed {_date(r.updated_on)}")
    if r.owner:
        bits.append(f"local owner {r.owner}" + (f" ({r.ref})" if r.kind == "chapter" and r.ref else ""))
    elif r.kind == "chapter":
        bits.append("no local owner in the register")
    return " · ".join(bits)


def _plain(snippet: str) -> str:
    return snippet.replace("**", "")


def _notes(outcome: SearchOutcome) -> list[str]:
    notes = []
    if outcome.corrections:
        notes.append("I read " + ", ".join(f"'{said}' as '{meant}'" for said, meant in outcome.corrections) + ".")
    return notes


def search_reply(outcome: SearchOutcome, today: date | None = None, *, offer: Offer | None = None,
                 understood: bool = True) -> Reply:
    """`understood` is False when the message was not a request I know, read as a question."""
    q = outcome.query
    notes = _notes(outcome)
    offered = offer or Offer(q[:120])
    offer_text = offered.sentence()
    if not outcome.results:
        lead = (f"Sorry, I didn't understand \"{q[:80]}\" as something I can do, and I couldn't find anything in the "
                "manual or the register about it." if not understood else
                f"I couldn't find anything in the manual or the register about \"{q}\".")
        text = f"{lead} Try other words (for example the name of the form or team). {offer_text}"
        text = " ".join(notes + [text])
        c = card([heading("Nothing found"), para(text)], offered.buttons())
        return Reply(text=text, card=c, html=f"<p>{html.escape(text)}</p>")
    n = len(outcome.results)
    if outcome.good:
        intro = f"I found {n} result{'s' if n != 1 else ''} for \"{q}\" in the manual and the register:"
    else:
        intro = (f"Nothing in the manual or the register matches \"{q}\" closely. "
                 f"The nearest I found {'is' if n == 1 else 'are'}:")
    intro = " ".join(notes + [intro])
    lines = []
    body = [heading("Search results" if outcome.good else "No close match"), para(intro)]
    html_items = []
    for r in outcome.results:
        label = f"{r.ref} {r.title}" if r.kind == "document" and r.ref else r.title
        snippet = _plain(r.snippet)
        lines.append(f"- {label} ({_where(r)})" + (f"\n  \"{_shorten(snippet)}\"" if snippet else "")
                     + (f"\n  {r.url}" if r.url else ""))
        items = [para(f"**{_md(label)}**"), para(_where(r), subtle=True)]
        if r.snippet:
            items.append(para(_md_snippet(r.snippet)))
        container = {"type": "Container", "separator": True, "items": items}
        if r.url:
            container["selectAction"] = {"type": "Action.OpenUrl", "url": r.url}
        body.append(container)
        link = f"<a href=\"{html.escape(r.url)}\">{html.escape(label)}</a>" if r.url else html.escape(label)
        html_items.append(f"<li>{link} <i>({html.escape(_where(r))})</i>"
                          + (f"<br>{_html_snippet(r.snippet)}" if r.snippet else "") + "</li>")
    tail = "Say 'status <ref>' for more on a register document."
    actions = [command_button(f"Status of {r.ref}", f"status {r.ref}") for r in outcome.results if r.ref][:3]
    if not outcome.good:
        tail = offer_text
        body.append(para(offer_text))
        actions = actions[:2] + offered.buttons()[:1]
    text = intro + "\n" + "\n".join(lines) + "\n" + tail
    html_body = f"<p>{html.escape(intro)}</p><ul>{''.join(html_items)}</ul><p>{html.escape(tail)}</p>"
    return Reply(text=text, card=card(body, actions or None), html=html_body)


def _shorten(text: str, limit: int = 220) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _md(text: str) -> str:
    """Text shown in a card's markdown, with markdown's own characters made literal."""
    return re.sub(r"([\\*_\[\]])", r"\\\1", text)


def _md_snippet(snippet: str) -> str:
    parts = _shorten(snippet, 300).split("**")
    return "".join(f"**{_md(p)}**" if i % 2 and p else _md(p) for i, p in enumerate(parts))


def _html_snippet(snippet: str) -> str:
    parts = _shorten(snippet, 300).split("**")
    return "".join(f"<b>{html.escape(p)}</b>" if i % 2 else html.escape(p) for i, p in enumerate(parts))
