"""Placing items on a body's forward plan and first feasible agenda (DOR-8, BCT-4, BCT-7)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime

from governance import lifecycle as gl
from governance import meetings as gm
from governance.dates import long_date
from governance.permissions import may_place_on_agenda
from governance.preset import Body, Preset
from services.context import Services
from services.delivery.notices import daily
from services.errors import NotFound, NotPermitted
from services.meetings import texts
from services.meetings.calendars import first_feasible, upcoming
from services.meetings.common import (
    document_owner,
    find_body,
    known_person,
    meeting_day,
    raised,
    working_calendar,
)
from services.meetings.views import Placement
from services.people.identity import ChannelIdentity
from services.ports import Notice
from services.work import AgendaItemRow, CaseRow, DocumentRow, MeetingRow, PersonRow, Work

# ------------------------------------------------------------------ placing items (DOR-8, BCT-4, BCT-7)


async def place_item(uow: Work, preset: Preset, body: Body, *, doc: DocumentRow | None, case_id: int | None, kind: str, today: date, now: datetime,
                 actor: PersonRow | None, after: date | None = None, referred_from: str | None = None, title: str | None = None,
                 carried_from: AgendaItemRow | None = None, on: date | None = None) -> Placement:
    title = title or (f"{doc.ref} {doc.title}" if doc else "")  # an item without a document comes with its title
    if case_id is not None and carried_from is None and doc is not None:  # a case always has its document
        for existing in await uow.meetings.items_for_case(case_id):
            m = await uow.meetings.get(existing.meeting_id)
            if existing.outcome is None and m is not None and m.body == body.id and m.status == "scheduled":
                if existing.kind == "proposal" and kind != "proposal":  # DOR-2: the need agreed, the draft comes to the same meeting
                    existing = await uow.meetings.update_item(existing.id, kind=kind, section=gm.section_for(kind))
                if kind in ("full_approval", "information") and existing.kind != kind:
                    # DOR-5: an interim or a Director's approval changes what the meeting does with it.
                    existing = await uow.meetings.update_item(existing.id, kind=kind, section=gm.section_for(kind))
                    await uow.audit.record(at=now, actor=actor, entity="document", entity_id=doc.id, action="agenda_item_changed",
                                           summary=f"On the {body.name} agenda for {long_date(meeting_day(m))} now "
                                                   + ("for information (DOR-5)" if kind == "information" else "for full approval (DOR-5)"))
                return Placement(body.name, title, meeting_day(m), gm.deadlines_for(body, meeting_day(m), working_calendar(preset)),
                                 existing.id, already=True)
    meeting, deadlines = await _timeline_meeting(uow, preset, body, on, today, now) if on else (None, None)
    if meeting is None:
        meeting, deadlines = await first_feasible(uow, preset, body, today, now, after)
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
            await uow.meetings.update_plan_entry(entry.id, agenda_item_id=item.id if item else None)
    placement = Placement(body.name, title, deadlines.meeting if deadlines else None, deadlines, item.id if item else None)
    summary = texts.placement_text(placement)
    if referred_from:
        summary = f"Referred by the {preset.bodies[referred_from].name}. " + summary
    await uow.audit.record(at=now, actor=actor, entity="document" if doc else "meeting", entity_id=doc.id if doc else (meeting.id if meeting else body.id),
                           action="placed_on_agenda" if item else "placed_on_forward_plan", summary=summary,
                           details={"body": body.id, "meeting": meeting.id if meeting else None, "item": item.id if item else None})
    owner = document_owner(doc)
    notices = (daily(owner, f"On the agenda: {title}" if item else f"On the forward plan: {title}", summary),) if owner else ()
    return Placement(placement.body_name, title, placement.meeting_on, deadlines, placement.item_id, notices=notices)


async def _timeline_meeting(uow: Work, preset: Preset, body: Body, on: date, today: date, now: datetime) -> tuple[MeetingRow | None, gm.Deadlines | None]:
    """BCT-4: the meeting a consultation's timeline was worked back from, when it is still scheduled
    (else the first feasible one, as for any other item)."""
    for m in await upcoming(uow, preset, body, today, now):
        if meeting_day(m) == on:
            return m, gm.deadlines_for(body, on, working_calendar(preset))
    return None, None


async def place_from_events(uow: Work, preset: Preset, doc: DocumentRow, row: CaseRow, case: gl.Case, events: Iterable[gl.Event],
                            today: date, now: datetime, person: PersonRow | None) -> list[Notice]:
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
        p = await place_item(uow, preset, preset.bodies[e.body], doc=doc, case_id=row.id, kind=kind, today=today, now=now,
                         actor=person, referred_from=referred_from if referred_from != e.body else None, on=e.on)
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
        person = await known_person(uow, ident)
        doc = await uow.documents.by_ref(ref)
        if doc is None:
            raise NotFound(f"I can't find a document with the reference {ref!r}.")
        if not may_place_on_agenda(person.id, person.role_names, (doc.ro_id, doc.rsm_id), body, preset):
            raise NotPermitted(f"Only the document's owner, the policy officer or the chair of the {body.name} can add it to the agenda.")
        cases = await uow.cases.open_for_document(doc.id)
        p = await place_item(uow, preset, body, doc=doc, case_id=cases[0].id if cases else None, kind=kind, today=today, now=now, actor=person)
        p = replace(p, notices=raised(uow, p.notices, today))
        await uow.commit()
    return p
