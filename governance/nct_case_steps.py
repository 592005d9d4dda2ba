"""More of NCT's own steps on a case (issue 18): the RO's decision on a Review Session (NCT-5) and a
joint one for a procedure covering several services (NCT-7); the related procedures listed when a
review opens, each confirmed or dismissed (NCT-14); a draft held back until the RO says why
checklist items are not ticked (NCT-16); and a new procedure with or without the publisher's
template (NCT-17). Pure."""

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
from governance.nct_dates import new_procedure_update
from governance.preset import Preset

Step = tuple[Case, list[Event]]
_ON = ("true", "1", "yes", "on")


def _yes(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    word = str(value or "").strip().lower()
    return True if word in ("yes", "y", "true") else False if word in ("no", "n", "false") else None


# ------------------------------------------------------------------ NCT-5, NCT-7: Review Sessions


def review_session(case: Case, actor: Actor, today: date, data: Mapping[str, Any], text: str | None) -> Step:
    """NCT-5: the RO records whether a Review Session will be held; with the PPO's help, the PPO is told."""
    held = _yes(data.get("held"))
    if held is None:
        raise MissingInformation("Will you hold a Review Session? Answer yes or no (NCT-5).")
    helped = held and str(data.get("ppo_help", "")).lower() in _ON
    decided = {"held": held, "by": actor.person_id, "on": today.isoformat(), "ppo_help": bool(helped),
               **({"note": text} if text else {})}
    case = dataclasses.replace(case, notes={**case.notes, "review_session": decided})
    if not held:
        summary = "No Review Session is needed (NCT-5)"
        if case.notes.get("joint_session_needed"):
            summary += "; this procedure covers several services, so NCT-7 still asks for a joint review by its ROs"
        return logged(case, today, actor, "review_session", summary + (f": {text}" if text else "")), []
    summary = "A Review Session will be held (NCT-5)" + (", with the Policy and Procedures Officer's help" if helped else "")
    case = logged(case, today, actor, "review_session", summary + (f": {text}" if text else ""))
    if not helped:
        return case, []
    body = (f"The Responsible Officer will hold a Review Session on {case.document_name} and asks you to help organise "
            f"it (NCT-5)." + (f" They say: {text}" if text else "")
            + f" To arrange it: 'arrange a review session for {case.document_name.split(' ')[0]} on <date> at <time>'.")
    return case, [Notify("ppo", f"Help with a Review Session: {case.document_name}", body)]


def session_arranged(case: Case, actor: Actor, today: date, session: Mapping[str, Any]) -> Case:
    """The PPO arranged a (joint) Review Session that includes this case."""
    others = [r for r in session.get("refs", ()) if not case.document_name.startswith(r + " ")]
    joint = f" jointly with {', '.join(others)}" if others else ""
    case = dataclasses.replace(case, notes={**case.notes, "session": dict(session)})
    return logged(case, today, actor, "review_session_arranged",
                  f"Review Session arranged for {session['when']}{joint} (NCT-5, NCT-7)")


def session_outcome(case: Case, actor: Actor, today: date, outcome: str) -> Case:
    session = {**(case.notes.get("session") or {}), "outcome": outcome}
    case = dataclasses.replace(case, notes={**case.notes, "session": session})
    return logged(case, today, actor, "review_session_outcome", f"Review Session outcome: {outcome} (NCT-5)")


def session_moved(case: Case, actor: Actor, today: date, session: Mapping[str, Any], was: str) -> Case:
    """The Review Session that includes this case moved to another time (NCT-5, NCT-7)."""
    case = dataclasses.replace(case, notes={**case.notes, "session": dict(session)})
    return logged(case, today, actor, "review_session_moved",
                  f"Review Session moved from {was} to {session['when']} (NCT-5, NCT-7)")


def session_cancelled(case: Case, actor: Actor, today: date, session: Mapping[str, Any]) -> Case:
    """The Review Session that includes this case was cancelled: the case no longer has one arranged."""
    case = dataclasses.replace(case, notes={**case.notes, "session": {**session, "cancelled": True}})
    return logged(case, today, actor, "review_session_cancelled",
                  f"Review Session on {session['when']} cancelled (NCT-5, NCT-7)")


# ------------------------------------------------------------------ NCT-14: related procedures


def related_items(case: Case) -> list[dict[str, Any]]:
    return [dict(x) for x in case.notes.get("related") or ()]


def record_related(case: Case, actor: Actor, today: date, data: Mapping[str, Any], text: str | None) -> Step:
    """NCT-14: confirm (affected, to check too) or dismiss each procedure listed when the review opened:
    the card's toggles, or the numbers or references said ('confirm related case 3: 1, PP-007')."""
    items = related_items(case)
    if not items:
        raise MissingInformation("No related procedures were listed for this review.")
    from_card = {i for i in range(1, len(items) + 1) if f"rel_{i}" in data}
    verdicts: dict[int, str] = {}
    if from_card:
        verdicts = {i: "confirmed" if str(data[f"rel_{i}"]).lower() in _ON else "dismissed" for i in from_card}
    else:
        verdict = "dismissed" if data.get("verdict") == "dismiss" else "confirmed"
        for word in re.split(r"[,;&\s]+|\band\b", text or ""):
            word = word.strip(" .").upper()
            if not word:
                continue
            n = int(word) if word.isdigit() else next((k for k, x in enumerate(items, 1) if (x.get("ref") or "").upper() == word), 0)
            if not 1 <= n <= len(items):
                raise MissingInformation(f"There are {len(items)} related procedures listed: give their numbers, 1 to "
                                         f"{len(items)}, or their references.")
            verdicts[n] = verdict
        if not verdicts:
            raise MissingInformation("Say which of the related procedures, by number (e.g. 'confirm related case 3: 1, 2').")
    for n, verdict in verdicts.items():
        items[n - 1] = {**items[n - 1], "decision": verdict, "by": actor.person_id, "on": today.isoformat()}
    case = dataclasses.replace(case, notes={**case.notes, "related": items})
    said = "; ".join(f"{_item_name(items[n - 1])} {v}" for n, v in sorted(verdicts.items()))
    open_ = sum(1 for x in items if not x.get("decision"))
    tail = f"; {open_} still to decide" if open_ else "; every related procedure decided"
    return logged(case, today, actor, "record_related", f"Related procedures: {said}{tail} (NCT-14)"
                  + (f". {text}" if text and from_card else "")), []


def _item_name(x: Mapping[str, Any]) -> str:
    return f"{x['ref']} {x['title']}" if x.get("ref") else str(x.get("title"))


# ------------------------------------------------------------------ NCT-16: a draft held back


def checklist_missing(preset: Preset, case: Case) -> list[int]:
    """NCT-16: the checklist items not ticked, when no reason has been given for them (else none)."""
    if not preset.checklist or case.kind == "new_document" or case.notes.get("checklist_reason"):
        return []
    ticked = case.notes.get("checklist") or {}
    return [i for i in range(1, len(preset.checklist) + 1) if str(i) not in ticked]


def hold_draft(case: Case, actor: Actor, today: date, held: Mapping[str, Any], missing: list[int]) -> Case:
    items = ", ".join(map(str, missing))
    case = dataclasses.replace(case, notes={**case.notes, "held_draft": dict(held)})
    return logged(case, today, actor, "draft_held", f"Draft version {held.get('number')} ({held.get('filename')}) held back: "
                  f"checklist items {items} are not ticked and no reason is given (NCT-16)")


# ------------------------------------------------------------------ NCT-17: a new procedure's template


_BY = re.compile(r"\b(?:by|before|due|for)\s+(?P<when>(?:\w+day\s+)?\d{1,2}(?:st|nd|rd|th)?\s+\w+(?:\s+\d{2,4})?|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}"
                 r"|(?:the\s+)?end of \w+(?:\s+\d{4})?)", re.IGNORECASE)


def arrangements_due(text: str, today: date) -> date | None:
    """'Jamie drafts it by 29 January 2027' -> 29 January 2027 (any UK date form after by/before/due)."""
    m = _BY.search(text or "")
    if not m:
        return None
    try:
        return parse_date(m.group("when"), today)
    except ValueError:
        return None


def template(case: Case, actor: Actor, today: date, kind: str, data: Mapping[str, Any], text: str | None) -> Step:
    """NCT-17: with a template the new procedure follows Route 1 (the next update deadline: its `update`
    block is a scheduled update's, so NCT-4's window, warning and missed deadline apply to it); without,
    the arrangements the PPO agreed (who writes it, by when), whose due date drives the reminders."""
    if kind == "template_available":
        before = case.notes.get("new_procedure") or {}
        deadline = data.get("next_deadline")
        route = {"template": True, "route": 1, "next_deadline": deadline}
        case = dataclasses.replace(case, notes={**case.notes, "new_procedure": route, "update": new_procedure_update(deadline)})
        when = f"the next update deadline, {long_date(date.fromisoformat(deadline))}" if deadline else \
            "the next update deadline (none is recorded yet: the PPO records them with 'the Tri.x deadlines are ...')"
        summary = f"The publisher has a template: it follows Route 1, the scheduled update, for {when} (NCT-17)"
        if before.get("arrangements"):
            summary += f"; the arrangements agreed before no longer apply (they were: {before['arrangements']})"
        case = logged(case, today, actor, "template_available", summary)
        return case, [Notify("ro", f"Template available: {case.document_name}",
                             f"{summary}. The publisher's template will be forwarded to you.", cc=("rsm",))]
    return arrangements(case, actor, today, kind, text)


def arrangements(case: Case, actor: Actor, today: date, kind: str, text: str | None) -> Step:
    """NCT-17: the arrangements agreed for writing a new procedure without the publisher's template, recorded
    with the need ('no_template') or later, or changed ('record_arrangements'). A procedure that was to follow
    Route 1 leaves it: the arrangements' due date drives it instead."""
    due = arrangements_due(text or "", today)
    if due is None:
        raise MissingInformation("Please say the arrangements agreed, with who writes it and by when "
                                 "(e.g. 'Jamie Castellan drafts it with the fostering team by 29 January 2027') (NCT-17).")
    if due < today:
        raise MissingInformation(f"{long_date(due)} has passed: give a date still to come for the draft.")
    before = case.notes.get("new_procedure") or {}
    agreed = {"template": False, "arrangements": text, "due": due.isoformat()}
    notes = {k: v for k, v in case.notes.items() if not (k == "update" and (v or {}).get("new_procedure"))}
    case = dataclasses.replace(case, notes={**notes, "new_procedure": agreed})
    if kind == "no_template":
        summary = f"No template from the publisher; arrangements agreed: {text} (due {long_date(due)}) (NCT-17)"
    else:
        was = f" (they were: {before['arrangements']})" if before.get("arrangements") else \
            " (it no longer follows Route 1)" if before.get("template") else ""
        summary = f"Arrangements for writing it: {text} (due {long_date(due)}){was} (NCT-17)"
    case = logged(case, today, actor, kind, summary)
    return case, [Notify("ro", f"Arrangements for writing {case.document_name}", summary, cc=("rsm",))]
