"""What an incoming email says, and whether its sender can be believed. Pure: message in, facts out.

- `new_text`: only what the person wrote now. The HTML is read as text (quoted blocks dropped),
  then mail-parser-reply strips the quoted history ("From: … Sent: …" in Outlook, "On … wrote:" in
  Gmail and Apple Mail), signatures and "Sent from my iPhone".
- `case_of_thread`: the case a reply belongs to, from our own Message-IDs in In-Reply-To /
  References (connectors/mail.py puts the case in them) or a "[case 12]" token in the subject.
- `sender_problem`: why the sender cannot be trusted to change anything (the organisation's
  SPF, DKIM or DMARC verdict in Authentication-Results failed, or From and Sender disagree).
- `as_decision`: "Approve, thanks" in a reply to case 12 becomes "approve case 12: thanks", the
  words the email channel already understands.
"""

from __future__ import annotations

from typing import Any
import re
from dataclasses import dataclass

from mailparser_reply import EmailReplyParser

from governance.actions import words_table

CASE_IN_ID = re.compile(r"<[0-9a-f]{8,64}\.case-(\d{1,9})@", re.I)
CASE_IN_SUBJECT = re.compile(r"\[case\s*(\d{1,9})\]", re.I)
_BLOCKS = {"p", "div", "br", "tr", "li", "hr", "h1", "h2", "h3", "h4", "table", "blockquote", "pre"}
_FAILED = {"fail", "softfail", "permerror", "temperror"}
_PARSER = EmailReplyParser(languages=["en"])
_TOO_VAGUE = {"yes", "no"}  # "No problem, approved" must not read as a decision of "no"


@dataclass(frozen=True)
class Sender:
    address: str
    name: str


def address_of(field: dict[str, Any] | None) -> Sender | None:
    """Graph's {"emailAddress": {"name", "address"}}."""
    if not isinstance(field, dict):
        return None
    given = field.get("emailAddress")
    addr: dict[str, Any] = given if isinstance(given, dict) else {}
    address = str(addr.get("address") or "").strip()
    return Sender(address, str(addr.get("name") or address).strip()) if address else None


def headers_of(message: dict[str, Any]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for h in message.get("internetMessageHeaders") or []:
        if isinstance(h, dict) and h.get("name"):
            out.setdefault(str(h["name"]).lower(), []).append(str(h.get("value") or ""))
    return out


def html_to_text(html: str) -> str:
    """Readable text from an email's HTML: one line per block, quoted blocks (Gmail's and Apple
    Mail's <blockquote>) left out, styles and scripts dropped."""
    if not html.strip():
        return ""
    # lxml is loaded with the first HTML email, not at start (issue 22 item 8)
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.fromstring(html)
    except (etree.ParserError, ValueError):
        return html
    if not isinstance(root, lxml.html.HtmlElement):  # always one for lxml.html; its stubs say only _Element
        return html
    for bad in root.xpath("//style|//script|//head|//blockquote|//*[contains(@class,'gmail_quote')]"):
        if isinstance(bad, lxml.html.HtmlElement):  # elements only, for this expression
            bad.drop_tree()
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.lower() in _BLOCKS:
            el.tail = "\n" + (el.tail or "")
            if el.tag.lower() == "br":
                continue
            el.text = "\n" + (el.text or "")
    text = root.text_content().replace("\xa0", " ")
    lines = [line.rstrip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def new_text(body: dict[str, Any] | None) -> str:
    """Only what the sender wrote this time, from Graph's body {"contentType", "content"}."""
    body = body or {}
    content = str(body.get("content") or "")
    text = html_to_text(content) if str(body.get("contentType", "")).lower() == "html" else content
    if not text.strip():
        return ""
    parsed = _PARSER.read(text)
    if parsed.replies:
        first = parsed.replies[0]
        wrote = (first.body or "").strip()
        if wrote:
            return wrote
    return (parsed.latest_reply or text).strip()


def case_of_thread(headers: dict[str, list[str]], subject: str | None) -> int | None:
    """The case this message answers: our Message-ID in In-Reply-To or References, else a token in the subject."""
    for name in ("in-reply-to", "references"):
        for value in headers.get(name, []):
            found = CASE_IN_ID.findall(value)
            if found:
                return int(found[-1])
    m = CASE_IN_SUBJECT.search(subject or "")
    return int(m.group(1)) if m else None


def references_of(headers: dict[str, list[str]]) -> tuple[str, ...]:
    ids = re.findall(r"<[^<>\s]+>", " ".join(headers.get("references", [])))
    return tuple(ids[-10:])


def sender_problem(message: dict[str, Any], headers: dict[str, list[str]]) -> str | None:
    """Why this message cannot be trusted to change anything; None when it can."""
    frm, sender = address_of(message.get("from")), address_of(message.get("sender"))
    if frm is None:
        return "it has no From address"
    if sender is not None and sender.address.lower() != frm.address.lower():
        return f"From ({frm.address}) and Sender ({sender.address}) disagree"
    for value in headers.get("authentication-results", []):
        for method, verdict in re.findall(r"\b(spf|dkim|dmarc|compauth)\s*=\s*([a-z]+)", value.lower()):
            if verdict in _FAILED:
                return f"{method.upper()} {verdict}"
    return None


def is_automatic(headers: dict[str, list[str]], sender: str | None, mailbox: str) -> str | None:
    """Why this message must not be answered (an out-of-office, a bounce, a list, our own mail),
    so two automatic responders never answer each other; None for a person's message."""
    auto = " ".join(headers.get("auto-submitted", [])).strip().lower()
    if auto and auto != "no":
        return f"Auto-Submitted: {auto}"
    precedence = " ".join(headers.get("precedence", [])).strip().lower()
    if precedence in ("bulk", "junk", "list", "auto_reply"):
        return f"Precedence: {precedence}"
    if headers.get("x-autoreply") or headers.get("x-autorespond"):
        return "an automatic reply"
    who = (sender or "").strip().lower()
    if not who or who == mailbox.strip().lower() or who.startswith(("mailer-daemon@", "postmaster@")):
        return "sent by the mail system or this mailbox"
    return None


def as_decision(text: str, case_id: int | None) -> str:
    """A decision word at the start of a reply to a case's message, said without the case number,
    gets the case number the thread gives ("Approve" -> "approve case 12")."""
    if case_id is None or not text:
        return text
    first, _, rest = text.strip().partition("\n")
    low = first.strip().lower()
    if re.search(r"\bcase\s*\d", low):
        return text
    for word in words_table():  # longest first
        if word in _TOO_VAGUE:
            continue
        if low == word or re.match(rf"{re.escape(word)}\b", low):
            after = first.strip()[len(word):].lstrip(" \t,.;:!-").strip()
            more = " ".join(x for x in (after, rest.strip()) if x)
            return f"{word} case {case_id}" + (f": {more}" if more else "")
    return text
