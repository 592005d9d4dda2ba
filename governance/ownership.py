"""NCT-1: every procedure has a Responsible Strategic Manager and a Responsible Officer at
all times; where no RO is named, the RSM is the RO."""

from __future__ import annotations

import dataclasses
from datetime import date

from governance.errors import MissingInformation
from governance.lifecycle import Case, HistoryEntry
from governance.preset import Preset


def effective_ro(ro_id: str | None, rsm_id: str | None) -> str:
    if rsm_id:
        return ro_id or rsm_id
    if ro_id:
        raise MissingInformation("Every procedure needs a Responsible Strategic Manager. Please name one.")
    raise MissingInformation("Every procedure needs a Responsible Strategic Manager and a Responsible Officer. Please name at least the RSM.")


def uses_rsm(preset: Preset) -> bool:
    """NCT-1: whether the process has Responsible Strategic Managers who act (a stage decided, or
    its conditions checked, by the RSM), not merely the built-in role."""
    return any("rsm" in (s.by, s.conditions_checked_by) for r in preset.routes.values() for s in r.stages)


def roles_on_document(person_id: str, ro_id: str | None, rsm_ids: tuple[str, ...] | list[str]) -> frozenset[str]:
    """The document roles a person holds: RO (or the RSM standing in) and RSM."""
    roles = set()
    rsms = tuple(x for x in rsm_ids if x)
    if person_id in rsms:
        roles.add("rsm")
    if ro_id == person_id or (ro_id is None and rsms and person_id == rsms[0]):
        roles.add("ro")
    return frozenset(roles)


def check_change_of_ro(new_ro_id: str | None, rsm_id: str | None) -> str:
    """A change of RO keeps the rule true: the new RO, or the RSM standing in."""
    return effective_ro(new_ro_id, rsm_id)


def hand_over_case(case: Case, old_id: str, new_id: str, on: date, summary: str) -> Case:
    """A case after its work passes from one person to their successor (NCT-1): everything that
    names the old person by id (requester, participants, conditions they check, history kept) now
    names the successor, and the hand-over is written into the case's history."""
    def swap(x: str | None) -> str | None:
        return new_id if x == old_id else x

    people = {role: tuple(dict.fromkeys(new_id if p == old_id else p for p in ids)) for role, ids in case.participants.items()}
    conditions = tuple(
        dataclasses.replace(c, checker=f"person:{new_id}") if c.checker == f"person:{old_id}" else c for c in case.conditions
    )
    history = case.history + (HistoryEntry(on=on, person_id=new_id, action="handed_over", summary=summary),)
    return dataclasses.replace(case, requester=swap(case.requester), participants=people, conditions=conditions, history=history)
