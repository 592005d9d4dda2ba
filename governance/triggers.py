"""NCT-13: a reason for an unscheduled review, said in a person's own words, read as one of the
preset's triggers (to be confirmed by them, never assumed). Pure."""

from __future__ import annotations

import re

# Words that point to each kind of trigger, found by a word of the trigger itself.
_HINTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("audit", ("audit", "audited", "auditor", "auditors", "file review", "case review", "dip sample", "ofsted", "inspection",
               "inspectors", "recommendation", "recommended")),
    ("legislation", ("legislation", "law", "laws", "act", "statutory", "statute", "regulations", "regulation", "guidance",
                     "working together", "dfe", "government", "bill", "court", "judgment", "judgement")),
    ("gap", ("gap", "gaps", "missing", "doesn't cover", "does not cover", "not covered", "nothing on", "silent on",
             "omits", "omission", "left out", "no procedure for")),
    ("practice", ("practice", "structure", "restructure", "restructured", "restructuring", "reorganisation", "reorganised",
                  "team", "teams", "service", "new process", "process changed", "way we work", "local")),
)


def match_trigger(triggers: tuple[str, ...], said: str) -> str | None:
    """The one trigger these words point to, or None when they point to none or to several."""
    text = " " + re.sub(r"[^a-z' ]+", " ", (said or "").lower()) + " "
    found = []
    for key, words in _HINTS:
        trigger = next((t for t in triggers if key in t.lower()), None)
        if trigger and any(f" {w} " in text for w in words):
            found.append(trigger)
    return found[0] if len(found) == 1 else None


def exact_trigger(triggers: tuple[str, ...], said: str) -> str | None:
    """A trigger named in full (any case) or by its number in the list."""
    said = (said or "").strip().lower().rstrip(".")
    for i, t in enumerate(triggers, 1):
        if said == t.lower() or said == str(i):
            return t
    return None
