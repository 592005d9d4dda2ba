"""What a chair types about a meeting, read into what the meeting services take. Pure.

Attendance: 'Sasha Okonkwo present, Casey Lindqvist absent, Jordan Whitfield sent Deputy Head of Service'.
Actions: 'action: Update the leaflet for Rowan Feld by 1 March; action: Check the links for Quinn Marsh'.
Agenda items: 'Ofsted framework changes under horizon scanning'.
"""

from __future__ import annotations

import re
from datetime import date

from governance.dates import parse_date
from services.errors import BadInput

_PRESENT = re.compile(r"^(?P<who>.+?)\s+(was |is )?(present|here|attended|came|in attendance)$", re.IGNORECASE)
_ABSENT = re.compile(r"^(?P<who>.+?)\s+(was |is )?(absent|not present|away|missing|did not attend|didn't attend|"
                     r"sent (their |his |her )?apologies|gave (their |his |her )?apologies|apologies)$", re.IGNORECASE)
_DELEGATE = re.compile(r"^(?P<who>.+?)\s+(sent|was represented by|delegated to)\s+(?P<delegate>.+)$", re.IGNORECASE)
_A_DELEGATE = re.compile(r"^(a |their |his |her )?(delegate|deputy)$", re.IGNORECASE)

SECTIONS = {
    "horizon scanning": "horizon", "horizon": "horizon",
    "new proposals and drafts": "new", "new proposals": "new", "proposals": "new", "new": "new",
    "reviews": "reviews", "review": "reviews",
    "information items": "information", "information": "information", "for information": "information",
}
_SECTION = re.compile(r"\s+(under|in|to|as)\s+(the\s+)?(?P<section>" + "|".join(sorted(SECTIONS, key=len, reverse=True))
                      + r")(\s+section)?[.!]*$", re.IGNORECASE)

ATTENDANCE_EXAMPLE = ("For example: 'attendance: Sasha Okonkwo present, Casey Lindqvist absent, "
                      "Jordan Whitfield sent Deputy Head of Service'.")
ACTION_EXAMPLE = "For example: 'issue the minutes with action: Update the leaflet for Rowan Feld by 1 March'."


def parse_attendance(words: str) -> dict[str, tuple[str, str | None]]:
    """Name -> (present | absent | delegate, the delegate's name). Parts are separated by commas
    or semicolons; a part that cannot be read is refused, with an example, rather than guessed."""
    out: dict[str, tuple[str, str | None]] = {}
    for part in re.split(r"[;,\n]", words or ""):
        part = part.strip().rstrip(".!")
        if not part:
            continue
        m = _ABSENT.match(part)
        if m:
            out[m.group("who").strip()] = ("absent", None)
            continue
        m = _PRESENT.match(part)
        if m:
            out[m.group("who").strip()] = ("present", None)
            continue
        m = _DELEGATE.match(part)
        if m:
            delegate = m.group("delegate").strip()
            out[m.group("who").strip()] = ("delegate", None if _A_DELEGATE.match(delegate) else delegate)
            continue
        raise BadInput(f"I couldn't read '{part}': say whether they were present, absent or sent a delegate. {ATTENDANCE_EXAMPLE}")
    if not out:
        raise BadInput(f"Who attended? {ATTENDANCE_EXAMPLE}")
    return out


_ACTION = re.compile(r"^(actions?\s*:?\s*)?(?P<text>.+)\s+for\s+(?P<who>.+?)(\s+by\s+(?P<due>.+?))?[.!]*$", re.IGNORECASE)


def parse_actions(words: str, today: date) -> list[tuple[str, str, date | None]]:
    """(text, owner, due) for each action in 'action: <text> for <name> [by <date>]', separated by
    semicolons or ', action:'."""
    parts = re.split(r";|,?\s+and\s+action\s*:|,\s*action\s*:", words or "", flags=re.IGNORECASE)
    out = []
    for part in parts:
        part = part.strip()
        if not part:
            continue
        m = _ACTION.match(part)
        if m is None or not m.group("text").strip():
            raise BadInput(f"I couldn't read the action '{part}': say what it is and who it is for. {ACTION_EXAMPLE}")
        due = None
        if m.group("due"):
            try:
                due = parse_date(m.group("due"), today)
            except ValueError as exc:
                raise BadInput(f"Sorry, the action '{m.group('text').strip()}' has a date I can't read: {exc}.") from None
        out.append((m.group("text").strip(), m.group("who").strip(), due))
    return out


def item_and_section(words: str) -> tuple[str, str]:
    """An item's title and agenda section from 'Ofsted framework changes under horizon scanning'
    (horizon scanning when no section is named)."""
    words = (words or "").strip()
    m = _SECTION.search(words)
    if m:
        return words[: m.start()].strip(), SECTIONS[m.group("section").lower()]
    return words.rstrip(".!").strip(), "horizon"
