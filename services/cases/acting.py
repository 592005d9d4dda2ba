"""Acting on cases: open a review, request a new document, take an action (closing a consultation
by its deadline is in `closing`).

Every change is one transaction: the case's new state (compare-and-swap on its version, so a stale
card or a second click changes nothing), the document's register entry, an audit record, and the
notices for other people (raised with `uow.notify`, queued in the outbox by the commit). The notices
are also returned, so the turn can send them at once; a failed delivery never undoes a decision.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from governance import lifecycle as gl
from governance.calendar import WorkingCalendar
from governance.errors import NotAllowed
from governance.ownership import uses_rsm
from governance.preset import Preset
from governance.wording import sentence
from services.cases import nct_opening
from services.cases.beside import beside_the_case, stakeholders_named
from services.cases.views import CardToRefresh, CaseView, _rsm_ids, actor_for, stale_cards_in, view_in
from services.cases.consultees import AREA_ROLES, case_people
from services.context import Services
from services.delivery.notices import dated
from services.errors import BadInput, NotFound, UnknownPerson
from services.meetings.placing import place_from_events
from services.people.identity import ChannelIdentity, resolve_person
from services.people.prompter import prompter_of
from services.ports import CaseRecord, ConcurrencyConflict, DocumentRecord, Notice, PersonRecord
from services.register.documents import not_found


@dataclass(frozen=True)
class Outcome:
    case: CaseView
    message: str
    notices: tuple[Notice, ...] = field(default_factory=tuple)
    # Older copies of the case's card, read (and recorded as refreshed) in the decision's transaction.
    cards: tuple[CardToRefresh, ...] | None = None


async def _people_for(uow: Any, doc: DocumentRecord, case: gl.Case | None, target: str) -> list[str]:
    if target.startswith("person:"):
        return [target[7:]]
    if target == "ro":
        owner = doc.ro_id or doc.rsm_id
        return [owner] if owner else []
    if target == "rsm":
        return list(_rsm_ids(doc))
    if target == "requester":
        return [case.requester] if case and case.requester else []
    if target in AREA_ROLES and case is not None and target in case.participants:  # BCT-3, BCT-8: listed on the case
        return list(case.participants[target])
    return [p.id for p in await uow.people.with_role(target)]


def _label(preset: Preset, role: str) -> str:
    return preset.role_label(role) if not role.startswith("person:") else role[7:]


async def _who(uow: Any, ident: ChannelIdentity) -> PersonRecord:
    person = await resolve_person(uow, ident)
    if person is None:
        raise UnknownPerson("I don't know who you are yet, so I can't record decisions for you. "
                            "Ask your Policy and Procedures Officer to add you to policybot's directory.")
    result: PersonRecord = person
    return result


async def start_case(services: Services, ident: ChannelIdentity, ref: str, kind: str, *,
                     trigger: str | None = None, reason: str | None = None, said: str | None = None,
                     prompter: str | None = None) -> Outcome:
    """Open a case on a document. For an unscheduled review (NCT-13): `said` is the reason in the
    person's own words, and `prompter` who prompted it when that is someone else: a name in the
    directory, or a name and an email address for someone outside it (an auditor, a partner agency)."""
    preset = services.preset
    today, now = services.clock.today(), services.clock.now()
    related = await nct_opening.related_notes(services, ref, kind)  # NCT-14, read before the case's transaction
    async with services.uow() as uow:
        person = await _who(uow, ident)
        doc = await uow.documents.by_ref(ref)
        if doc is None:
            raise await not_found(uow, ref)
        for existing in await uow.cases.open_for_document(doc.id):
            raise NotAllowed(f"{doc.ref} {doc.title} already has work in progress (case {existing.id}). Say 'case {existing.id}' to see it.")
        gl.may_open(preset, kind, actor_for(person, doc, None).roles, f"{doc.ref} {doc.title}")
        doc_type = _doc_type_id(preset, doc.doc_type)
        category = doc.category if doc.category in preset.categories else (preset.categories[0] if preset.categories else None)
        parts = await case_people(uow, preset, preset.route_for(kind, doc_type, category), doc, list(_rsm_ids(doc)))
        notes: dict[str, Any] = {"said": said.strip()[:500]} if said and said.strip() else {}
        if prompter:
            notes["prompter"] = await prompter_of(uow, prompter, person)
        notes.update(related)
        if related and nct_opening.joint_session_needed(doc):
            notes["joint_session_needed"] = True  # NCT-7
        out = gl.start_case(
            preset, kind, document_type=doc_type, category=category,
            today=today, document_name=f"{doc.ref} {doc.title}", requester=person.id,
            participants=parts, trigger=trigger, reason=reason,
            calendar=WorkingCalendar(preset.nation), document_title=doc.title, notes=notes,
        )
        state = gl.case_to_dict(out.case)
        row = await uow.cases.create(
            document_id=doc.id, preset=preset.key, kind=kind, stage=out.case.stage, status="open", state=state,
            waiting_for=gl.who_must_act(preset, out.case), opened_by=person.id, opened_at=now, updated_at=now, version=1,
        )
        await uow.audit.record(at=now, actor=person, entity="document", entity_id=doc.id, action=f"open_{kind}",
                               summary=out.case.history[0].summary + f" (case {row.id})", reason=reason or trigger,
                               details={"case": row.id, **({"related": [x.get("ref") or x["title"] for x in related["related"]]}
                                                           if related else {})})
        notices = await _notices(uow, preset, doc, out.case, out.events, row.id, person.id)
        notices += await _agenda_events(uow, preset, doc, row, out.case, out.events, today, now, person)
        uow.notify(*notices)
        view = await view_in(uow, preset, row, doc, person, today)
        await uow.commit()
    return Outcome(view, f"Case {row.id} is open: {kind.replace('_', ' ')} of {doc.ref} {doc.title}."
                   + nct_opening.opening_lines(out.case, row.id, doc.ref), tuple(notices))


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
        doc = await uow.documents.load_people(doc)
        parts = await case_people(uow, preset, preset.route_for("new_document", document_type, category), doc,
                                  list(_rsm_ids(doc)), consultees, leave_out=person.id)
        named_stakeholders = await stakeholders_named(uow, stakeholders, person.id) if "stakeholder" in preset.roles else []  # LBBD-2
        parts["stakeholder"] = named_stakeholders
        named = parts["consultee"]
        out = gl.start_case(
            preset, "new_document", document_type=document_type, category=category, today=today,
            document_name=f"{ref} {title}", document_title=title[:300], requester=person.id,
            participants=parts, reason=None,
            calendar=WorkingCalendar(preset.nation),
        )
        row = await uow.cases.create(
            document_id=doc.id, preset=preset.key, kind="new_document", stage=out.case.stage, status="open",
            state=gl.case_to_dict(out.case), waiting_for=gl.who_must_act(preset, out.case), opened_by=person.id,
            opened_at=now, updated_at=now, version=1,
        )
        extra = f"; stakeholders: {stakeholders.strip()}" if stakeholders and stakeholders.strip() else ""
        await uow.audit.record(at=now, actor=person, entity="document", entity_id=doc.id, action="requested",
                               summary=f"New {label.lower()} requested (case {row.id}){extra}", reason=reason.strip(),
                               details={"case": row.id, "consultees": named})
        notices = await _notices(uow, preset, doc, out.case, out.events, row.id, person.id)
        notices += _to_request_mailbox(services, preset, doc, row.id, person, reason, stakeholders)
        notices += await _agenda_events(uow, preset, doc, row, out.case, out.events, today, now, person)
        uow.notify(*notices)
        view = await view_in(uow, preset, row, doc, person, today)
        await uow.commit()
    who = preset.role_label(preset.request_recipient)
    first = preset.routes[out.case.route].stage(out.case.stage)
    if first.kind == "agree_need":
        mailed = any(n.address for n in notices if n.key == f"request:case{row.id}")
        jointly = f" and the {len(named_stakeholders)} stakeholders you named, who agree it together (LBBD-2)" if named_stakeholders else ""
        sent = f"I've sent it to the {who}{jointly} to agree the need" + (", and by email to its mailbox." if mailed else ".")
    else:
        sent = f"Next: {first.label}."
    return Outcome(view, f"Thanks: your request is {ref} {title}, case {row.id}. {sent}", tuple(notices))


def _to_request_mailbox(services: Services, preset: Preset, doc: DocumentRecord, case_id: int, person: PersonRecord, reason: str,
                        stakeholders: str | None) -> list[Notice]:
    """BCT-2: requests also go to the organisation's request mailbox, when it has one and its
    address is configured (POLICYBOT_REQUEST_MAILBOX); the preset names it, never its address."""
    address = services.config.request_mailbox
    if not preset.request_mailbox or not address or not _mail_on(services):
        return []
    subject = f"New document requested: {doc.ref} {doc.title}"
    lines = [sentence(f"{person.name} asks for a new {doc.doc_type.lower()}: {doc.title}"), f"Why it is needed: {reason.strip()}"]
    if doc.category:
        lines.append(f"Category: {doc.category}")
    if doc.service_area:
        lines.append(f"Service area: {doc.service_area}")
    if stakeholders and stakeholders.strip():
        lines.append(f"Stakeholders: {stakeholders.strip()}")
    lines.append(f"To decide, reply to policybot with AGREE THE NEED case {case_id}; "
                 f"ASK FOR MORE INFORMATION case {case_id}: <your question>; or DECLINE case {case_id}: <why>.")
    return [Notice(key=f"request:case{case_id}", subject=subject, body="\n".join(lines), address=address,
                   case_id=case_id, document_ref=doc.ref)]


async def _rsm_for_area(uow: Any, preset: Preset, service_area: str | None) -> str | None:
    """Where the process has RSMs, the one RSM of the service area signs off a new document (NCT-1);
    with none or several, the PPO names them ('add RSM <name> to <ref>')."""
    if not uses_rsm(preset) or not service_area:
        return None
    found = [p.id for p in await uow.people.with_role("rsm")
             if (p.service_area or "").strip().lower() == service_area.strip().lower()]
    return found[0] if len(found) == 1 else None


async def _next_ref(uow: Any) -> str:
    """The register's usual prefix and the next free number (PP-047 after PP-046)."""
    prefixes: Counter[str] = Counter()
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


def _doc_type_id(preset: Preset, label: str) -> str:
    for t in preset.document_types.values():
        if t.label.lower() == label.lower() or t.id == label:
            return t.id
    return "procedure" if "procedure" in preset.document_types else next(iter(preset.document_types))


async def _notices(uow: Any, preset: Preset, doc: DocumentRecord, case: gl.Case, events: Sequence[Any], case_id: int,
                   actor_id: str) -> list[Notice]:
    """The people to tell about this step (the caller raises them with `uow.notify`)."""
    out: list[Notice] = []
    step = len(case.history)
    for e in events:
        if isinstance(e, gl.Notify):
            if e.to.startswith("address:"):  # NCT-15: someone outside the directory, by email
                out.append(Notice(key=f"notice:case{case_id}:{step}:to-address", subject=e.subject, body=e.body,
                                  address=e.to[8:], case_id=case_id, document_ref=doc.ref))
            targets = [] if e.to.startswith("address:") else await _people_for(uow, doc, case, e.to)
            for cc in e.cc:
                targets += await _people_for(uow, doc, case, cc)
            digest = hashlib.sha1(e.subject.encode()).hexdigest()[:8]
            for pid in dict.fromkeys(targets):
                if pid != actor_id:
                    out.append(Notice(key=f"notice:case{case_id}:{step}:{digest}", subject=e.subject, body=e.body,
                                      person_id=pid, case_id=case_id, document_ref=doc.ref))
    return out


async def _apply_register_events(uow: Any, doc: DocumentRecord, events: Sequence[Any], now: datetime) -> DocumentRecord:
    """The register's changes the events ask for; the document as they leave it (each change reads the last)."""
    for e in events:
        if isinstance(e, gl.Published):
            extra = {**(doc.extra or {}), "launch_planned": e.launch_planned}  # BCT-9
            if e.edition:  # NCT-10: the edition of the manual it appeared in
                extra["publisher"] = {**(extra.get("publisher") or {}), "edition": e.edition,
                                      "published_on": e.on.isoformat()}
            doc = await uow.documents.update(doc.id, version=e.version, approved_on=e.on, last_reviewed_on=e.on,
                                             next_review_due=e.next_review_due or doc.next_review_due, status="published",
                                             extra=extra, updated_at=now)
        elif isinstance(e, gl.SubmittedToPublisher):  # NCT-10: with the publisher for the next edition
            doc = await uow.documents.update(doc.id, extra={**(doc.extra or {}), "publisher": {"submitted_on": e.on.isoformat()}},
                                             updated_at=now)
        elif isinstance(e, gl.CaseClosed) and doc.status == "requested" and e.status in ("declined", "withdrawn"):
            # a requested document that will not be written leaves the live register
            doc = await uow.documents.update(doc.id, status=e.status, updated_at=now)
        elif isinstance(e, gl.ReviewCompleted):
            doc = await uow.documents.update(doc.id, last_reviewed_on=e.on,
                                             next_review_due=e.next_review_due or doc.next_review_due, updated_at=now)
    return doc


async def act(services: Services, ident: ChannelIdentity, case_id: int, action: str, *, text: str | None = None,
              data: dict[str, Any] | None = None, expected_version: int | None = None) -> Outcome:
    """Take an action on a case as the person the channel vouches for."""
    preset = services.preset
    today, now = services.clock.today(), services.clock.now()

    async with services.uow() as uow:
        person = await _who(uow, ident)
        got = await uow.cases.full(case_id)
        if got is None:
            raise NotFound(f"There is no case {case_id}.")
        row, doc = got
        if expected_version is not None and expected_version != row.version:
            raise NotAllowed("That card is out of date: the case has moved on since it was sent. Here is where it stands now.")
        data = {k: v for k, v in (data or {}).items() if k != "meeting"}  # DOR-2: only a recorded outcome says so
        summary, notices, doc, row = await act_in(uow, preset, person, row, doc, action, text=text, data=data,
                                                  today=today, now=now)
        view = await view_in(uow, preset, row, doc, person, today)  # read before the commit: one transaction
        cards = await stale_cards_in(uow, preset, row, doc, today)
        await uow.commit()
    return Outcome(view, f"Done: {summary}.", tuple(notices), tuple(cards))


async def act_in(uow: Any, preset: Preset, person: PersonRecord, row: CaseRecord, doc: DocumentRecord, action: str, *,
                 text: str | None, data: dict[str, Any] | None, today: date, now: datetime,
                 extra_roles: frozenset[str] = frozenset(), audit_details: dict[str, Any] | None = None,
                 mail_enabled: bool = True) -> tuple[str, list[Notice], DocumentRecord, CaseRecord]:
    """Apply one action to a case inside the caller's unit of work (the caller commits): the case's
    new state, the register, the audit record, any agenda placement its events ask for, and the
    notices it causes (raised on the unit of work, and returned, with the document and the case as the
    action left them: render from those, not the records held from before). `extra_roles` lets a deputy act for
    a role (a vice-chair deputising for the chair). `mail_enabled` is no longer used (the outbox's
    writer knows), kept for the callers that pass it."""
    case = gl.case_from_dict(row.state)
    actor = actor_for(person, doc, case)
    if extra_roles:
        actor = gl.Actor(actor.person_id, actor.roles | extra_roles)
    data = await nct_opening.before_action(uow, action, dict(data or {}), today)  # NCT-17: the next update deadline
    out = gl.apply(preset, case, gl.Action(action, text, data), actor, today,
                   calendar=WorkingCalendar(preset.nation))
    new = out.case
    try:
        row = await uow.cases.save(row, expected_version=row.version, state=gl.case_to_dict(new), stage=new.stage,
                                   status="open" if new.is_open else "closed", waiting_for=gl.who_must_act(preset, new),
                                   now=now)
    except ConcurrencyConflict:
        raise NotAllowed("Someone else acted on this case at the same moment; nothing was changed. Here is where it stands now.") from None
    doc = await _apply_register_events(uow, doc, out.events, now)
    summary = new.history[-1].summary if new.history else action
    seen = await _draft_seen(uow, row)
    await uow.audit.record(at=now, actor=person, entity="document", entity_id=doc.id, action=action,
                           summary=f"{summary} (case {row.id})", reason=text,
                           details={"case": row.id, "stage": case.stage, **seen, **(audit_details or {})})
    notices = await _notices(uow, preset, doc, new, out.events, row.id, person.id)
    notices += await _agenda_events(uow, preset, doc, row, new, out.events, today, now, person)
    notices += await nct_opening.arrangement_reminders(uow, preset, doc, row, new, action, today)
    notices += [dated(n, today) for n in await beside_the_case(uow, preset, doc, row, out.events, person, today, now)]
    uow.notify(*notices)
    return summary, notices, doc, row


async def _draft_seen(uow: Any, row: CaseRecord) -> dict[str, int | str]:
    """Issue 22 item 10: the draft under decision when the person acted (the one their card showed:
    a card older than the case is refused, and a new draft moves the case), by number and SHA-256,
    so the audit answers "who approved this, when, seeing which version?"."""
    mine = [d for d in await uow.cases.draft_heads(row.document_id) if d.case_id == row.id]
    if not mine:
        return {}
    d = mine[-1]
    return {"draft_version": d.number, "sha256": d.sha256, "draft_file": d.filename}


async def _agenda_events(uow: Any, preset: Preset, doc: DocumentRecord, row: CaseRecord, case: gl.Case, events: Sequence[Any],
                         today: date, now: datetime, person: PersonRecord | None) -> list[Notice]:
    """A stage that needs a body's decision puts the document on its forward plan and agenda (the
    notices to its owner, keyed with today's date)."""
    if not any(isinstance(e, gl.AgendaItem) for e in events):
        return []
    return [dated(n, today) for n in await place_from_events(uow, preset, doc, row, case, events, today, now, person)]


