"""Agendas (DOR-9) and forward plans (DOR-10, BCT-7): what a meeting will consider, and the chair
moving, reordering and adding items."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from dataclasses import dataclass
from datetime import date, datetime

from governance import lifecycle as gl
from governance import meetings as gm
from governance.calendar import LONDON
from governance.dates import long_date
from governance.errors import MissingInformation, NotAllowed
from governance.preset import Body, Preset
from services.context import Services
from services.delivery.notices import daily
from services.manual import demand
from services.errors import BadInput, NotFound
from services.meetings import texts
from services.meetings.calendars import (
    current_meeting,
    meeting_of_day,
    next_meeting,
    upcoming,
)
from services.meetings.common import (
    Result,
    chairing_roles,
    default_body,
    document_owner,
    find_body,
    known_person,
    meeting_day,
    raised,
    working_calendar,
)
from services.meetings.views import (
    ActionView,
    AgendaView,
    ItemView,
    PlanLine,
    PlanView,
    SectionView,
)
from services.people.identity import ChannelIdentity, resolve_person
from services.work import MeetingRow, PersonRow, Work

# ------------------------------------------------------------------ agendas (DOR-9)


async def agenda_view(uow: Work, preset: Preset, body: Body, meeting: MeetingRow, today: date) -> AgendaView:
    rows = await uow.meetings.items(meeting.id)
    names: dict[str, str] = {}

    async def name(pid: str | None) -> str | None:
        if pid is None:
            return None
        if pid not in names:
            p = await uow.people.get(pid)
            names[pid] = p.name if p else pid
        return names[pid]

    items_in, extra, drafts, comments = [], {}, [], []
    for r in rows:
        doc = await uow.documents.get(r.document_id) if r.document_id else None
        has_papers = True
        case = await _case_of(uow, r.case_id)
        if doc is not None and r.kind != "information":
            versions = await uow.cases.drafts(doc.id)
            current = [v for v in versions if r.case_id is None or v.case_id == r.case_id]
            has_papers = bool(current)
            if current:
                second = " (second draft, with the consultation comments)" if case and any(h.action == "second_draft" for h in case.history) else ""
                drafts.append(f"{doc.ref} {doc.title}: draft version {current[-1].number} ({current[-1].filename}){second}")
        if doc is not None and case is not None and case.responses:
            comments += await consultation_lines(doc.ref, case, name)
        owner = document_owner(doc)
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
    day = meeting_day(meeting)
    return AgendaView(body.id, body.name, meeting.id, day, meeting.starts_at.astimezone(LONDON), meeting.status, meeting.one_off,
                      gm.deadlines_for(body, day, working_calendar(preset)), tuple(sections), tuple(actions), meeting.papers_sent_at is not None,
                      tuple(drafts), tuple(comments))


async def _case_of(uow: Work, case_id: int | None) -> gl.Case | None:
    row = await uow.cases.get(case_id) if case_id else None
    return gl.case_from_dict(row.state) if row is not None else None


async def consultation_lines(ref: str, case: gl.Case, name: Callable[[str | None], Awaitable[str | None]]) -> list[str]:
    """BCT-6: what the consultation said, for the papers: each comment by name, then who agreed and
    who did not answer (recorded as agreement, BCT-5)."""
    out = [f"{ref}: {await name(h.person_id)}: {h.summary.removeprefix('Commented: ')}"
           for h in case.history if h.action == "respond_comment"]
    agreed = sum(1 for v in case.responses.values() if v == "agreed")
    silent = sum(1 for v in case.responses.values() if v == "agreed_by_silence")
    open_ = len([p for p in case.participants.get("consultee", ()) if p not in case.responses])
    tally = f"{ref}: {agreed} agreed" + (f", {silent} did not respond (recorded as agreement, BCT-5)" if silent else "")
    return out + [tally + (f", {open_} yet to respond" if open_ else "")]


async def next_agenda(services: Services, ident: ChannelIdentity, body_name: str | None = None) -> AgendaView:
    preset = services.preset
    today, now = services.clock.today(), services.clock.now()
    async with services.uow() as uow:
        person = await resolve_person(uow, ident)
        body = find_body(preset, body_name) if body_name else default_body(preset, person)
        meeting = await next_meeting(uow, preset, body, today, now)
        view = await agenda_view(uow, preset, body, meeting, today)
        await uow.commit()  # meetings written down from the calendar
    return view


async def meeting_agenda(services: Services, body_name: str, on: date) -> AgendaView:
    """The agenda of a body's meeting on a given day (any status)."""
    preset = services.preset
    body = find_body(preset, body_name)
    async with services.uow() as uow:
        meeting = await meeting_of_day(uow, body, on)
        return await agenda_view(uow, preset, body, meeting, services.clock.today())


@dataclass(frozen=True)
class Chairing:
    person: PersonRow
    body: Body
    meeting: MeetingRow
    deputy_roles: frozenset[Any]
    view: AgendaView

    def item(self, number: int) -> ItemView:
        found = self.view.item(number)
        if found is None:
            raise BadInput(no_item_message(self.view, number))
        return found


async def as_chair(uow: Work, preset: Preset, ident: ChannelIdentity, body_name: str | None, today: date, now: datetime, *,
                    current: bool, before_view: Callable[[Body, MeetingRow], None] | None = None) -> Chairing:
    """Who is asking, for which body and meeting (the next one, or the one being held), checked to
    be its chair or a deputising vice-chair, with the agenda as it stands."""
    person = await known_person(uow, ident)
    body = find_body(preset, body_name) if body_name else default_body(preset, person)
    meeting = await (current_meeting if current else next_meeting)(uow, preset, body, today, now)
    deputy_roles = await chairing_roles(uow, person, body, meeting)
    if before_view is not None:
        before_view(body, meeting)
    view = await agenda_view(uow, preset, body, meeting, today)
    return Chairing(person, body, meeting, frozenset(deputy_roles or ()), view)


async def move_item(services: Services, ident: ChannelIdentity, number: int, body_name: str | None = None) -> Result:
    """The chair moves item N of the next agenda to the following meeting ('to next month')."""
    preset = services.preset
    today, now = services.clock.today(), services.clock.now()
    async with services.uow() as uow:
        chair = await as_chair(uow, preset, ident, body_name, today, now, current=False)
        person, body, meeting, view = chair.person, chair.body, chair.meeting, chair.view
        item_view = chair.item(number)
        if item_view.outcome:
            raise NotAllowed(f"Item {number} already has its outcome ({item_view.outcome_label}).")
        rows = await upcoming(uow, preset, body, today, now)
        later = [m for m in rows if m.starts_at > meeting.starts_at]
        if not later:
            raise NotFound(f"The {body.name} has no later meeting to move it to.")
        target = later[0]
        item = await uow.meetings.update_item(item_view.id, meeting_id=target.id, position=0)
        on = meeting_day(target)
        msg = f"Item {number}, {item.title}, moves from {texts.short_day(view.meeting_on)} to the meeting on {texts.day(on)}."
        await uow.audit.record(at=now, actor=person, entity="meeting", entity_id=meeting.id, action="item_moved", summary=msg,
                               details={"item": item.id, "to_meeting": target.id})
        doc = await uow.documents.get(item.document_id) if item.document_id else None
        owner = document_owner(doc)
        moved = (daily(owner, f"Moved to {texts.short_day(on)}: {item.title}", msg),) if owner and owner != person.id else ()
        notices = raised(uow, moved, today)
        await uow.commit()
        new_view = await agenda_view(uow, preset, body, meeting, today)
    return Result(msg, notices, new_view)


async def reorder_item(services: Services, ident: ChannelIdentity, number: int, to_number: int, body_name: str | None = None) -> Result:
    preset = services.preset
    today, now = services.clock.today(), services.clock.now()
    async with services.uow() as uow:
        person = await known_person(uow, ident)
        body = find_body(preset, body_name) if body_name else default_body(preset, person)
        meeting = await next_meeting(uow, preset, body, today, now)
        await chairing_roles(uow, person, body, meeting)
        rows = {r.id: r for r in await uow.meetings.items(meeting.id)}
        view = await agenda_view(uow, preset, body, meeting, today)
        item_view = view.item(number)
        if item_view is None:
            raise BadInput(no_item_message(view, number))
        if to_number == number:
            raise NotAllowed(f"Item {number} is already item {to_number}.")
        items = [gm.ItemIn(r.id, r.title, r.kind, r.section, r.position) for r in rows.values()]
        for moved in gm.reorder(items, item_view.id, to_number):
            await uow.meetings.update_item(moved.key, section=moved.section, position=moved.position)
        msg = f"Item {number}, {item_view.title}, is now item {to_number}."
        await uow.audit.record(at=now, actor=person, entity="meeting", entity_id=meeting.id, action="agenda_reordered", summary=msg)
        await uow.commit()
        new_view = await agenda_view(uow, preset, body, meeting, today)
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
        person = await known_person(uow, ident)
        body = find_body(preset, body_name) if body_name else default_body(preset, person)
        meeting = await next_meeting(uow, preset, body, today, now)
        await chairing_roles(uow, person, body, meeting)
        kind = {"new": "proposal", "reviews": "other", "information": "other", "horizon": "horizon"}[section]
        item = await uow.meetings.add_item(meeting_id=meeting.id, document_id=None, case_id=None, title=title[:300], kind=kind,
                                           section=section, position=10_000, added_by=person.id, added_at=now)
        msg = f"Added to the {body.name} agenda for {texts.short_day(meeting_day(meeting))}: {title}."
        await uow.audit.record(at=now, actor=person, entity="meeting", entity_id=meeting.id, action="item_added", summary=msg,
                               details={"item": item.id})
        await uow.commit()
        view = await agenda_view(uow, preset, body, meeting, today)
    return Result(msg, (), view)


def no_item_message(view: AgendaView, number: int) -> str:
    numbers = [i.number for i in view.items]
    if not numbers:
        return f"The {view.body_name} agenda for {texts.short_day(view.meeting_on)} has no items yet besides the progress report."
    return f"There is no item {number} on the {view.body_name} agenda for {texts.short_day(view.meeting_on)} (items {min(numbers)} to {max(numbers)})."


async def missing_papers(services: Services, ident: ChannelIdentity, body_name: str | None = None) -> AgendaView:
    return await next_agenda(services, ident, body_name)


async def forward_plan(services: Services, body_name: str) -> list[PlanLine]:
    """DOR-10 / BCT-7: what a body has still to consider, with the meeting each item is on."""
    preset = services.preset
    body = find_body(preset, body_name)
    async with services.uow() as uow:
        return await plan_lines(uow, preset, body)


async def forward_plan_view(services: Services, ident: ChannelIdentity, body_name: str | None = None) -> PlanView:
    """A body's forward plan as someone in the directory asks for it (their own body by default)."""
    preset = services.preset
    async with services.uow() as uow:
        person = await known_person(uow, ident)
        body = find_body(preset, body_name) if body_name else default_body(preset, person)
        lines = tuple(await plan_lines(uow, preset, body))
    gaps = await demand.gaps(services, body.id)
    return PlanView(body.id, body.name, lines, gaps)


async def plan_lines(uow: Work, preset: Preset, body: Body) -> list[PlanLine]:
    out = []
    for e in await uow.meetings.plan(body.id):
        on = None
        if e.agenda_item_id:
            item = await uow.meetings.item(e.agenda_item_id)
            meeting = await uow.meetings.get(item.meeting_id) if item else None
            on = meeting_day(meeting) if meeting else None
        out.append(PlanLine(e.title, e.kind, on, preset.bodies[e.referred_from].name if e.referred_from in preset.bodies else None,
                            await _plan_status(uow, preset, e.case_id)))
    return out


async def _plan_status(uow: Work, preset: Preset, case_id: int | None) -> str | None:
    """BCT-4: the forward plan shows an item still under consultation, and until when."""
    row = await uow.cases.get(case_id) if case_id else None
    if row is None or row.status != "open":
        return None
    case = gl.case_from_dict(row.state)
    if preset.routes[case.route].stage(case.stage).kind != "consult":
        return None
    return "under consultation" + (f" until {long_date(case.consult_deadline)}" if case.consult_deadline else "")
