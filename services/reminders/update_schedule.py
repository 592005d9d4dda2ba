"""NCT-2: the year's manual update deadlines, recorded by the PPO in chat ("the Tri.x deadlines are
5 March 2027 and 3 September 2027", any UK date form) and sent to everyone in the process: the PPO,
every RO and RSM of a live procedure, and SLT. "When's the next Tri.x deadline?" answers anyone.
The schedule is the one the update-window sweep reads (NCT-4)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from governance.dates import long_date, parse_date, weekday_date
from governance.permissions import may_record_update_schedule
from services.context import Services
from services.delivery.notices import daily, dated
from services.errors import BadInput, NotPermitted, UnknownPerson
from services.people.identity import ChannelIdentity, resolve_person
from services.ports import Notice
from services.reminders.sweeps import UPDATES_KEY

_SPLIT = re.compile(r"\s*(?:,|;|\band\b|&|\bthen\b)\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Schedule:
    message: str
    deadlines: tuple[date, ...] = ()
    notices: tuple[Notice, ...] = field(default_factory=tuple)


def read_dates(said: str, today: date) -> list[date]:
    """'5 March 2027 and 3/9/27' as dates; a part that is not a date is a polite error."""
    out = []
    for part in (p for p in _SPLIT.split(said or "") if p.strip(" .")):
        try:
            out.append(parse_date(part.strip(" ."), today))
        except ValueError as exc:
            raise BadInput(f"Sorry, I couldn't read '{part.strip()}' as a deadline: {exc}.") from None
    if not out:
        raise BadInput("Please give the deadlines, for example 'the Tri.x deadlines are 5 March 2027 and 3 September 2027'.")
    return sorted(set(out))


def _window(services: Services, deadline: date) -> str:
    cycle = services.preset.update_cycle
    weeks = cycle.review_weeks if cycle else 6
    return f"the review window opens about {weeks} weeks before, on {long_date(deadline - timedelta(weeks=weeks))}"


async def record(services: Services, ident: ChannelIdentity | None, said: str) -> Schedule:
    """The deadlines said in chat by the PPO, or given on the command line (`ident` None: an administrator
    on the server), recorded and sent to everyone in the process."""
    today, now = services.clock.today(), services.clock.now()
    publisher = services.preset.role_label("publisher")
    async with services.uow() as uow:
        person = await resolve_person(uow, ident) if ident is not None else None
        if ident is not None and person is None:
            raise UnknownPerson("I don't know who you are yet, so I can't record the update schedule.")
        if person is not None and not may_record_update_schedule(person.role_names):
            raise NotPermitted("Only the Policy and Procedures Officer records the manual update schedule (NCT-2).")
        new = read_dates(said, today)
        if any(d < today for d in new):
            raise BadInput(f"{weekday_date(min(new))} has passed: give the deadlines still to come.")
        kept = dict(await uow.kv.get(UPDATES_KEY) or {})
        deadlines = sorted({date.fromisoformat(d) for d in kept.get("deadlines", [])} | set(new))
        await uow.kv.put(UPDATES_KEY, {**kept, "deadlines": [d.isoformat() for d in deadlines]})
        ahead = [d for d in deadlines if d >= today]
        listed = " and ".join(weekday_date(d) for d in ahead)
        await uow.audit.record(at=now, actor=person, entity="organisation", entity_id="manual_updates",
                               action="add_update_deadline", summary=f"Manual update deadlines: {listed} (NCT-2)")
        everyone: set[str] = {p.id for role in ("ppo", "slt") for p in await uow.people.with_role(role)}
        for d in await uow.documents.all():
            everyone |= {x for x in (d.ro_id or d.rsm_id, d.rsm_id, *((d.extra or {}).get("other_rsm_ids") or [])) if x}
        body = (f"The agreed deadlines for submitting changes to the {publisher}: {listed}. For each, "
                f"{_window(services, ahead[0])} for the first. A change not submitted by a deadline waits for the next "
                "update (NCT-2, NCT-4). Ask 'when's the next Tri.x deadline?' at any time.")
        notices = [dated(daily(pid, "The manual update schedule", body), today)
                   for pid in sorted(everyone - {person.id if person else ""})]
        uow.notify(*notices)
        await uow.commit()
    return Schedule(f"Done: the update deadlines are {listed}. I've sent the schedule to {len(notices)} people in the "
                    "process: the RSMs, the ROs and SLT (NCT-2).", tuple(ahead), tuple(notices))


async def next_deadline(services: Services) -> Schedule:
    today = services.clock.today()
    publisher = services.preset.role_label("publisher")
    async with services.uow() as uow:
        kept = await uow.kv.get(UPDATES_KEY) or {}
    ahead = sorted(d for d in (date.fromisoformat(x) for x in kept.get("deadlines", [])) if d >= today)
    if not ahead:
        return Schedule(f"No deadline for the {publisher} is recorded yet. The Policy and Procedures Officer records them, "
                        "for example 'the Tri.x deadlines are 5 March 2027 and 3 September 2027'.")
    first = ahead[0]
    days = (first - today).days
    text = (f"The next deadline for the {publisher} is {weekday_date(first)}, in {days} day{'s' if days != 1 else ''}; "
            f"{_window(services, first)}.")
    if len(ahead) > 1:
        text += " After that: " + ", ".join(weekday_date(d) for d in ahead[1:]) + "."
    return Schedule(text, tuple(ahead))
