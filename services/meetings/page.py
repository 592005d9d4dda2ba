"""A body's meetings as one page: its calendar (coming and past meetings), the next agenda with its
papers and deadlines, the forward plan, and the outcomes of its last meetings. Built from the
meetings use cases the chat uses (next_agenda, meeting_agenda, forward_plan_view)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from services.context import Services
from services.errors import NotFound
from services.meetings.agenda import find_body, forward_plan_view, meeting_agenda, next_agenda
from services.meetings.views import AgendaView, PlanView
from services.people.signin import identity_of
from services.register.listing import signed_in

PAST_SHOWN = 4
CALENDAR_SHOWN = 6


@dataclass(frozen=True)
class MeetingDay:
    on: date
    status: str  # scheduled | cancelled | held
    one_off: bool


@dataclass(frozen=True)
class MeetingsPage:
    today: date
    bodies: tuple[tuple[str, str], ...]  # (id, name) of every body with a meeting calendar
    body_id: str
    body_name: str
    coming: tuple[MeetingDay, ...]
    agenda: AgendaView | None
    plan: PlanView | None
    past: tuple[AgendaView, ...]  # the last meetings held, newest first, with their outcomes


async def meetings_page(services: Services, person_id: str, body_key: str | None = None) -> MeetingsPage:
    preset = services.preset
    today = services.clock.today()
    scheduled = [(b.id, b.name) for b in preset.bodies.values() if b.meeting is not None]
    async with services.uow() as uow:
        person = await signed_in(uow, person_id)
        ident = identity_of(person)
    if not scheduled:
        return MeetingsPage(today, (), "", "", (), None, None, ())
    if body_key and body_key not in dict(scheduled):
        raise NotFound(f"There is no body {body_key!r} with a meeting calendar.")
    agenda = await next_agenda(services, ident, preset.bodies[body_key].name if body_key else None)
    body = find_body(preset, agenda.body_id)
    plan = await forward_plan_view(services, ident, body.name)
    async with services.uow() as uow:
        meetings = await uow.meetings.of_body(body.id)
        days = [MeetingDay(m.starts_at.astimezone(agenda.starts_at.tzinfo).date(), m.status, m.one_off) for m in meetings]
    coming = tuple(d for d in days if d.on >= today)[:CALENDAR_SHOWN]
    held = [d for d in days if d.status == "held" and d.on < today][-PAST_SHOWN:]
    past = tuple([await meeting_agenda(services, body.name, d.on) for d in reversed(held)])
    return MeetingsPage(today, tuple(scheduled), body.id, body.name, coming, agenda, plan, past)
