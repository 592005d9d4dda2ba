"""How a case moves through its route: entering and advancing stages, who holds a role, which actions
are open now and who must act. Pure; governance/case_actions.py applies the actions."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date

from governance import actions
from governance.calendar import WorkingCalendar
from governance.case_model import (
    REVIEW_KINDS,
    ActionSpec,
    Actor,
    AgendaItem,
    Case,
    DeadlineSet,
    Event,
    HistoryEntry,
    Notify,
)
from governance.dates import long_date
from governance.errors import WrongRole
from governance.joint_need import STAKEHOLDER, already_agreed, group_decides, implementation_asked, jointly, still_to_agree
from governance.preset import Preset, Route, Stage
from governance.timeline import consultation_timeline

# ------------------------------------------------------------------ labels

def document_label(preset: Preset, case: Case) -> str:
    t = preset.document_types.get(case.document_type)
    return (t.label if t else case.document_type).lower()


def wrong_role(preset: Preset, case: Case, role: str, action: str) -> WrongRole:
    label = preset.role_label(role)
    article = "the " if not label.lower().startswith(("the ", "a ")) else ""
    verb = actions.verb(action)
    return WrongRole(f"Only {article}{label} for this {document_label(preset, case)} can {verb}.")


# ------------------------------------------------------------------ helpers


def route_of(preset: Preset, case: Case) -> Route:
    return preset.routes[case.route]


def stage_of(preset: Preset, case: Case) -> Stage:
    return route_of(preset, case).stage(case.stage)


def holds_role(actor: Actor, role: str, case: Case) -> bool:
    if role.startswith("person:"):
        return actor.person_id == role[7:]
    if role not in actor.roles:
        return False
    listed = case.participants.get(role)
    if listed and role in LISTED_ROLES:
        return actor.person_id in listed
    return True


def stage_by(stage: Stage | None) -> str:
    return (stage.by or "") if stage else ""


# Roles a case lists by name: only the people listed hold them for it (NCT-7 the RSMs, BCT-4 the
# consultees, BCT-3 the service-area lead, BCT-8 the Assistant Director of the practice area).
LISTED_ROLES = ("rsm", "consultee", "area_lead", "ad", STAKEHOLDER)  # LBBD-2 the named stakeholders


def stage_included(stage: Stage, case: Case) -> bool:
    if stage.optional and stage.id not in case.escalated:
        return False
    if stage.by == "area_lead" and not case.participants.get("area_lead"):
        return False  # BCT-3: no lead named for the service area (a Trust-wide document)
    if stage.when:
        want = not stage.when.startswith("!")
        return bool(case.flags.get(stage.when.lstrip("!"), False)) == want
    return True


def logged(case: Case, today: date, actor: Actor, action: str, summary: str) -> Case:
    return dataclasses.replace(case, history=case.history + (HistoryEntry(today, actor.person_id, action, summary),))


def enter_stage(preset: Preset, case: Case, stage: Stage, today: date, cal: WorkingCalendar) -> tuple[Case, list[Event]]:
    case = dataclasses.replace(case, stage=stage.id, step="awaiting")
    events: list[Event] = []
    name = case.document_name
    if stage.kind == "consult":
        deadline = None
        meeting = None
        if stage.deadline is not None:
            if stage.deadline_from == "meeting" and stage.body:
                # BCT-4, BCT-6, BCT-8: one timeline worked back from the meeting; the document goes
                # on that meeting's agenda now, with its consultation, so closing it never moves it.
                found = consultation_timeline(preset.bodies[stage.body], today, stage.deadline, cal, shared=stage.shared)
                if found:
                    meeting, deadline = found.meeting, found.closes
                    events.append(AgendaItem(stage.body, "decision", on=meeting))
            else:
                deadline = stage.deadline.apply(today, cal)
        consultees = case.participants.get("consultee", ())
        case = dataclasses.replace(case, consult_deadline=deadline, meeting=meeting, responses={})
        if deadline:
            events.append(DeadlineSet("consultation responses", deadline, tuple(f"person:{p}" for p in consultees)))
        for p in consultees:
            due = f" by {long_date(deadline)}" if deadline else ""
            events.append(Notify(f"person:{p}", f"Consultation: {name}",
                                 f"Please comment on the draft of {name}{due}. No response by then counts as agreement."))
    elif stage.kind == "sign_off" and stage.body:
        events.append(AgendaItem(stage.body, "decision"))
        events.append(Notify(stage.by or "", f"For decision: {name}", f"{name} is ready for the {preset.bodies[stage.body].name}'s decision."))
    elif stage.by:
        events.append(Notify(stage.by, f"{stage.label}: {name}", f"{name} now waits for you: {stage.label}."))
        if stage.by == "area_lead" and case.participants.get("area_team"):  # BCT-3: consulted on within the area first
            events.append(Notify("area_team", f"First draft for comment within the service area: {name}",
                                 f"The first draft of {name} is with your service-area lead to agree before the wider "
                                 "consultation. Send any comments to them (BCT-3)."))
    events += implementation_asked(stage, case)  # DOR-14: the owner is asked what it needs
    if stage.kind == "sign_off" and len(approvals_needed(case, stage)) > 1:  # NCT-7: the PPO coordinates several RSMs
        n = len(approvals_needed(case, stage))
        events.append(Notify("ppo", f"Coordinate approval: {name}",
                             f"{name} needs the approval of {n} {preset.role_label(stage.by or '')}s, and you coordinate "
                             f"it (NCT-7). Ask 'who still has to sign off {name.split()[0]}?' to see who has decided."))
    return case, events


@dataclasses.dataclass(frozen=True)
class SignOffProgress:
    stage: str  # the stage's label
    decided: tuple[tuple[str, str, date], ...]  # (person id, decision, on)
    waiting: tuple[str, ...]  # person:<id> or a role


def sign_off_progress(preset: Preset, case: Case) -> SignOffProgress | None:
    """NCT-7: at a sign-off, who has decided and who has not; None when the case is not at one."""
    if not case.is_open or stage_of(preset, case).kind != "sign_off":
        return None
    stage = stage_of(preset, case)
    decided = tuple((d.person_id, d.decision, d.on) for d in case.decisions if d.stage == stage.id)
    return SignOffProgress(stage.label, decided, tuple(who_must_act(preset, case)))


def advance(preset: Preset, case: Case, today: date, cal: WorkingCalendar) -> tuple[Case, list[Event]]:
    route = route_of(preset, case)
    i = route.index(case.stage)
    for stage in route.stages[i + 1:]:
        if stage.optional and stage.id not in case.escalated:
            continue
        if not stage_included(stage, case):
            continue
        # An optional stage reached by escalation is followed by the next mandatory stage.
        return enter_stage(preset, case, stage, today, cal)
    return dataclasses.replace(case, step="closed"), []


def approvals_needed(case: Case, stage: Stage) -> tuple[str, ...]:
    if stage.all_holders and stage.by:
        return case.participants.get(stage.by, ())
    return ()


def stage_approved(case: Case, stage: Stage) -> bool:
    approvers = {d.person_id for d in case.decisions if d.stage == stage.id and d.decision in ("approve", "approve_by_vote", "conditions_met", "director_approve")}
    needed = approvals_needed(case, stage)
    if needed:
        return set(needed) <= approvers
    return bool(approvers)


# ------------------------------------------------------------------ what may happen


def _agree_need_actions(preset: Preset, case: Case, stage: Stage) -> list[tuple[str, str]]:
    if case.step == "awaiting":
        template = ("template_available", "no_template") if preset.update_cycle and case.kind == "new_document" else ()  # NCT-17
        out = [(a, stage.by or "") for a in ("agree_need", *template, "ask_more", "decline_need")]
        if jointly(case):  # LBBD-2: each named stakeholder agrees (or declines) too
            out += [("agree_need", STAKEHOLDER), ("decline_need", STAKEHOLDER)]
        return out
    if case.step == "more_info":
        return [("provide_information", "requester"), ("provide_information", "ro")]
    return []


def _draft_actions(preset: Preset, case: Case, stage: Stage) -> list[tuple[str, str]]:
    out = [("submit_draft", "ro")]
    for record, action in (("eia", "record_eia"), ("legal_review", "record_legal"), ("workshops", "record_workshop")):
        if record in stage.records:
            out.append((action, "ro"))
    if case.kind in REVIEW_KINDS and case.drafts == 0:
        out.append(("no_change", "ro"))
    if preset.checklist and case.kind != "new_document":
        out.append(("tick_checklist", "ro"))  # NCT-16
        out.append(("review_session", "ro"))  # NCT-5
    if case.notes.get("related"):
        out.append(("record_related", "ro"))  # NCT-14
    if preset.update_cycle and case.kind == "new_document":
        out.append(("record_arrangements", "ppo"))  # NCT-17: agreed later, or changed
        if not (case.notes.get("new_procedure") or {}).get("template"):
            out.append(("template_available", "ppo"))  # NCT-17: the publisher's template, recorded after the need
    return out


def checklist_state(preset: Preset, case: Case) -> tuple[tuple[int, str, dict[str, str] | None], ...]:
    """NCT-16: (number, item, {by, on} when ticked) for each item of the review checklist."""
    ticked = case.notes.get("checklist") or {}
    return tuple((i, item, ticked.get(str(i))) for i, item in enumerate(preset.checklist, 1))


def _consult_actions(preset: Preset, case: Case, stage: Stage) -> list[tuple[str, str]]:
    out = [("respond_agree", "consultee"), ("respond_comment", "consultee")]
    for role in ("system", "ppo", "ro") + ((preset.request_recipient,) if preset.request_recipient else ()):
        out.append(("close_consultation", role))
    return out


def _sign_off_actions(preset: Preset, case: Case, stage: Stage) -> list[tuple[str, str]]:
    if case.step == "awaiting":
        out = [(d, stage.by or "") for d in stage.decisions if not (d in ("defer", "refer") and not stage.escalate_to)]
        out += [(alt.decision, alt.by) for alt in stage.alternatives
                if not (alt.effect == "interim" and case.flags.get("interim_approved"))]
        return out
    if case.step == "conditions":
        return [("submit_amendments", "ro")]
    if case.step == "checking":
        checker = next((c.checker for c in case.conditions if c.stage == stage.id and not c.met), stage.conditions_checked_by or "")
        return [("confirm_conditions_met", checker), ("conditions_not_met", checker)]
    return []


_ACTIONS_OF_STAGE: dict[str, Callable[[Preset, Case, Stage], list[tuple[str, str]]]] = {
    "agree_need": _agree_need_actions,
    "draft": _draft_actions,
    "legal_review": lambda preset, case, stage: [("legal_cleared", stage.by or "legal")],
    "consult": _consult_actions,
    "sign_off": _sign_off_actions,
    "decision": lambda preset, case, stage: [("decide_yes", stage.by or ""), ("decide_no", stage.by or "")],
    "publish": lambda preset, case, stage: _publish_actions(case, stage),
}


def _publish_actions(case: Case, stage: Stage) -> list[tuple[str, str]]:
    if not stage.via_publisher:
        needs = [("record_needs", "ro"), ("record_needs", stage.by or "")] if "implementation" in stage.records else []
        return [*needs, ("publish", stage.by or "")]  # DOR-14 first
    # NCT-10: two steps, each recorded: submitted to the publisher, then published in an edition.
    return [("published_in_edition" if case.step == "submitted" else "submit_to_publisher", stage.by or "")]


def candidate_actions(preset: Preset, case: Case) -> list[tuple[str, str]]:
    """(action, role that may take it) for the case as it stands."""
    if not case.is_open:
        return []
    stage = stage_of(preset, case)
    of_stage = _ACTIONS_OF_STAGE.get(stage.kind)
    out = of_stage(preset, case, stage) if of_stage else []
    for role in ("ro", "requester", preset.request_recipient):
        out.append(("withdraw", role))
    return out


def available_actions(preset: Preset, case: Case, actor: Actor, today: date) -> list[ActionSpec]:
    stage = stage_of(preset, case) if case.is_open else None
    seen: set[str] = set()
    specs: list[ActionSpec] = []
    for action, role in candidate_actions(preset, case):
        if action in seen or not holds_role(actor, role, case):
            continue
        if action in ("respond_agree", "respond_comment") and actor.person_id in case.responses:
            continue
        if stage and stage.kind == "sign_off" and action in stage.decisions and any(
            d.stage == stage.id and d.person_id == actor.person_id for d in case.decisions
        ):
            continue
        if action == "close_consultation" and not may_close(case, today) and role != "system":
            continue
        if stage and action in ("agree_need", "decline_need") and group_decides(preset, case, stage):
            continue  # DOR-2: the Group's recorded outcome decides; the card says so (services/cases/views.py)
        if action == "agree_need" and jointly(case) and already_agreed(case, actor.person_id, role == stage_by(stage)):
            continue  # LBBD-2: agreed already
        seen.add(action)
        alt = next((a for a in stage.alternatives if a.decision == action), None) if stage else None
        declared = actions.action(action)
        label = alt.label if alt else (declared.label if declared else action)
        needs_text = declared.needs_text if declared else False
        text_label = declared.text_label if declared else None
        if action in ("decide_yes", "decide_no") and stage and stage.question:
            label = f"{label}: {stage.question}"
        if action in ("defer", "refer") and stage and stage.escalate_label:  # NCT-8: "Defer to SLT"
            label, text_label = stage.escalate_label, stage.escalate_asks or text_label
        specs.append(ActionSpec(action, label, needs_text, text_label))
    return specs


def who_must_act(preset: Preset, case: Case) -> list[str]:
    """Roles (or person:<id>) the case is waiting for: the basis of 'my tasks' and reminders."""
    if not case.is_open:
        return []
    stage = stage_of(preset, case)
    if stage.kind == "consult":
        return [f"person:{p}" for p in case.participants.get("consultee", ()) if p not in case.responses]
    if stage.kind == "agree_need" and case.step == "awaiting" and jointly(case):
        return still_to_agree(case, stage.by or "")  # LBBD-2
    if stage.kind == "publish" and "implementation" in stage.records and "implementation" not in case.notes:
        return ["ro"]  # DOR-14: the owner says what it needs first
    if stage.kind == "sign_off" and case.step == "awaiting":
        needed = approvals_needed(case, stage)
        if needed:
            done = {d.person_id for d in case.decisions if d.stage == stage.id}
            return [f"person:{p}" for p in needed if p not in done]
        return [stage.by or ""]
    if case.step == "more_info":
        return ["requester"]
    if case.step == "conditions":
        return ["ro"]
    if case.step == "checking":
        return [next((c.checker for c in case.conditions if c.stage == stage.id and not c.met), stage.conditions_checked_by or "")]
    if stage.kind == "draft":
        return ["ro"]
    return [stage.by or ""]


def consultation_past_deadline(preset: Preset, case: Case, today: date) -> bool:
    """BCT-5: an open case at a consultation stage whose deadline has passed (the scheduler closes
    it, recording silence as agreement)."""
    return (case.is_open and stage_of(preset, case).kind == "consult" and case.consult_deadline is not None
            and today > case.consult_deadline)


def may_close(case: Case, today: date) -> bool:
    consultees = case.participants.get("consultee", ())
    everyone = all(p in case.responses for p in consultees)
    return everyone or (case.consult_deadline is not None and today > case.consult_deadline)
