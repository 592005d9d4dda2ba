"""Review Sessions once arranged (NCT-5, NCT-7): the ones coming up ("which review sessions are coming
up?"), cancelled ("cancel the review session for PP-020") or moved ("move the review session for PP-020
to 21/1/27 at 10am"). Everyone invited is told in Teams and by email, with the calendar file that
updates their calendars: METHOD:CANCEL for a cancellation, the same UID with a higher SEQUENCE for a
move. Each case records it in its history. Who may do it is who may arrange one
(governance/nct_sessions.py). Each change is one unit of work with its audit records and notices."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from governance import lifecycle as gl
from governance.dates import long_date, time_of_day
from governance.nct_case_steps import session_cancelled, session_moved
from governance.nct_sessions import REFUSED, may_arrange_session
from services.cases.review_sessions import (
    SESSIONS_KEY,
    SessionResult,
    organiser,
    save_case,
    invitation,
    session_time,
    session_uid,
)
from services.clock import LONDON
from services.context import Services
from services.errors import BadInput, NotFound, NotPermitted
from services.people.identity import ChannelIdentity
from services.ports import Notice


def _at(session: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(session["at"]).astimezone(LONDON)  # the calendar file's TZID is Europe/London


def _upcoming(sessions: list[dict[str, Any]], now: datetime) -> list[dict[str, Any]]:
    return sorted((s for s in sessions if not s.get("cancelled") and _at(s) > now), key=_at)


async def upcoming(services: Services, ident: ChannelIdentity) -> str:
    """The Review Sessions still to come: every one for the PPO; those they are invited to for anyone else."""
    now = services.clock.now()
    async with services.uow() as uow:
        person = await organiser(uow, ident)
        kept = await uow.kv.get(SESSIONS_KEY) or {}
        directory = {p.id: p.name for p in await uow.people.all()}
    mine = [s for s in _upcoming(list(kept.get("sessions") or []), now)
            if "ppo" in person.role_names or person.id in s.get("people", ())]
    if not mine:
        return ("No Review Sessions are coming up" + ("" if "ppo" in person.role_names else " that you are invited to")
                + ". To arrange one: 'arrange a review session for PP-014 on <date> at <time>' (NCT-5).")
    lines = [f"{len(mine)} Review Session{'s' if len(mine) != 1 else ''} coming up (NCT-5, NCT-7):"]
    for s in mine:
        joint = "joint, " if len(s.get("refs") or ()) > 1 else ""
        who = ", ".join(directory.get(p, p) for p in s.get("people", ()))
        lines.append(f"- {s['when']}: {', '.join(s['refs'])} ({joint}invited: {who})")
    lines.append("To change one: 'move the review session for PP-014 to <date> at <time>', or "
                 "'cancel the review session for PP-014'.")
    return "\n".join(lines)


async def _session_for(uow: Any, person: Any, ref: str, now: datetime) -> tuple[list[dict[str, Any]], dict[str, Any], dict[str, Any]]:
    """The next Review Session for `ref` still to come, once this person may change it."""
    kept = dict(await uow.kv.get(SESSIONS_KEY) or {})
    sessions = list(kept.get("sessions") or [])
    found = [s for s in _upcoming(sessions, now) if ref.upper() in s.get("refs", ())]
    if not found:
        raise NotFound(f"No Review Session is coming up for {ref.upper()}. 'review sessions' lists the ones that are.")
    session = found[0]
    owners = []
    for r in session["refs"]:
        doc = await uow.documents.by_ref(r)
        owners.append((doc.ro_id or doc.rsm_id) if doc is not None else None)
    if not may_arrange_session(person.id, person.role_names, owners):
        raise NotPermitted(REFUSED)
    return sessions, kept, session


async def _on_cases(uow: Any, services: Services, person: Any, session: dict[str, Any], action: str, step: Any,
                    now: datetime) -> None:
    """The change on each open case of the session: its history, its notes and an audit record."""
    actor = gl.Actor(person.id, frozenset(person.role_names))
    for case_id in session["cases"]:
        got = await uow.cases.full(case_id)
        if got is None or got[0].status != "open":
            continue
        row, doc = got
        case = step(gl.case_from_dict(row.state), actor, services.clock.today())
        await save_case(uow, services, row, case, now)
        await uow.audit.record(at=now, actor=person, entity="document", entity_id=doc.id, action=action,
                               summary=f"{case.history[-1].summary} (case {row.id})",
                               details={"session": session["id"], "case": row.id})


async def _tell(uow: Any, person: Any, session: dict[str, Any], key: str, subject: str, body: str, *, cancel: bool) -> list[Notice]:
    directory = {p.id: p for p in await uow.people.all()}
    people = [p for p in session["people"] if p in directory]
    ics = invitation(session.get("uid") or session_uid(session["id"], session["at"]), _at(session), subject, body,
                     (person.name, person.email), [(directory[p].name, directory[p].email) for p in people],
                     sequence=int(session.get("sequence") or 0), cancel=cancel)
    notices = [Notice(key=f"review_session:{session['id']}:{key}:{p}", subject=subject, body=body, person_id=p,
                      document_ref=session["refs"][0], payload={"ics": ics}) for p in people if p != person.id]
    uow.notify(*notices)
    return notices


async def cancel(services: Services, ident: ChannelIdentity, ref: str) -> SessionResult:
    """NCT-5, NCT-7: the next Review Session for `ref` is called off; everyone invited is told, with METHOD:CANCEL."""
    now = services.clock.now()
    async with services.uow() as uow:
        person = await organiser(uow, ident)
        sessions, kept, session = await _session_for(uow, person, ref, now)
        done = {**session, "cancelled": True, "cancelled_by": person.id, "sequence": int(session.get("sequence") or 0) + 1}
        await _on_cases(uow, services, person, done, "review_session_cancelled",
                        lambda case, actor, today: session_cancelled(case, actor, today, done), now)
        sessions[sessions.index(session)] = done
        await uow.kv.put(SESSIONS_KEY, {**kept, "sessions": sessions})
        subject = f"Cancelled: Review Session: {', '.join(done['refs'])}"
        body = (f"{person.name} has cancelled the Review Session on {done['when']} for {', '.join(done['refs'])} (NCT-5). "
                "The calendar file attached to the email removes it from your calendar.")
        notices = await _tell(uow, person, done, f"cancel{done['sequence']}", subject, body, cancel=True)
        await uow.commit()
    return SessionResult(f"Done: the Review Session on {done['when']} for {', '.join(done['refs'])} is cancelled. I've told "
                         f"{len(notices)} people by Teams and email, with a calendar cancellation, and recorded it on "
                         f"{'each case' if len(done['refs']) > 1 else 'the case'} (NCT-5).", tuple(notices))


async def move(services: Services, ident: ChannelIdentity, ref: str, when: str) -> SessionResult:
    """NCT-5, NCT-7: the next Review Session for `ref` moves to `when`; everyone invited gets the updated invitation."""
    now = services.clock.now()
    at = session_time(services, when)
    async with services.uow() as uow:
        person = await organiser(uow, ident)
        sessions, kept, session = await _session_for(uow, person, ref, now)
        was = session["when"]
        moved = {**session, "at": at.isoformat(), "when": f"{at:%A} {long_date(at.date())} at {time_of_day(at)}",
                 "uid": session.get("uid") or session_uid(session["id"], session["at"]),
                 "sequence": int(session.get("sequence") or 0) + 1, "moved_by": person.id}
        if moved["at"] == session["at"]:
            raise BadInput(f"The Review Session for {', '.join(session['refs'])} is already on {was}.")
        await _on_cases(uow, services, person, moved, "review_session_moved",
                        lambda case, actor, today: session_moved(case, actor, today, moved, was), now)
        sessions[sessions.index(session)] = moved
        await uow.kv.put(SESSIONS_KEY, {**kept, "sessions": sessions})
        joint = "Joint " if len(moved["refs"]) > 1 else ""
        subject = f"Moved: {joint}Review Session: {', '.join(moved['refs'])}, now {moved['when']}"
        body = (f"{person.name} has moved the {joint.lower()}Review Session for {', '.join(moved['refs'])} from {was} to "
                f"{moved['when']} (NCT-5). The calendar file attached to the email updates it in your calendar.")
        notices = await _tell(uow, person, moved, f"move{moved['sequence']}", subject, body, cancel=False)
        await uow.commit()
    return SessionResult(f"Done: the Review Session for {', '.join(moved['refs'])} has moved from {was} to {moved['when']}. "
                         f"I've told {len(notices)} people by Teams and email, with an updated calendar file, and recorded "
                         f"it on {'each case' if len(moved['refs']) > 1 else 'the case'} (NCT-5).", tuple(notices))
