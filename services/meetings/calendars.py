"""Meetings and calendars: the meetings a body's calendar sets are written down ahead; one-off and
cancelled meetings (DOR-7)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from governance import meetings as gm
from governance.dates import long_date
from governance.errors import NotAllowed
from governance.preset import Body, Preset
from services.context import Services
from services.delivery.notices import daily
from services.errors import BadInput, NotFound
from services.meetings import texts
from services.meetings.common import (
    HORIZON_DAYS,
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
from services.meetings.views import Placement
from services.people.identity import ChannelIdentity
from services.ports import Notice
from services.work import MeetingRow, Work

# ------------------------------------------------------------------ meetings


async def ensure_meetings(uow: Work, preset: Preset, body: Body, today: date, now: datetime) -> None:
    """Write the calendar's meetings down from today to the horizon; rows already there (held,
    cancelled or one-off) are kept as they are."""
    if body.meeting is None:
        return
    end = today + timedelta(days=HORIZON_DAYS)
    existing = {meeting_day(m) for m in await uow.meetings.between(body.id, gm.starts_at(today, datetime.min.time()), gm.starts_at(end, datetime.max.time()))}
    for d in gm.schedule(body, today, end):
        if d not in existing:
            await uow.meetings.create(body=body.id, starts_at=gm.starts_at(d), status="scheduled", one_off=False, created_at=now)


async def upcoming(uow: Work, preset: Preset, body: Body, today: date, now: datetime) -> list[MeetingRow]:
    await ensure_meetings(uow, preset, body, today, now)
    rows = await uow.meetings.between(body.id, gm.starts_at(today, datetime.min.time()),
                                      gm.starts_at(today + timedelta(days=HORIZON_DAYS * 2), datetime.max.time()), ["scheduled"])
    return rows


async def first_feasible(uow: Work, preset: Preset, body: Body, today: date, now: datetime,
                         after: date | None = None) -> tuple[MeetingRow, gm.Deadlines] | tuple[None, None]:
    rows = await upcoming(uow, preset, body, today, now)
    by_day = {meeting_day(m): m for m in rows}
    d = gm.first_feasible_of(body, by_day, today, working_calendar(preset), after=after)
    return (by_day[d.meeting], d) if d else (None, None)


async def next_meeting(uow: Work, preset: Preset, body: Body, today: date, now: datetime) -> MeetingRow:
    rows = await upcoming(uow, preset, body, today, now)
    if not rows:
        raise NotFound(f"The {body.name} has no meeting scheduled.")
    return rows[0]


async def meeting_of_day(uow: Work, body: Body, on: date) -> MeetingRow:
    rows = await uow.meetings.between(body.id, gm.starts_at(on, datetime.min.time()), gm.starts_at(on, datetime.max.time()))
    if not rows:
        raise NotFound(f"The {body.name} has no meeting on {long_date(on)}.")
    return rows[0]


async def current_meeting(uow: Work, preset: Preset, body: Body, today: date, now: datetime) -> MeetingRow:
    """The meeting whose business is being done: the latest one up to today until its minutes are
    issued, and after that the next one."""
    past = await uow.meetings.between(body.id, gm.starts_at(today - timedelta(days=HORIZON_DAYS), datetime.min.time()),
                                      gm.starts_at(today, datetime.max.time()), ["scheduled", "held"])
    if past and past[-1].minutes_sent_at is None:
        return past[-1]
    return await next_meeting(uow, preset, body, today, now)


# ------------------------------------------------------------------ one-off and cancelled meetings (DOR-7)


async def add_meeting(services: Services, ident: ChannelIdentity, on: date, body_name: str | None = None) -> Result:
    preset = services.preset
    today, now = services.clock.today(), services.clock.now()
    if on < today:
        raise BadInput("A meeting can only be added for today or a later day.")
    async with services.uow() as uow:
        person = await known_person(uow, ident)
        body = find_body(preset, body_name) if body_name else default_body(preset, person)
        await chairing_roles(uow, person, body)
        await ensure_meetings(uow, preset, body, today, now)
        existing = await uow.meetings.between(body.id, gm.starts_at(on, datetime.min.time()), gm.starts_at(on, datetime.max.time()))
        if existing and existing[0].status == "scheduled":
            raise NotAllowed(f"The {body.name} already meets on {texts.day(on)}.")
        if existing:
            meeting = await uow.meetings.update_meeting(existing[0].id, status="scheduled", one_off=True)
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
        person = await known_person(uow, ident)
        body = find_body(preset, body_name) if body_name else default_body(preset, person)
        await chairing_roles(uow, person, body)
        if on < today:
            raise BadInput(f"The meeting on {texts.day(on)} has already happened, so it can't be cancelled.")
        await ensure_meetings(uow, preset, body, today, now)
        meeting = await meeting_of_day(uow, body, on)
        if meeting.status != "scheduled":
            raise NotAllowed(f"The meeting on {texts.day(on)} is already {meeting.status}.")
        meeting = await uow.meetings.update_meeting(meeting.id, status="cancelled")
        notices: list[Notice] = []
        moved = []
        for item in await uow.meetings.items(meeting.id):
            if item.outcome:
                continue
            target, _d = await first_feasible(uow, preset, body, today, now, after=on)
            if target is None:
                continue
            item = await uow.meetings.update_item(item.id, meeting_id=target.id, position=0)
            moved.append(item.title)
            doc = await uow.documents.get(item.document_id) if item.document_id else None
            owner = document_owner(doc)
            if owner:
                d = gm.deadlines_for(body, meeting_day(target), working_calendar(preset))
                notices.append(daily(owner, f"Meeting cancelled: {item.title}", texts.placement_text(
                    Placement(body.name, item.title, d.meeting, d, item.id)) + f" (the meeting on {texts.short_day(on)} is cancelled)"))
        msg = f"The {body.name} meeting on {texts.day(on)} is cancelled." + (f" {len(moved)} item{'s' if len(moved) != 1 else ''} moved to the next meeting." if moved else "")
        await uow.audit.record(at=now, actor=person, entity="meeting", entity_id=meeting.id, action="meeting_cancelled", summary=msg)
        told = raised(uow, notices, today)
        await uow.commit()
    return Result(msg, told, body_id=body.id)
