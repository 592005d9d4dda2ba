"""Steps beside a route's stages that LBBD and Dorset ask for (issue 19): the stakeholders' joint
agreement of the need (LBBD-2), the roles told at a sign-off or at publication (LBBD-9, LBBD-10),
and the forms, training and system changes an approved document needs (DOR-14). Pure."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from governance.calendar import WorkingCalendar
from governance.case_flow import advance, holds_role, logged
from governance.case_model import Actor, Case, Event, ImplementationNeeds, Notify, Tell
from governance.errors import MissingInformation, NotAllowed
from governance.joint_need import IMPLEMENTATION, already_agreed, named_stakeholders, record_agreement, still_to_agree
from governance.preset import Preset, Route, Stage

Step = tuple[Case, list[Event]]


# ------------------------------------------------------------------ LBBD-2: the need, agreed jointly


def stakeholders_asked(case: Case) -> list[Event]:
    name = case.document_name
    return [Notify(f"person:{p}", f"Do you agree the need? {name}",
                   f"You are named as a stakeholder of {name}. The stakeholders agree the need for it together (LBBD-2): "
                   "please agree the need, or decline and say why.") for p in named_stakeholders(case)]


def joint_agreement(preset: Preset, case: Case, stage: Stage, actor: Actor, today: date, cal: WorkingCalendar,
                    text: str | None) -> Step:
    """LBBD-2: one stakeholder's agreement; the need is agreed when every one of them has agreed."""
    as_lead = holds_role(actor, stage.by or "", case)
    if already_agreed(case, actor.person_id, as_lead):
        raise NotAllowed(f"You have already agreed the need for {case.document_name}.")
    case = record_agreement(case, actor.person_id, as_lead)
    remaining = still_to_agree(case, stage.by or "")
    total = len(named_stakeholders(case)) + 1
    note = f": {text}" if text else ""
    if remaining:
        return logged(case, today, actor, "agree_need",
                      f"Agreed the need (LBBD-2; {total - len(remaining)} of {total} stakeholders so far){note}"), []
    case = logged(case, today, actor, "agree_need", f"Need agreed: all {total} stakeholders have agreed (LBBD-2){note}")
    case, events = advance(preset, case, today, cal)
    return case, [Notify("requester", f"Agreed: {case.document_name}",
                         f"All {total} stakeholders have agreed the need for this document."), *events]


# ------------------------------------------------------------------ LBBD-9, LBBD-10: the roles told


def tells(preset: Preset, case: Case, stage: Stage, version: str | None = None) -> list[Event]:
    """Everyone holding each role the stage names is told, in the stage's own words."""
    name = case.document_name
    out: list[Event] = []
    for role, words in stage.tells:
        label = preset.role_label(role)
        what = f" (version {version})" if version else ""
        plural = re.sub(r"^Head of ", "Heads of ", label) if label.startswith("Head of ") else label + "s"
        out.append(Tell(role, f"{stage.label}: {name}", f"{name}{what} {words}", f"{stage.label}: {plural} told", stage.id))
    return out


# ------------------------------------------------------------------ DOR-14: what the document needs


_PART = re.compile(r"\b(?P<key>forms?|training|systems?(?: changes?)?|system changes?)\s*:\s*(?P<said>[^;]*)", re.IGNORECASE)


def _items(value: Any) -> tuple[str, ...]:
    if not value:
        return ()
    parts = value if isinstance(value, (list, tuple)) else re.split(r"\s*(?:,|\band\b|\n)\s*", str(value))
    return tuple(p.strip(" .") for p in parts if str(p).strip(" .") and str(p).strip(" .").lower() not in ("none", "no", "n/a"))


def read_needs(data: Mapping[str, Any], text: str | None) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """The card's three inputs, or 'forms: X; training: Y, Z; systems: W' typed as one line."""
    found: dict[str, Any] = {k: data.get(k) for k in ("forms", "training", "systems") if data.get(k)}
    for m in _PART.finditer(text or ""):
        key = m.group("key").lower()
        found["forms" if key.startswith("form") else "training" if key == "training" else "systems"] = m.group("said")
    return _items(found.get("forms")), _items(found.get("training")), _items(found.get("systems"))


def group_body(preset: Preset, route: Route) -> str | None:
    return next((s.body for s in route.stages if s.kind == "sign_off" and s.body and preset.bodies[s.body].meeting), None)


def record_needs(preset: Preset, case: Case, route: Route, actor: Actor, today: date, data: Mapping[str, Any],
                 text: str | None) -> Step:
    if IMPLEMENTATION in case.notes:
        raise NotAllowed(f"What {case.document_name} needs is already recorded.")
    forms, training, systems = read_needs(data, text)
    if not (forms or training or systems) and not data.get("nothing"):
        raise MissingInformation("Please say which forms, training and system changes it needs, for example 'forms: "
                                 "Strategy discussion record; training: briefing for locality teams; systems: new Mosaic "
                                 "step', or say 'needs nothing'.")
    case = dataclasses.replace(case, notes={**case.notes, IMPLEMENTATION: {
        "forms": list(forms), "training": list(training), "systems": list(systems), "by": actor.person_id, "on": today.isoformat()}})
    said = "; ".join(f"{k}: {', '.join(v)}" for k, v in (("forms", forms), ("training", training), ("system changes", systems)) if v)
    case = logged(case, today, actor, "record_needs", f"Needs recorded (DOR-14): {said}" if said else
                  "Needs recorded (DOR-14): no forms, training or system changes")
    events: list[Event] = []
    if said:
        events.append(ImplementationNeeds(forms, training, systems, group_body(preset, route)))
    return case, events


def needs_missing(stage: Stage, case: Case) -> None:
    if IMPLEMENTATION in stage.records and IMPLEMENTATION not in case.notes:
        raise MissingInformation(f"Before {case.document_name} is recorded as published, its owner says which forms, "
                                 "training and system changes it needs (DOR-14): 'needs case <number>: forms: ...; "
                                 "training: ...; systems: ...', or 'needs nothing'.")
