"""Lifecycle use cases: open a review, act on a case, submit a draft, list a person's tasks.

Every change is one transaction: the case's new state (compare-and-swap on its version, so a
stale card or a second click changes nothing), the document's register entry, and an audit
record, and the notices for other people (raised with `uow.notify`, queued in the outbox by the
commit). The notices are also returned, so the turn can send them at once; a failed delivery
never undoes a decision, the outbox keeps them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

from governance import lifecycle as gl
from governance.calendar import WorkingCalendar
from governance.dates import short_date
from governance.errors import NotAllowed
from governance.ownership import roles_on_document
from services.context import Services
from services.delivery.notices import dated
from services.cases import drafts as draft_files
from services.cases.draft_changes import DraftView, latest_draft_view, record_changes
from services.errors import BadInput, NotFound, UnknownPerson
from services.people.identity import ChannelIdentity, resolve_person
from services.ports import ConcurrencyConflict, Notice
from services.register.documents import document_view
from services.views import DocumentView

DOCUMENT_ROLES = {"ro", "rsm"}  # held per document, never as an organisation-wide role


@dataclass(frozen=True)
class CaseView:
    id: int
    version: int
    document: DocumentView
    kind: str
    stage: str
    stage_label: str
    step: str
    status: str
    waiting_for: tuple[str, ...]
    actions: tuple[gl.ActionSpec, ...]
    history: tuple[str, ...]
    open_conditions: tuple[str, ...]
    checklist: tuple[str, ...] = ()
    triggers: tuple[str, ...] = ()
    consult_deadline: date | None = None
    draft: DraftView | None = None  # the draft under decision (issue 17)


@dataclass(frozen=True)
class Outcome:
    case: CaseView
    message: str
    notices: tuple[Notice, ...] = field(default_factory=tuple)


def _rsm_ids(doc) -> tuple[str, ...]:
    extra = [x for x in (doc.extra or {}).get("other_rsm_ids", []) if x]
    return tuple(x for x in [doc.rsm_id, *extra] if x)


def actor_for(person, doc, case: gl.Case | None) -> gl.Actor:
    """The roles a person holds for this document and case, from the directory only."""
    roles = set(person.role_names) - DOCUMENT_ROLES
    roles |= roles_on_document(person.id, doc.ro_id, _rsm_ids(doc))
    if case is not None:
        if case.requester == person.id:
            roles.add("requester")
        if person.id in case.participants.get("consultee", ()):
            roles.add("consultee")
    return gl.Actor(person.id, frozenset(roles))


async def _people_for(uow, doc, case: gl.Case | None, target: str) -> list[str]:
    if target.startswith("person:"):
        return [target[7:]]
    if target == "ro":
        return [doc.ro_id or doc.rsm_id] if (doc.ro_id or doc.rsm_id) else []
    if target == "rsm":
        return list(_rsm_ids(doc))
    if target == "requester":
        return [case.requester] if case and case.requester else []
    return [p.id for p in await uow.people.with_role(target)]


def _label(preset, role: str) -> str:
    return preset.role_label(role) if not role.startswith("person:") else role[7:]


async def _view(uow, preset, row, doc, person, today: date) -> CaseView:
    case = gl.case_from_dict(row.state)
    route = preset.routes[case.route]
    stage = route.stage(case.stage)
    actor = actor_for(person, doc, case) if person else gl.Actor("", frozenset())
    waiting = []
    for w in gl.who_must_act(preset, case):
        if w.startswith("person:"):
            p = await uow.people.get(w[7:])
            waiting.append(p.name if p else w[7:])
        else:
            waiting.append(preset.role_label(w))
    names = {"system": "policybot"}
    for h in case.history:
        if h.person_id not in names:
            p = await uow.people.get(h.person_id)
            names[h.person_id] = p.name if p else h.person_id
    return CaseView(
        id=row.id, version=row.version, document=document_view(doc), kind=case.kind, stage=case.stage,
        stage_label=stage.label, step=case.step, status=case.status, waiting_for=tuple(waiting),
        actions=tuple(gl.available_actions(preset, case, actor, today)),
        history=tuple(f"{short_date(h.on)} {names.get(h.person_id, h.person_id)}: {h.summary}" for h in case.history),
        open_conditions=tuple(c.text for c in case.conditions if not c.met),
        checklist=preset.checklist if stage.kind == "draft" and case.kind != "new_document" else (),
        triggers=preset.review_triggers, consult_deadline=case.consult_deadline,
        draft=await latest_draft_view(uow, row),
    )


async def _who(uow, ident: ChannelIdentity):
    person = await resolve_person(uow, ident)
    if person is None:
        raise UnknownPerson("I don't know who you are yet, so I can't record decisions for you. "
                            "Ask your Policy and Procedures Officer to add you to policybot's directory.")
    return person


async def start_case(services: Services, ident: ChannelIdentity, ref: str, kind: str, *,
                     trigger: str | None = None, reason: str | None = None) -> Outcome:
    preset = services.preset
    today, now = services.clock.today(), services.clock.now()
    async with services.uow() as uow:
        person = await _who(uow, ident)
        doc = await uow.documents.by_ref(ref)
        if doc is None:
            raise NotFound(f"I can't find a document with the reference {ref!r}.")
        for existing in await uow.cases.open_for_document(doc.id):
            raise NotAllowed(f"{doc.ref} {doc.title} already has work in progress (case {existing.id}). Say 'case {existing.id}' to see it.")
        gl.may_open(preset, kind, actor_for(person, doc, None).roles, f"{doc.ref} {doc.title}")
        doc_type = _doc_type_id(preset, doc.doc_type)
        consultees = [p.id for p in await uow.people.with_role("consultee")]
        out = gl.start_case(
            preset, kind, document_type=doc_type, category=doc.category if doc.category in preset.categories else (preset.categories[0] if preset.categories else None),
            today=today, document_name=f"{doc.ref} {doc.title}", requester=person.id,
            participants={"rsm": list(_rsm_ids(doc)), "consultee": consultees}, trigger=trigger, reason=reason,
            calendar=WorkingCalendar(preset.nation),  # type: ignore[arg-type]
        )
        state = gl.case_to_dict(out.case)
        row = await uow.cases.create(
            document_id=doc.id, preset=preset.key, kind=kind, stage=out.case.stage, status="open", state=state,
            waiting_for=gl.who_must_act(preset, out.case), opened_by=person.id, opened_at=now, updated_at=now, version=1,
        )
        await uow.audit.record(at=now, actor=person, entity="document", entity_id=doc.id, action=f"open_{kind}",
                               summary=out.case.history[0].summary + f" (case {row.id})", reason=reason or trigger)
        notices = await _notices(uow, preset, doc, out.case, out.events, row.id, person.id)
        notices += await _agenda_events(uow, preset, doc, row, out.case, out.events, today, now, person)
        uow.notify(*notices)
        await uow.commit()
        view = await _view(uow, preset, row, doc, person, services.clock.today())
    return Outcome(view, f"Case {row.id} is open: {kind.replace('_', ' ')} of {doc.ref} {doc.title}.", tuple(notices))


async def start_new_document(services: Services, ident: ChannelIdentity, *, title: str, document_type: str,
                             category: str | None, service_area: str, reason: str, stakeholders: str | None = None,
                             consultees: tuple[str, ...] | list[str] = ()) -> Outcome:
    """A request for a new document: it enters the register as 'requested' with the requester as its
    author (RO), and a new_document case goes to whoever the preset says receives requests (BCT-2 the
    Policy Service and its mailbox, NCT-17 the PPO, DOR-2 the Group's chair, LBBD-2 the lead stakeholder)."""
    preset = services.preset
    today, now = services.clock.today(), services.clock.now()
    title = " ".join((title or "").split())
    if not title:
        raise BadInput("Please say what the new document should cover.")
    if document_type not in preset.document_types:
        raise BadInput(f"'{document_type}' is not a document type in the {preset.name} process.")
    if preset.categories and category not in preset.categories:
        raise BadInput(f"'{category}' is not a category in the {preset.name} process.")
    if not (reason or "").strip():
        raise BadInput("Please say why the new document is needed.")
    async with services.uow() as uow:
        person = await _who(uow, ident)
        rsm = await _rsm_for_area(uow, preset, service_area)
        ref = await _next_ref(uow)
        label = preset.document_types[document_type].label
        doc = await uow.documents.create(
            ref=ref, doc_type=label, title=title[:300], category=category, service_area=(service_area or "")[:200] or None,
            summary=reason.strip(), ro_id=person.id, rsm_id=rsm, status="requested", version=None,
            extra={"request": {"reason": reason.strip(), "stakeholders": (stakeholders or "").strip() or None,
                               "requested_by": person.id, "requested_on": today.isoformat()}},
            created_at=now, updated_at=now,
        )
        await uow.session.refresh(doc, ["ro", "rsm"])
        org_consultees = [p.id for p in await uow.people.with_role("consultee")]
        named = [c for c in dict.fromkeys([*consultees, *org_consultees]) if c != person.id]
        out = gl.start_case(
            preset, "new_document", document_type=document_type, category=category, today=today,
            document_name=f"{ref} {title}", requester=person.id,
            participants={"rsm": list(_rsm_ids(doc)), "consultee": named}, reason=None,
            calendar=WorkingCalendar(preset.nation),  # type: ignore[arg-type]
        )
        row = await uow.cases.create(
            document_id=doc.id, preset=preset.key, kind="new_document", stage=out.case.stage, status="open",
            state=gl.case_to_dict(out.case), waiting_for=gl.who_must_act(preset, out.case), opened_by=person.id,
            opened_at=now, updated_at=now, version=1,
        )
        extra = f"; stakeholders: {stakeholders.strip()}" if (stakeholders or "").strip() else ""
        await uow.audit.record(at=now, actor=person, entity="document", entity_id=doc.id, action="requested",
                               summary=f"New {label.lower()} requested (case {row.id}){extra}", reason=reason.strip(),
                               details={"case": row.id, "consultees": named})
        notices = await _notices(uow, preset, doc, out.case, out.events, row.id, person.id)
        notices += _to_request_mailbox(services, preset, doc, row.id, person, reason, stakeholders)
        notices += await _agenda_events(uow, preset, doc, row, out.case, out.events, today, now, person)
        uow.notify(*notices)
        await uow.commit()
        view = await _view(uow, preset, row, doc, person, services.clock.today())
    who = preset.role_label(preset.request_recipient)
    first = preset.routes[out.case.route].stage(out.case.stage)
    if first.kind == "agree_need":
        sent = f"I've sent it to the {who}" + (f" ({preset.request_mailbox})" if preset.request_mailbox else "")
        sent += " to agree the need."
    else:
        sent = f"Next: {first.label}."
    return Outcome(view, f"Thanks: your request is {ref} {title}, case {row.id}. {sent}", tuple(notices))


def _to_request_mailbox(services: Services, preset, doc, case_id: int, person, reason: str,
                        stakeholders: str | None) -> list[Notice]:
    """BCT-2: requests also go to the organisation's request mailbox, when it has one and its
    address is configured (POLICYBOT_REQUEST_MAILBOX); the preset names it, never its address."""
    address = services.config.request_mailbox
    if not preset.request_mailbox or not address or not _mail_on(services):
        return []
    subject = f"New document requested: {doc.ref} {doc.title}"
    lines = [f"{person.name} asks for a new {doc.doc_type.lower()}: {doc.title}.", f"Why it is needed: {reason.strip()}"]
    if doc.category:
        lines.append(f"Category: {doc.category}")
    if doc.service_area:
        lines.append(f"Service area: {doc.service_area}")
    if (stakeholders or "").strip():
        lines.append(f"Stakeholders: {stakeholders.strip()}")
    lines.append(f"To decide, reply to policybot with AGREE THE NEED case {case_id}; "
                 f"ASK FOR MORE INFORMATION case {case_id}: <your question>; or DECLINE case {case_id}: <why>.")
    return [Notice(key=f"request:case{case_id}", subject=subject, body="\n".join(lines), address=address,
                   case_id=case_id, document_ref=doc.ref)]


def uses_rsm(preset) -> bool:
    """Whether the process has Responsible Strategic Managers who act (NCT), not merely the built-in role."""
    return any("rsm" in (s.by, s.conditions_checked_by) for r in preset.routes.values() for s in r.stages)


async def _rsm_for_area(uow, preset, service_area: str | None) -> str | None:
    """Where the process has RSMs, the one RSM of the service area signs off a new document (NCT-1);
    with none or several, the PPO names them ('add RSM <name> to <ref>')."""
    if not uses_rsm(preset) or not service_area:
        return None
    found = [p.id for p in await uow.people.with_role("rsm")
             if (p.service_area or "").strip().lower() == service_area.strip().lower()]
    return found[0] if len(found) == 1 else None


async def _next_ref(uow) -> str:
    """The register's usual prefix and the next free number (PP-047 after PP-046)."""
    import re
    from collections import Counter

    prefixes: Counter = Counter()
    highest: dict[str, int] = {}
    for d in await uow.documents.all(include_retired=True):
        m = re.fullmatch(r"([A-Za-z]{2,6})-(\d{1,5})", d.ref or "")
        if m:
            prefixes[m.group(1).upper()] += 1
            highest[m.group(1).upper()] = max(highest.get(m.group(1).upper(), 0), int(m.group(2)))
    prefix = prefixes.most_common(1)[0][0] if prefixes else "DOC"
    n = highest.get(prefix, 0) + 1
    while await uow.documents.by_ref(f"{prefix}-{n:03d}") is not None:
        n += 1
    return f"{prefix}-{n:03d}"


def _mail_on(services: Services) -> bool:
    return services.config.mail_enabled


def _doc_type_id(preset, label: str) -> str:
    for t in preset.document_types.values():
        if t.label.lower() == label.lower() or t.id == label:
            return t.id
    return "procedure" if "procedure" in preset.document_types else next(iter(preset.document_types))


async def _notices(uow, preset, doc, case: gl.Case, events, case_id: int, actor_id: str) -> list[Notice]:
    """The people to tell about this step (the caller raises them with `uow.notify`)."""
    out: list[Notice] = []
    step = len(case.history)
    for e in events:
        if isinstance(e, gl.Notify):
            targets = await _people_for(uow, doc, case, e.to)
            for cc in e.cc:
                targets += await _people_for(uow, doc, case, cc)
            digest = hashlib.sha1(e.subject.encode()).hexdigest()[:8]
            for pid in dict.fromkeys(targets):
                if pid != actor_id:
                    out.append(Notice(key=f"notice:case{case_id}:{step}:{digest}", subject=e.subject, body=e.body,
                                      person_id=pid, case_id=case_id, document_ref=doc.ref))
    return out


async def _apply_register_events(uow, doc, events, now) -> None:
    for e in events:
        if isinstance(e, gl.Published):
            doc.version, doc.approved_on, doc.last_reviewed_on = e.version, e.on, e.on
            doc.next_review_due = e.next_review_due or doc.next_review_due
            doc.status = "published"
            doc.updated_at = now
        elif isinstance(e, gl.CaseClosed) and doc.status == "requested" and e.status in ("declined", "withdrawn"):
            doc.status = e.status  # a requested document that will not be written leaves the live register
            doc.updated_at = now
        elif isinstance(e, gl.ReviewCompleted):
            doc.last_reviewed_on = e.on
            doc.next_review_due = e.next_review_due or doc.next_review_due
            doc.updated_at = now


async def act(services: Services, ident: ChannelIdentity, case_id: int, action: str, *, text: str | None = None,
              data: dict | None = None, expected_version: int | None = None) -> Outcome:
    """Take an action on a case as the person the channel vouches for."""
    preset = services.preset
    today, now = services.clock.today(), services.clock.now()

    async with services.uow() as uow:
        person = await _who(uow, ident)
        row = await uow.cases.get(case_id)
        if row is None:
            raise NotFound(f"There is no case {case_id}.")
        doc = await uow.documents.get(row.document_id)
        if expected_version is not None and expected_version != row.version:
            raise NotAllowed("That card is out of date: the case has moved on since it was sent. Here is where it stands now.")
        summary, notices = await act_in(uow, preset, person, row, doc, action, text=text, data=data, today=today, now=now,
                                        mail_enabled=_mail_on(services))
        await uow.commit()
        view = await _view(uow, preset, row, doc, person, services.clock.today())
    return Outcome(view, f"Done: {summary}.", tuple(notices))


SYSTEM = gl.Actor("system", frozenset({"system"}))


async def close_consultation_by_deadline(services: Services, case_id: int) -> bool:
    """BCT-5: when a consultation's deadline has passed, close it; silence is recorded as agreement.
    Done by the scheduler as the 'system' actor; False when someone got there first."""
    preset = services.preset
    today, now = services.clock.today(), services.clock.now()
    async with services.uow() as uow:
        row = await uow.cases.get(case_id)
        if row is None or row.status != "open":
            return False
        case = gl.case_from_dict(row.state)
        if not gl.consultation_past_deadline(preset, case, today):
            return False
        doc = await uow.documents.get(row.document_id)
        out = gl.apply(preset, case, gl.Action("close_consultation"), SYSTEM, today,
                       calendar=WorkingCalendar(preset.nation))  # type: ignore[arg-type]
        try:
            await uow.cases.save(row, expected_version=row.version, state=gl.case_to_dict(out.case), stage=out.case.stage,
                                 status="open" if out.case.is_open else "closed",
                                 waiting_for=gl.who_must_act(preset, out.case), now=now)
        except ConcurrencyConflict:
            return False
        summary = out.case.history[-1].summary if out.case.history else "Consultation closed"
        await uow.audit.record(at=now, actor=None, entity="document", entity_id=doc.id, action="close_consultation",
                               summary=f"{summary} (case {row.id}, by the deadline)", details={"case": row.id})
        uow.notify(*await _notices(uow, preset, doc, out.case, out.events, row.id, "system"))
        uow.notify(*await _agenda_events(uow, preset, doc, row, out.case, out.events, today, now, None))
        await uow.commit()
    return True


async def act_in(uow, preset, person, row, doc, action: str, *, text: str | None, data: dict | None, today: date, now,
                 extra_roles: frozenset[str] = frozenset(), audit_details: dict | None = None,
                 mail_enabled: bool = True) -> tuple[str, list[Notice]]:
    """Apply one action to a case inside the caller's unit of work (the caller commits): the case's
    new state, the register, the audit record, any agenda placement its events ask for, and the
    notices it causes (raised on the unit of work, and returned). `extra_roles` lets a deputy act for
    a role (a vice-chair deputising for the chair). `mail_enabled` is no longer used (the outbox's
    writer knows), kept for the callers that pass it."""
    case = gl.case_from_dict(row.state)
    actor = actor_for(person, doc, case)
    if extra_roles:
        actor = gl.Actor(actor.person_id, actor.roles | extra_roles)
    out = gl.apply(preset, case, gl.Action(action, text, data or {}), actor, today,
                   calendar=WorkingCalendar(preset.nation))  # type: ignore[arg-type]
    new = out.case
    try:
        await uow.cases.save(row, expected_version=row.version, state=gl.case_to_dict(new), stage=new.stage,
                             status="open" if new.is_open else "closed", waiting_for=gl.who_must_act(preset, new), now=now)
    except ConcurrencyConflict:
        raise NotAllowed("Someone else acted on this case at the same moment; nothing was changed. Here is where it stands now.") from None
    await _apply_register_events(uow, doc, out.events, now)
    summary = new.history[-1].summary if new.history else action
    await uow.audit.record(at=now, actor=person, entity="document", entity_id=doc.id, action=action,
                           summary=f"{summary} (case {row.id})", reason=text,
                           details={"case": row.id, "stage": case.stage, **(audit_details or {})})
    notices = await _notices(uow, preset, doc, new, out.events, row.id, person.id)
    notices += await _agenda_events(uow, preset, doc, row, new, out.events, today, now, person)
    uow.notify(*notices)
    return summary, notices


async def _agenda_events(uow, preset, doc, row, case, events, today, now, person) -> list[Notice]:
    """A stage that needs a body's decision puts the document on its forward plan and agenda (the
    notices to its owner, keyed with today's date)."""
    if not any(isinstance(e, gl.AgendaItem) for e in events):
        return []
    from services.meetings import agenda as meetings

    return [dated(n, today) for n in await meetings.place_from_events(uow, preset, doc, row, case, events, today, now, person)]


async def submit_draft(services: Services, ident: ChannelIdentity, filename: str, content: bytes,
                       case_id: int | None = None, *, change_kind: str | None = None) -> Outcome:
    """A Word document arrives: check it, keep it as a new version, and move the case on, in one
    transaction (the case's move, the stored draft, both audit records and the notices): a crash
    part way leaves neither."""
    check = await draft_files.check_draft(services, content, filename)
    preset = services.preset
    today, now = services.clock.today(), services.clock.now()
    async with services.uow() as uow:
        person = await _who(uow, ident)
        row = await _case_for_draft(uow, person, case_id)
        doc = await uow.documents.get(row.document_id)
        action = "submit_amendments" if gl.case_from_dict(row.state).step == "conditions" else "submit_draft"
        summary, notices = await act_in(uow, preset, person, row, doc, action, text=None, today=today, now=now,
                                        data={"tracked_changes": check.has_tracked_changes, "filename": filename})
        draft = await uow.cases.add_draft(
            document_id=doc.id, case_id=row.id, filename=filename[:300], sha256=check.sha256, size=check.size, content=content,
            tracked_insertions=check.insertions, tracked_deletions=check.deletions, uploaded_by=person.id,
            uploaded_at=now, note=None,
        )
        await record_changes(services, uow, draft, check, change_kind)
        await uow.audit.record(at=now, actor=person, entity="document", entity_id=doc.id, action="draft_stored",
                               summary=f"Draft version {draft.number} stored ({filename}, {check.words} words, "
                                       f"{check.insertions} insertions and {check.deletions} deletions tracked)")
        await uow.commit()
        view = await _view(uow, preset, row, doc, person, today)
    return Outcome(view, f"Thanks: {filename} is stored as draft version {draft.number}. Done: {summary}.", tuple(notices))


async def _case_for_draft(uow, person, case_id: int | None):
    if case_id is not None:
        row = await uow.cases.get(case_id)
        if row is None:
            raise NotFound(f"There is no case {case_id}.")
        return row
    candidates = []
    for row in await uow.cases.all_open():
        if "ro" in row.waiting_for:
            doc = await uow.documents.get(row.document_id)
            if (doc.ro_id or doc.rsm_id) == person.id:
                candidates.append(row)
    if not candidates:
        raise NotAllowed("Thanks for the document, but nothing is waiting for a draft from you. "
                         "Start a review first (for example 'review PP-001'), then send the draft.")
    if len(candidates) > 1:
        listed = ", ".join(f"case {r.id}" for r in candidates)
        raise NotAllowed(f"Several of your cases are waiting for a draft ({listed}). Send it again with the case number in the message, e.g. 'case {candidates[0].id}'.")
    return candidates[0]


async def case_view(services: Services, ident: ChannelIdentity, case_id: int) -> CaseView:
    preset = services.preset
    async with services.uow() as uow:
        person = await resolve_person(uow, ident)
        row = await uow.cases.get(case_id)
        if row is None:
            raise NotFound(f"There is no case {case_id}.")
        doc = await uow.documents.get(row.document_id)
        return await _view(uow, preset, row, doc, person, services.clock.today())


async def case_view_for_person(services: Services, person_id: str, case_id: int) -> CaseView:
    """A case as one named person sees it (for notices sent to them)."""
    preset = services.preset
    async with services.uow() as uow:
        person = await uow.people.get(person_id)
        row = await uow.cases.get(case_id)
        if row is None:
            raise NotFound(f"There is no case {case_id}.")
        doc = await uow.documents.get(row.document_id)
        return await _view(uow, preset, row, doc, person, services.clock.today())


async def my_tasks(services: Services, ident: ChannelIdentity) -> list[CaseView]:
    """The open cases waiting for this person, with the buttons they may press."""
    preset = services.preset
    out: list[CaseView] = []
    async with services.uow() as uow:
        person = await _who(uow, ident)
        for row in await uow.cases.all_open():
            doc = await uow.documents.get(row.document_id)
            case = gl.case_from_dict(row.state)
            actor = actor_for(person, doc, case)
            waiting = set(row.waiting_for)
            if f"person:{person.id}" in waiting or waiting & actor.roles:
                out.append(await _view(uow, preset, row, doc, person, services.clock.today()))
    return out



async def record_sent_card(services: Services, *, case_id: int, person_id: str, channel_id: str, conversation_id: str,
                           activity_id: str, service_url: str, case_version: int) -> None:
    """Remember a case card sent to someone, so it can be refreshed after the next decision."""
    async with services.uow() as uow:
        await uow.cases.record_card(case_id=case_id, person_id=person_id, channel_id=channel_id, conversation_id=conversation_id,
                                    activity_id=activity_id, service_url=service_url, case_version=case_version,
                                    sent_at=services.clock.now(), stale=0)
        await uow.commit()


async def cards_to_refresh(services: Services, case_id: int) -> list[tuple[int, str, str, str, str, CaseView]]:
    """(card id, channel, conversation, activity id, service url, fresh view for its person) for every
    copy of a case card older than the case, so no stale button stays on anyone's screen."""
    preset = services.preset
    out = []
    async with services.uow() as uow:
        row = await uow.cases.get(case_id)
        if row is None:
            return []
        doc = await uow.documents.get(row.document_id)
        for card in await uow.cases.cards_for(case_id):
            if card.case_version >= row.version:
                continue
            person = await uow.people.get(card.person_id) if card.person_id else None
            view = await _view(uow, preset, row, doc, person, services.clock.today())
            out.append((card.id, card.channel_id, card.conversation_id, card.activity_id, card.service_url, view))
    return out


async def mark_card_refreshed(services: Services, card_id: int, case_version: int) -> None:
    async with services.uow() as uow:
        await uow.cases.card_refreshed(card_id, case_version)
        await uow.commit()
