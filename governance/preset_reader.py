"""Reading a preset: the raw YAML checked, part by part, into a Preset; every fault is a PresetError
naming the file and the line."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from governance.calendar import (
    NATIONS,
    DeadlineRule,
    ReviewInterval,
    parse_deadline_rule,
    parse_meeting_calendar,
)
from governance.errors import PresetError
from governance.preset_model import (
    BODY_REPORTS,
    BUILTIN_ROLES,
    CASE_KINDS,
    DECISIONS,
    DIGESTS,
    STAGE_KINDS,
    Alternative,
    Body,
    DocType,
    Preset,
    RoleDef,
    Route,
    Stage,
    UpdateCycle,
)
from governance.preset_yaml import KeyLines


class PresetBuilder:
    def __init__(self, raw: dict[str, Any], lines: KeyLines, filename: str) -> None:
        self.raw = raw
        self.lines = lines
        self.file = filename

    def fail(self, path: tuple[Any, ...], fault: str) -> PresetError:
        return PresetError(self.file, self.lines.line(*path), fault)

    def get(self, mapping: Any, key: str, path: tuple[Any, ...], kind: type | tuple[Any, ...] = str, required: bool = True, default: Any = None) -> Any:
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

    def _digests(self, r: dict[str, Any]) -> tuple[str, ...]:
        digests = self.get(r, "digests", (), list, required=False, default=[])
        for i, d in enumerate(digests):
            if d not in DIGESTS:
                raise self.fail(("digests", i), f"unknown digest '{d}' (known: {', '.join(DIGESTS)})")
        return tuple(digests)

    # Complexity over 15, on purpose: build reads the file's top-level sections in the order a policy
    # officer writes them, and each branch is one check with its own line-numbered PresetError; split
    # up, the checks would lose that order without losing a branch.
    def build(self) -> Preset:  # noqa: C901 (see the comment above)
        r, p = self.raw, ()
        if not isinstance(r, dict):
            raise self.fail(p, "a preset file must be a mapping (key: value lines)")
        known_top = {
            "key", "name", "seed", "nation", "roles", "bodies", "document_types", "categories", "routes", "request",
            "reviews", "amendment_reasons", "checklist", "update_cycle", "publication", "amendments_must_be_tracked", "digests",
            "category_reviews",
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
                absence_exempt=tuple((self.get(spec, "absence_escalation", path, dict, required=False) or {}).get("except", ())),
                reports=self._reports(spec, path),
            )
        for bid, body in bodies.items():
            if body.higher_body and body.higher_body not in bodies:
                raise self.fail(("bodies", bid, "higher_body"), f"unknown body '{body.higher_body}'")
            roles.setdefault(body.chair_role, RoleDef(body.chair_role, f"chair of the {body.name}", "body"))
            roles.setdefault(body.member_role, RoleDef(body.member_role, f"member of the {body.name}", "body"))
            roles.setdefault(body.vice_chair_role, RoleDef(body.vice_chair_role, f"vice-chair of the {body.name}", "body"))
        for bid, body in bodies.items():
            for role, _n in body.quorum:
                if role not in roles:
                    raise self.fail(("bodies", bid, "quorum", role), f"unknown role '{role}' in the quorum")
            if body.absence_escalation and body.absence_escalation[1] not in roles:
                raise self.fail(("bodies", bid, "absence_escalation", "to"), f"unknown role '{body.absence_escalation[1]}'")
            for role in body.absence_exempt:
                if role not in roles:
                    raise self.fail(("bodies", bid, "absence_escalation", "except"), f"unknown role '{role}'")

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
        category_reviews: dict[str, ReviewInterval] = {}
        for cat, months in (self.get(r, "category_reviews", p, dict, required=False, default={})).items():
            if cat not in categories:
                raise self.fail(("category_reviews", cat), f"unknown category '{cat}'")
            if not isinstance(months, int) or isinstance(months, bool):
                raise self.fail(("category_reviews", cat), "give the review interval in whole months")
            try:
                category_reviews[cat] = ReviewInterval(months, None)
            except ValueError as exc:
                raise self.fail(("category_reviews", cat), str(exc)) from None

        def check_role(role: Any, path: tuple[Any, ...]) -> str:
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
        steps: list[tuple[int, str]] = []
        for i, step in enumerate(self.get(reviews, "escalation", ("reviews",), list, required=False, default=[])):
            epath = ("reviews", "escalation", i)
            months = self.get(step, "months_overdue", epath, int)
            steps.append((months, check_role(self.get(step, "to", epath), epath + ("to",))))
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
            category_reviews=category_reviews,
            digests=self._digests(r),
        )

    def _date(self, value: Any, path: tuple[Any, ...]) -> date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise self.fail(path, f"'{value}' is not a date (write it as YYYY-MM-DD)") from None

    def _rule(self, spec: Any, key: str, path: tuple[Any, ...]) -> DeadlineRule | None:
        if not isinstance(spec, dict) or spec.get(key) is None:
            return None
        try:
            return parse_deadline_rule(spec[key])
        except ValueError as exc:
            raise self.fail(path + (key,), str(exc)) from None

    def _quorum(self, spec: Any, path: tuple[Any, ...]) -> tuple[tuple[str, int], ...]:
        raw = self.get(spec, "quorum", path, dict, required=False, default={})
        out = []
        for role, n in raw.items():
            if not isinstance(n, int) or isinstance(n, bool) or n < 1:
                raise self.fail(path + ("quorum", role), f"the quorum for '{role}' must be a whole number of at least 1")
            out.append((str(role), n))
        return tuple(out)

    def _absences(self, spec: Any, path: tuple[Any, ...]) -> tuple[int, str] | None:
        raw = self.get(spec, "absence_escalation", path, dict, required=False)
        if raw is None:
            return None
        apath = path + ("absence_escalation",)
        n = self.get(raw, "successive", apath, int)
        if n < 1:
            raise self.fail(apath + ("successive",), "successive absences must be at least 1")
        unknown = [k for k in raw if k not in ("successive", "to", "except")]
        if unknown:
            raise self.fail(apath + (unknown[0],), f"unknown setting '{unknown[0]}' (known: except, successive, to)")
        if not isinstance(raw.get("except", []), list):
            raise self.fail(apath + ("except",), "list the roles never escalated, e.g. [hos, qa_manager]")
        return (n, self.get(raw, "to", apath))

    def _reports(self, spec: Any, path: tuple[Any, ...]) -> tuple[str, ...]:
        raw = self.get(spec, "reports", path, list, required=False, default=[])
        for i, r in enumerate(raw):
            if r not in BODY_REPORTS:
                raise self.fail(path + ("reports", i), f"unknown report '{r}' (use {', '.join(BODY_REPORTS)})")
        return tuple(raw)

    # Complexity over 15, on purpose: one route's stages are checked field by field (kind, roles,
    # bodies, decisions, deadlines, alternatives), each check a branch that names its line; the
    # branches are a list of independent refusals, not nested logic.
    def _route(  # noqa: C901 (see above)
        self, rid: str, spec: Any, check_role: Callable[[Any, tuple[Any, ...]], str], bodies: Mapping[str, Body],
        categories: tuple[str, ...], doc_types: Mapping[str, DocType],
    ) -> Route:
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
            if kind == "consult" and st.get("consultees") not in (None, "service_area"):  # BCT-8: the area's AD and HoS
                check_role(st["consultees"], spath + ("consultees",))
            stages.append(Stage(
                id=self.get(st, "id", spath),
                kind=kind,
                label=self.get(st, "label", spath),
                by=by if kind != "consult" else (st.get("consultees") or "consultee"),
                all_holders=bool(st.get("all_holders", False)),
                decisions=decisions,
                escalate_to=st.get("escalate_to"),
                escalate_label=st.get("escalate_label"),
                escalate_asks=st.get("escalate_asks"),
                escalate_note=st.get("escalate_note"),
                conditions_checked_by=checker,
                when=st.get("when"),
                optional=bool(st.get("optional", False)),
                body=body,
                deadline=self._rule(st, "deadline", spath),
                deadline_from=st.get("deadline_from", "start"),
                shared=self._rule(st, "shared", spath),
                records=tuple(st.get("records") or ()),
                flag=st.get("flag"),
                question=st.get("question"),
                alternatives=tuple(alternatives),
                via_publisher=bool(st.get("via_publisher", False)),
                tells=tuple((check_role(r, spath + ("tells", r)), str(w)) for r, w in (st.get("tells") or {}).items()),
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
                if rec not in ("eia", "legal_review", "workshops", "implementation"):
                    raise self.fail(spath + ("records",), f"unknown record '{rec}' (use eia, legal_review, workshops, implementation)")
            if s.optional and not any(x.escalate_to == s.id for x in stages):
                raise self.fail(spath + ("optional",), f"optional stage '{s.id}' can never be reached: no stage escalates to it")
        if not stages or stages[-1].kind != "publish" and not any(s.kind == "publish" for s in stages):
            route_kinds = set(self.get(spec, "for", path, list))
            if not route_kinds <= {"scheduled_review", "unscheduled_review"}:
                raise self.fail(path + ("stages",), f"route '{rid}' cannot finish: it has no publish stage")
        if not any(s.kind in ("sign_off",) for s in stages):
            raise self.fail(path + ("stages",), f"route '{rid}' has no sign-off stage, so nothing would approve the document")
        return Route(id=rid, label=self.get(spec, "label", path), kinds=kinds, stages=tuple(stages),
                     categories=cats, doc_types=types)
