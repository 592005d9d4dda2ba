"""How people want to be nudged (quiet hours, one daily digest, channel), the organisation's pause
(e.g. over the Christmas closure), and the manual update schedule (NCT-2). Each change is one
transaction with its audit record."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from datetime import date

from governance.dates import long_date, time_of_day, weekday_date
from governance.reminders import may_pause_nudges, parse_quiet_hours
from services.delivery import outbox
from services.context import Services
from services.errors import BadInput, NotPermitted
from services.people.identity import ChannelIdentity, resolve_person
from services.reminders.sweeps import UPDATES_KEY
from services.work import PersonRow, Work


async def _me(uow: Work, ident: ChannelIdentity) -> PersonRow:
    person = await resolve_person(uow, ident)
    if person is None:
        raise NotPermitted("I don't know who you are yet, so I can't keep settings for you. "
                           "Ask your Policy and Procedures Officer to add you to the directory.")
    return person


def describe(prefs: Mapping[str, Any]) -> str:
    q = prefs.get("quiet_hours")
    parts = [
        f"Quiet hours: {q[0]} to {q[1]}" if q else "Quiet hours: none",
        "Reminders: one digest each working morning" if prefs.get("digest") else "Reminders: one at a time, as they fall due",
        f"Where: {', '.join(prefs['channels'])}" if prefs.get("channels") else "Where: Teams when I can reach you there, else email",
    ]
    return "\n".join(parts)


async def _update(services: Services, ident: ChannelIdentity, change: dict[str, Any], summary: str) -> str:
    async with services.uow() as uow:
        person = await _me(uow, ident)
        prefs = dict(person.preferences or {})
        for k, v in change.items():
            if v is None:
                prefs.pop(k, None)
            else:
                prefs[k] = v
        person = await uow.people.update(person.id, preferences=prefs)
        await uow.audit.record(at=services.clock.now(), actor=person, entity="person", entity_id=person.id,
                               action="nudge_settings", summary=summary, details={"preferences": prefs})
        await uow.commit()
        return f"{summary}\n{describe(prefs)}"


async def show(services: Services, ident: ChannelIdentity) -> str:
    async with services.uow() as uow:
        person = await _me(uow, ident)
        paused = outbox.paused_until(await outbox.pause_state(uow), services.clock.today())
        text = "Your reminder settings:\n" + describe(person.preferences or {})
        if paused is True:
            text += "\nAll reminders are paused for the organisation until further notice."
        elif paused:
            text += f"\nAll reminders are paused for the organisation until {long_date(paused)}."
        return text + ("\nSay 'quiet hours 18:00 to 08:00', 'no quiet hours', 'daily digest' or 'single reminders'.")


async def set_quiet_hours(services: Services, ident: ChannelIdentity, text: str | None) -> str:
    if text is None:
        return await _update(services, ident, {"quiet_hours": None}, "Quiet hours removed.")
    try:
        start, end = parse_quiet_hours(text)
    except ValueError as exc:
        raise BadInput(f"Sorry, I couldn't read those quiet hours: {exc}.") from None
    if start == end:
        raise BadInput("Quiet hours need a different start and end, for example 18:00 to 08:00.")
    return await _update(services, ident, {"quiet_hours": [time_of_day(start), time_of_day(end)]},
                         f"Done: no reminders between {time_of_day(start)} and {time_of_day(end)}; anything due then waits until {time_of_day(end)}.")


async def set_digest(services: Services, ident: ChannelIdentity, on: bool) -> str:
    summary = ("Done: your reminders will come together in one message each working morning."
               if on else "Done: you will get each reminder as it falls due.")
    return await _update(services, ident, {"digest": True if on else None}, summary)


async def _authorise_pause(uow: Work, ident: ChannelIdentity | None) -> PersonRow | None:
    if ident is None:
        return None  # the command line: whoever runs it administers the server
    person = await _me(uow, ident)
    if not may_pause_nudges(person.role_names):
        raise NotPermitted("Only the Policy and Procedures Officer (or the Head of QA) can pause reminders for everyone.")
    return person


async def pause_nudges(services: Services, ident: ChannelIdentity | None, until: date | None, reason: str) -> str:
    today = services.clock.today()
    if until is not None and until <= today:
        raise BadInput(f"{long_date(until)} is not in the future. Say a date to resume, for example 'pause reminders until 4 January'.")
    async with services.uow() as uow:
        person = await _authorise_pause(uow, ident)
        state = {"until": until.isoformat() if until else None, "reason": reason, "by": person.id if person else "admin",
                 "at": services.clock.now().isoformat()}
        await uow.kv.put(outbox.PAUSE_KEY, state)
        when = f"until {weekday_date(until)}" if until else "until someone resumes them"
        await uow.audit.record(at=services.clock.now(), actor=person, entity="organisation", entity_id="nudges",
                               action="pause_nudges", summary=f"Reminders paused {when}", reason=reason)
        await uow.commit()
    return (f"Done: reminders and escalations are paused for everyone {when}. Decisions people make still "
            f"reach the next person. Nothing is lost: what falls due while paused is sent when reminders resume.")


async def resume_nudges(services: Services, ident: ChannelIdentity | None) -> str:
    async with services.uow() as uow:
        person = await _authorise_pause(uow, ident)
        await uow.kv.put(outbox.PAUSE_KEY, {})
        await uow.audit.record(at=services.clock.now(), actor=person, entity="organisation", entity_id="nudges",
                               action="resume_nudges", summary="Reminders resumed")
        await uow.commit()
    return "Done: reminders are running again."


async def add_update_deadline(services: Services, deadline: date) -> str:
    async with services.uow() as uow:
        schedule = dict(await uow.kv.get(UPDATES_KEY) or {})
        deadlines = sorted(set(schedule.get("deadlines", [])) | {deadline.isoformat()})
        await uow.kv.put(UPDATES_KEY, {**schedule, "deadlines": deadlines})
        await uow.audit.record(at=services.clock.now(), actor=None, entity="organisation", entity_id="manual_updates",
                               action="add_update_deadline", summary=f"Manual update submission deadline {long_date(deadline)} added")
        await uow.commit()
    return f"Submission deadlines: {', '.join(long_date(date.fromisoformat(d)) for d in deadlines)}."
