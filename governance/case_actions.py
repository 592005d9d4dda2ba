"""Applying an action to a case (`apply`): the checks every action passes, then the step of the
stage's kind (agree the need, draft, legal review, consult, sign off, decide, publish). Pure: a new
case and the events that follow."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from governance import actions
from governance.calendar import WorkingCalendar, next_review_due
from governance.case_flow import (
    advance,
    candidate_actions,
    enter_stage,
    holds_role,
    logged,
    may_close,
    route_of,
    stage_approved,
    stage_included,
    stage_of,
    wrong_role,
)
from governance.case_model import (
    AMENDING_KINDS,
    Action,
    Actor,
    AgendaItem,
    Case,
    CaseClosed,
    Condition,
    ConsultationClosed,
    Decision,
    Event,
    Notify,
    Outcome,
    Published,
    ReviewCompleted,
    SubmittedToPublisher,
)
from governance.dates import long_date
from governance.errors import MissingInformation, NotAllowed
from governance.nct_case_steps import checklist_missing, record_related, review_session, template
from governance.joint_need import at_meeting, group_decides, jointly
from governance.joint_steps import joint_agreement, needs_missing, record_needs, tells
from governance.nct_steps import edition_words, published_on, tick, to_prompter, unticked_note
from governance.preset import Preset, Stage
from governance.review_schedule import agreed_interval
from governance.votes import votes_needed

# What a stage's step returns: the new case and the events that follow.
Step = tuple[Case, list[Event]]

# ------------------------------------------------------------------ applying


def apply(
    preset: Preset, case: Case, action: Action, actor: Actor, today: date, *, calendar: WorkingCalendar | None = None
) -> Outcome:
    cal = calendar or WorkingCalendar(preset.nation)
    if case.preset != preset.key:
        raise NotAllowed("This case belongs to another organisation's process.")
    if not case.is_open:
        raise NotAllowed(f"{case.document_name} is no longer open for decisions (it is {case.status.replace('_', ' ')}).")
    candidates = candidate_actions(preset, case)
    roles_for_action = [role for a, role in candidates if a == action.kind]
    stage = stage_of(preset, case)
    if not roles_for_action:
        known = {a for a, _ in candidates}
        hint = ""
        if known:
            alts = {a.decision: a.label for a in stage.alternatives}  # DOR-5: in words, never an id
            hint = " What can happen now: " + ", ".join(sorted(actions.label(a, alts.get(a)).lower() for a in known)) + "."
        raise NotAllowed(f"That can't be done while {case.document_name} is at '{stage.label}'" +
                         (" (waiting for the conditions to be met)" if case.step in ("conditions", "checking") else "") + f".{hint}")
    if not any(holds_role(actor, role, case) for role in roles_for_action):
        raise wrong_role(preset, case, roles_for_action[0], action.kind)
    text = (action.text or "").strip() or None
    declared = actions.action(action.kind)
    if declared and declared.needs_text and not text:
        asked = declared.text_label or "why"
        if action.kind in ("defer", "refer") and stage.escalate_asks:
            asked = stage.escalate_asks  # NCT-8: the discussion with the Assistant Director
        raise MissingInformation(f"Please say {asked[0].lower() + asked[1:]}: it is required.")
    handler = _HANDLERS[stage.kind] if action.kind != "withdraw" else _withdraw
    new_case, events = handler(preset, case, stage, action, actor, today, cal, text)
    return Outcome(new_case, tuple(events))


def _withdraw(preset: Preset, case: Case, stage: Stage, action: Action, actor: Actor, today: date, cal: WorkingCalendar,
              text: str | None) -> Step:
    case = logged(case, today, actor, "withdraw", f"Withdrawn: {text}")
    case = dataclasses.replace(case, status="withdrawn", step="closed")
    return case, [CaseClosed("withdrawn"), Notify("ro", f"Withdrawn: {case.document_name}", text or "", cc=("rsm",))]


def _agree_need(preset: Preset, case: Case, stage: Stage, action: Action, actor: Actor, today: date, cal: WorkingCalendar,
                text: str | None) -> Step:
    if action.kind in ("agree_need", "decline_need") and group_decides(preset, case, stage) and not at_meeting(action.data):
        body = preset.bodies[stage.body or ""]
        raise NotAllowed(f"The {body.name} agrees the need for {case.document_name} at its meeting, not its chair alone "
                         f"(DOR-2): the proposal is on the agenda of its next meeting. There, say 'record the outcome of "
                         "item <number>: approved' (or 'not approved'); 'next agenda' shows its number.")
    if action.kind == "agree_need" and jointly(case):
        return joint_agreement(preset, case, stage, actor, today, cal, text)
    if action.kind in ("agree_need", "template_available", "no_template"):
        told: list[Event] = []
        case = logged(case, today, actor, "agree_need", "Need agreed")
        if action.kind != "agree_need":  # NCT-17: the need agreed, with or without the publisher's template
            case, told = template(case, actor, today, action.kind, action.data or {}, text)
        case, events = advance(preset, case, today, cal)
        return case, [Notify("requester", f"Agreed: {case.document_name}", "The need for this document has been agreed."),
                      *told, *events]
    if action.kind == "decline_need":
        case = logged(case, today, actor, "decline_need", f"Declined: {text}")
        case = dataclasses.replace(case, status="declined", step="closed")
        return case, [CaseClosed("declined"), Notify("requester", f"Declined: {case.document_name}", text or "")]
    if action.kind == "ask_more":
        case = logged(case, today, actor, "ask_more", f"More information asked for: {text}")
        return dataclasses.replace(case, step="more_info"), [Notify("requester", f"More information needed: {case.document_name}", text or "")]
    case = logged(case, today, actor, "provide_information", f"Information added: {text}")
    return dataclasses.replace(case, step="awaiting"), [Notify(stage.by or "", f"More information: {case.document_name}", text or "")]


def _draft(preset: Preset, case: Case, stage: Stage, action: Action, actor: Actor, today: date, cal: WorkingCalendar,
           text: str | None) -> Step:
    data = action.data or {}
    if action.kind == "record_eia":
        required = _yes_no(data.get("required"), "Is an Equality Impact Assessment needed? Answer yes or no.")
        case = dataclasses.replace(case, flags={**case.flags, "eia_required": required})
        return logged(case, today, actor, "record_eia", f"EIA {'needed' if required else 'not needed'}" + (f": {text}" if text else "")), []
    if action.kind == "record_legal":
        required = _yes_no(data.get("required"), "Is a legal review needed? Answer yes or no.")
        case = dataclasses.replace(case, flags={**case.flags, "legal_review_required": required})
        return logged(case, today, actor, "record_legal", f"Legal review {'needed' if required else 'not needed'}" + (f": {text}" if text else "")), []
    if action.kind == "record_workshop":
        case = dataclasses.replace(case, workshops=case.workshops + (text or "",))
        return logged(case, today, actor, "record_workshop", f"Co-production workshop recorded: {text}"), []
    if action.kind == "tick_checklist":
        case = tick(preset, case, actor, today, data, text)
        held = case.notes.get("held_draft")
        if held and not checklist_missing(preset, case):  # NCT-16: the reason given (or all ticked): the held draft goes on
            case = dataclasses.replace(case, notes={k: v for k, v in case.notes.items() if k != "held_draft"})
            return _submit(preset, case, stage, actor, today, cal, dict(held))
        return case, []
    if action.kind == "review_session":
        return review_session(case, actor, today, data, text)
    if action.kind == "record_related":
        return record_related(case, actor, today, data, text)
    if action.kind in ("record_arrangements", "template_available"):  # NCT-17: recorded after the need, or changed
        return template(case, actor, today, action.kind, action.data or {}, text)
    if action.kind == "no_change":
        first_sign_off = next((s for s in route_of(preset, case).stages if s.kind == "sign_off" and stage_included(s, case)), None)
        assert first_sign_off is not None, "the preset reader refuses a route without a sign-off stage"
        statement = preset.no_change_statement.format(name=case.title)
        if case.kind == "unscheduled_review" and not text:
            raise MissingInformation("Please say why no changes are needed: your explanation goes to whoever prompted "
                                     "the review, with the Responsible Strategic Manager copied (NCT-15).")
        if text:
            case = dataclasses.replace(case, notes={**case.notes, "no_change_why": text})
            statement = f"{statement} {text}" if case.kind == "unscheduled_review" else statement
        case = dataclasses.replace(case, flags={**case.flags, "no_change": True})
        case = logged(case, today, actor, "no_change", statement)
        case, events = enter_stage(preset, case, first_sign_off, today, cal)
        if case.kind == "unscheduled_review":  # NCT-15: why, to whoever prompted it, the RSM copied
            events += to_prompter(case, statement)
        return case, [Notify(first_sign_off.by or "rsm", f"Reviewed, no changes: {case.document_name}", statement), *events]
    return _submit(preset, case, stage, actor, today, cal, data)


def _submit(preset: Preset, case: Case, stage: Stage, actor: Actor, today: date, cal: WorkingCalendar,
            data: Mapping[str, Any]) -> Step:
    missing = []
    if "eia" in stage.records and "eia_required" not in case.flags:
        missing.append("whether an Equality Impact Assessment is needed (LBBD-5)")
    if "legal_review" in stage.records and "legal_review_required" not in case.flags:
        missing.append("whether a legal review is needed (LBBD-7)")
    if "workshops" in stage.records and not case.workshops:
        missing.append("the co-production workshops or focus groups held (LBBD-4)")
    if missing:
        raise MissingInformation("Before the draft goes on, please record " + " and ".join(missing) + ".")
    if case.kind in AMENDING_KINDS and preset.amendments_must_be_tracked and not data.get("tracked_changes"):
        raise NotAllowed("Amendments must be shown as tracked changes, and this draft has none. "
                         "Please turn on Track Changes in Word, make the amendments and send it again.")
    case = dataclasses.replace(case, drafts=case.drafts + 1)
    name = data.get("filename") or "the draft"
    case = logged(case, today, actor, "submit_draft", f"Draft {case.drafts} submitted ({name})" + unticked_note(preset, case))
    return advance(preset, case, today, cal)


def _yes_no(value: Any, question: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("yes", "y", "true"):
        return True
    if isinstance(value, str) and value.strip().lower() in ("no", "n", "false"):
        return False
    raise MissingInformation(question)


def _legal(preset: Preset, case: Case, stage: Stage, action: Action, actor: Actor, today: date, cal: WorkingCalendar,
           text: str | None) -> Step:
    case = logged(case, today, actor, "legal_cleared", "Legal review complete" + (f": {text}" if text else ""))
    case, events = advance(preset, case, today, cal)
    return case, [Notify("ro", f"Legal review complete: {case.document_name}", text or "No comments."), *events]


def _consult(preset: Preset, case: Case, stage: Stage, action: Action, actor: Actor, today: date, cal: WorkingCalendar,
             text: str | None) -> Step:
    if action.kind in ("respond_agree", "respond_comment"):
        if actor.person_id in case.responses:
            raise NotAllowed("You have already responded to this consultation.")
        answer = "agreed" if action.kind == "respond_agree" else "commented"
        case = dataclasses.replace(case, responses={**case.responses, actor.person_id: answer})
        summary = "Agreed" if answer == "agreed" else f"Commented: {text}"
        case = logged(case, today, actor, action.kind, summary)
        return case, ([Notify("ro", f"Consultation comment: {case.document_name}", text or "")] if text else [])
    if not may_close(case, today):
        due = f"{long_date(case.consult_deadline)}" if case.consult_deadline else "its deadline"
        raise NotAllowed(f"The consultation stays open until {due} unless everyone has responded.")
    silent = tuple(p for p in case.participants.get("consultee", ()) if p not in case.responses)
    responses = {**case.responses, **{p: "agreed_by_silence" for p in silent}}
    case = dataclasses.replace(case, responses=responses)
    summary = "Consultation closed" + (f"; no response from {len(silent)}, recorded as agreement (BCT-5)" if silent else "")
    case = logged(case, today, actor, "close_consultation", summary)
    case, events = advance(preset, case, today, cal)
    return case, [ConsultationClosed(silent), *events]


def _sign_off(preset: Preset, case: Case, stage: Stage, action: Action, actor: Actor, today: date, cal: WorkingCalendar,
              text: str | None) -> Step:
    kind = action.kind
    name = case.document_name
    if case.step == "conditions":
        tracked = bool((action.data or {}).get("tracked_changes"))
        if preset.amendments_must_be_tracked and not tracked:
            raise NotAllowed("The amended draft must show its amendments as tracked changes.")
        case = dataclasses.replace(case, step="checking", drafts=case.drafts + 1)
        case = logged(case, today, actor, "submit_amendments", "Amended draft submitted for the conditions to be checked")
        checker = next(c.checker for c in case.conditions if c.stage == stage.id and not c.met)
        return case, [Notify(checker, f"Check the conditions: {name}", "The amended draft is ready for you to check against the conditions.")]
    if case.step == "checking":
        if kind == "conditions_not_met":
            case = logged(case, today, actor, kind, f"Conditions not met: {text}")
            return dataclasses.replace(case, step="conditions"), [Notify("ro", f"Conditions not yet met: {name}", text or "")]
        conditions = tuple(dataclasses.replace(c, met=True) if c.stage == stage.id else c for c in case.conditions)
        setters = {c.set_by for c in case.conditions if c.stage == stage.id}
        decisions = case.decisions + tuple(Decision(stage.id, s, "conditions_met", today, f"checked by {actor.person_id}") for s in sorted(setters))
        case = dataclasses.replace(case, conditions=conditions, decisions=decisions, step="awaiting")
        case = logged(case, today, actor, kind, "Conditions confirmed as met")
        return _after_approval(preset, case, stage, today, cal)
    # awaiting a decision
    if any(d.stage == stage.id and d.person_id == actor.person_id for d in case.decisions):
        raise NotAllowed("You have already recorded your decision on this.")
    alt = next((a for a in stage.alternatives if a.decision == kind), None)
    if alt is not None:
        if alt.effect == "information_item":
            case = dataclasses.replace(case, decisions=case.decisions + (Decision(stage.id, actor.person_id, "director_approve", today, text),))
            case = logged(case, today, actor, kind, alt.label)
            case, events = advance(preset, case, today, cal)
            return case, [AgendaItem(stage.body or "", "information"), *events]
        case = dataclasses.replace(case, flags={**case.flags, "interim_approved": True})
        case = logged(case, today, actor, kind, alt.label)
        return case, [AgendaItem(stage.body or "", "full_approval"), Notify("ro", f"Interim approval: {name}", alt.label)]
    if kind == "approve":
        case = dataclasses.replace(case, decisions=case.decisions + (Decision(stage.id, actor.person_id, "approve", today, text),))
        case = logged(case, today, actor, "approve", f"Approved at '{stage.label}'")
        case, events = _after_approval(preset, case, stage, today, cal)
        # The author is told of every decision, Approve included (issue 17, item 6).
        return case, [Notify("ro", f"Approved: {name}", f"Approved at {stage.label}."), *events]
    if kind == "approve_by_vote":
        votes = (action.data or {})
        given_for, given_against = votes.get("for"), votes.get("against")
        try:
            if given_for is None or given_against is None:
                raise TypeError("a count is missing")
            for_, against = int(given_for), int(given_against)
        except (TypeError, ValueError):  # typed as people type them: '4 for, 3 against' (DOR-4)
            for_, against = votes_needed(" ".join(str(x) for x in (given_for, given_against, text) if x))
        if for_ <= against:
            raise NotAllowed(f"The vote did not carry ({for_} for, {against} against), so it is not approved. Refer it instead.")
        case = dataclasses.replace(case, decisions=case.decisions + (Decision(stage.id, actor.person_id, "approve_by_vote", today, text or f"{for_} for, {against} against"),))
        case = logged(case, today, actor, kind, f"Approved by vote, {for_} for and {against} against")
        return _after_approval(preset, case, stage, today, cal)
    if kind == "approve_with_conditions":
        back = bool((action.data or {}).get("return_to_me"))
        checker = f"person:{actor.person_id}" if back else (stage.conditions_checked_by or stage.by or "")
        case = dataclasses.replace(
            case,
            conditions=case.conditions + (Condition(text or "", stage.id, actor.person_id, checker),),
            step="conditions",
        )
        case = logged(case, today, actor, kind, f"Approved with conditions: {text}")
        checker_label = "the person who set them" if back else "the " + preset.role_label(checker)
        return case, [Notify("ro", f"Approved with conditions: {name}",
                             f"Please amend the draft as follows, then resubmit it for {checker_label} to check: {text}")]
    if kind in ("defer", "refer"):
        assert stage.escalate_to, "defer and refer are offered only where the stage escalates (candidate_actions)"
        target = route_of(preset, case).stage(stage.escalate_to)
        case = dataclasses.replace(
            case,
            escalated=case.escalated + (target.id,),
            decisions=case.decisions + (Decision(stage.id, actor.person_id, kind, today, text),),
        )
        word = "Deferred" if kind == "defer" else "Referred"
        said = f"{stage.escalate_note}: {text}" if stage.escalate_note else text
        case = logged(case, today, actor, kind, f"{word} to '{target.label}'. {said}" if stage.escalate_note
                      else f"{word} to '{target.label}': {text}")
        case, events = enter_stage(preset, case, target, today, cal)
        # The higher body sees why, and (NCT-8) the note of the discussion with the Assistant Director.
        events = [dataclasses.replace(e, body=f"{e.body} {word} by the {preset.role_label(stage.by or '')}. {said}")
                  if isinstance(e, Notify) and e.to == target.by else e for e in events]
        return case, [Notify("ro", f"{word}: {name}", f"{word} to {target.label}. {said}" if stage.escalate_note
                             else f"{word} to {target.label}: {text}", cc=("rsm",)), *events]
    # not_approved: back to the nearest earlier draft stage
    route = route_of(preset, case)
    i = route.index(stage.id)
    draft = next((s for s in reversed(route.stages[:i]) if s.kind == "draft"), route.stages[0])
    case = logged(case, today, actor, kind, f"Not approved: {text}")
    case = dataclasses.replace(case, stage=draft.id, step="awaiting")
    return case, [Notify("ro", f"Not approved: {name}", text or "")]


def _after_approval(preset: Preset, case: Case, stage: Stage, today: date, cal: WorkingCalendar) -> Step:
    if not stage_approved(case, stage):
        return case, []  # NCT-7: waiting for the other RSMs
    if case.flags.get("no_change"):
        interval = agreed_interval(case) or preset.review_interval(case.document_type, case.category)
        due = next_review_due(today, interval, cal) if interval else None
        statement = preset.no_change_statement.format(name=case.title)
        case = dataclasses.replace(case, status="reviewed_no_change", step="closed")
        events: list[Event] = [ReviewCompleted(today, True, due, statement), CaseClosed("reviewed_no_change"),
                               Notify("ppo", f"Review agreed, no changes: {case.document_name}", statement)]
        return case, events
    case, events = advance(preset, case, today, cal)
    return case, [*tells(preset, case, stage), *events]  # LBBD-9: the other Heads of Service are told


def _decision(preset: Preset, case: Case, stage: Stage, action: Action, actor: Actor, today: date, cal: WorkingCalendar,
              text: str | None) -> Step:
    value = action.kind == "decide_yes"
    assert stage.flag, "the preset reader refuses a decision stage without a flag"
    case = dataclasses.replace(case, flags={**case.flags, stage.flag: value})
    case = logged(case, today, actor, action.kind, f"{stage.label} {'Yes' if value else 'No'}")
    return advance(preset, case, today, cal)


def _publish(preset: Preset, case: Case, stage: Stage, action: Action, actor: Actor, today: date, cal: WorkingCalendar,
             text: str | None) -> Step:
    if action.kind == "record_needs":  # DOR-14
        return record_needs(preset, case, route_of(preset, case), actor, today, action.data or {}, text)
    needs_missing(stage, case)
    data = {**edition_words(text if action.kind == "published_in_edition" else None), **{k: v for k, v in (action.data or {}).items() if v}}
    if action.kind == "submit_to_publisher":  # NCT-10, first step: with the publisher for the next edition
        case = dataclasses.replace(case, step="submitted")
        case = logged(case, today, actor, action.kind, "Submitted to the publisher for the next edition of the manual"
                      + (f": {text}" if text else ""))
        return case, [SubmittedToPublisher(today),
                      Notify("ro", f"Submitted to the publisher: {case.document_name}",
                             "The approved procedure has been submitted to the publisher for the next edition of the manual. "
                             "You will be told when it is published.", cc=("rsm",))]
    version = str(data.get("version") or "").strip()
    edition = str(data.get("edition") or "").strip() if action.kind == "published_in_edition" else ""
    if action.kind == "published_in_edition" and not edition:
        raise MissingInformation("Please give the edition of the manual it appeared in (for example 14).")
    if not version:
        raise MissingInformation("Please give the version number being published (for example 2.0).")
    on = published_on(data.get("published_on") or data.get("on"), today)
    interval = agreed_interval(case) or preset.review_interval(case.document_type, case.category)
    due = next_review_due(on, interval, cal) if interval else None
    case = dataclasses.replace(case, status="published", step="closed", version=version, published_on=on)
    launch = data.get("launch_planned") is True
    where = f" in edition {edition} of the manual" if edition else ""
    case = logged(case, today, actor, action.kind, f"Published{where} on {long_date(on)} as version {version}" if edition
                  else f"Published as version {version} on {long_date(on)}"
                  + ("; a launch is planned, so it is not in the news or the weekly email (BCT-9)" if launch else ""))
    return case, [Published(version, on, due, launch, edition or None), CaseClosed("published"),
                  Notify("ro", f"Published: {case.document_name}", f"Version {version} is published{where}.", cc=("rsm",)),
                  *tells(preset, case, stage, version)]  # LBBD-10: the cascade and the newsletter


_HANDLERS: dict[str, Callable[[Preset, Case, Stage, Action, Actor, date, WorkingCalendar, str | None], Step]] = {
    "agree_need": _agree_need,
    "draft": _draft,
    "legal_review": _legal,
    "consult": _consult,
    "sign_off": _sign_off,
    "decision": _decision,
    "publish": _publish,
}
