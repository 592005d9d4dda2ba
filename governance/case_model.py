"""A case (one piece of work on one document) as values: who acts, what they did, the case itself,
the events a step causes, and the case written to and read from JSON. Pure."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

OPEN = "open"
_REF_FIRST = re.compile(r"^[A-Za-z]{2,6}-\d{1,5}\s+")
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
    document_title: str | None = None  # the title alone, without its reference (NCT-12's sentence)
    notes: Mapping[str, Any] = field(default_factory=dict)  # what a process records beside the steps (issue 18)

    @property
    def is_open(self) -> bool:
        return self.status == OPEN

    @property
    def title(self) -> str:
        """The document's title without its reference ('Placement with Foster Carers')."""
        return self.document_title or _REF_FIRST.sub("", self.document_name)


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
    on: date | None = None  # the meeting the case's timeline chose (BCT-4: consultation for that meeting)


@dataclass(frozen=True)
class ConsultationClosed:
    agreed_by_silence: tuple[str, ...]


@dataclass(frozen=True)
class Published:
    version: str
    on: date
    next_review_due: date | None
    launch_planned: bool = False  # BCT-9: announced by its launch, not the news and the weekly email
    edition: str | None = None  # NCT-10: the edition of the manual it appeared in


@dataclass(frozen=True)
class SubmittedToPublisher:
    """NCT-10: the approved procedure is with the publisher for the next edition."""

    on: date


@dataclass(frozen=True)
class ReviewCompleted:
    on: date
    no_change: bool
    next_review_due: date | None
    statement: str | None


@dataclass(frozen=True)
class CaseClosed:
    status: str


@dataclass(frozen=True)
class Tell:
    """LBBD-9, LBBD-10: everyone holding a role is told of a step, and the telling is recorded."""

    role: str
    subject: str
    body: str
    record: str  # what the document's history says ("Shared with the Heads of Service")
    stage: str | None = None  # its stage: the members of the stage's body are not told again (LBBD-9 "other")


@dataclass(frozen=True)
class ImplementationNeeds:
    """DOR-14: the forms, training and system changes a document needs, each a tracked action."""

    forms: tuple[str, ...]
    training: tuple[str, ...]
    systems: tuple[str, ...]
    body: str | None  # the body whose meetings follow the actions up (DOR-9's outstanding actions)


Event = (Notify | DeadlineSet | AgendaItem | ConsultationClosed | Published | SubmittedToPublisher | ReviewCompleted
         | CaseClosed | Tell | ImplementationNeeds)


@dataclass(frozen=True)
class Outcome:
    case: Case
    events: tuple[Event, ...]


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


def case_to_dict(case: Case) -> dict[str, Any]:
    return {f.name: _enc(getattr(case, f.name)) for f in dataclasses.fields(case)}


def case_from_dict(d: Mapping[str, Any]) -> Case:
    raw = _dec(dict(d))
    raw["participants"] = {k: tuple(v) for k, v in raw.get("participants", {}).items()}
    raw["decisions"] = tuple(Decision(**x) for x in raw.get("decisions", []))
    raw["conditions"] = tuple(Condition(**x) for x in raw.get("conditions", []))
    raw["history"] = tuple(HistoryEntry(**x) for x in raw.get("history", []))
    for key in ("escalated", "workshops"):
        raw[key] = tuple(raw.get(key, []))
    return Case(**raw)
