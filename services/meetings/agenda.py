"""Meetings of decision bodies: forward plans, agendas, papers, outcomes, attendance, minutes, reports.

The rules are in governance.meetings; this module loads and stores. Every state change commits in
one transaction with an audit record; notices for other people are returned to the caller, to be
delivered after the commit. Who may act comes from the channel identity only (resolve_person):
the chair of the body, or a vice-chair deputising when the chair is not at the meeting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from governance import lifecycle as gl
from governance import meetings as gm
from governance.calendar import WorkingCalendar
from governance.dates import long_date
from governance.errors import MissingInformation, NotAllowed
from governance.preset import Body, Preset
from render import meetings as texts
from services.context import Services
from services.errors import BadInput, NotFound, NotPermitted, UnknownPerson
from services.people.identity import ChannelIdentity, find_person, resolve_person
from services.cases.lifecycle import act_in
from services.delivery.notices import daily
from services.ports import Notice
from services.meetings.views import ActionView, AgendaView, AttendanceLine, ItemView, MinutesView, Placement, PlanLine, PlanView, ReportView, SectionView

HORIZON_DAYS = 400  # meetings are written down this far ahead from the calendar
CHASE_EVERY_DAYS = 7  # overdue actions are chased weekly, like conditions
OFFICER_ROLES = ("ppo", "governance_officer", "policy_service")


@dataclass(frozen=True)
class Result:
    message: str
    notices: tuple[Notice, ...] = field(default_factory=tuple)
    agenda: AgendaView | None = None
    body_id: str | None = None


def _cal(preset: Preset) -> WorkingCalendar:
    return WorkingCalendar(preset.nation)  # type: ignore[arg-type]


def find_body(preset: Preset, said: str | None) -> Body:
    """A body by its key, name or a short name people use (PPG, DLG)."""
    words = " ".join((said or "").lower().replace("_", " ").split()).strip(" ?.!")
    for prefix in ("the ",):
        if words.startswith(prefix):
            words = words[len(prefix):]
    for b in preset.bodies.values():
        names = {b.id.replace("_", " "), b.name.lower(), *(a.lower() for a in b.aliases)}
        if words in names or words.removesuffix(" meeting") in names:
            return b
    known = "; ".join(f"{b.name}" + (f" ({b.aliases[0]})" if b.aliases else "") for b in preset.bodies.values())
    raise NotFound(f"I don't know a body called '{said}'. The bodies are: {known}.")


def _meeting_day(m) -> date:
    return m.starts_at.astimezone(gm.LONDON).date()


async def _person(uow, ident: ChannelIdentity):
    person = await resolve_person(uow, ident)
    if person is None:
        raise UnknownPerson("I don't know who you are yet, so I can't do that for you. "
                            "Ask your Policy and Procedures Officer to add you to policybot's directory.")
    return person


def _default_body(preset: Preset, person) -> Body:
    """The body a person most likely means: one they chair, deputise for or sit on, with meetings."""
    roles = person.role_names if person else frozenset()
    scheduled = [b for b in preset.bodies.values() if b.meeting is not None]
    for prefix in ("chair", "vice_chair", "member"):
        for b in scheduled:
            if f"{prefix}:{b.id}" in roles:
                return b
    if scheduled:
        return scheduled[0]
    raise NotFound(f"The {preset.name} process has no body with a meeting calendar.")


# ------------------------------------------------------------------ meetings


async def ensure_meetings(uow, preset: Preset, body: Body, today: date, now: datetime) -> None:
    """Write the calendar's meetings down from today to the horizon; rows already there (held,
    cancelled or one-off) are kept as they are."""
    if body.meeting is None:
        return
    end = today + timedelta(days=HORIZON_DAYS)
    existing = {_meeting_day(m) for m in await uow.meetings.between(body.id, gm.starts_at(today, datetime.min.time()), gm.starts_at(end, datetime.max.time()))}
    for d in gm.schedule(body, today, end):
        if d not in existing:
            await uow.meetings.create(body=body.id, starts_at=gm.starts_at(d), status="scheduled", one_off=False, created_at=now)


async def _upcoming(uow, preset, body: Body, today: date, now: datetime) -> list:
    await ensure_meetings(uow, preset, body, today, now)
    rows = await uow.meetings.between(body.id, gm.starts_at(today, datetime.min.time()),
                                      gm.starts_at(today + timedelta(days=HORIZON_DAYS * 2), datetime.max.time()), ["scheduled"])
    return rows


async def _feasible(uow, preset, body: Body, today: date, now: datetime, after: date | None = None):
    rows = await _upcoming(uow, preset, body, today, now)
    by_day = {_meeting_day(m): m for m in rows}
    d = gm.first_feasible_of(body, by_day, today, _cal(preset), after=after)
    return (by_day[d.meeting], d) if d else (None, None)


async def _next_meeting(uow, preset, body: Body, today: date, now: datetime):
    rows = await _upcoming(uow, preset, body, today, now)
    if not rows:
        raise NotFound(f"The {body.name} has no meeting scheduled.")
    return rows[0]


# ------------------------------------------------------------------ authorisation


async def _chairing(uow, person, body: Body, meeting=None) -> frozenset[str]:
    """The roles the person acts with as chair: the chair, or a vice-chair deputising when the chair
    is recorded as not present at this meeting (or the body has no chair in the directory)."""
    roles = person.role_names
    if body.chair_role in roles:
        return frozenset()
    if body.vice_chair_role in roles:
        chairs = await uow.people.with_role(body.chair_role)
        if not chairs:
            return frozenset({body.chair_role})
        if meeting is not None:
            present = {a.person_id: a.status for a in await uow.meetings.attendance(meeting.id)}
            if all(present.get(c.id) in ("absent", "delegate") for c in chairs):
                return frozenset({body.chair_role})
        raise NotPermitted(f"Only the chair of the {body.name} can do that. A vice-chair deputises when the chair "
                           "is recorded as absent from the meeting.")
    raise NotPermitted(f"Only the chair of the {body.name} (or a vice-chair deputising) can do that.")


def _is_officer(person, preset: Preset) -> bool:
    return bool(person.role_names & {*OFFICER_ROLES, preset.request_recipient})


async def _chair_or_officer(uow, person, preset, body, meeting=None) -> frozenset[str]:
    if _is_officer(person, preset):
        return frozenset()
    return await _chairing(uow, person, body, meeting)


# ------------------------------------------------------------------ placing items (DOR-8, BCT-4, BCT-7)


def _owner_id(doc) -> str | None:
    return (doc.ro_id or doc.rsm_id) if doc is not None else None


async def _place(uow, preset: Preset, body: Body, *, doc, case_id: int | None, kind: str, today: date, now: datetime,
                 actor, after: date | None = None, referred_from: str | None = None, title: str | None = None,
                 carried_from=None) -> Placement:
    title = title or f"{doc.ref} {doc.title}"
    if case_id is not None and carried_from is None:
        for existing in await uow.meetings.items_for_case(case_id):
            m = await uow.meetings.get(existing.meeting_id)
            if existing.outcome is None and m.body == body.id and m.status == "scheduled":
                if kind in ("full_approval", "information") and existing.kind != kind:
                    # DOR-5: an interim or a Director's approval changes what the meeting does with it.
                    existing.kind, existing.section = kind, gm.section_for(kind)
                    await uow.audit.record(at=now, actor=actor, entity="document", entity_id=doc.id, action="agenda_item_changed",
                                           summary=f"On the {body.name} agenda for {long_date(_meeting_day(m))} now "
                                                   + ("for information (DOR-5)" if kind == "information" else "for full approval (DOR-5)"))
                return Placement(body.name, title, _meeting_day(m), gm.deadlines_for(body, _meeting_day(m), _cal(preset)),
                                 existing.id, already=True)
    meeting, deadlines = await _feasible(uow, preset, body, today, now, after)
    item = None
    if meeting is not None:
        item = await uow.meetings.add_item(
            meeting_id=meeting.id, document_id=doc.id if doc else None, case_id=case_id, title=title[:300], kind=kind,
            section=gm.section_for(kind), position=0, added_by=actor.id if actor else None, added_at=now,
            carried_from=carried_from.id if carried_from is not None else None)
    if carried_from is None:
        await uow.meetings.add_plan_entry(
            body=body.id, document_id=doc.id if doc else None, case_id=case_id, title=title[:300], kind=kind, status="planned",
            agenda_item_id=item.id if item else None, referred_from=referred_from, added_by=actor.id if actor else None, added_at=now)
    else:
        entry = await uow.meetings.plan_entry_for_item(carried_from.id)
        if entry is not None:
            entry.agenda_item_id = item.id if item else None
    placement = Placement(body.name, title, deadlines.meeting if deadlines else None, deadlines, item.id if item else None)
    summary = texts.placement_text(placement)
    if referred_from:
        summary = f"Referred by the {preset.bodies[referred_from].name}. " + summary
    await uow.audit.record(at=now, actor=actor, entity="document" if doc else "meeting", entity_id=doc.id if doc else (meeting.id if meeting else body.id),
                           action="placed_on_agenda" if item else "placed_on_forward_plan", summary=summary,
                           details={"body": body.id, "meeting": meeting.id if meeting else None, "item": item.id if item else None})
    owner = _owner_id(doc)
    notices = (daily(owner, f"On the agenda: {title}" if item else f"On the forward plan: {title}", summary),) if owner else ()
    return Placement(placement.body_name, title, placement.meeting_on, deadlines, placement.item_id, notices=notices)


async def place_from_events(uow, preset: Preset, doc, row, case: gl.Case, events, today: date, now: datetime, person) -> list[Notice]:
    """Lifecycle hook: a stage needing a body's decision (AgendaItem event) places the document."""
    out: list[Notice] = []
    referred_from = None
    last = case.decisions[-1] if case.decisions else None
    if last is not None and last.decision in ("refer", "defer"):
        stage = preset.routes[case.route].stage(last.stage)
        referred_from = stage.body
    for e in events:
        if not isinstance(e, gl.AgendaItem) or e.body not in preset.bodies:
            continue
        kind = gm.kind_for_case(case.kind, e.purpose)
        p = await _place(uow, preset, preset.bodies[e.body], doc=doc, case_id=row.id, kind=kind, today=today, now=now,
                         actor=person, referred_from=referred_from if referred_from != e.body else None)
        out += list(p.notices)
    return out


async def place_on_agenda(services: Services, ident: ChannelIdentity, ref: str, body_name: str, kind: str = "review") -> Placement:
    """Put a document on a body's forward plan and its first feasible agenda, and tell its owner.
    The body's chair or vice-chair, the policy officer, or the document's owner may do this."""
    preset = services.preset
    body = find_body(preset, body_name)
    gm.section_for(kind)
    today, now = services.clock.today(), services.clock.now()
    async with services.uow() as uow:
        person = await _person(uow, ident)
        doc = await uow.documents.by_ref(ref)
        if doc is None:
            raise NotFound(f"I can't find a document with the reference {ref!r}.")
        roles = person.role_names
        if not (_is_officer(person, preset) or person.id in (doc.ro_id, doc.rsm_id)
                or roles & {body.chair_role, body.vice_chair_role}):
            raise NotPermitted(f"Only the document's owner, the policy officer or the chair of the {body.name} can add it to the agenda.")
        cases = await uow.cases.open_for_document(doc.id)
        p = await _place(uow, preset, body, doc=doc, case_id=cases[0].id if cases else None, kind=kind, today=today, now=now, actor=person)
        await uow.commit()
    return p


# ------------------------------------------------------------------ agendas (DOR-9)


async def _agenda_view(uow, preset: Preset, body: Body, meeting, today: date) -> AgendaView:
    rows = await uow.meetings.items(meeting.id)
    names: dict[str, str] = {}

    async def name(pid: str | None) -> str | None:
        if pid is None:
            return None
        if pid not in names:
            p = await uow.people.get(pid)
            names[pid] = p.name if p else pid
        return names[pid]

    items_in, extra, drafts = [], {}, []
    for r in rows:
        doc = await uow.documents.get(r.document_id) if r.document_id else None
        has_papers = True
        if doc is not None and r.kind != "information":
            versions = await uow.cases.drafts(doc.id)
            current = [v for v in versions if r.case_id is None or v.case_id == r.case_id]
            has_papers = bool(current)
            if current:
                drafts.append(f"{doc.ref} {doc.title}: draft version {current[-1].number} ({current[-1].filename})")
        owner = _owner_id(doc)
        items_in.append(gm.ItemIn(r.id, r.title, r.kind, r.section, r.position, doc.ref if doc else None,
                                  await name(owner), has_papers, r.outcome, r.outcome_note))
        extra[r.id] = (owner, r.carried_from is not None)
    sections = []
    for s in gm.build_agenda(items_in):
        views = []
        for line in s.lines:
            i = line.item
            if not i.key:
                continue
            owner, carried = extra[i.key]
            views.append(ItemView(i.key, line.number, i.title, i.ref, i.kind, i.section, owner, i.owner, i.has_papers,
                                  i.outcome, gm.OUTCOMES.get(i.outcome) if i.outcome else None, i.outcome_note, carried))
        sections.append(SectionView(s.id, s.title, tuple(views)))
    actions = []
    for a in await uow.meetings.open_actions(body.id):
        actions.append(ActionView(a.id, a.text, await name(a.owner_id) or "", a.due_on, False, bool(a.due_on and a.due_on < today)))
    day = _meeting_day(meeting)
    return AgendaView(body.id, body.name, meeting.id, day, meeting.starts_at.astimezone(gm.LONDON), meeting.status, meeting.one_off,
                      gm.deadlines_for(body, day, _cal(preset)), tuple(sections), tuple(actions), meeting.papers_sent_at is not None,
                      tuple(drafts))


async def next_agenda(services: Services, ident: ChannelIdentity, body_name: str | None = None) -> AgendaView:
    preset = services.preset
    today, now = services.clock.today(), services.clock.now()
    async with services.uow() as uow:
        person = await resolve_person(uow, ident)
        body = find_body(preset, body_name) if body_name else _default_body(preset, person)
        meeting = await _next_meeting(uow, preset, body, today, now)
        view = await _agenda_view(uow, preset, body, meeting, today)
        await uow.commit()  # meetings written down from the calendar
    return view


async def meeting_agenda(services: Services, body_name: str, on: date) -> AgendaView:
    """The agenda of a body's meeting on a given day (any status)."""
    preset = services.preset
    body = find_body(preset, body_name)
    async with services.uow() as uow:
        meeting = await _meeting_on(uow, body, on)
        return await _agenda_view(uow, preset, body, meeting, services.clock.today())


async def _meeting_on(uow, body: Body, on: date):
    rows = await uow.meetings.between(body.id, gm.starts_at(on, datetime.min.time()), gm.starts_at(on, datetime.max.time()))
    if not rows:
        raise NotFound(f"The {body.name} has no meeting on {long_date(on)}.")
    return rows[0]


async def _current_meeting(uow, preset, body: Body, today: date, now: datetime):
    """The meeting whose business is being done: the latest one up to today until its minutes are
    issued, and after that the next one."""
    past = await uow.meetings.between(body.id, gm.starts_at(today - timedelta(days=HORIZON_DAYS), datetime.min.time()),
                                      gm.starts_at(today, datetime.max.time()), ["scheduled", "held"])
    if past and past[-1].minutes_sent_at is None:
        return past[-1]
    return await _next_meeting(uow, preset, body, today, now)


@dataclass(frozen=True)
class _Chairing:
    person: object
    body: object
    meeting: object
    deputy_roles: frozenset
    view: AgendaView

    def item(self, number: int) -> ItemView:
        found = self.view.item(number)
        if found is None:
            raise BadInput(_no_item(self.view, number))
        return found


async def _as_chair(uow, preset, ident: ChannelIdentity, body_name: str | None, today: date, now: datetime, *,
                    current: bool, before_view=None) -> _Chairing:
    """Who is asking, for which body and meeting (the next one, or the one being held), checked to
    be its chair or a deputising vice-chair, with the agenda as it stands."""
    person = await _person(uow, ident)
    body = find_body(preset, body_name) if body_name else _default_body(preset, person)
    meeting = await (_current_meeting if current else _next_meeting)(uow, preset, body, today, now)
    deputy_roles = await _chairing(uow, person, body, meeting)
    if before_view is not None:
        before_view(body, meeting)
    view = await _agenda_view(uow, preset, body, meeting, today)
    return _Chairing(person, body, meeting, frozenset(deputy_roles or ()), view)


async def move_item(services: Services, ident: ChannelIdentity, number: int, body_name: str | None = None) -> Result:
    """The chair moves item N of the next agenda to the following meeting ('to next month')."""
    preset = services.preset
    today, now = services.clock.today(), services.clock.now()
    async with services.uow() as uow:
        chair = await _as_chair(uow, preset, ident, body_name, today, now, current=False)
        person, body, meeting, view = chair.person, chair.body, chair.meeting, chair.view
        item_view = chair.item(number)
        if item_view.outcome:
            raise NotAllowed(f"Item {number} already has its outcome ({item_view.outcome_label}).")
        rows = await _upcoming(uow, preset, body, today, now)
        later = [m for m in rows if m.starts_at > meeting.starts_at]
        if not later:
            raise NotFound(f"The {body.name} has no later meeting to move it to.")
        target = later[0]
        item = await uow.meetings.item(item_view.id)
        item.meeting_id, item.position = target.id, 0
        on = _meeting_day(target)
        msg = f"Item {number}, {item.title}, moves from {texts.short_day(view.meeting_on)} to the meeting on {texts.day(on)}."
        await uow.audit.record(at=now, actor=person, entity="meeting", entity_id=meeting.id, action="item_moved", summary=msg,
                               details={"item": item.id, "to_meeting": target.id})
        doc = await uow.documents.get(item.document_id) if item.document_id else None
        owner = _owner_id(doc)
        notices = (daily(owner, f"Moved to {texts.short_day(on)}: {item.title}", msg),) if owner and owner != person.id else ()
        await uow.commit()
        new_view = await _agenda_view(uow, preset, body, meeting, today)
    return Result(msg, notices, new_view)


async def reorder_item(services: Services, ident: ChannelIdentity, number: int, to_number: int, body_name: str | None = None) -> Result:
    preset = services.preset
    today, now = services.clock.today(), services.clock.now()
    async with services.uow() as uow:
        person = await _person(uow, ident)
        body = find_body(preset, body_name) if body_name else _default_body(preset, person)
        meeting = await _next_meeting(uow, preset, body, today, now)
        await _chairing(uow, person, body, meeting)
        rows = {r.id: r for r in await uow.meetings.items(meeting.id)}
        view = await _agenda_view(uow, preset, body, meeting, today)
        item_view = view.item(number)
        if item_view is None:
            raise BadInput(_no_item(view, number))
        if to_number == number:
            raise NotAllowed(f"Item {number} is already item {to_number}.")
        items = [gm.ItemIn(r.id, r.title, r.kind, r.section, r.position) for r in rows.values()]
        for moved in gm.reorder(items, item_view.id, to_number):
            rows[moved.key].section, rows[moved.key].position = moved.section, moved.position
        msg = f"Item {number}, {item_view.title}, is now item {to_number}."
        await uow.audit.record(at=now, actor=person, entity="meeting", entity_id=meeting.id, action="agenda_reordered", summary=msg)
        await uow.commit()
        new_view = await _agenda_view(uow, preset, body, meeting, today)
    return Result(msg, (), new_view)


async def add_item(services: Services, ident: ChannelIdentity, title: str, section: str = "horizon", body_name: str | None = None) -> Result:
    """The chair adds an item of their own (horizon scanning by default)."""
    preset = services.preset
    if section not in gm.SECTION_IDS or section == "progress":
        raise BadInput("Add it to one of: " + ", ".join(s for s in gm.SECTION_IDS if s != "progress") + ".")
    title = (title or "").strip()
    if not title:
        raise MissingInformation("What is the item? Give it a title.")
    today, now = services.clock.today(), services.clock.now()
    async with services.uow() as uow:
        person = await _person(uow, ident)
        body = find_body(preset, body_name) if body_name else _default_body(preset, person)
        meeting = await _next_meeting(uow, preset, body, today, now)
        await _chairing(uow, person, body, meeting)
        kind = {"new": "proposal", "reviews": "other", "information": "other", "horizon": "horizon"}[section]
        item = await uow.meetings.add_item(meeting_id=meeting.id, document_id=None, case_id=None, title=title[:300], kind=kind,
                                           section=section, position=10_000, added_by=person.id, added_at=now)
        msg = f"Added to the {body.name} agenda for {texts.short_day(_meeting_day(meeting))}: {title}."
        await uow.audit.record(at=now, actor=person, entity="meeting", entity_id=meeting.id, action="item_added", summary=msg,
                               details={"item": item.id})
        await uow.commit()
        view = await _agenda_view(uow, preset, body, meeting, today)
    return Result(msg, (), view)


def _no_item(view: AgendaView, number: int) -> str:
    numbers = [i.number for i in view.items]
    if not numbers:
        return f"The {view.body_name} agenda for {texts.short_day(view.meeting_on)} has no items yet besides the progress report."
    return f"There is no item {number} on the {view.body_name} agenda for {texts.short_day(view.meeting_on)} (items {min(numbers)} to {max(numbers)})."


async def missing_papers(services: Services, ident: ChannelIdentity, body_name: str | None = None) -> AgendaView:
    return await next_agenda(services, ident, body_name)


# ------------------------------------------------------------------ one-off and cancelled meetings (DOR-7)


async def add_meeting(services: Services, ident: ChannelIdentity, on: date, body_name: str | None = None) -> Result:
    preset = services.preset
    today, now = services.clock.today(), services.clock.now()
    if on < today:
        raise BadInput("A meeting can only be added for today or a later day.")
    async with services.uow() as uow:
        person = await _person(uow, ident)
        body = find_body(preset, body_name) if body_name else _default_body(preset, person)
        await _chairing(uow, person, body)
        await ensure_meetings(uow, preset, body, today, now)
        existing = await uow.meetings.between(body.id, gm.starts_at(on, datetime.min.time()), gm.starts_at(on, datetime.max.time()))
        if existing and existing[0].status == "scheduled":
            raise NotAllowed(f"The {body.name} already meets on {texts.day(on)}.")
        if existing:
            existing[0].status, existing[0].one_off = "scheduled", True
            meeting = existing[0]
        else:
            meeting = await uow.meetings.create(body=body.id, starts_at=gm.starts_at(on), status="scheduled", one_off=True, created_at=now)
        msg = f"One-off meeting of the {body.name} added on {texts.day(on)}."
        await uow.audit.record(at=now, actor=person, entity="meeting", entity_id=meeting.id, action="meeting_added", summary=msg)
        await uow.commit()
    return Result(msg, body_id=body.id)


async def cancel_meeting(services: Services, ident: ChannelIdentity, on: date, body_name: str | None = None) -> Result:
    """The chair cancels a meeting: its items go to the next meeting whose deadlines they meet,
    and their owners are told."""
    preset = services.preset
    today, now = services.clock.today(), services.clock.now()
    async with services.uow() as uow:
        person = await _person(uow, ident)
        body = find_body(preset, body_name) if body_name else _default_body(preset, person)
        await _chairing(uow, person, body)
        if on < today:
            raise BadInput(f"The meeting on {texts.day(on)} has already happened, so it can't be cancelled.")
        await ensure_meetings(uow, preset, body, today, now)
        meeting = await _meeting_on(uow, body, on)
        if meeting.status != "scheduled":
            raise NotAllowed(f"The meeting on {texts.day(on)} is already {meeting.status}.")
        meeting.status = "cancelled"
        notices: list[Notice] = []
        moved = []
        for item in await uow.meetings.items(meeting.id):
            if item.outcome:
                continue
            target, _d = await _feasible(uow, preset, body, today, now, after=on)
            if target is None:
                continue
            item.meeting_id, item.position = target.id, 0
            moved.append(item.title)
            doc = await uow.documents.get(item.document_id) if item.document_id else None
            owner = _owner_id(doc)
            if owner:
                d = gm.deadlines_for(body, _meeting_day(target), _cal(preset))
                notices.append(daily(owner, f"Meeting cancelled: {item.title}", texts.placement_text(
                    Placement(body.name, item.title, d.meeting, d, item.id)) + f" (the meeting on {texts.short_day(on)} is cancelled)"))
        msg = f"The {body.name} meeting on {texts.day(on)} is cancelled." + (f" {len(moved)} item{'s' if len(moved) != 1 else ''} moved to the next meeting." if moved else "")
        await uow.audit.record(at=now, actor=person, entity="meeting", entity_id=meeting.id, action="meeting_cancelled", summary=msg)
        await uow.commit()
    return Result(msg, tuple(notices), body_id=body.id)


# ------------------------------------------------------------------ papers (DOR-8, BCT-6)


async def _members(uow, body: Body) -> list:
    seen, out = set(), []
    for role in (body.chair_role, body.vice_chair_role, body.member_role):
        for p in await uow.people.with_role(role):
            if p.id not in seen:
                seen.add(p.id)
                out.append(p)
    return out


async def _send_papers(uow, preset, body: Body, meeting, today: date, now: datetime) -> list[Notice]:
    view = await _agenda_view(uow, preset, body, meeting, today)
    meeting.papers_sent_at = now
    subject = f"Papers: {body.name}, {texts.day(view.meeting_on)}"
    text = texts.agenda_text(view)
    await uow.audit.record(at=now, actor=None, entity="meeting", entity_id=meeting.id, action="papers_sent",
                           summary=f"Agenda and {len(view.drafts)} draft{'s' if len(view.drafts) != 1 else ''} sent to members")
    return [daily(p.id, subject, text) for p in await _members(uow, body)]


async def due_meeting_work(services: Services, now: datetime) -> list[Notice]:
    """What the scheduler runs (daily is enough): papers at their deadline, overdue actions chased,
    and the monthly and annual reports (DOR-13). Each piece commits on its own with its audit."""
    preset = services.preset
    today = now.astimezone(gm.LONDON).date()
    cal = _cal(preset)
    notices: list[Notice] = []
    for body in preset.bodies.values():
        async with services.uow() as uow:
            await ensure_meetings(uow, preset, body, today, now)
            await uow.commit()
        async with services.uow() as uow:
            rows = await uow.meetings.between(body.id, gm.starts_at(today, datetime.min.time()),
                                              gm.starts_at(today + timedelta(days=31), datetime.max.time()), ["scheduled"])
            for m in rows:
                if m.papers_sent_at is None and gm.papers_due_now(body, _meeting_day(m), today, cal):
                    notices += await _send_papers(uow, preset, body, m, today, now)
            await uow.commit()
        async with services.uow() as uow:
            for a in await uow.meetings.open_actions(body.id):
                if a.due_on and a.due_on < today and (a.last_chased_on is None or (today - a.last_chased_on).days >= CHASE_EVERY_DAYS):
                    a.last_chased_on = today
                    notices.append(daily(a.owner_id, f"Action overdue: {body.name}",
                                          f"Your action from the {body.name} was due on {texts.short_day(a.due_on)}: {a.text}. "
                                          f"Say 'action {a.id} done' when it is complete."))
                    await uow.audit.record(at=now, actor=None, entity="meeting", entity_id=a.meeting_id, action="action_chased",
                                           summary=f"Overdue action chased: {a.text}", details={"action": a.id})
            await uow.commit()
        if "monthly" in body.reports and today.day <= 7:
            start, end = gm.monthly_period(today)
            notices += await _periodic_report(services, preset, body, "monthly", start, end, now)
        if "annual" in body.reports:
            async with services.uow() as uow:
                last = await uow.meetings.last_report(body.id, "annual")
            due = gm.annual_report_due(today, last.period_end if last else None)
            if due:
                notices += await _periodic_report(services, preset, body, "annual", due[0], due[1], now)
    return notices


# ------------------------------------------------------------------ outcomes (DOR-4, BCT-7, DOR-5)


def parse_votes(text: str | None) -> tuple[int, int] | None:
    m = re.search(r"(\d+)\s*(?:-|to|for,?|:)\s*(\d+)", text or "")
    return (int(m.group(1)), int(m.group(2))) if m else None


async def outcome_choices(services: Services, ident: ChannelIdentity, number: int, body_name: str | None = None) -> tuple[AgendaView, ItemView, tuple[str, ...]]:
    preset = services.preset
    today, now = services.clock.today(), services.clock.now()
    async with services.uow() as uow:
        chair = await _as_chair(uow, preset, ident, body_name, today, now, current=True)
        body, view = chair.body, chair.view
        item = chair.item(number)
        decisions = await _stage_decisions(uow, preset, body, item)
        choices = []
        for o in gm.OUTCOMES:
            try:
                gm.outcome_effect(o, item.kind, body, decisions, votes=(1, 0), note="x")
                choices.append(o)
            except (NotAllowed, MissingInformation):
                continue
        await uow.commit()
    return view, item, tuple(choices)


async def _stage_decisions(uow, preset, body: Body, item) -> tuple[str, ...]:
    case_id = getattr(item, "case_id", None)
    if case_id is None and hasattr(item, "id"):
        row = await uow.meetings.item(item.id)
        case_id = row.case_id if row else None
    if case_id is None:
        return ()
    row = await uow.cases.get(case_id)
    if row is None or row.status != "open":
        return ()
    case = gl.case_from_dict(row.state)
    stage = preset.routes[case.route].stage(case.stage)
    if stage.body != body.id or case.step != "awaiting":
        return ()
    if stage.kind == "agree_need":
        return ("approve", "not_approved")  # DOR-2: the Group agrees (or not) the need before drafting
    return stage.decisions


async def record_outcome(services: Services, ident: ChannelIdentity, number: int, outcome: str, note: str | None = None,
                         *, votes: tuple[int, int] | None = None, body_name: str | None = None) -> Result:
    """The chair (or a vice-chair deputising) records item N's outcome; it flows into the case."""
    preset = services.preset
    today, now = services.clock.today(), services.clock.now()
    note = (note or "").strip() or None
    outcome = gm.parse_outcome(outcome)
    async with services.uow() as uow:
        def not_before_the_meeting(body, meeting) -> None:
            if _meeting_day(meeting) > today:
                raise NotAllowed(f"The {body.name} meets on {texts.day(_meeting_day(meeting))}: "
                                 "outcomes are recorded at or after the meeting.")

        chair = await _as_chair(uow, preset, ident, body_name, today, now, current=True, before_view=not_before_the_meeting)
        person, body, meeting, deputy_roles = chair.person, chair.body, chair.meeting, chair.deputy_roles
        on = _meeting_day(meeting)
        item_view = chair.item(number)
        item = await uow.meetings.item(item_view.id)
        if item.outcome:
            raise NotAllowed(f"Item {number} already has its outcome: {gm.OUTCOMES[item.outcome].lower()}.")
        decisions = await _stage_decisions(uow, preset, body, item)
        effect = gm.outcome_effect(outcome, item.kind, body, decisions, votes=votes, note=note)
        notices: list[Notice] = []
        case_row = await uow.cases.get(item.case_id) if item.case_id else None
        doc = await uow.documents.get(item.document_id) if item.document_id else None
        flowed = ""
        if effect.lifecycle_decision and case_row is not None and decisions:
            data = {"for": votes[0], "against": votes[1]} if votes and outcome == "approved_by_vote" else {}
            summary, case_notices = await act_in(
                uow, preset, person, case_row, doc, effect.lifecycle_decision, text=note, data=data, today=today, now=now,
                extra_roles=deputy_roles, audit_details={"meeting": meeting.id, "item": item.id})
            notices += case_notices
            flowed = f" Case {case_row.id}: {summary}."
        elif effect.lifecycle_decision and case_row is not None:
            flowed = f" Case {case_row.id} is not waiting for the {body.name}'s decision, so only the outcome is recorded."
        item.outcome, item.outcome_note, item.recorded_by, item.recorded_at = outcome, note, person.id, now
        entry = await uow.meetings.plan_entry_for_item(item.id)
        if outcome == "deferred":
            p = await _place(uow, preset, body, doc=doc, case_id=item.case_id, kind=item.kind, today=today, now=now,
                             actor=person, after=on, title=item.title, carried_from=item)
            notices += list(p.notices)
            flowed = " " + texts.placement_text(p)
        elif entry is not None:
            entry.status = "decided"
        if effect.to_higher_body and case_row is None:
            # No case to carry the referral: the document still goes onto the higher body's plan (BCT-7).
            p = await _place(uow, preset, preset.bodies[effect.to_higher_body], doc=doc, case_id=None, kind=item.kind,
                             today=today, now=now, actor=person, referred_from=body.id, title=item.title)
            notices += list(p.notices)
        if effect.to_higher_body:
            flowed += f" It goes onto the forward plan of the {preset.bodies[effect.to_higher_body].name}."
        deputy = " (deputising for the chair)" if deputy_roles else ""
        msg = f"Item {number}, {item.title}: {effect.label.lower()}" + (f": {note}" if note else "") + f"{deputy}.{flowed}"
        await uow.audit.record(at=now, actor=person, entity="meeting", entity_id=meeting.id, action="outcome_recorded",
                               summary=msg, reason=note, details={"item": item.id, "outcome": outcome, "votes": list(votes) if votes else None})
        owner = _owner_id(doc)
        if owner and owner != person.id and not any(n.person_id == owner for n in notices):
            notices.append(daily(owner, f"{effect.label}: {item.title}", msg))
        await uow.commit()
        new_view = await _agenda_view(uow, preset, body, meeting, today)
    return Result(msg, tuple(notices), new_view)


# ------------------------------------------------------------------ attendance (DOR-11)


async def record_attendance(services: Services, ident: ChannelIdentity, statuses: dict[str, tuple[str, str | None]],
                            body_name: str | None = None) -> Result:
    """Record who came (present, absent, or sent a delegate) to the meeting being minuted; flag a
    member absent without a delegate from successive meetings to the role the body names (DOR-11,
    the Head of QA), and a meeting short of its quorum roles."""
    preset = services.preset
    today, now = services.clock.today(), services.clock.now()
    async with services.uow() as uow:
        person = await _person(uow, ident)
        body = find_body(preset, body_name) if body_name else _default_body(preset, person)
        meeting = await _current_meeting(uow, preset, body, today, now)
        await _chair_or_officer(uow, person, preset, body)
        if _meeting_day(meeting) > today:
            raise NotAllowed("Attendance is recorded at or after the meeting.")
        members = {p.id: p for p in await _members(uow, body)}
        for who, (status, delegate) in statuses.items():
            if status not in gm.ATTENDANCE:
                raise BadInput(f"Attendance is one of {', '.join(gm.ATTENDANCE)}, not '{status}'.")
            p = members.get(who) or await find_person(uow, who)
            if p is None:
                raise NotFound(f"I can't find '{who}' in the directory.")
            members.setdefault(p.id, p)
            await uow.meetings.set_attendance(meeting.id, p.id, status, delegate, now)
        meeting.status = "held"
        result = await _attendance_flags(uow, preset, body, meeting, members)
        await uow.audit.record(at=now, actor=person, entity="meeting", entity_id=meeting.id, action="attendance_recorded",
                               summary=result.message)
        await uow.commit()
    return result


async def _attendance_flags(uow, preset, body: Body, meeting, members: dict) -> Result:
    held = [m for m in await uow.meetings.of_body(body.id, ["held"]) if m.starts_at <= meeting.starts_at]
    history = []
    for m in held:
        history.append({a.person_id: a.status for a in await uow.meetings.attendance(m.id)})
    member_ids = [p.id for p in await uow.people.with_role(body.member_role)]
    notices: list[Notice] = []
    lines = []
    on = texts.short_day(_meeting_day(meeting))
    if body.absence_escalation:
        to_role = body.absence_escalation[1]
        for pid, run in gm.absence_flags(body, history, member_ids):
            p = members.get(pid) or await uow.people.get(pid)
            line = f"{p.name} has missed {run} meetings of the {body.name} in a row without sending a delegate (DOR-11)."
            lines.append(line)
            for h in await uow.people.with_role(to_role):
                notices.append(daily(h.id, f"Absences: {body.name}", line))
    attended = []
    for pid, status in (history[-1] if history else {}).items():
        if status in ("present", "delegate"):
            p = members.get(pid) or await uow.people.get(pid)
            attended.append(frozenset(p.role_names) if p else frozenset())
    check = gm.quorum_check(body, attended)
    if check.short:
        gaps = ", ".join(f"{got} of {need} {preset.role_label(role)}{'s' if need != 1 else ''}" for role, got, need in check.shortfalls())
        line = f"The meeting on {on} was short: {gaps} attended (DOR-11)."
        lines.append(line)
        targets = [p.id for p in await uow.people.with_role(body.chair_role)]
        if body.absence_escalation:
            targets += [p.id for p in await uow.people.with_role(body.absence_escalation[1])]
        notices += [daily(t, f"Short meeting: {body.name}", line) for t in dict.fromkeys(targets)]
    msg = f"Attendance recorded for the {body.name} meeting on {on}." + ("".join(" " + x for x in lines))
    return Result(msg, tuple(notices), body_id=body.id)


# ------------------------------------------------------------------ minutes, actions, reports (DOR-10, DOR-13)


@dataclass(frozen=True)
class NewAction:
    text: str
    owner: str  # person id, email or name
    due: date | None = None


async def _minutes_view(uow, preset, body: Body, meeting, today: date, notes: str | None) -> MinutesView:
    view = await _agenda_view(uow, preset, body, meeting, today)
    lines, attended = [], []
    for a in await uow.meetings.attendance(meeting.id):
        p = await uow.people.get(a.person_id)
        lines.append(AttendanceLine(p.name if p else a.person_id, a.status, a.delegate_name))
        if a.status != "absent" and p is not None:
            attended.append(frozenset(p.role_names))
    lines.sort(key=lambda x: x.name)
    check = gm.quorum_check(body, attended)
    short = tuple(f"fewer than {need} {preset.role_label(role)}s attended ({got})" for role, got, need in check.shortfalls()) if lines else ()
    actions = []
    for a in await uow.meetings.actions_of(meeting.id):
        p = await uow.people.get(a.owner_id)
        actions.append(ActionView(a.id, a.text, p.name if p else a.owner_id, a.due_on, a.done_at is not None))
    return MinutesView(view, tuple(lines), short, tuple(actions), notes)


async def issue_minutes(services: Services, ident: ChannelIdentity, actions: list[NewAction] | None = None,
                        notes: str | None = None, body_name: str | None = None) -> tuple[Result, MinutesView]:
    """DOR-10: minutes to members and each action to its owner; DOR-13: the report of approved
    documents and exceptions to the higher body's members. All in one transaction."""
    preset = services.preset
    today, now = services.clock.today(), services.clock.now()
    async with services.uow() as uow:
        person = await _person(uow, ident)
        body = find_body(preset, body_name) if body_name else _default_body(preset, person)
        meeting = await _current_meeting(uow, preset, body, today, now)
        await _chair_or_officer(uow, person, preset, body, meeting)
        on = _meeting_day(meeting)
        if on > today:
            raise NotAllowed(f"The {body.name} meets on {texts.day(on)}: minutes follow the meeting.")
        if await uow.meetings.minutes(meeting.id) is not None:
            raise NotAllowed(f"The minutes of the {body.name} meeting on {texts.short_day(on)} have already been issued.")
        notices: list[Notice] = []
        for a in actions or []:
            if not a.text.strip():
                raise MissingInformation("Every action needs its words.")
            owner = await find_person(uow, a.owner)
            if owner is None:
                raise NotFound(f"I can't find '{a.owner}' in the directory to own the action '{a.text}'.")
            await uow.meetings.add_action(meeting_id=meeting.id, body=body.id, agenda_item_id=None, text=a.text.strip(),
                                          owner_id=owner.id, due_on=a.due, created_at=now)
            notices.append(daily(owner.id, f"Action for you: {body.name}",
                                  f"From the {body.name} meeting on {texts.short_day(on)}: {a.text.strip()}"
                                  + (f", by {texts.short_day(a.due)}" if a.due else "") + "."))
        minutes = await _minutes_view(uow, preset, body, meeting, today, notes)
        text = texts.minutes_text(minutes)
        await uow.meetings.add_minutes(meeting_id=meeting.id, text=text, recorded_by=person.id, recorded_at=now)
        meeting.status, meeting.minutes_sent_at = "held", now
        notices += [daily(p.id, f"Minutes: {body.name}, {texts.short_day(on)}", text) for p in await _members(uow, body)]
        await uow.audit.record(at=now, actor=person, entity="meeting", entity_id=meeting.id, action="minutes_issued",
                               summary=f"Minutes of {texts.short_day(on)} issued with {len(actions or [])} actions")
        if "after_meeting" in body.reports:
            report = _report(body, "after_meeting", on, on, [(i, meeting) for i in minutes.agenda.items])
            notices += await _send_report(uow, preset, body, report, now, meeting_id=meeting.id)
            meeting.report_sent_at = now
        await uow.commit()
    return Result(f"Minutes of the {body.name} meeting on {texts.short_day(on)} issued to members.", tuple(notices)), minutes


async def complete_action(services: Services, ident: ChannelIdentity, action_id: int) -> Result:
    preset = services.preset
    now = services.clock.now()
    async with services.uow() as uow:
        person = await _person(uow, ident)
        a = await uow.meetings.action(action_id)
        if a is None:
            raise NotFound(f"There is no action {action_id}.")
        body = preset.bodies.get(a.body)
        if a.owner_id != person.id and not (body and person.role_names & {body.chair_role, body.vice_chair_role}) and not _is_officer(person, preset):
            raise NotPermitted("Only the action's owner or the chair can mark it done.")
        if a.done_at is not None:
            raise NotAllowed(f"Action {action_id} is already done.")
        a.done_at = now
        msg = f"Action {action_id} done: {a.text}"
        await uow.audit.record(at=now, actor=person, entity="meeting", entity_id=a.meeting_id, action="action_done", summary=msg)
        await uow.commit()
    return Result(msg)


def _report(body: Body, kind: str, start: date, end: date, items) -> ReportView:
    approved, exceptions = [], []
    for i, _m in items:
        outcome = i.outcome
        label = i.title
        if outcome in gm.APPROVALS:
            approved.append(label + (f" ({gm.OUTCOMES[outcome].lower()})" if outcome != "approved" else ""))
        if outcome not in ("approved", "approved_with_amendments", "noted"):
            what = gm.OUTCOMES[outcome].lower() if outcome else "no decision recorded"
            exceptions.append(f"{label}: {what}" + (f" ({i.outcome_note})" if getattr(i, "outcome_note", None) else ""))
    return ReportView(kind, body.name, start, end, tuple(approved), tuple(exceptions))


async def _send_report(uow, preset, body: Body, report: ReportView, now: datetime, meeting_id: int | None = None) -> list[Notice]:
    text = texts.report_text(report)
    await uow.meetings.add_report(body=body.id, kind=report.kind, period_start=report.start, period_end=report.end, text=text, sent_at=now)
    await uow.audit.record(at=now, actor=None, entity="meeting", entity_id=meeting_id or body.id, action=f"report_{report.kind}",
                           summary=texts.REPORT_TITLES[report.kind] + f" sent ({len(report.approved)} approved, {len(report.exceptions)} exceptions)")
    targets: list[str] = []
    if report.kind in ("after_meeting", "annual") and body.higher_body:
        higher = preset.bodies[body.higher_body]
        targets += [p.id for p in await _members(uow, higher)]
    if report.kind in ("monthly", "annual"):
        targets += [p.id for p in await _members(uow, body)]
        for role in OFFICER_ROLES:
            targets += [p.id for p in await uow.people.with_role(role)]
    subject = f"{texts.REPORT_TITLES[report.kind]}: {body.name}"
    return [daily(t, subject, text) for t in dict.fromkeys(targets)]


async def _periodic_report(services, preset, body: Body, kind: str, start: date, end: date, now: datetime) -> list[Notice]:
    async with services.uow() as uow:
        if await uow.meetings.report_sent(body.id, kind, end):
            return []
        decided = await uow.meetings.decided_between(body.id, gm.starts_at(start, datetime.min.time()), gm.starts_at(end, datetime.max.time()))
        report = _report(body, kind, start, end, decided)
        if kind == "annual":
            held = [m for m in await uow.meetings.of_body(body.id, ["held"]) if start <= _meeting_day(m) <= end]
            short = 0
            for m in held:
                attended = []
                for a in await uow.meetings.attendance(m.id):
                    p = await uow.people.get(a.person_id)
                    if a.status != "absent" and p is not None:
                        attended.append(frozenset(p.role_names))
                short += gm.quorum_check(body, attended).short
            report = ReportView(kind, body.name, start, end, report.approved, report.exceptions, len(held), short)
        notices = await _send_report(uow, preset, body, report, now)
        await uow.commit()
    return notices


async def minutes_of(services: Services, body_name: str, on: date) -> str:
    preset = services.preset
    body = find_body(preset, body_name)
    async with services.uow() as uow:
        meeting = await _meeting_on(uow, body, on)
        m = await uow.meetings.minutes(meeting.id)
        if m is None:
            raise NotFound(f"No minutes yet for the {body.name} meeting on {texts.short_day(on)}.")
        return m.text


async def forward_plan(services: Services, body_name: str) -> list[PlanLine]:
    """DOR-10 / BCT-7: what a body has still to consider, with the meeting each item is on."""
    preset = services.preset
    body = find_body(preset, body_name)
    async with services.uow() as uow:
        return await _plan_lines(uow, preset, body)


async def forward_plan_view(services: Services, ident: ChannelIdentity, body_name: str | None = None) -> PlanView:
    """A body's forward plan as someone in the directory asks for it (their own body by default)."""
    preset = services.preset
    async with services.uow() as uow:
        person = await _person(uow, ident)
        body = find_body(preset, body_name) if body_name else _default_body(preset, person)
        return PlanView(body.id, body.name, tuple(await _plan_lines(uow, preset, body)))


async def _plan_lines(uow, preset: Preset, body: Body) -> list[PlanLine]:
    out = []
    for e in await uow.meetings.plan(body.id):
        on = None
        if e.agenda_item_id:
            item = await uow.meetings.item(e.agenda_item_id)
            meeting = await uow.meetings.get(item.meeting_id) if item else None
            on = _meeting_day(meeting) if meeting else None
        out.append(PlanLine(e.title, e.kind, on, preset.bodies[e.referred_from].name if e.referred_from in preset.bodies else None))
    return out
