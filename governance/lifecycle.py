"""The lifecycle of one piece of work on one document (a *case*), for any preset.

Pure: `apply(preset, case, action, actor, today)` returns a new Case and the events that
should follow (notifications, deadlines, publication). Nothing here reads a clock or a
database; the services hand in `today` and the roles they resolved for the person.

Steps within a stage:
  awaiting   the stage's role must act
  more_info  (agree_need) the requester must add information
  conditions (sign_off) the RO must amend the draft to meet the conditions
  checking   (sign_off) the checker must confirm the conditions are met
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Mapping

from governance import actions
from governance.calendar import WorkingCalendar, next_review_due
from governance.dates import long_date
from governance.errors import MissingInformation, NotAllowed, WrongRole
from governance.preset import Preset, Route, Stage

OPEN = "open"
CLOSED_STATUSES = ("published", "declined", "withdrawn", "reviewed_no_change", "retired")
REVIEW_KINDS = ("scheduled_review", "unscheduled_review")
AMENDING_KINDS = ("scheduled_update", "scheduled_review", "unscheduled_review", "amendment")

# ------------------------------------------------------------------ values


@dataclass(frozen=True)
class Actor:
    person_id: str
    roles: frozenset[str]


@dataclass(frozen=True)
class Action:
    kind: str
    text: str | None = None
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ActionSpec:
    id: str
    label: str
    needs_text: bool = False
    text_label: str | None = None


@dataclass(frozen=True)
class Decision:
    stage: str
    person_id: str
    decision: str
    on: date
    note: str | None = None


@dataclass(frozen=True)
class Condition:
    text: str
    stage: str
    set_by: str
    checker: str  # role id, or "person:<id>" when the setter asked to see it again
    met: bool = False


@dataclass(frozen=True)
class HistoryEntry:
    on: date
    person_id: str
    action: str
    summary: str


@dataclass(frozen=True)
class Case:
    preset: str
    kind: str
    route: str
    document_type: str
    category: str | None
    document_name: str
    stage: str
    step: str
    status: str
    opened_on: date
    requester: str | None = None
    participants: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    flags: Mapping[str, bool] = field(default_factory=dict)
    decisions: tuple[Decision, ...] = ()
    conditions: tuple[Condition, ...] = ()
    responses: Mapping[str, str] = field(default_factory=dict)
    consult_deadline: date | None = None
    meeting: date | None = None
    trigger: str | None = None
    reason: str | None = None
    escalated: tuple[str, ...] = ()
    drafts: int = 0
    workshops: tuple[str, ...] = ()
    version: str | None = None
    published_on: date | None = None
    history: tuple[HistoryEntry, ...] = ()

    @property
    def is_open(self) -> bool:
        return self.status == OPEN


# ------------------------------------------------------------------ events


@dataclass(frozen=True)
class Notify:
    to: str  # a role id, or "person:<id>"
    subject: str
    body: str
    cc: tuple[str, ...] = ()


@dataclass(frozen=True)
class DeadlineSet:
    what: str
    due: date
    who: tuple[str, ...]


@dataclass(frozen=True)
class AgendaItem:
    body: str
    purpose: str  # decision | information | full_approval


@dataclass(frozen=True)
class ConsultationClosed:
    agreed_by_silence: tuple[str, ...]


@dataclass(frozen=True)
class Published:
    version: str
    on: date
    next_review_due: date | None


@dataclass(frozen=True)
class ReviewCompleted:
    on: date
    no_change: bool
    next_review_due: date | None
    statement: str | None


@dataclass(frozen=True)
class CaseClosed:
    status: str


Event = Notify | DeadlineSet | AgendaItem | ConsultationClosed | Published | ReviewCompleted | CaseClosed


@dataclass(frozen=True)
class Outcome:
    case: Case
    events: tuple[Event, ...]


# ------------------------------------------------------------------ labels

def _doc_label(preset: Preset, case: Case) -> str:
    t = preset.document_types.get(case.document_type)
    return (t.label if t else case.document_type).lower()


def _wrong_role(preset: Preset, case: Case, role: str, action: str) -> WrongRole:
    label = preset.role_label(role)
    article = "the " if not label.lower().startswith(("the ", "a ")) else ""
    verb = actions.verb(action)
    return WrongRole(f"Only {article}{label} for this {_doc_label(preset, case)} can {verb}.")


# ------------------------------------------------------------------ helpers


def _route(preset: Preset, case: Case) -> Route:
    return preset.routes[case.route]


def _stage(preset: Preset, case: Case) -> Stage:
    return _route(preset, case).stage(case.stage)


def _holds(actor: Actor, role: str, case: Case) -> bool:
    if role.startswith("person:"):
        return actor.person_id == role[7:]
    if role not in actor.roles:
        return False
    listed = case.participants.get(role)
    if listed and role in ("rsm", "consultee"):
        return actor.person_id in listed
    return True


def _include(stage: Stage, case: Case) -> bool:
    if stage.optional and stage.id not in case.escalated:
        return False
    if stage.when:
        want = not stage.when.startswith("!")
        return bool(case.flags.get(stage.when.lstrip("!"), False)) == want
    return True


def _log(case: Case, today: date, actor: Actor, action: str, summary: str) -> Case:
    return dataclasses.replace(case, history=case.history + (HistoryEntry(today, actor.person_id, action, summary),))


def _enter(preset: Preset, case: Case, stage: Stage, today: date, cal: WorkingCalendar) -> tuple[Case, list[Event]]:
    case = dataclasses.replace(case, stage=stage.id, step="awaiting")
    events: list[Event] = []
    name = case.document_name
    if stage.kind == "consult":
        deadline = None
        meeting = None
        if stage.deadline is not None:
            if stage.deadline_from == "meeting" and stage.body:
                body = preset.bodies[stage.body]
                found = body.meeting.first_meeting_meeting_deadline(today, stage.deadline, cal) if body.meeting else None
                if found:
                    meeting, deadline = found
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
    return case, events


def _advance(preset: Preset, case: Case, today: date, cal: WorkingCalendar) -> tuple[Case, list[Event]]:
    route = _route(preset, case)
    i = route.index(case.stage)
    for stage in route.stages[i + 1:]:
        if stage.optional and stage.id not in case.escalated:
            continue
        if not _include(stage, case):
            continue
        # An optional stage reached by escalation is followed by the next mandatory stage.
        return _enter(preset, case, stage, today, cal)
    return dataclasses.replace(case, step="closed"), []


def _approvals_needed(case: Case, stage: Stage) -> tuple[str, ...]:
    if stage.all_holders and stage.by:
        return case.participants.get(stage.by, ())
    return ()


def _stage_approved(case: Case, stage: Stage) -> bool:
    approvers = {d.person_id for d in case.decisions if d.stage == stage.id and d.decision in ("approve", "approve_by_vote", "conditions_met", "director_approve")}
    needed = _approvals_needed(case, stage)
    if needed:
        return set(needed) <= approvers
    return bool(approvers)


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
    cal = calendar or WorkingCalendar(preset.nation)  # type: ignore[arg-type]
    parts = {k: tuple(v) for k, v in (participants or {}).items()}
    first = next(s for s in route.stages if not s.optional and not s.when)
    case = Case(
        preset=preset.key, kind=kind, route=route.id, document_type=document_type, category=category,
        document_name=document_name, stage=first.id, step="awaiting", status=OPEN, opened_on=today,
        requester=requester, participants=parts, trigger=trigger, reason=reason,
        history=(HistoryEntry(today, requester or "system", "opened", f"{kind.replace('_', ' ').capitalize()} opened"
                              + (f" (trigger: {trigger})" if trigger else "") + (f" (reason: {reason})" if reason else "")),),
    )
    case, events = _enter(preset, case, first, today, cal)
    if kind == "scheduled_update":
        # NCT-3: the PPO instructs each RO with the publisher's recommended amendments and notifies the RSMs.
        events.append(Notify("rsm", f"Scheduled update: {document_name}",
                             f"The Responsible Officer has been asked to review the publisher's recommended amendments to {document_name}."))
    if kind == "new_document" and first.kind == "agree_need":
        recipient = preset.request_recipient
        mailbox = f" ({preset.request_mailbox})" if preset.request_mailbox else ""
        events = [Notify(recipient, f"New document requested: {document_name}",
                         f"A new {_doc_label(preset, case)} has been requested{mailbox}. Please agree the need, ask for more, or decline.")]
    return Outcome(case, tuple(events))


# ------------------------------------------------------------------ what may happen


def _candidate_actions(preset: Preset, case: Case) -> list[tuple[str, str]]:
    """(action, role that may take it) for the case as it stands."""
    if not case.is_open:
        return []
    stage = _stage(preset, case)
    out: list[tuple[str, str]] = []
    if stage.kind == "agree_need":
        if case.step == "awaiting":
            out += [(a, stage.by or "") for a in ("agree_need", "ask_more", "decline_need")]
        elif case.step == "more_info":
            out += [("provide_information", "requester"), ("provide_information", "ro")]
    elif stage.kind == "draft":
        out += [("submit_draft", "ro")]
        if "eia" in stage.records:
            out.append(("record_eia", "ro"))
        if "legal_review" in stage.records:
            out.append(("record_legal", "ro"))
        if "workshops" in stage.records:
            out.append(("record_workshop", "ro"))
        if case.kind in REVIEW_KINDS and case.drafts == 0:
            out.append(("no_change", "ro"))
    elif stage.kind == "legal_review":
        out.append(("legal_cleared", stage.by or "legal"))
    elif stage.kind == "consult":
        out += [("respond_agree", "consultee"), ("respond_comment", "consultee")]
        for role in ("system", "ppo", "ro") + ((preset.request_recipient,) if preset.request_recipient else ()):
            out.append(("close_consultation", role))
    elif stage.kind == "sign_off":
        if case.step == "awaiting":
            for d in stage.decisions:
                if d in ("defer", "refer") and not stage.escalate_to:
                    continue
                out.append((d, stage.by or ""))
            for alt in stage.alternatives:
                if not (alt.effect == "interim" and case.flags.get("interim_approved")):
                    out.append((alt.decision, alt.by))
        elif case.step == "conditions":
            out.append(("submit_amendments", "ro"))
        elif case.step == "checking":
            checker = next((c.checker for c in case.conditions if c.stage == stage.id and not c.met), stage.conditions_checked_by or "")
            out += [("confirm_conditions_met", checker), ("conditions_not_met", checker)]
    elif stage.kind == "decision":
        out += [("decide_yes", stage.by or ""), ("decide_no", stage.by or "")]
    elif stage.kind == "publish":
        out.append(("publish", stage.by or ""))
    for role in ("ro", "requester", preset.request_recipient):
        out.append(("withdraw", role))
    return out


def available_actions(preset: Preset, case: Case, actor: Actor, today: date) -> list[ActionSpec]:
    stage = _stage(preset, case) if case.is_open else None
    seen: set[str] = set()
    specs: list[ActionSpec] = []
    for action, role in _candidate_actions(preset, case):
        if action in seen or not _holds(actor, role, case):
            continue
        if action in ("respond_agree", "respond_comment") and actor.person_id in case.responses:
            continue
        if stage and stage.kind == "sign_off" and action in stage.decisions and any(
            d.stage == stage.id and d.person_id == actor.person_id for d in case.decisions
        ):
            continue
        if action == "close_consultation" and not _may_close(case, today) and role != "system":
            continue
        seen.add(action)
        alt = next((a for a in stage.alternatives if a.decision == action), None) if stage else None
        declared = actions.action(action)
        label = declared.label if declared else (alt.label if alt else action)
        needs_text = declared.needs_text if declared else False
        text_label = declared.text_label if declared else None
        if action in ("decide_yes", "decide_no") and stage and stage.question:
            label = f"{label}: {stage.question}"
        specs.append(ActionSpec(action, label, needs_text, text_label))
    return specs


def who_must_act(preset: Preset, case: Case) -> list[str]:
    """Roles (or person:<id>) the case is waiting for: the basis of 'my tasks' and reminders."""
    if not case.is_open:
        return []
    stage = _stage(preset, case)
    if stage.kind == "consult":
        return [f"person:{p}" for p in case.participants.get("consultee", ()) if p not in case.responses]
    if stage.kind == "sign_off" and case.step == "awaiting":
        needed = _approvals_needed(case, stage)
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
    return (case.is_open and _stage(preset, case).kind == "consult" and case.consult_deadline is not None
            and today > case.consult_deadline)


def _may_close(case: Case, today: date) -> bool:
    consultees = case.participants.get("consultee", ())
    everyone = all(p in case.responses for p in consultees)
    return everyone or (case.consult_deadline is not None and today > case.consult_deadline)


# ------------------------------------------------------------------ applying


def apply(
    preset: Preset, case: Case, action: Action, actor: Actor, today: date, *, calendar: WorkingCalendar | None = None
) -> Outcome:
    cal = calendar or WorkingCalendar(preset.nation)  # type: ignore[arg-type]
    if case.preset != preset.key:
        raise NotAllowed("This case belongs to another organisation's process.")
    if not case.is_open:
        raise NotAllowed(f"{case.document_name} is no longer open for decisions (it is {case.status.replace('_', ' ')}).")
    candidates = _candidate_actions(preset, case)
    roles_for_action = [role for a, role in candidates if a == action.kind]
    stage = _stage(preset, case)
    if not roles_for_action:
        known = {a for a, _ in candidates}
        hint = ""
        if known:
            hint = " What can happen now: " + ", ".join(sorted(actions.label(a).lower() for a in known)) + "."
        raise NotAllowed(f"That can't be done while {case.document_name} is at '{stage.label}'" +
                         (" (waiting for the conditions to be met)" if case.step in ("conditions", "checking") else "") + f".{hint}")
    if not any(_holds(actor, role, case) for role in roles_for_action):
        raise _wrong_role(preset, case, roles_for_action[0], action.kind)
    text = (action.text or "").strip() or None
    declared = actions.action(action.kind)
    if declared and declared.needs_text and not text:
        asked = declared.text_label or "why"
        raise MissingInformation(f"Please say {asked[0].lower() + asked[1:]}: it is required.")
    handler = _HANDLERS[stage.kind] if action.kind != "withdraw" else _withdraw
    new_case, events = handler(preset, case, stage, action, actor, today, cal, text)
    return Outcome(new_case, tuple(events))


def _withdraw(preset, case, stage, action, actor, today, cal, text):
    case = _log(case, today, actor, "withdraw", f"Withdrawn: {text}")
    case = dataclasses.replace(case, status="withdrawn", step="closed")
    return case, [CaseClosed("withdrawn"), Notify("ro", f"Withdrawn: {case.document_name}", text or "", cc=("rsm",))]


def _agree_need(preset, case, stage, action, actor, today, cal, text):
    if action.kind == "agree_need":
        case = _log(case, today, actor, "agree_need", "Need agreed")
        case, events = _advance(preset, case, today, cal)
        return case, [Notify("requester", f"Agreed: {case.document_name}", "The need for this document has been agreed."), *events]
    if action.kind == "decline_need":
        case = _log(case, today, actor, "decline_need", f"Declined: {text}")
        case = dataclasses.replace(case, status="declined", step="closed")
        return case, [CaseClosed("declined"), Notify("requester", f"Declined: {case.document_name}", text or "")]
    if action.kind == "ask_more":
        case = _log(case, today, actor, "ask_more", f"More information asked for: {text}")
        return dataclasses.replace(case, step="more_info"), [Notify("requester", f"More information needed: {case.document_name}", text or "")]
    case = _log(case, today, actor, "provide_information", f"Information added: {text}")
    return dataclasses.replace(case, step="awaiting"), [Notify(stage.by or "", f"More information: {case.document_name}", text or "")]


def _draft(preset, case, stage, action, actor, today, cal, text):
    data = action.data or {}
    if action.kind == "record_eia":
        required = _yes_no(data.get("required"), "Is an Equality Impact Assessment needed? Answer yes or no.")
        case = dataclasses.replace(case, flags={**case.flags, "eia_required": required})
        return _log(case, today, actor, "record_eia", f"EIA {'needed' if required else 'not needed'}" + (f": {text}" if text else "")), []
    if action.kind == "record_legal":
        required = _yes_no(data.get("required"), "Is a legal review needed? Answer yes or no.")
        case = dataclasses.replace(case, flags={**case.flags, "legal_review_required": required})
        return _log(case, today, actor, "record_legal", f"Legal review {'needed' if required else 'not needed'}" + (f": {text}" if text else "")), []
    if action.kind == "record_workshop":
        case = dataclasses.replace(case, workshops=case.workshops + (text or "",))
        return _log(case, today, actor, "record_workshop", f"Co-production workshop recorded: {text}"), []
    if action.kind == "no_change":
        first_sign_off = next((s for s in _route(preset, case).stages if s.kind == "sign_off" and _include(s, case)), None)
        statement = preset.no_change_statement.format(name=case.document_name)
        case = dataclasses.replace(case, flags={**case.flags, "no_change": True})
        case = _log(case, today, actor, "no_change", statement)
        case, events = _enter(preset, case, first_sign_off, today, cal)
        return case, [Notify(first_sign_off.by or "rsm", f"Reviewed, no changes: {case.document_name}", statement), *events]
    # submit_draft
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
    case = _log(case, today, actor, "submit_draft", f"Draft {case.drafts} submitted ({name})")
    return _advance(preset, case, today, cal)


def _yes_no(value, question: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("yes", "y", "true"):
        return True
    if isinstance(value, str) and value.strip().lower() in ("no", "n", "false"):
        return False
    raise MissingInformation(question)


def _legal(preset, case, stage, action, actor, today, cal, text):
    case = _log(case, today, actor, "legal_cleared", "Legal review complete" + (f": {text}" if text else ""))
    case, events = _advance(preset, case, today, cal)
    return case, [Notify("ro", f"Legal review complete: {case.document_name}", text or "No comments."), *events]


def _consult(preset, case, stage, action, actor, today, cal, text):
    if action.kind in ("respond_agree", "respond_comment"):
        if actor.person_id in case.responses:
            raise NotAllowed("You have already responded to this consultation.")
        answer = "agreed" if action.kind == "respond_agree" else "commented"
        case = dataclasses.replace(case, responses={**case.responses, actor.person_id: answer})
        summary = "Agreed" if answer == "agreed" else f"Commented: {text}"
        case = _log(case, today, actor, action.kind, summary)
        return case, ([Notify("ro", f"Consultation comment: {case.document_name}", text or "")] if text else [])
    if not _may_close(case, today):
        due = f"{long_date(case.consult_deadline)}" if case.consult_deadline else "its deadline"
        raise NotAllowed(f"The consultation stays open until {due} unless everyone has responded.")
    silent = tuple(p for p in case.participants.get("consultee", ()) if p not in case.responses)
    responses = {**case.responses, **{p: "agreed_by_silence" for p in silent}}
    case = dataclasses.replace(case, responses=responses)
    summary = "Consultation closed" + (f"; no response from {len(silent)}, recorded as agreement (BCT-5)" if silent else "")
    case = _log(case, today, actor, "close_consultation", summary)
    case, events = _advance(preset, case, today, cal)
    return case, [ConsultationClosed(silent), *events]


def _sign_off(preset, case, stage, action, actor, today, cal, text):
    kind = action.kind
    name = case.document_name
    if case.step == "conditions":
        tracked = bool((action.data or {}).get("tracked_changes"))
        if preset.amendments_must_be_tracked and not tracked:
            raise NotAllowed("The amended draft must show its amendments as tracked changes.")
        case = dataclasses.replace(case, step="checking", drafts=case.drafts + 1)
        case = _log(case, today, actor, "submit_amendments", "Amended draft submitted for the conditions to be checked")
        checker = next(c.checker for c in case.conditions if c.stage == stage.id and not c.met)
        return case, [Notify(checker, f"Check the conditions: {name}", "The amended draft is ready for you to check against the conditions.")]
    if case.step == "checking":
        if kind == "conditions_not_met":
            case = _log(case, today, actor, kind, f"Conditions not met: {text}")
            return dataclasses.replace(case, step="conditions"), [Notify("ro", f"Conditions not yet met: {name}", text or "")]
        conditions = tuple(dataclasses.replace(c, met=True) if c.stage == stage.id else c for c in case.conditions)
        setters = {c.set_by for c in case.conditions if c.stage == stage.id}
        decisions = case.decisions + tuple(Decision(stage.id, s, "conditions_met", today, f"checked by {actor.person_id}") for s in sorted(setters))
        case = dataclasses.replace(case, conditions=conditions, decisions=decisions, step="awaiting")
        case = _log(case, today, actor, kind, "Conditions confirmed as met")
        return _after_approval(preset, case, stage, today, cal)
    # awaiting a decision
    if any(d.stage == stage.id and d.person_id == actor.person_id for d in case.decisions):
        raise NotAllowed("You have already recorded your decision on this.")
    alt = next((a for a in stage.alternatives if a.decision == kind), None)
    if alt is not None:
        if alt.effect == "information_item":
            case = dataclasses.replace(case, decisions=case.decisions + (Decision(stage.id, actor.person_id, "director_approve", today, text),))
            case = _log(case, today, actor, kind, alt.label)
            case, events = _advance(preset, case, today, cal)
            return case, [AgendaItem(stage.body or "", "information"), *events]
        case = dataclasses.replace(case, flags={**case.flags, "interim_approved": True})
        case = _log(case, today, actor, kind, alt.label)
        return case, [AgendaItem(stage.body or "", "full_approval"), Notify("ro", f"Interim approval: {name}", alt.label)]
    if kind == "approve":
        case = dataclasses.replace(case, decisions=case.decisions + (Decision(stage.id, actor.person_id, "approve", today, text),))
        case = _log(case, today, actor, "approve", f"Approved at '{stage.label}'")
        case, events = _after_approval(preset, case, stage, today, cal)
        # The author is told of every decision, Approve included (issue 17, item 6).
        return case, [Notify("ro", f"Approved: {name}", f"Approved at {stage.label}."), *events]
    if kind == "approve_by_vote":
        votes = (action.data or {})
        try:
            for_, against = int(votes.get("for")), int(votes.get("against"))
        except (TypeError, ValueError):
            raise MissingInformation("Please give the votes for and against as whole numbers.") from None
        if for_ <= against:
            raise NotAllowed(f"The vote did not carry ({for_} for, {against} against), so it is not approved. Refer it instead.")
        case = dataclasses.replace(case, decisions=case.decisions + (Decision(stage.id, actor.person_id, "approve_by_vote", today, f"{for_} for, {against} against"),))
        case = _log(case, today, actor, kind, f"Approved by vote, {for_} for and {against} against")
        return _after_approval(preset, case, stage, today, cal)
    if kind == "approve_with_conditions":
        back = bool((action.data or {}).get("return_to_me"))
        checker = f"person:{actor.person_id}" if back else (stage.conditions_checked_by or stage.by or "")
        case = dataclasses.replace(
            case,
            conditions=case.conditions + (Condition(text or "", stage.id, actor.person_id, checker),),
            step="conditions",
        )
        case = _log(case, today, actor, kind, f"Approved with conditions: {text}")
        checker_label = "the person who set them" if back else "the " + preset.role_label(checker)
        return case, [Notify("ro", f"Approved with conditions: {name}",
                             f"Please amend the draft as follows, then resubmit it for {checker_label} to check: {text}")]
    if kind in ("defer", "refer"):
        target = _route(preset, case).stage(stage.escalate_to)
        case = dataclasses.replace(
            case,
            escalated=case.escalated + (target.id,),
            decisions=case.decisions + (Decision(stage.id, actor.person_id, kind, today, text),),
        )
        word = "Deferred" if kind == "defer" else "Referred"
        case = _log(case, today, actor, kind, f"{word} to '{target.label}': {text}")
        case, events = _enter(preset, case, target, today, cal)
        return case, [Notify("ro", f"{word}: {name}", f"{word} to {target.label}: {text}", cc=("rsm",)), *events]
    # not_approved: back to the nearest earlier draft stage
    route = _route(preset, case)
    i = route.index(stage.id)
    draft = next((s for s in reversed(route.stages[:i]) if s.kind == "draft"), route.stages[0])
    case = _log(case, today, actor, kind, f"Not approved: {text}")
    case = dataclasses.replace(case, stage=draft.id, step="awaiting")
    return case, [Notify("ro", f"Not approved: {name}", text or "")]


def _after_approval(preset, case, stage, today, cal):
    if not _stage_approved(case, stage):
        return case, []  # NCT-7: waiting for the other RSMs
    if case.flags.get("no_change"):
        doc_type = preset.document_types.get(case.document_type)
        due = next_review_due(today, doc_type.review, cal) if doc_type and doc_type.review else None
        statement = preset.no_change_statement.format(name=case.document_name)
        case = dataclasses.replace(case, status="reviewed_no_change", step="closed")
        events: list[Event] = [ReviewCompleted(today, True, due, statement), CaseClosed("reviewed_no_change"),
                               Notify("ppo", f"Review agreed, no changes: {case.document_name}", statement)]
        if case.kind == "unscheduled_review" and case.requester:
            events.append(Notify(f"person:{case.requester}", f"Review outcome: {case.document_name}",
                                 f"{statement} The review was prompted by: {case.trigger}.", cc=("rsm",)))  # NCT-15
        return case, events
    return _advance(preset, case, today, cal)


def _decision(preset, case, stage, action, actor, today, cal, text):
    value = action.kind == "decide_yes"
    case = dataclasses.replace(case, flags={**case.flags, stage.flag: value})
    case = _log(case, today, actor, action.kind, f"{stage.label} {'Yes' if value else 'No'}")
    return _advance(preset, case, today, cal)


def _publish(preset, case, stage, action, actor, today, cal, text):
    data = action.data or {}
    version = str(data.get("version") or "").strip()
    if not version:
        raise MissingInformation("Please give the version number being published (for example 2.0).")
    on = data.get("published_on") or today
    if isinstance(on, str):
        try:
            on = date.fromisoformat(on)
        except ValueError:
            raise MissingInformation("Please give the publication date as a date, for example 2026-11-23.") from None
    doc_type = preset.document_types.get(case.document_type)
    due = next_review_due(on, doc_type.review, cal) if doc_type and doc_type.review else None
    case = dataclasses.replace(case, status="published", step="closed", version=version, published_on=on)
    case = _log(case, today, actor, "publish", f"Published as version {version} on {long_date(on)}")
    return case, [Published(version, on, due), CaseClosed("published"),
                  Notify("ro", f"Published: {case.document_name}", f"Version {version} is published.", cc=("rsm",))]


_HANDLERS = {
    "agree_need": _agree_need,
    "draft": _draft,
    "legal_review": _legal,
    "consult": _consult,
    "sign_off": _sign_off,
    "decision": _decision,
    "publish": _publish,
}


def required_sign_offs(preset: Preset, case: Case) -> list[Stage]:
    """The sign-off stages whose approval this case needs, given its flags and escalations.

    A stage that deferred or referred the document (NCT-8, BCT-7, DOR-4) hands the decision to
    the stage it escalated to, so that stage's approval is required instead of its own."""
    route = _route(preset, case)
    handed_on = {d.stage for d in case.decisions if d.decision in ("defer", "refer")}
    return [s for s in route.stages if s.kind == "sign_off" and _include(s, case) and s.id not in handed_on]


def with_participants(case: Case, role: str, people: tuple[str, ...], actor: Actor, today: date, summary: str) -> Case:
    """The people holding a document role for this case changed (NCT-7: another RSM named by the
    PPO); the change is part of the case's history. Decisions already made stand."""
    case = dataclasses.replace(case, participants={**case.participants, role: tuple(dict.fromkeys(people))})
    return _log(case, today, actor, f"set_{role}", summary)


def retire(preset: Preset, actor: Actor, document_name: str, reason: str | None) -> Notify:
    """Retiring a document: only whoever publishes documents in this process, with a reason."""
    publisher = next((s.by for r in preset.routes.values() for s in r.stages if s.kind == "publish"), "ppo")
    if publisher not in actor.roles:
        raise WrongRole(f"Only the {preset.role_label(publisher)} can retire a document.")
    if not reason or not reason.strip():
        raise MissingInformation("Please say why the document is being retired.")
    return Notify("ro", f"Retired: {document_name}", reason.strip(), cc=("rsm",))


# ------------------------------------------------------------------ JSON


def _enc(v: Any) -> Any:
    if isinstance(v, date):
        return {"$date": v.isoformat()}
    if dataclasses.is_dataclass(v):
        return {k: _enc(getattr(v, k)) for k in (f.name for f in dataclasses.fields(v))}
    if isinstance(v, (tuple, list)):
        return [_enc(x) for x in v]
    if isinstance(v, Mapping):
        return {k: _enc(x) for k, x in v.items()}
    return v


def _dec(v: Any) -> Any:
    if isinstance(v, dict):
        if set(v) == {"$date"}:
            return date.fromisoformat(v["$date"])
        return {k: _dec(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_dec(x) for x in v]
    return v


def case_to_dict(case: Case) -> dict:
    return _enc(case)


def case_from_dict(d: Mapping) -> Case:
    raw = _dec(dict(d))
    raw["participants"] = {k: tuple(v) for k, v in raw.get("participants", {}).items()}
    raw["decisions"] = tuple(Decision(**x) for x in raw.get("decisions", []))
    raw["conditions"] = tuple(Condition(**x) for x in raw.get("conditions", []))
    raw["history"] = tuple(HistoryEntry(**x) for x in raw.get("history", []))
    for key in ("escalated", "workshops"):
        raw[key] = tuple(raw.get(key, []))
    return Case(**raw)


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
