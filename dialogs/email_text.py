"""What a person wrote in an email, without the quoted history and the signature: the first
paragraph of their new text is what they ask (the email channel has no buttons, so people reply in
words: 'approve case 12', 'yes', '2'). The rest of their new text is kept as the payload when the
first line names a decision without its reason."""

from __future__ import annotations

import re

from mailparser_reply import EmailReplyParser

_SIGN_OFF = re.compile(r"^(thanks|thank you|many thanks|kind regards|regards|best wishes|best|cheers|sent from my)\b[\w ,.!]*$",
                       re.IGNORECASE)
_PARSER = EmailReplyParser(languages=["en"])


def said_in_email(text: str) -> str:
    body = (text or "").replace("\r\n", "\n")
    try:
        latest = _PARSER.parse_reply(text=body) or body
    except Exception:  # noqa: BLE001 - a body the parser cannot read is read as it came
        latest = body
    lines: list[str] = []
    for line in latest.split("\n"):
        plain = line.strip()
        if _SIGN_OFF.match(plain):
            break
        if not plain and lines:
            break
        if plain:
            lines.append(plain)
    return " ".join(lines).strip()


_CASE = re.compile(r"\bcase\s+(\d{1,9})\b", re.IGNORECASE)


def quoted_case(text: str) -> int | None:
    """The one case the quoted email (ours, being replied to) is about, so a reply of 'approve'
    is read as 'approve case 12' (the case's reply words as a shortcut). None when the quoted
    history names no case or several."""
    body = (text or "").replace("\r\n", "\n")
    new = said_in_email(body)
    rest = body.split(new, 1)[1] if new and new in body else body
    found = {int(n) for n in _CASE.findall(rest)}
    return found.pop() if len(found) == 1 else None


_REPLY_PREFIX = re.compile(r"^\s*((re|fw|fwd|aw|wg|sv|tr)\s*(\[\d+\])?\s*:\s*)+", re.IGNORECASE)
_SUBJECT_CASE = re.compile(r"[\[(]\s*case\s*(?:no\.?|#)?\s*(\d{1,9})\s*[\])]|\bcase\s*(?:no\.?|#)?\s*(\d{1,9})\b", re.IGNORECASE)


def subject_case(subject: str | None) -> int | None:
    """The case a subject names ('RE: PP-014 review [case 3]' -> 3); None when it names none or several."""
    found = {int(a or b) for a, b in _SUBJECT_CASE.findall(subject or "")}
    return found.pop() if len(found) == 1 else None


def subject_words(subject: str | None) -> tuple[str, bool]:
    """The subject without its 'RE:' / 'FW:' prefixes, and whether it had one (a reply or a forward)."""
    raw = re.sub(r"\s+", " ", (subject or "").replace("\u00a0", " ")).strip()
    plain = _REPLY_PREFIX.sub("", raw).strip()
    return plain, plain != raw
