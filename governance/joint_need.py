"""Agreeing the need for a new document jointly (LBBD-2) or at the Group's meeting (DOR-2). Pure.

LBBD-2: "All of the stakeholders discuss the need". The stakeholders named on a request who are in
the directory (case.participants["stakeholder"]) are each asked; each agreement is recorded; the
need is agreed only when every one of them and the lead stakeholder (the stage's role) have agreed.
Any of them may decline, with a reason. With no one named, the lead stakeholder agrees alone.

DOR-2: where the need is agreed by a body with a meeting calendar, a new document's proposal is on
its agenda and the need is agreed only by the outcome the chair records there; the chair's card
says so instead of offering the decision.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from governance.case_model import Case, Event, Notify
from governance.preset import Preset, Stage

IMPLEMENTATION = "implementation"  # a publish stage's record: DOR-14
STAKEHOLDER = "stakeholder"  # the participants' key, and the role a named stakeholder acts in


def named_stakeholders(case: Case) -> tuple[str, ...]:
    return tuple(case.participants.get(STAKEHOLDER, ()))


def agreed_by(case: Case) -> tuple[str, ...]:
    """Who has agreed the need so far (person ids), and 'lead' once the lead stakeholder has."""
    return tuple(case.notes.get("need_agreed_by") or ())


def jointly(case: Case) -> bool:
    return bool(named_stakeholders(case))


def still_to_agree(case: Case, lead_role: str) -> list[str]:
    """person:<id> for each named stakeholder who has not agreed, and the lead's role until they have."""
    done = set(agreed_by(case))
    out = [f"person:{p}" for p in named_stakeholders(case) if p not in done]
    if "lead" not in done:
        out.append(lead_role)
    return out


def record_agreement(case: Case, person_id: str, as_lead: bool) -> Case:
    done = list(agreed_by(case))
    for who in ((person_id,) if not as_lead else (person_id, "lead")):
        if who not in done:
            done.append(who)
    return dataclasses.replace(case, notes={**case.notes, "need_agreed_by": done})


def already_agreed(case: Case, person_id: str, as_lead: bool) -> bool:
    done = set(agreed_by(case))
    if as_lead:
        return "lead" in done
    return person_id in done


def group_decides(preset: Preset, case: Case, stage: Stage) -> bool:
    """DOR-2: a new document's need is agreed at the body's meeting, not by its chair alone."""
    body = preset.bodies.get(stage.body or "")
    return bool(stage.kind == "agree_need" and case.kind == "new_document" and body is not None and body.meeting)


def at_meeting(data: Mapping[str, Any] | None) -> bool:
    """Set only by the meeting's recorded outcome (services/meetings/outcomes.py), never by a card."""
    return bool((data or {}).get("meeting"))


def group_note(preset: Preset, stage: Stage) -> tuple[str, str]:
    body = preset.bodies[stage.body or ""]
    return (f"Decided by the {body.name} (DOR-2)",
            f"The proposal is on the {body.name}'s forward plan and the agenda of its next meeting. The need is "
            "agreed when the Group records its outcome there: at the meeting, say 'record the outcome of item <number>: "
            "approved' (or 'not approved').")


def implementation_asked(stage: Stage, case: Case) -> list[Event]:
    if IMPLEMENTATION not in stage.records:
        return []
    return [Notify("ro", f"What does it need? {case.document_name}",
                   f"{case.document_name} is approved. Which forms, training and system changes does it need (DOR-14)? "
                   "Each becomes an action followed up at the Group's meetings. Say, for example, 'needs case <number>: "
                   "forms: <form>; training: <training>; systems: <change>', or 'needs nothing case <number>'.")]
