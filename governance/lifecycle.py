"""The lifecycle of one piece of work on one document (a *case*), for any preset.

Pure: `apply(preset, case, action, actor, today)` returns a new Case and the events that
should follow (notifications, deadlines, publication). Nothing here reads a clock or a
database; the services hand in `today` and the roles they resolved for the person.

Steps within a stage:
  awaiting   the stage's role must act
  more_info  (agree_need) the requester must add information
  conditions (sign_off) the RO must amend the draft to meet the conditions
  checking   (sign_off) the checker must confirm the conditions are met

The case's values, events and JSON are in governance/case_model.py, how it moves through its route
(and who may act now) in governance/case_flow.py, applying an action in governance/case_actions.py;
this module starts, retires and opens cases and offers every name as before.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any
from datetime import date

from governance.calendar import WorkingCalendar
from governance.case_actions import apply
from governance.case_flow import (
    advance,
    approvals_needed,
    available_actions,
    candidate_actions,
    checklist_state,
    consultation_past_deadline,
    document_label,
    enter_stage,
    holds_role,
    logged,
    may_close,
    route_of,
    stage_approved,
    stage_included,
    sign_off_progress,
    stage_of,
    who_must_act,
    wrong_role,
)
from governance.case_model import (
    AMENDING_KINDS,
    CLOSED_STATUSES,
    OPEN,
    REVIEW_KINDS,
    Action,
    ActionSpec,
    Actor,
    AgendaItem,
    Case,
    CaseClosed,
    Condition,
    ConsultationClosed,
    DeadlineSet,
    Decision,
    Event,
    HistoryEntry,
    ImplementationNeeds,
    Notify,
    Outcome,
    Published,
    ReviewCompleted,
    SubmittedToPublisher,
    Tell,
    case_from_dict,
    case_to_dict,
)
from governance.errors import MissingInformation, NotAllowed, WrongRole
from governance.joint_steps import stakeholders_asked
from governance.preset import Preset, Stage

__all__ = [  # the names this module has always offered, wherever they are defined now
    "AMENDING_KINDS", "Action", "ActionSpec", "Actor", "AgendaItem", "CLOSED_STATUSES", "Case", "CaseClosed",
    "Condition", "ConsultationClosed", "DeadlineSet", "Decision", "Event", "HistoryEntry", "Notify", "OPEN",
    "Outcome", "Published", "REVIEW_KINDS", "ReviewCompleted", "SubmittedToPublisher", "Tell", "ImplementationNeeds", "advance", "apply", "approvals_needed",
    "available_actions", "candidate_actions", "case_from_dict", "case_to_dict", "consultation_past_deadline",
    "document_label", "enter_stage", "holds_role", "logged", "may_close", "may_open", "required_sign_offs",
    "retire", "route_of", "sign_off_progress", "checklist_state", "stage_approved", "stage_included", "stage_of", "start_case", "who_must_act",
    "with_participants", "wrong_role",
]


# ------------------------------------------------------------------ starting


def start_case(
    preset: Preset,
    kind: str,
    *,
    document_type: str,
    category: str | None,
    today: date,
    document_name: str,
    requester: str | None = None,
    participants: Mapping[str, tuple[str, ...] | list[str]] | None = None,
    trigger: str | None = None,
    reason: str | None = None,
    calendar: WorkingCalendar | None = None,
    document_title: str | None = None,
    notes: Mapping[str, Any] | None = None,
) -> Outcome:
    """Open a case. Unscheduled reviews need an NCT-13 trigger; out-of-cycle amendments a BCT-11 reason."""
    if document_type not in preset.document_types:
        types = ", ".join(t.label for t in preset.document_types.values())
        raise NotAllowed(f"'{document_type}' is not a document type in the {preset.name} process (types: {types}).")
    if kind == "unscheduled_review" and preset.review_triggers:
        if not trigger:
            raise MissingInformation("An unscheduled review needs its trigger: " + "; ".join(preset.review_triggers) + ".")
        if trigger not in preset.review_triggers:
            raise MissingInformation(f"'{trigger}' is not one of the triggers for an unscheduled review: " + "; ".join(preset.review_triggers) + ".")
    if kind == "amendment" and preset.amendment_reasons:
        if not reason:
            raise MissingInformation("A signed-off document can only be amended out of cycle for one of these reasons: " + "; ".join(preset.amendment_reasons) + ".")
        if reason not in preset.amendment_reasons:
            raise MissingInformation(f"'{reason}' is not an allowed reason for an out-of-cycle amendment: " + "; ".join(preset.amendment_reasons) + ".")
    route = preset.route_for(kind, document_type, category)
    cal = calendar or WorkingCalendar(preset.nation)
    parts = {k: tuple(v) for k, v in (participants or {}).items()}
    first = next(s for s in route.stages if not s.optional and not s.when)
    case = Case(
        preset=preset.key, kind=kind, route=route.id, document_type=document_type, category=category,
        document_name=document_name, document_title=document_title, stage=first.id, step="awaiting", status=OPEN, opened_on=today,
        requester=requester, participants=parts, trigger=trigger, reason=reason, notes=dict(notes or {}),
        history=(HistoryEntry(today, requester or "system", "opened", f"{kind.replace('_', ' ').capitalize()} opened"
                              + (f" (trigger: {trigger})" if trigger else "") + (f" (reason: {reason})" if reason else "")
                              + _prompted(notes)),),
    )
    case, events = enter_stage(preset, case, first, today, cal)
    if kind == "scheduled_update":
        # NCT-3: the PPO instructs each RO with the publisher's recommended amendments and notifies the RSMs.
        events.append(Notify("rsm", f"Scheduled update: {document_name}",
                             f"The Responsible Officer has been asked to review the publisher's recommended amendments to {document_name}."))
    if kind == "unscheduled_review":
        # NCT-13: the request goes to the PPO as well as the RO (who hears as the stage's actor).
        events.append(Notify("ppo", f"Unscheduled review requested: {document_name}",
                             f"An unscheduled review of {document_name} has been requested. Trigger: {trigger}."
                             + _prompted(notes) + " Please agree with the Responsible Officer how it is reviewed (NCT-13)."))
    if kind == "new_document" and first.kind == "agree_need":
        recipient = preset.request_recipient
        mailbox = f" ({preset.request_mailbox})" if preset.request_mailbox else ""
        asks = "Please agree the need, ask for more, or decline."
        if first.body and preset.bodies[first.body].meeting:  # DOR-2: the Group agrees it at its meeting
            asks = (f"It goes on the agenda of the {preset.bodies[first.body].name}'s next meeting, where the Group agrees "
                    "the need or not (DOR-2); you may ask the proposer for more information before then.")
        events = [Notify(recipient, f"New document requested: {document_name}",
                         f"A new {document_label(preset, case)} has been requested{mailbox}. {asks}")]
        if first.body:  # DOR-2: the proposal goes on the Group's forward plan and next agenda
            events.append(AgendaItem(first.body, "proposal"))
        events += stakeholders_asked(case)  # LBBD-2: each named stakeholder is asked too
    return Outcome(case, tuple(events))


def _prompted(notes: Mapping[str, Any] | None) -> str:
    p = (notes or {}).get("prompter") or {}
    said = (notes or {}).get("said")
    out = f" In their words: {said}." if said else ""
    if p.get("name"):
        out += f" Prompted by {p['name']}" + (f" ({p['email']})" if p.get("email") else "") + "."
    return out


def required_sign_offs(preset: Preset, case: Case) -> list[Stage]:
    """The sign-off stages whose approval this case needs, given its flags and escalations.

    A stage that deferred or referred the document (NCT-8, BCT-7, DOR-4) hands the decision to
    the stage it escalated to, so that stage's approval is required instead of its own."""
    route = route_of(preset, case)
    handed_on = {d.stage for d in case.decisions if d.decision in ("defer", "refer")}
    return [s for s in route.stages if s.kind == "sign_off" and stage_included(s, case) and s.id not in handed_on]


def with_participants(case: Case, role: str, people: tuple[str, ...], actor: Actor, today: date, summary: str) -> Case:
    """The people holding a document role for this case changed (NCT-7: another RSM named by the
    PPO); the change is part of the case's history. Decisions already made stand."""
    case = dataclasses.replace(case, participants={**case.participants, role: tuple(dict.fromkeys(people))})
    return logged(case, today, actor, f"set_{role}", summary)


def retire(preset: Preset, actor: Actor, document_name: str, reason: str | None) -> Notify:
    """Retiring a document: only whoever publishes documents in this process, with a reason."""
    publisher = next((s.by for r in preset.routes.values() for s in r.stages if s.kind == "publish" and s.by), "ppo")
    if publisher not in actor.roles:
        raise WrongRole(f"Only the {preset.role_label(publisher)} can retire a document.")
    if not reason or not reason.strip():
        raise MissingInformation("Please say why the document is being retired.")
    return Notify("ro", f"Retired: {document_name}", reason.strip(), cc=("rsm",))


def may_open(preset: Preset, kind: str, roles: frozenset[str], document_name: str) -> None:
    """Who may open a piece of work on an existing document.

    Scheduled reviews and updates may start early (NCT-11) and amendments be proposed by the
    document's RO or RSM or by whoever receives requests (the PPO, the Policy Service); anyone may
    ask for an unscheduled review with its trigger (NCT-13) or request a new document."""
    if kind in ("unscheduled_review", "new_document"):
        return
    allowed = {"ro", "rsm", preset.request_recipient}
    if not roles & allowed:
        raise WrongRole(
            f"Only the Responsible Officer or Responsible Strategic Manager of {document_name}, or the "
            f"{preset.role_label(preset.request_recipient)}, can start its {kind.replace('_', ' ')}. "
            "You can ask for an unscheduled review instead, with its reason."
        )
