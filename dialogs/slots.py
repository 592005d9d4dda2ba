"""The things a message refers to, read in any form people write them, and replaced by a placeholder
so that recognition compares the wording, not the numbers. Pure.

- documents: PP-001, pp 1, pp001, PP-1 (prefixes the register uses; any letters-dash-digits form too)
- cases: case 12, case no. 12, #12, no. 12
- agenda items and actions: item 3, action 7
- days: 60 days
- dates: 4/1/27, 04.01.2027, 4 Jan, 4th January, next Friday, end of March, in two weeks, tomorrow
  (only located here; governance/dates.parse_date reads them)
- the payload: what follows the first colon ('attendance: ...', 'decline case 4: not needed') is
  the person's own words for the command, not part of its wording.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from dialogs.normalise import tidy

_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
_DAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_NUMBER_WORD = r"(?:\d{1,2}|one|two|three|four|five|six|a|a couple of)"
_DATE = re.compile(
    r"\b(?:"
    r"\d{1,2}[/.\-]\d{1,2}(?:[/.\-]\d{2,4})?"
    r"|\d{4}-\d{2}-\d{2}"
    r"|(?:the\s+)?\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r"(?:\s+\d{4})?"
    r"|" + _MONTH + r"\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?"
    r"|(?:the\s+)?end\s+of\s+(?:the\s+)?(?:" + _MONTH + r"|month|year|week)"
    r"|(?:next|this|on)\s+" + _DAY + r"|" + _DAY +
    r"|in\s+" + _NUMBER_WORD + r"\s+(?:days?|weeks?|months?)"
    r"|next\s+(?:week|month)|tomorrow|tmrw|today"
    r")\b", re.IGNORECASE)
_CASE = re.compile(r"(?:\bcase\s*(?:no\.?|number|num|#)?\s*|(?<![\w&])#\s?|\bno\.\s?|\bnumber\s+)(\d{1,9})\b", re.IGNORECASE)
_ITEM = re.compile(r"\bitem\s*(?:no\.?|number|#)?\s*(\d{1,4})\b", re.IGNORECASE)
_ACTION = re.compile(r"\baction\s*(?:no\.?|number|#)?\s*(\d{1,9})\b", re.IGNORECASE)
_TIME = re.compile(r"\b(?:\d{1,2}:\d{2}\s*(?:am|pm)?|\d{1,2}(?:\.\d{2})?\s*(?:am|pm))(?!\w)", re.IGNORECASE)
_DAYS = re.compile(r"\b(\d{1,3})\s*(?:working\s+)?days?\b", re.IGNORECASE)
_PAYLOAD_COLON = re.compile(r"(?<!\d):|:(?!\d)")
_DASHED_REF = re.compile(r"\b([A-Za-z]{2,6})-(\d{1,5})\b")
_LOOSE_REF = re.compile(r"\b([A-Za-z]{2,6})\s?-?\s?(\d{1,5})\b")


@dataclass
class Slots:
    text: str  # the wording, with placeholders, payload removed
    original: str  # what was typed (tidied)
    refs: list[str] = field(default_factory=list)
    case: int | None = None
    item: int | None = None
    action: int | None = None
    days: int | None = None
    numbers: list[int] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)
    times: list[str] = field(default_factory=list)
    payload: str = ""
    ambiguous: list[str] = field(default_factory=list)  # documents whose titles all fit the words given


def canonical_ref(prefix: str, digits: str, known: dict[tuple[str, int], str] | None = None) -> str:
    """'pp', '1' -> 'PP-001' (the register's own spelling when it has that document)."""
    if known:
        found = known.get((prefix.lower(), int(digits)))
        if found:
            return found
    return f"{prefix.upper()}-{digits if len(digits) >= 3 else digits.zfill(3)}"


def ref_index(refs: Iterable[str]) -> dict[tuple[str, int], str]:
    """(prefix, number) -> ref for the register's references, so 'pp 1' finds 'PP-001'."""
    out = {}
    for ref in refs:
        m = _DASHED_REF.fullmatch(ref)
        if m:
            out[(m.group(1).lower(), int(m.group(2)))] = ref
    return out


def read(text: str, prefixes: Iterable[str] = ("pp",), known: dict[tuple[str, int], str] | None = None) -> Slots:
    original = tidy(text)
    colon = _PAYLOAD_COLON.search(original)  # a time's colon ('before 8:30') starts no payload
    wording, sep, payload = (original[:colon.start()], ":", original[colon.end():]) if colon else (original, "", "")
    if not wording.strip() or not sep:
        wording, payload = original, ""
    slots = Slots(text="", original=original, payload=payload.strip())
    prefix_set = {p.lower() for p in prefixes}

    def ref(m: re.Match[str]) -> str:
        prefix = m.group(1)
        if "-" not in m.group(0) and prefix.lower() not in prefix_set:
            return m.group(0)
        if prefix.lower() in ("case", "item", "action", "no", "number", "in", "on", "by"):
            return m.group(0)
        slots.refs.append(canonical_ref(prefix, m.group(2), known))
        return " <doc> "

    def time(m: re.Match[str]) -> str:
        slots.times.append(m.group(0))
        return " <time> "

    w = _TIME.sub(time, wording)
    w = _DASHED_REF.sub(ref, w)
    w = _LOOSE_REF.sub(ref, w)

    def date(m: re.Match[str]) -> str:
        slots.dates.append(m.group(0))
        return " <date> "

    def days(m: re.Match[str]) -> str:
        slots.days = int(m.group(1))
        return " <days> days "

    w = _DAYS.sub(days, w)  # '60 days' is a span ('reviews due in 60 days'), read before dates
    w = _DATE.sub(date, w)

    def case(m: re.Match[str]) -> str:
        slots.case = slots.case if slots.case is not None else int(m.group(1))
        return " case <case> "

    w = _CASE.sub(case, w)

    def item(m: re.Match[str]) -> str:
        slots.item = slots.item if slots.item is not None else int(m.group(1))
        return " item <item> "

    w = _ITEM.sub(item, w)

    def action(m: re.Match[str]) -> str:
        slots.action = int(m.group(1))
        return " action <action> "

    w = _ACTION.sub(action, w)


    def number(m: re.Match[str]) -> str:
        slots.numbers.append(int(m.group(0)))
        return " <num> "

    w = re.sub(r"\b\d{1,6}\b", number, w)
    slots.text = re.sub(r"\s+", " ", w).strip()
    return slots
