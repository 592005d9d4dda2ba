"""Review Sessions (NCT-5, NCT-7): the Policy and Procedures Officer arranges one, for one procedure
or jointly across several services' procedures ("arrange a joint review session for PP-014 and
PP-019 on 14 January 2027 at 10am"): the ROs and RSMs of each are invited by Teams and by email,
with a calendar file (.ics); the session is recorded on each case; afterwards its outcome is
recorded on each case too. Each is one unit of work with its audit records and notices."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from governance import lifecycle as gl
from governance.calendar import WorkingCalendar
from governance.dates import long_date, parse_date, time_of_day
from governance.nct_case_steps import session_arranged, session_outcome
from governance.nct_sessions import REFUSED, may_arrange_session
from services.cases.views import _rsm_ids
from services.clock import LONDON
from services.context import Services
from services.errors import BadInput, NotFound, NotPermitted, UnknownPerson
from services.people.identity import ChannelIdentity, resolve_person
from services.ports import ConcurrencyConflict, Notice

SESSIONS_KEY = "review_sessions"  # {"sessions": [{id, at, refs, cases, people, outcome}]}
LENGTH = timedelta(minutes=90)
_TIME = re.compile(r"\b(?:at\s+)?(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?\s*(?P<ampm>am|pm|a\.m\.|p\.m\.)?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class SessionResult:
    message: str
    notices: tuple[Notice, ...] = field(default_factory=tuple)


def read_when(said: str, today: Any) -> datetime:
    """'14 January 2027 at 10am', 'Thursday 14/1/27 at 14:30', 'next Tuesday at 2.30pm' (Europe/London)."""
    text = " ".join((said or "").split()).rstrip(" .")
    m = _TIME.search(text) if re.search(r"\bat\s+\d|\d(?:am|pm)\b|\d[:.]\d{2}\s*(am|pm)?$", text, re.IGNORECASE) else None
    if m is None:
        raise BadInput("Please give the time too, for example 'on 14 January 2027 at 10am'.")
    hour, minute = int(m.group("h")), int(m.group("m") or 0)
    ampm = (m.group("ampm") or "").lower().replace(".", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise BadInput(f"Sorry, I couldn't read '{m.group(0).strip()}' as a time of day.")
    day_text = re.sub(r"^(on)\s+", "", text[:m.start()].strip(" ,"), flags=re.IGNORECASE).removesuffix(" at").strip(" ,")
    try:
        day = parse_date(day_text, today)
    except ValueError as exc:
        raise BadInput(f"Sorry, I couldn't read '{day_text}' as a date: {exc}.") from None
    return datetime.combine(day, time(hour, minute), LONDON)


def session_time(services: Services, when: str) -> datetime:
    """The time a Review Session is arranged or moved to: read as people say it, still to come, on a working day."""
    at = read_when(when, services.clock.today())
    cal = WorkingCalendar(services.preset.nation)
    if at <= services.clock.now():
        raise BadInput(f"{long_date(at.date())} at {time_of_day(at)} has passed: give a time still to come.")
    if not cal.is_working_day(at.date()):
        raise BadInput(f"{long_date(at.date())} is not a working day ({cal.why_not_working(at.date())}): choose another day.")
    return at


def invitation(uid: str, at: datetime, summary: str, description: str, organiser: tuple[str, str | None],
               attendees: list[tuple[str, str | None]], *, sequence: int = 0, cancel: bool = False) -> str:
    """The calendar file for a Review Session: one timed event, with its attendees. A move is the same UID
    with a higher SEQUENCE; a cancellation is METHOD:CANCEL with STATUS:CANCELLED (RFC 5546)."""
    import icalendar  # loaded with the first invitation, not at start (issue 22 item 8)

    cal = icalendar.Calendar()
    cal.add("prodid", "-//policybot//review sessions//EN")
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancel else "REQUEST")
    ev = icalendar.Event()
    ev.add("uid", uid)
    ev.add("sequence", sequence)
    if cancel:
        ev.add("status", "CANCELLED")
    ev.add("dtstamp", at)
    ev.add("dtstart", at)
    ev.add("dtend", at + LENGTH)
    ev.add("summary", summary)
    ev.add("description", description)
    name, email = organiser
    if email:
        org = icalendar.vCalAddress(f"mailto:{email}")
        org.params["cn"] = icalendar.vText(name)
        ev.add("organizer", org)
    for name, email in attendees:
        if email:
            who = icalendar.vCalAddress(f"mailto:{email}")
            who.params["cn"] = icalendar.vText(name)
            who.params["role"] = icalendar.vText("REQ-PARTICIPANT")
            ev.add("attendee", who, encode=False)
    cal.add_component(ev)
    return str(cal.to_ical().decode("utf-8"))


def session_uid(number: int, at: str) -> str:
    """The calendar UID of a session: kept when it moves, so calendars update the one event."""
    return f"{hashlib.sha256(f'session{number}:{at}'.encode()).hexdigest()[:32]}@policybot"


async def organiser(uow: Any, ident: ChannelIdentity) -> Any:
    person = await resolve_person(uow, ident)
    if person is None:
        raise UnknownPerson("I don't know who you are yet, so I can't arrange a Review Session.")
    return person


async def arrange(services: Services, ident: ChannelIdentity, refs: list[str], when: str) -> SessionResult:
    """NCT-5, NCT-7: a Review Session for one or several procedures, each with an open case."""
    today, now = services.clock.today(), services.clock.now()
    at = session_time(services, when)
    refs = list(dict.fromkeys(r.upper() for r in refs))
    if not refs:
        raise BadInput("Say which procedures the Review Session is for, e.g. 'arrange a review session for PP-014 on ...'.")
    async with services.uow() as uow:
        person = await organiser(uow, ident)
        found = []
        for ref in refs:
            doc = await uow.documents.by_ref(ref)
            if doc is None:
                raise NotFound(f"I can't find a document with the reference {ref}.")
            open_ = await uow.cases.open_for_document(doc.id)
            if not open_:
                raise BadInput(f"{doc.ref} {doc.title} has no review open: open it first ('review {doc.ref}').")
            found.append((doc, open_[0]))
        if not may_arrange_session(person.id, person.role_names, [d.ro_id or d.rsm_id for d, _ in found]):
            raise NotPermitted(REFUSED)
        people = list(dict.fromkeys(p for d, _ in found for p in (d.ro_id or d.rsm_id, *_rsm_ids(d)) if p))
        people += [p.id for p in await uow.people.with_role("ppo") if p.id not in people]
        directory = {p.id: p for p in await uow.people.all()}
        kept = dict(await uow.kv.get(SESSIONS_KEY) or {})
        sessions = list(kept.get("sessions") or [])
        number = len(sessions) + 1
        when_words = f"{at:%A} {long_date(at.date())} at {time_of_day(at)}"
        session = {"id": number, "at": at.isoformat(), "when": when_words, "refs": [d.ref for d, _ in found],
                   "cases": [c.id for _, c in found], "people": people, "organiser": person.id,
                   "uid": session_uid(number, at.isoformat()), "sequence": 0}
        listed = ", ".join(f"{d.ref} {d.title}" for d, _ in found)
        joint = len(found) > 1
        for doc, row in found:
            case = session_arranged(gl.case_from_dict(row.state), gl.Actor(person.id, frozenset(person.role_names)), today, session)
            await save_case(uow, services, row, case, now)
            await uow.audit.record(at=now, actor=person, entity="document", entity_id=doc.id, action="review_session_arranged",
                                   summary=f"{case.history[-1].summary} (case {row.id})", details={"session": number, "case": row.id})
        sessions.append(session)
        await uow.kv.put(SESSIONS_KEY, {**kept, "sessions": sessions})
        summary = f"{'Joint ' if joint else ''}Review Session: {', '.join(session['refs'])}"
        body = (f"{person.name} has arranged a {'joint ' if joint else ''}Review Session on {when_words} for {listed}, "
                f"to agree what (if any) amendments are needed (NCT-5{', NCT-7' if joint else ''}). Invited: "
                + ", ".join(directory[p].name for p in people if p in directory) + ". The calendar file is attached to the email.")
        ics = invitation(session["uid"], at, summary, body, (person.name, person.email),
                         [(directory[p].name, directory[p].email) for p in people if p in directory])
        notices = [Notice(key=f"review_session:{number}:{p}", subject=summary, body=body, person_id=p,
                          document_ref=found[0][0].ref, payload={"ics": ics})
                   for p in people if p != person.id]
        uow.notify(*notices)
        await uow.commit()
    return SessionResult(f"Done: {'a joint' if joint else 'a'} Review Session for {', '.join(session['refs'])} on {when_words}. I've invited "
                         f"{len(notices)} people by Teams and email, with a calendar file, and recorded it on "
                         f"{'each case' if joint else 'the case'} (NCT-5{', NCT-7' if joint else ''}).", tuple(notices))


async def save_case(uow: Any, services: Services, row: Any, case: gl.Case, now: datetime) -> None:
    try:
        await uow.cases.save(row, expected_version=row.version, state=gl.case_to_dict(case), stage=case.stage,
                             status="open" if case.is_open else "closed", waiting_for=gl.who_must_act(services.preset, case), now=now)
    except ConcurrencyConflict:
        raise BadInput("Someone acted on one of these cases at the same moment; nothing was changed. Please try again.") from None


async def record_outcome(services: Services, ident: ChannelIdentity, outcome: str, ref: str | None = None) -> SessionResult:
    """The outcome of the latest Review Session (for `ref`, when given), recorded on each of its cases."""
    outcome = " ".join((outcome or "").split())
    if not outcome:
        raise BadInput("Please say the outcome, e.g. 'review session outcome: amend sections 3 and 5 of both'.")
    today, now = services.clock.today(), services.clock.now()
    async with services.uow() as uow:
        person = await organiser(uow, ident)
        kept = dict(await uow.kv.get(SESSIONS_KEY) or {})
        sessions = list(kept.get("sessions") or [])
        mine = [s for s in sessions if (ref is None or ref.upper() in s["refs"]) and not s.get("cancelled")
                and ("ppo" in person.role_names or person.id in s["people"])]
        if not mine:
            raise NotFound("I can't find a Review Session " + (f"for {ref.upper()} " if ref else "") + "that you were part of.")
        session = mine[-1]
        for case_id in session["cases"]:
            got = await uow.cases.full(case_id)
            if got is None or got[0].status != "open":
                continue
            row, doc = got
            case = session_outcome(gl.case_from_dict(row.state), gl.Actor(person.id, frozenset(person.role_names)), today, outcome)
            await save_case(uow, services, row, case, now)
            await uow.audit.record(at=now, actor=person, entity="document", entity_id=doc.id, action="review_session_outcome",
                                   summary=f"{case.history[-1].summary} (case {row.id})", reason=outcome,
                                   details={"session": session["id"], "case": row.id})
        sessions[sessions.index(session)] = {**session, "outcome": outcome, "outcome_by": person.id}
        await uow.kv.put(SESSIONS_KEY, {**kept, "sessions": sessions})
        subject = f"Review Session outcome: {', '.join(session['refs'])}"
        notices = [Notice(key=f"review_session:{session['id']}:outcome:{p}", subject=subject,
                          body=f"The Review Session on {session['when']} agreed: {outcome} (NCT-5).", person_id=p,
                          document_ref=session["refs"][0]) for p in session["people"] if p != person.id]
        uow.notify(*notices)
        await uow.commit()
    return SessionResult(f"Done: the outcome of the Review Session on {session['when']} is recorded on "
                         f"{', '.join(session['refs'])} and sent to {len(notices)} people (NCT-5).", tuple(notices))


async def open_case_of(services: Services, ref: str) -> int:
    """The open case on a document, for words that name the document rather than the case."""
    async with services.uow() as uow:
        doc = await uow.documents.by_ref(ref)
        if doc is None:
            raise NotFound(f"I can't find a document with the reference {ref}.")
        open_ = await uow.cases.open_for_document(doc.id)
    if not open_:
        raise NotFound(f"{doc.ref} {doc.title} has no review open: open it first ('review {doc.ref}').")
    return int(open_[0].id)
