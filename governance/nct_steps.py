"""The steps of NCT's own process that the lifecycle applies (issue 18): the review checklist ticked
item by item (NCT-16), the no-change explanation to whoever prompted a review (NCT-15), and the
edition a procedure is published in (NCT-10). Pure."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from governance.case_flow import logged
from governance.case_model import Actor, Case, Event, Notify
from governance.dates import long_date, parse_date
from governance.errors import MissingInformation
from governance.preset import Preset


_NUMBERS = re.compile(r"^\s*(\d{1,2}\s*(,|and|&|\s)\s*)*\d{1,2}\s*[.]?\s*$")


def tick(preset: Preset, case: Case, actor: Actor, today: date, data: Mapping[str, Any], text: str | None) -> Case:
    """NCT-16: tick items of the checklist (the card's toggles, or the numbers said), with who and when;
    words that are not numbers are the reason an item does not apply."""
    ticked = dict(case.notes.get("checklist") or {})
    count = len(preset.checklist)
    said = [int(n) for n in re.findall(r"\d{1,2}", text or "")] if text and _NUMBERS.match(text) else []
    from_card = {i for i in range(1, count + 1) if f"item_{i}" in data}
    if from_card:
        on = {i for i in from_card if str(data[f"item_{i}"]).lower() in ("true", "1", "yes", "on")}
        for i in from_card - on:
            ticked.pop(str(i), None)
    else:
        on = set(said)
    if any(not 1 <= i <= count for i in on):
        raise MissingInformation(f"The checklist has {count} items: tick them by number, 1 to {count}.")
    for i in sorted(on):
        ticked.setdefault(str(i), {"by": actor.person_id, "on": today.isoformat()})
    reason = text if text and not said else case.notes.get("checklist_reason")
    case = dataclasses.replace(case, notes={**case.notes, "checklist": ticked, **({"checklist_reason": reason} if reason else {})})
    done = sorted(int(k) for k in ticked)
    summary = f"Checklist: {len(done)} of {count} ticked" + (f" ({', '.join(map(str, done))})" if done else "")
    if text and not said:
        summary += f"; not applicable: {text}"
    return logged(case, today, actor, "tick_checklist", summary + " (NCT-16)")


def unticked_note(preset: Preset, case: Case) -> str:
    if not preset.checklist or case.kind == "new_document":
        return ""
    ticked = case.notes.get("checklist") or {}
    missing = [str(i) for i in range(1, len(preset.checklist) + 1) if str(i) not in ticked]
    if not missing:
        return "; the review checklist is complete (NCT-16)"
    reason = case.notes.get("checklist_reason")
    if reason:
        return f"; checklist items {', '.join(missing)} not ticked: {reason} (NCT-16)"
    return (f"; checklist items {', '.join(missing)} are not ticked and no reason is given (NCT-16): please tick them "
            "or say why they do not apply")


def to_prompter(case: Case, statement: str) -> list[Event]:
    body = f"{statement} The review was prompted by: {case.trigger}."
    prompter = case.notes.get("prompter") or {}
    if prompter.get("person"):
        to = f"person:{prompter['person']}"
    elif prompter.get("email"):
        to = f"address:{prompter['email']}"  # someone outside the organisation's directory (an auditor, a partner)
    elif case.requester:
        to = f"person:{case.requester}"
    else:
        return []
    extra = () if to == f"person:{case.requester}" or not case.requester else (f"person:{case.requester}",)
    return [Notify(to, f"Review outcome: {case.document_name}", body, cc=("rsm", *extra))]


_EDITION_WORDS = re.compile(r"^\s*(edition\s*)?(?P<edition>[\w.-]+)?\s*[,;]?\s*(version\s*(?P<version>[\w.-]+))?\s*[,;]?"
                            r"\s*((published\s+)?on\s+(?P<on>.+?))?\s*[.]?\s*$", re.IGNORECASE)


def edition_words(text: str | None) -> dict[str, str]:
    """'14, version 2.0, on 4 January 2027' (an email's or a chat's words) as the card's inputs."""
    m = _EDITION_WORDS.match(text or "")
    return {k: v for k, v in (m.groupdict() if m else {}).items() if v}


def published_on(value: object, today: date) -> date:
    if not value:
        return today
    if isinstance(value, date):
        return value
    try:
        on = parse_date(str(value), today)
    except ValueError as exc:
        raise MissingInformation(f"Please give the date it was published: {exc}.") from None
    if on > today:
        raise MissingInformation(f"{long_date(on)} is after today: record the publication once the edition is out.")
    return on
