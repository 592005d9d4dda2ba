"""NCT's own dates, pure: the publisher's update window (NCT-4) and the reminder before a draft
the PPO agreed arrangements for (NCT-17). Every date here counts UK working days where the seed
speaks of them. Which of its deadline's steps a Route 1 case owes today (`route_1_due`) is decided
here too, for a scheduled update and for a new procedure with the publisher's template alike."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from governance.calendar import WorkingCalendar
from governance.preset import Preset

WARN_WORKING_DAYS = 5  # NCT-4: the warning before the submission deadline
ARRANGEMENTS_WARN_WORKING_DAYS = 5  # NCT-17: the reminder before the agreed draft is due
ROUTE_1_KINDS = ("scheduled_update", "new_document")  # NCT-4's deadlines: and a new procedure with the template, NCT-17


def window_opens(preset: Preset, deadline: date) -> date:
    """NCT-4: about six weeks (the preset's `review_weeks`) before the submission deadline."""
    weeks = preset.update_cycle.review_weeks if preset.update_cycle else 6
    return deadline - timedelta(weeks=weeks)


def warn_from(preset: Preset, deadline: date) -> date:
    """NCT-4: the day the RO and RSM of an unapproved case are warned that the window closes."""
    return WorkingCalendar(preset.nation).add_working_days(deadline, -WARN_WORKING_DAYS)


def arrangements_reminder_on(preset: Preset, due: date) -> date:
    """NCT-17: the reminder before the draft the arrangements agreed is due."""
    return WorkingCalendar(preset.nation).add_working_days(due, -ARRANGEMENTS_WARN_WORKING_DAYS)


def arrangements_overdue_on(preset: Preset, due: date) -> date:
    """NCT-17: the working day after the agreed date: with no draft by then, the RO and the PPO, who agreed
    the arrangements with the parties, are told."""
    return WorkingCalendar(preset.nation).add_working_days(due, 1)


# ------------------------------------------------------------------ Route 1's deadline, for each case that follows it


@dataclass(frozen=True)
class Route1Due:
    """What NCT-4 asks of one Route 1 case today. `what` is "tie" (a case waiting for its first deadline: one
    is recorded now), "move" (the deadline `deadline` was missed: the next is `nxt`, or None when none is
    recorded), "wait" (before its deadline: `instruct` when the window is open and the case's RO is told
    then, `warn` when the closing warning is owed), or "" (nothing to do)."""

    what: str
    deadline: date | None = None
    nxt: date | None = None
    instruct: bool = False
    warn: bool = False


def update_of(notes: Mapping[str, Any]) -> dict[str, Any] | None:
    """The Route 1 update a case follows: a scheduled update's (NCT-3), or a new procedure's with the
    publisher's template (NCT-17; a case recorded before the block existed reads its next deadline)."""
    if notes.get("update"):
        return dict(notes["update"])
    new = notes.get("new_procedure") or {}
    if new.get("template"):
        return new_procedure_update(new.get("next_deadline"))
    return None


def new_procedure_update(deadline: str | None) -> dict[str, Any]:
    """NCT-17: a new procedure with the publisher's template follows Route 1: it waits for `deadline` like a
    scheduled update, and its RO is told when that update's window opens (no update plan tells them)."""
    return {"deadline": deadline, "missed": [], "new_procedure": True}


def route_1_due(preset: Preset, update: Mapping[str, Any], today: date, recorded: Sequence[date]) -> Route1Due:
    """NCT-4 (and NCT-17 for a new procedure with the template): what the deadline asks of a case not yet
    submitted to the publisher, given the deadlines recorded (sorted)."""
    d = update.get("deadline")
    deadline = date.fromisoformat(d) if d else None
    missed = [date.fromisoformat(x) for x in update.get("missed") or []]
    if deadline is None:  # missed with no later deadline then, or never tied to one: is one recorded now?
        last = max(missed, default=None)
        nxt = next((x for x in recorded if x >= today and (last is None or x > last)), None)
        if nxt is None:
            return Route1Due("")
        return Route1Due("move" if last else "tie", last, nxt)
    if today > deadline:
        return Route1Due("move", deadline, next((x for x in recorded if x > deadline and x >= today), None))
    return Route1Due(
        "wait",
        deadline,
        instruct=bool(update.get("new_procedure")) and today >= window_opens(preset, deadline),
        warn=today >= warn_from(preset, deadline),
    )
