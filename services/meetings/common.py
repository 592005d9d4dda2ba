"""What every meeting use case shares: finding the body and the person, who may act as chair
(the chair, or a vice-chair deputising when the chair is absent), and the body's members."""

from __future__ import annotations

from typing import Any
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from governance.calendar import LONDON, WorkingCalendar
from governance.permissions import is_meeting_officer
from governance.preset import Body, Preset
from services.delivery.notices import dated
from services.errors import NotFound, NotPermitted, UnknownPerson
from services.meetings.views import AgendaView
from services.people.identity import ChannelIdentity, resolve_person
from services.ports import Notice
from services.work import DocumentRow, MeetingRow, PersonRow, Work

HORIZON_DAYS = 400  # meetings are written down this far ahead from the calendar


@dataclass(frozen=True)
class Result:
    message: str
    notices: tuple[Notice, ...] = field(default_factory=tuple)
    agenda: AgendaView | None = None
    body_id: str | None = None


def raised(uow: Work, notices: Iterable[Notice], today: date) -> tuple[Notice, ...]:
    """Raise the notices on the unit of work, so that its commit writes them to the outbox in the
    same transaction as the change that caused them; they come back with their keys complete (the
    day added), so the turn can send them at once without queueing them again."""
    done = tuple(dated(n, today) for n in notices)
    uow.notify(*done)
    return done


def working_calendar(preset: Preset) -> WorkingCalendar:
    return WorkingCalendar(preset.nation)


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


def meeting_day(m: MeetingRow) -> date:
    result: date = m.starts_at.astimezone(LONDON).date()
    return result


async def known_person(uow: Work, ident: ChannelIdentity) -> PersonRow:
    person = await resolve_person(uow, ident)
    if person is None:
        raise UnknownPerson("I don't know who you are yet, so I can't do that for you. "
                            "Ask your Policy and Procedures Officer to add you to policybot's directory.")
    return person


def default_body(preset: Preset, person: PersonRow | None) -> Body:
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


# ------------------------------------------------------------------ authorisation


async def chairing_roles(uow: Work, person: PersonRow, body: Body, meeting: MeetingRow | None = None) -> frozenset[str]:
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


def is_officer(person: PersonRow, preset: Preset) -> bool:
    return is_meeting_officer(person.role_names, preset)


async def chair_or_officer(uow: Work, person: PersonRow, preset: Preset, body: Body,
                           meeting: MeetingRow | None = None) -> frozenset[str]:
    if is_officer(person, preset):
        return frozenset()
    return await chairing_roles(uow, person, body, meeting)


def document_owner(doc: DocumentRow | None) -> str | None:
    return (doc.ro_id or doc.rsm_id) if doc is not None else None


async def members_of(uow: Work, body: Body) -> list[Any]:
    seen, out = set(), []
    for role in (body.chair_role, body.vice_chair_role, body.member_role):
        for p in await uow.people.with_role(role):
            if p.id not in seen:
                seen.add(p.id)
                out.append(p)
    return out
