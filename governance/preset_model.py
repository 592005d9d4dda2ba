"""What a preset is, once read: roles, bodies and their meetings, document types, routes of stages,
the update cycle. Frozen values; governance/preset.py reads them from the YAML files."""

from __future__ import annotations

from dataclasses import dataclass, field

from governance.calendar import (
    Nation,
    DeadlineRule,
    MeetingCalendar,
    ReviewInterval,
)
from governance.errors import NotAllowed

# The presets are package data beside this module, read through importlib.resources; this is
# the only reading governance does, and it never writes.
PRESET_PACKAGE = "governance.presets"
COMMON_FILE = "common.yaml"

STAGE_KINDS = ("agree_need", "draft", "legal_review", "consult", "sign_off", "decision", "publish")
DECISIONS = ("approve", "approve_with_conditions", "defer", "refer", "not_approved", "approve_by_vote")
CASE_KINDS = ("new_document", "scheduled_update", "scheduled_review", "unscheduled_review", "amendment")
# Roles every preset understands: the document's owners, and the bot itself (deadlines).
# Scheduled summaries a preset may ask for.
DIGESTS = ("weekly_published", "monthly_approved")  # BCT-9 weekly email; DOR-13 monthly communication

BUILTIN_ROLES = {
    "ro": ("Responsible Officer", "document"),
    "rsm": ("Responsible Strategic Manager", "document"),
    "requester": ("person who made the request", "document"),
    "consultee": ("consultee", "document"),
    "system": ("policybot", "organisation"),
}


@dataclass(frozen=True)
class RoleDef:
    id: str
    label: str
    scope: str  # document | organisation | body


@dataclass(frozen=True)
class Body:
    id: str
    name: str
    chair_role: str
    member_role: str
    higher_body: str | None = None
    meeting: MeetingCalendar | None = None
    item_deadline: DeadlineRule | None = None
    papers_deadline: DeadlineRule | None = None
    response_deadline: DeadlineRule | None = None
    vice_chair_role: str = ""
    aliases: tuple[str, ...] = ()  # short names people use: PPG, DLG
    quorum: tuple[tuple[str, int], ...] = ()  # DOR-11: (role, at least) that must attend
    absence_escalation: tuple[int, str] | None = None  # DOR-11: (successive absences, role told)
    absence_exempt: tuple[str, ...] = ()  # DOR-11, ToR 7.3: roles never escalated for absence (Heads of Locality, QA Managers)
    reports: tuple[str, ...] = ()  # DOR-13: after_meeting, monthly, annual


BODY_REPORTS = ("after_meeting", "monthly", "annual")


@dataclass(frozen=True)
class DocType:
    id: str
    label: str
    description: str
    mandatory: bool = False
    review: ReviewInterval | None = None


@dataclass(frozen=True)
class Alternative:
    """Another way through a sign-off stage (DOR-5): who may use it and what follows."""

    decision: str
    by: str
    effect: str  # information_item | interim
    label: str


@dataclass(frozen=True)
class Stage:
    id: str
    kind: str
    label: str
    by: str | None = None
    all_holders: bool = False  # every holder of `by` must approve (NCT-7: several RSMs)
    decisions: tuple[str, ...] = ()
    escalate_to: str | None = None  # the stage a defer/refer goes to (NCT-8, BCT-7, DOR-4)
    escalate_label: str | None = None  # the defer/refer button's words here ("Defer to SLT", NCT-8)
    escalate_asks: str | None = None  # what the defer/refer asks for here (NCT-8: the discussion with the AD)
    escalate_note: str | None = None  # how that answer is shown to the higher body ("Discussed with the Assistant Director")
    conditions_checked_by: str | None = None  # NCT-8/NCT-9: who checks amended drafts
    when: str | None = None  # a flag decided earlier (LBBD-9 key decision); skipped when false
    optional: bool = False  # entered only by escalation
    body: str | None = None
    deadline: DeadlineRule | None = None  # consultation deadline
    deadline_from: str = "start"  # start | meeting
    shared: DeadlineRule | None = None  # BCT-8: shared with the consultees this long before the meeting
    records: tuple[str, ...] = ()  # decisions that must be recorded here: eia, legal_review, workshops
    flag: str | None = None  # for kind 'decision': the flag it sets
    question: str | None = None
    alternatives: tuple[Alternative, ...] = ()
    via_publisher: bool = False  # publish: submitted to the publisher, then published in an edition (NCT-10)
    tells: tuple[tuple[str, str], ...] = ()  # (role, words): told when the stage is done (LBBD-9, LBBD-10)


@dataclass(frozen=True)
class Route:
    id: str
    label: str
    kinds: tuple[str, ...]
    stages: tuple[Stage, ...]
    categories: tuple[str, ...] = ()
    doc_types: tuple[str, ...] = ()

    def stage(self, stage_id: str) -> Stage:
        for s in self.stages:
            if s.id == stage_id:
                return s
        raise KeyError(stage_id)

    def index(self, stage_id: str) -> int:
        return [s.id for s in self.stages].index(stage_id)


@dataclass(frozen=True)
class UpdateCycle:
    """Scheduled publisher updates (NCT-2, NCT-4)."""

    per_year: int
    review_weeks: int
    next_update_months: int


@dataclass(frozen=True)
class Preset:
    key: str
    name: str
    seed: str
    nation: Nation
    roles: dict[str, RoleDef]
    bodies: dict[str, Body]
    document_types: dict[str, DocType]
    categories: tuple[str, ...]
    routes: dict[str, Route]
    request_recipient: str
    request_mailbox: str | None
    reminder_offsets: tuple[int, ...]
    escalation_steps: tuple[tuple[int, str], ...]  # (months overdue, role) — DOR-12
    review_triggers: tuple[str, ...]  # NCT-13
    amendment_reasons: tuple[str, ...]  # BCT-11
    checklist: tuple[str, ...]  # NCT-16
    no_change_statement: str  # NCT-12
    amendments_must_be_tracked: bool  # NCT-6
    update_cycle: UpdateCycle | None = None
    publication_steps: tuple[str, ...] = ()
    digests: tuple[str, ...] = ()  # weekly_published (BCT-9), monthly_approved (DOR-13)
    category_reviews: dict[str, ReviewInterval] = field(default_factory=dict)  # BCT-10: by category

    def review_interval(self, document_type: str | None, category: str | None) -> ReviewInterval | None:
        """How often a document is reviewed: its category's interval where the preset names one
        (BCT-10: bespoke Trix chapters six-monthly, practice guidance yearly), else its type's."""
        if category and category in self.category_reviews:
            return self.category_reviews[category]
        doc_type = self.document_types.get(document_type or "")
        return doc_type.review if doc_type else None

    def role_label(self, role: str) -> str:
        base = role.split(":", 1)
        if len(base) == 2 and base[1] in self.bodies:
            body = self.bodies[base[1]]
            which = {"chair": "chair", "vice_chair": "vice-chair"}.get(base[0], "member")
            return f"{which} of the {body.name}"
        r = self.roles.get(role)
        return r.label if r else role

    def route_for(self, kind: str, document_type: str | None, category: str | None) -> Route:
        for route in self.routes.values():
            if kind not in route.kinds:
                continue
            if route.categories and category not in route.categories:
                continue
            if route.doc_types and document_type not in route.doc_types:
                continue
            return route
        what = f"a {kind.replace('_', ' ')}"
        if category:
            what += f" in the category '{category}'"
        raise NotAllowed(f"The {self.name} process has no route for {what}.")
