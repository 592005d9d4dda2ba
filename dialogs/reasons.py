"""Work on a signed-off document opened with its reason: an unscheduled review with one of the
preset's triggers (NCT-13), or an out-of-cycle amendment with one of its reasons (BCT-11).

A preset with triggers asks for a trigger; one with only amendment reasons (BCT) asks for the
reason, so 'unscheduled review' never offers an empty list. The reason is read from the card's
choice, a number from the list, or the words a person typed ("because the law changed").
"""

from __future__ import annotations

import re

from dialogs.normalise import words
from dialogs.recogniser import Reading
from dialogs.response import Response
from dialogs.turn import Turn, ask_form
from governance.errors import WrongRole
from governance.triggers import exact_trigger, match_trigger
from render import cases as case_render
from services.cases import lifecycle

_BECAUSE = re.compile(r"(?:\bbecause(?: of)?|\breason:?|\bdue to|\bafter|:)\s*(?P<why>.+)$", re.IGNORECASE)
_PLAIN = frozenset({"a", "an", "the", "of", "in", "or", "and", "e", "g", "from", "for", "to", "on", "as", "we", "is",
                    "has", "have", "been", "there", "change", "changed", "changes", "new", "our", "its", "it", "s"})
_SAME = {"law": "legislation", "laws": "legislation", "act": "legislation", "statutory": "legislation",
         "spr": "safeguarding", "cspr": "safeguarding", "serious": "safeguarding", "incident": "review",
         "together": "guidance", "ofsted": "ofsted", "inspection": "ofsted", "improvement": "improvement", "structure": "working",
         "restructure": "working", "practice": "practices", "model": "practices", "policies": "policy"}


def _content(text: str) -> set[str]:
    return {_SAME.get(w, w) for w in words(text) if w not in _PLAIN and len(w) > 1}


def pick(said: str, options: tuple[str, ...]) -> str | None:
    """One of the options from what a person said: its number, its words, or the one option that
    shares the most words with theirs. None when nothing (or more than one equally) fits."""
    said = (said or "").strip().rstrip(".!").strip()
    if not said or not options:
        return None
    low = said.lower()
    if low.isdigit():
        n = int(low)
        return options[n - 1] if 1 <= n <= len(options) else None
    for o in options:
        if low == o.lower() or (len(low) > 6 and low in o.lower()):
            return o
    mine = _content(said)
    scored = sorted(((len(mine & _content(o)), o) for o in options), key=lambda x: -x[0])
    if scored[0][0] == 0 or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None
    return scored[0][1]


def _said(t: Turn, r: Reading) -> str:
    chosen = t.value.get("trigger") or t.value.get("reason")
    if chosen:
        return str(chosen)
    m = _BECAUSE.search(r.slots.original)
    return m.group("why") if m else ""


_PROMPTED = re.compile(r"[,;.]?\s*\b(?:prompted|raised|requested|asked for|flagged) by\s+(?P<who>.+)$", re.IGNORECASE)


async def unscheduled_review(t: Turn, r: Reading) -> Response:
    """NCT-13: the reason is one of the preset's triggers. Said by its name or number it is used; said
    in other words it is read as one and confirmed first (the Yes button, or the words by email).
    NCT-15: 'prompted by <name> <email>' records who prompted it. Under BCT (no triggers) it is an
    out-of-cycle amendment with one of the five BCT-11 reasons."""
    ref = r.slots.refs[0] if r.slots.refs else None
    if ref is None:
        return ask_form(r.command, "Which document? Give its reference.", r)
    triggers = t.services.preset.review_triggers
    if not triggers:
        return await _amend(t, r, ref, "unscheduled review")
    said = r.slots.original
    prompted = _PROMPTED.search(said)
    prompter = prompted.group("who").strip() if prompted else None
    said = said[:prompted.start()] if prompted else said
    m = _BECAUSE.search(said)
    why = str(t.value.get("trigger") or (m.group("why") if m else "") or "").strip()
    named, _, details = why.partition(": ")
    trigger = exact_trigger(triggers, named) or exact_trigger(triggers, why)
    if trigger is None:
        guess = match_trigger(triggers, why) or pick(why, triggers)
        if guess is not None:
            tail = f"; prompted by {prompter}" if prompter else ""
            return Response(case_render.trigger_confirm_reply(ref, guess, why, tail))
        return Response(case_render.reasons_reply(ref, triggers, "unscheduled review"))
    details = details.strip() if exact_trigger(triggers, named) else ""
    out = await lifecycle.start_case(t.services, t.ident, ref, "unscheduled_review", trigger=trigger,
                                     said=details or None, prompter=prompter)
    return Response(case_render.case_reply(out.case, out.message), out.notices, out.case.id)


async def amend(t: Turn, r: Reading) -> Response:
    """BCT-11: an out-of-cycle amendment of a signed-off document, with its reason."""
    ref = r.slots.refs[0] if r.slots.refs else None
    if ref is None:
        return ask_form(r.command, "Which document? Give its reference.", r)
    return await _amend(t, r, ref, "out-of-cycle amendment")


async def _amend(t: Turn, r: Reading, ref: str, words_used: str) -> Response:
    preset = t.services.preset
    reasons = preset.amendment_reasons
    reason = pick(_said(t, r), reasons) if reasons else None
    if reasons and reason is None:
        return Response(case_render.reasons_reply(ref, reasons, words_used))
    try:  # its owners (or the Policy Service) amend it; anyone else asks for an early review with the reason
        out = await lifecycle.start_case(t.services, t.ident, ref, "amendment", reason=reason)
    except WrongRole:
        out = await lifecycle.start_case(t.services, t.ident, ref, "unscheduled_review", reason=reason)
    return Response(case_render.case_reply(out.case, out.message), out.notices, out.case.id)
