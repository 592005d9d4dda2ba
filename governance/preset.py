"""Presets: an organisation's governance process as a data file a policy officer can read.

`load_preset("nct")` reads governance/presets/nct.yaml, applies the organisation's
overrides, and validates it; any fault raises PresetError naming the file and line.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any, Mapping

import yaml

from governance.calendar import (
    NATIONS,
    DeadlineRule,
    MeetingCalendar,
    ReviewInterval,
    parse_deadline_rule,
    parse_meeting_calendar,
)
from governance.errors import NotAllowed, PresetError

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
    conditions_checked_by: str | None = None  # NCT-8/NCT-9: who checks amended drafts
    when: str | None = None  # a flag decided earlier (LBBD-9 key decision); skipped when false
    optional: bool = False  # entered only by escalation
    body: str | None = None
    deadline: DeadlineRule | None = None  # consultation deadline
    deadline_from: str = "start"  # start | meeting
    records: tuple[str, ...] = ()  # decisions that must be recorded here: eia, legal_review, workshops
    flag: str | None = None  # for kind 'decision': the flag it sets
    question: str | None = None
    alternatives: tuple[Alternative, ...] = ()


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
    nation: str
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


# ---------------------------------------------------------------- loading


class _Lines:
    """Remembers the line of every mapping key and list item, by path."""

    def __init__(self) -> None:
        self.by_path: dict[tuple, int] = {}

    def line(self, *path: Any) -> int | None:
        p = tuple(path)
        while p:
            if p in self.by_path:
                return self.by_path[p]
            p = p[:-1]
        return self.by_path.get((), None)


def _plain(node: yaml.Node, path: tuple, lines: _Lines, loader: yaml.SafeLoader) -> Any:
    lines.by_path.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        out: dict = {}
        for k, v in node.value:
            key = k.value
            lines.by_path[path + (key,)] = k.start_mark.line + 1
            out[key] = _plain(v, path + (key,), lines, loader)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_plain(v, path + (i,), lines, loader) for i, v in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


def _compose(text: str, filename: str) -> tuple[Any, _Lines]:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise PresetError(filename, mark.line + 1 if mark else None, f"not valid YAML: {getattr(exc, 'problem', exc)}") from None
    lines = _Lines()
    if node is None:
        raise PresetError(filename, 1, "the file is empty")
    loader = yaml.SafeLoader("")
    try:
        return _plain(node, (), lines, loader), lines
    finally:
        loader.dispose()


def _merge(base: Any, over: Any) -> Any:
    if isinstance(base, dict) and isinstance(over, Mapping):
        out = dict(base)
        for k, v in over.items():
            out[k] = _merge(base.get(k), v) if k in base else copy.deepcopy(v)
        return out
    return copy.deepcopy(over)


class _Builder:
    def __init__(self, raw: dict, lines: _Lines, filename: str) -> None:
        self.raw = raw
        self.lines = lines
        self.file = filename

    def fail(self, path: tuple, fault: str) -> PresetError:
        return PresetError(self.file, self.lines.line(*path), fault)

    def get(self, mapping: Any, key: str, path: tuple, kind: type | tuple = str, required: bool = True, default: Any = None):
        if not isinstance(mapping, dict):
            raise self.fail(path, "expected a mapping of names to values here")
        if key not in mapping or mapping[key] is None:
            if required:
                raise self.fail(path, f"'{key}' is missing")
            return default
        value = mapping[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
            raise self.fail(path + (key,), f"'{key}' should be a {names}, not {type(value).__name__}")
        return value

    def _digests(self, r: dict) -> tuple[str, ...]:
        digests = self.get(r, "digests", (), list, required=False, default=[])
        for i, d in enumerate(digests):
            if d not in DIGESTS:
                raise self.fail(("digests", i), f"unknown digest '{d}' (known: {', '.join(DIGESTS)})")
        return tuple(digests)

    def build(self) -> Preset:
        r, p = self.raw, ()
        if not isinstance(r, dict):
            raise self.fail(p, "a preset file must be a mapping (key: value lines)")
        known_top = {
            "key", "name", "seed", "nation", "roles", "bodies", "document_types", "categories", "routes", "request",
            "reviews", "amendment_reasons", "checklist", "update_cycle", "publication", "amendments_must_be_tracked", "digests",
        }
        for k in r:
            if k not in known_top:
                raise self.fail((k,), f"unknown setting '{k}' (known: {', '.join(sorted(known_top))})")
        nation = self.get(r, "nation", p, required=False, default="england")
        if nation not in NATIONS:
            raise self.fail(("nation",), f"unknown nation '{nation}' (use {', '.join(NATIONS)})")

        roles = {rid: RoleDef(rid, label, scope) for rid, (label, scope) in BUILTIN_ROLES.items()}
        for rid, spec in (self.get(r, "roles", p, dict)).items():
            path = ("roles", rid)
            label = self.get(spec, "label", path)
            scope = self.get(spec, "scope", path, required=False, default="organisation")
            if scope not in ("document", "organisation", "body"):
                raise self.fail(path + ("scope",), f"scope must be document, organisation or body, not '{scope}'")
            roles[rid] = RoleDef(rid, label, scope)

        bodies: dict[str, Body] = {}
        for bid, spec in (self.get(r, "bodies", p, dict, required=False, default={})).items():
            path = ("bodies", bid)
            meeting = None
            if isinstance(spec, dict) and spec.get("meetings"):
                m = spec["meetings"]
                mpath = path + ("meetings",)
                rule = self.get(m, "rule", mpath)
                anchor = self.get(m, "from", mpath, (date, str))
                try:
                    anchor = anchor if isinstance(anchor, date) else date.fromisoformat(anchor)
                    meeting = parse_meeting_calendar(
                        rule, anchor,
                        added=[self._date(x, mpath + ("added",)) for x in m.get("added") or []],
                        cancelled=[self._date(x, mpath + ("cancelled",)) for x in m.get("cancelled") or []],
                    )
                except ValueError as exc:
                    raise self.fail(mpath + ("rule",), str(exc)) from None
            bodies[bid] = Body(
                id=bid,
                name=self.get(spec, "name", path),
                chair_role=f"chair:{bid}",
                member_role=f"member:{bid}",
                higher_body=self.get(spec, "higher_body", path, required=False),
                meeting=meeting,
                item_deadline=self._rule(spec, "item_deadline", path),
                papers_deadline=self._rule(spec, "papers_deadline", path),
                response_deadline=self._rule(spec, "response_deadline", path),
                vice_chair_role=f"vice_chair:{bid}",
                aliases=tuple(str(a) for a in self.get(spec, "aliases", path, list, required=False, default=[])),
                quorum=self._quorum(spec, path),
                absence_escalation=self._absences(spec, path),
                reports=self._reports(spec, path),
            )
        for bid, body in bodies.items():
            if body.higher_body and body.higher_body not in bodies:
                raise self.fail(("bodies", bid, "higher_body"), f"unknown body '{body.higher_body}'")
            roles.setdefault(body.chair_role, RoleDef(body.chair_role, f"chair of the {body.name}", "body"))
            roles.setdefault(body.member_role, RoleDef(body.member_role, f"member of the {body.name}", "body"))
            roles.setdefault(body.vice_chair_role, RoleDef(body.vice_chair_role, f"vice-chair of the {body.name}", "body"))
        for bid, body in bodies.items():
            for i, (role, _n) in enumerate(body.quorum):
                if role not in roles:
                    raise self.fail(("bodies", bid, "quorum", role), f"unknown role '{role}' in the quorum")
            if body.absence_escalation and body.absence_escalation[1] not in roles:
                raise self.fail(("bodies", bid, "absence_escalation", "to"), f"unknown role '{body.absence_escalation[1]}'")

        doc_types: dict[str, DocType] = {}
        for tid, spec in (self.get(r, "document_types", p, dict)).items():
            path = ("document_types", tid)
            review = None
            if isinstance(spec, dict) and spec.get("review_months") is not None:
                months = self.get(spec, "review_months", path, int)
                latest = self.get(spec, "review_latest_months", path, int, required=False)
                try:
                    review = ReviewInterval(months, latest)
                except ValueError as exc:
                    raise self.fail(path + ("review_months",), str(exc)) from None
            doc_types[tid] = DocType(
                id=tid,
                label=self.get(spec, "label", path),
                description=self.get(spec, "description", path, required=False, default=""),
                mandatory=bool(self.get(spec, "mandatory", path, bool, required=False, default=False)),
                review=review,
            )
        categories = tuple(self.get(r, "categories", p, list, required=False, default=[]))

        def check_role(role: Any, path: tuple) -> str:
            if not isinstance(role, str) or role not in roles:
                known = ", ".join(sorted(k for k in roles if k != "system"))
                raise self.fail(path, f"unknown role '{role}' (known roles: {known})")
            return role

        routes: dict[str, Route] = {}
        for rid, spec in (self.get(r, "routes", p, dict)).items():
            routes[rid] = self._route(rid, spec, check_role, bodies, categories, doc_types)
        if not routes:
            raise self.fail(("routes",), "at least one route is needed")

        req = self.get(r, "request", p, dict)
        recipient = check_role(self.get(req, "recipient", ("request",)), ("request", "recipient"))
        reviews = self.get(r, "reviews", p, dict)
        offsets = self.get(reviews, "reminder_offsets_days", ("reviews",), list)
        if not all(isinstance(x, int) and x >= 0 for x in offsets):
            raise self.fail(("reviews", "reminder_offsets_days"), "reminder offsets must be whole numbers of days (0 or more)")
        steps = []
        for i, step in enumerate(self.get(reviews, "escalation", ("reviews",), list, required=False, default=[])):
            path = ("reviews", "escalation", i)
            months = self.get(step, "months_overdue", path, int)
            steps.append((months, check_role(self.get(step, "to", path), path + ("to",))))
        triggers = tuple(self.get(reviews, "unscheduled_triggers", ("reviews",), list, required=False, default=[]))
        statement = self.get(reviews, "no_change_statement", ("reviews",), required=False,
                             default="The {name} has been reviewed and no changes are required.")
        if "{name}" not in statement:
            raise self.fail(("reviews", "no_change_statement"), "the no-change statement must contain {name}")
        cycle = None
        if r.get("update_cycle"):
            c = r["update_cycle"]
            cycle = UpdateCycle(
                per_year=self.get(c, "per_year", ("update_cycle",), int),
                review_weeks=self.get(c, "review_weeks", ("update_cycle",), int),
                next_update_months=self.get(c, "next_update_months", ("update_cycle",), int),
            )
        return Preset(
            key=self.get(r, "key", p),
            name=self.get(r, "name", p),
            seed=self.get(r, "seed", p, required=False, default=""),
            nation=nation,
            roles=roles,
            bodies=bodies,
            document_types=doc_types,
            categories=categories,
            routes=routes,
            request_recipient=recipient,
            request_mailbox=self.get(req, "mailbox", ("request",), required=False),
            reminder_offsets=tuple(sorted(set(offsets), reverse=True)),
            escalation_steps=tuple(sorted(steps)),
            review_triggers=triggers,
            amendment_reasons=tuple(self.get(r, "amendment_reasons", p, list, required=False, default=[])),
            checklist=tuple(self.get(r, "checklist", p, list, required=False, default=[])),
            no_change_statement=statement,
            amendments_must_be_tracked=bool(self.get(r, "amendments_must_be_tracked", p, bool, required=False, default=False)),
            update_cycle=cycle,
            publication_steps=tuple(self.get(r, "publication", p, list, required=False, default=[])),
            digests=self._digests(r),
        )

    def _date(self, value: Any, path: tuple) -> date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise self.fail(path, f"'{value}' is not a date (write it as YYYY-MM-DD)") from None

    def _rule(self, spec: Any, key: str, path: tuple) -> DeadlineRule | None:
        if not isinstance(spec, dict) or spec.get(key) is None:
            return None
        try:
            return parse_deadline_rule(spec[key])
        except ValueError as exc:
            raise self.fail(path + (key,), str(exc)) from None

    def _quorum(self, spec: Any, path: tuple) -> tuple[tuple[str, int], ...]:
        raw = self.get(spec, "quorum", path, dict, required=False, default={})
        out = []
        for role, n in raw.items():
            if not isinstance(n, int) or isinstance(n, bool) or n < 1:
                raise self.fail(path + ("quorum", role), f"the quorum for '{role}' must be a whole number of at least 1")
            out.append((str(role), n))
        return tuple(out)

    def _absences(self, spec: Any, path: tuple) -> tuple[int, str] | None:
        raw = self.get(spec, "absence_escalation", path, dict, required=False)
        if raw is None:
            return None
        apath = path + ("absence_escalation",)
        n = self.get(raw, "successive", apath, int)
        if n < 1:
            raise self.fail(apath + ("successive",), "successive absences must be at least 1")
        return (n, self.get(raw, "to", apath))

    def _reports(self, spec: Any, path: tuple) -> tuple[str, ...]:
        raw = self.get(spec, "reports", path, list, required=False, default=[])
        for i, r in enumerate(raw):
            if r not in BODY_REPORTS:
                raise self.fail(path + ("reports", i), f"unknown report '{r}' (use {', '.join(BODY_REPORTS)})")
        return tuple(raw)

    def _route(self, rid: str, spec: Any, check_role, bodies, categories, doc_types) -> Route:
        path = ("routes", rid)
        kinds = tuple(self.get(spec, "for", path, list))
        for i, k in enumerate(kinds):
            if k not in CASE_KINDS:
                raise self.fail(path + ("for", i), f"unknown kind of work '{k}' (use {', '.join(CASE_KINDS)})")
        cats = tuple(self.get(spec, "categories", path, list, required=False, default=[]))
        for i, c in enumerate(cats):
            if c not in categories:
                raise self.fail(path + ("categories", i), f"unknown category '{c}'")
        types = tuple(self.get(spec, "document_types", path, list, required=False, default=[]))
        for i, t in enumerate(types):
            if t not in doc_types:
                raise self.fail(path + ("document_types", i), f"unknown document type '{t}'")
        stages = []
        raw_stages = self.get(spec, "stages", path, list)
        for i, st in enumerate(raw_stages):
            spath = path + ("stages", i)
            kind = self.get(st, "kind", spath)
            if kind not in STAGE_KINDS:
                raise self.fail(spath + ("kind",), f"unknown stage kind '{kind}' (use {', '.join(STAGE_KINDS)})")
            by = st.get("by")
            if by is not None:
                check_role(by, spath + ("by",))
            elif kind not in ("consult",):
                raise self.fail(spath, f"stage '{st.get('id', i)}' needs 'by' (the role that acts)")
            decisions = tuple(st.get("decisions") or (["approve"] if kind == "sign_off" else []))
            for j, d in enumerate(decisions):
                if d not in DECISIONS:
                    raise self.fail(spath + ("decisions", j), f"unknown decision '{d}' (use {', '.join(DECISIONS)})")
            checker = st.get("conditions_checked_by")
            if checker is not None:
                check_role(checker, spath + ("conditions_checked_by",))
            if "approve_with_conditions" in decisions and checker is None:
                checker = by
            body = st.get("body")
            if body is not None and body not in bodies:
                raise self.fail(spath + ("body",), f"unknown body '{body}'")
            alternatives = []
            for j, alt in enumerate(st.get("alternatives") or []):
                apath = spath + ("alternatives", j)
                effect = self.get(alt, "effect", apath)
                if effect not in ("information_item", "interim"):
                    raise self.fail(apath + ("effect",), "effect must be information_item or interim")
                alternatives.append(Alternative(
                    decision=self.get(alt, "decision", apath), by=check_role(self.get(alt, "by", apath), apath + ("by",)),
                    effect=effect, label=self.get(alt, "label", apath),
                ))
            if kind == "consult" and st.get("consultees") is not None:
                check_role(st["consultees"], spath + ("consultees",))
            stages.append(Stage(
                id=self.get(st, "id", spath),
                kind=kind,
                label=self.get(st, "label", spath),
                by=by if kind != "consult" else (st.get("consultees") or "consultee"),
                all_holders=bool(st.get("all_holders", False)),
                decisions=decisions,
                escalate_to=st.get("escalate_to"),
                conditions_checked_by=checker,
                when=st.get("when"),
                optional=bool(st.get("optional", False)),
                body=body,
                deadline=self._rule(st, "deadline", spath),
                deadline_from=st.get("deadline_from", "start"),
                records=tuple(st.get("records") or ()),
                flag=st.get("flag"),
                question=st.get("question"),
                alternatives=tuple(alternatives),
            ))
        ids = [s.id for s in stages]
        for i, s in enumerate(stages):
            spath = path + ("stages", i)
            if ids.count(s.id) > 1:
                raise self.fail(spath + ("id",), f"stage id '{s.id}' is used twice")
            if s.escalate_to is not None:
                if s.escalate_to not in ids:
                    raise self.fail(spath + ("escalate_to",), f"escalate_to names an unknown stage '{s.escalate_to}'")
                if ids.index(s.escalate_to) <= i:
                    raise self.fail(spath + ("escalate_to",), f"escalate_to '{s.escalate_to}' goes backwards, so the route could never finish")
            if s.kind == "decision" and not s.flag:
                raise self.fail(spath, f"decision stage '{s.id}' needs 'flag' (what it decides)")
            if s.when is not None:
                flags = {x.flag for x in stages[:i] if x.kind == "decision"} | {"legal_review_required", "eia_required"}
                if s.when.lstrip("!") not in flags:
                    raise self.fail(spath + ("when",), f"'when: {s.when}' names a flag no earlier stage decides")
            if s.deadline_from == "meeting" and not (s.body and bodies[s.body].meeting):
                raise self.fail(spath + ("deadline_from",), "a deadline from the meeting needs a body with a meeting calendar")
            for rec in s.records:
                if rec not in ("eia", "legal_review", "workshops"):
                    raise self.fail(spath + ("records",), f"unknown record '{rec}' (use eia, legal_review, workshops)")
            if s.optional and not any(x.escalate_to == s.id for x in stages):
                raise self.fail(spath + ("optional",), f"optional stage '{s.id}' can never be reached: no stage escalates to it")
        if not stages or stages[-1].kind != "publish" and not any(s.kind == "publish" for s in stages):
            kinds = set(self.get(spec, "for", path, list))
            if not kinds <= {"scheduled_review", "unscheduled_review"}:
                raise self.fail(path + ("stages",), f"route '{rid}' cannot finish: it has no publish stage")
        if not any(s.kind in ("sign_off",) for s in stages):
            raise self.fail(path + ("stages",), f"route '{rid}' has no sign-off stage, so nothing would approve the document")
        return Route(id=rid, label=self.get(spec, "label", path), kinds=kinds, stages=tuple(stages),
                     categories=cats, doc_types=types)


def load_preset_text(text: str, filename: str, overrides: Mapping | None = None, common: str | None = None) -> Preset:
    raw, lines = _compose(text, filename)
    if common is not None:
        common_raw, _ = _compose(common, COMMON_FILE)
        if isinstance(raw, dict) and isinstance(common_raw, dict):
            merged = dict(common_raw)
            for k, v in raw.items():
                merged[k] = _merge(common_raw[k], v) if k in common_raw and isinstance(v, dict) else v
            raw = merged
    if overrides:
        raw = _merge(raw, overrides)
    return _Builder(raw, lines, filename).build()


def _preset_files() -> dict[str, str]:
    """name.yaml -> text, for every preset file shipped in the package."""
    root = resources.files(PRESET_PACKAGE)
    return {f.name: f.read_text(encoding="utf-8") for f in root.iterdir() if f.name.endswith(".yaml")}


def _common_text() -> str:
    return _preset_files()[COMMON_FILE]


def load_preset(key: str, overrides: Mapping | None = None) -> Preset:
    files = _preset_files()
    name = f"{key}.yaml"
    if key == "common" or name not in files:
        known = ", ".join(k for k, _ in list_presets())
        raise PresetError(name, None, f"there is no preset called '{key}' (presets: {known})")
    return load_preset_text(files[name], name, overrides, common=files[COMMON_FILE])


def list_presets() -> list[tuple[str, str]]:
    out = []
    for name, text in sorted(_preset_files().items()):
        if name == COMMON_FILE:
            continue
        try:
            data = yaml.safe_load(text) or {}
        except yaml.YAMLError:
            data = {}
        key = name[: -len(".yaml")]
        out.append((key, data.get("name", key) if isinstance(data, dict) else key))
    return out


# ---------------------------------------------------------------- writing back out


def _rule_text(rule: DeadlineRule | None) -> str | None:
    return str(rule) if rule else None


def preset_to_raw(p: Preset) -> dict:
    def stage_raw(s: Stage) -> dict:
        d: dict[str, Any] = {"id": s.id, "kind": s.kind, "label": s.label}
        if s.kind == "consult":
            d["consultees"] = s.by
        elif s.by:
            d["by"] = s.by
        for key in ("all_holders", "optional"):
            if getattr(s, key):
                d[key] = True
        if s.kind == "sign_off" or s.decisions:
            d["decisions"] = list(s.decisions)
        for key in ("escalate_to", "conditions_checked_by", "when", "body", "flag", "question"):
            if getattr(s, key) is not None:
                d[key] = getattr(s, key)
        if s.deadline:
            d["deadline"] = str(s.deadline)
        if s.deadline_from != "start":
            d["deadline_from"] = s.deadline_from
        if s.records:
            d["records"] = list(s.records)
        if s.alternatives:
            d["alternatives"] = [{"decision": a.decision, "by": a.by, "effect": a.effect, "label": a.label} for a in s.alternatives]
        return d

    bodies = {}
    for b in p.bodies.values():
        d: dict[str, Any] = {"name": b.name}
        if b.higher_body:
            d["higher_body"] = b.higher_body
        if b.meeting:
            d["meetings"] = {"rule": b.meeting.rule, "from": b.meeting.anchor.isoformat()}
            if b.meeting.added:
                d["meetings"]["added"] = [x.isoformat() for x in sorted(b.meeting.added)]
            if b.meeting.cancelled:
                d["meetings"]["cancelled"] = [x.isoformat() for x in sorted(b.meeting.cancelled)]
        for key in ("item_deadline", "papers_deadline", "response_deadline"):
            if getattr(b, key):
                d[key] = str(getattr(b, key))
        if b.aliases:
            d["aliases"] = list(b.aliases)
        if b.quorum:
            d["quorum"] = dict(b.quorum)
        if b.absence_escalation:
            d["absence_escalation"] = {"successive": b.absence_escalation[0], "to": b.absence_escalation[1]}
        if b.reports:
            d["reports"] = list(b.reports)
        bodies[b.id] = d
    types = {}
    for t in p.document_types.values():
        d = {"label": t.label, "description": t.description, "mandatory": t.mandatory}
        if t.review:
            d["review_months"] = t.review.months
            if t.review.latest_months is not None:
                d["review_latest_months"] = t.review.latest_months
        types[t.id] = d
    raw: dict[str, Any] = {
        "key": p.key,
        "name": p.name,
        "seed": p.seed,
        "nation": p.nation,
        "roles": {r.id: {"label": r.label, "scope": r.scope} for r in p.roles.values()
                  if (r.id not in BUILTIN_ROLES or (r.label, r.scope) != BUILTIN_ROLES[r.id])
                  and not r.id.startswith(("chair:", "member:", "vice_chair:"))},
        "bodies": bodies,
        "document_types": types,
        "categories": list(p.categories),
        "request": {"recipient": p.request_recipient, **({"mailbox": p.request_mailbox} if p.request_mailbox else {})},
        "reviews": {
            "reminder_offsets_days": list(p.reminder_offsets),
            "escalation": [{"months_overdue": m, "to": r} for m, r in p.escalation_steps],
            "unscheduled_triggers": list(p.review_triggers),
            "no_change_statement": p.no_change_statement,
        },
        "amendment_reasons": list(p.amendment_reasons),
        "checklist": list(p.checklist),
        "amendments_must_be_tracked": p.amendments_must_be_tracked,
        "publication": list(p.publication_steps),
        **({"digests": list(p.digests)} if p.digests else {}),
        "routes": {
            r.id: {
                "label": r.label,
                "for": list(r.kinds),
                **({"categories": list(r.categories)} if r.categories else {}),
                **({"document_types": list(r.doc_types)} if r.doc_types else {}),
                "stages": [stage_raw(s) for s in r.stages],
            }
            for r in p.routes.values()
        },
    }
    if p.update_cycle:
        raw["update_cycle"] = {"per_year": p.update_cycle.per_year, "review_weeks": p.update_cycle.review_weeks,
                               "next_update_months": p.update_cycle.next_update_months}
    return raw


def dump_preset(p: Preset) -> str:
    return yaml.safe_dump(preset_to_raw(p), sort_keys=False, allow_unicode=True, width=100)
