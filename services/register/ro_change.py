"""A change of Responsible Officer reported in conversation (NCT-1): "PP-014's RO is now Charlie
Vance from Monday", or "I've handed PP-014 over to Charlie", said by the RO, one of the document's
RSMs or the PPO.

It is never acted on as said: the proposal is kept under a short token for the person who made it,
and they confirm it ("confirm RO change <token>", the card's Yes button or those words by email).
Who may confirm is decided again from the identity the channel vouches for. The handover itself is
services/register/ownership.reassign_ro: open cases and drafts move, the PPO and the RSM are told,
and the tracker, 'status' and 'my documents' show the new RO.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from governance.dates import parse_date, weekday_date
from governance.permissions import may_report_change_of_ro
from services.cases.lifecycle import _rsm_ids
from services.context import Services
from services.errors import BadInput, NotFound, NotPermitted, UnknownPerson
from services.people.identity import ChannelIdentity, person_named, resolve_person
from services.ports import Notice
from services.register.ownership import reassign_ro
from services.work import DocumentRow, PersonRow, Work

KEEP = timedelta(hours=24)
TOKEN = re.compile(r"^[0-9a-f]{8}$")


@dataclass(frozen=True)
class RoChange:
    message: str
    token: str | None = None
    ref: str = ""
    notices: tuple[Notice, ...] = field(default_factory=tuple)


def _key(token: str) -> str:
    return f"ro_change:{token}"


async def _speaker(uow: Work, ident: ChannelIdentity) -> PersonRow:
    person = await resolve_person(uow, ident)
    if person is None:
        raise UnknownPerson("I don't know who you are yet, so I can't record a change of Responsible Officer for you.")
    return person


def _may_report(person: PersonRow, doc: DocumentRow) -> bool:
    return may_report_change_of_ro(person.id, person.role_names, doc.ro_id, _rsm_ids(doc))  # NCT-1


async def propose(services: Services, ident: ChannelIdentity, ref: str, who: str, when: str | None) -> RoChange:
    """Check the change and keep it for the speaker to confirm; nothing changes yet."""
    today, now = services.clock.today(), services.clock.now()
    async with services.uow() as uow:
        person = await _speaker(uow, ident)
        doc = await uow.documents.by_ref(ref.upper())
        if doc is None:
            raise NotFound(f"I can't find a document with the reference {ref.upper()!r}.")
        if not _may_report(person, doc):
            raise NotPermitted(f"Only the Responsible Officer of {doc.ref}, its Responsible Strategic Manager or the "
                               "Policy and Procedures Officer can report a change of its Responsible Officer (NCT-1).")
        successor = await person_named(uow, who, me=person)
        current = doc.ro_id or doc.rsm_id
        if successor.id == current:
            raise BadInput(f"{successor.name} is already the Responsible Officer of {doc.ref}.")
        try:
            starts = parse_date(when, today) if when else today
        except ValueError as exc:
            raise BadInput(f"Sorry, I couldn't tell when the change starts: {exc}.") from None
        if starts < today - timedelta(days=31):
            raise BadInput(f"{weekday_date(starts)} is more than a month ago: please give the date the change starts.")
        old = await uow.people.get(current) if current else None
        token = hashlib.sha256(f"{person.id}|{doc.ref}|{successor.id}|{now.isoformat()}".encode()).hexdigest()[:8]
        await uow.kv.put(_key(token), {"by": person.id, "ref": doc.ref, "old": current, "new": successor.id,
                                       "starts": starts.isoformat(), "made": now.isoformat(), "done": False})
        await uow.commit()
    was = f" in place of {old.name}" if old else ""
    standing = " (the RSM, standing in)" if old and not doc.ro_id else ""
    return RoChange(f"Please confirm: {successor.name} becomes the Responsible Officer of {doc.ref} {doc.title}{was}{standing}, "
                    f"from {weekday_date(starts)}. Its open work moves with it, and the Policy and Procedures Officer "
                    "is told so the tracker is updated (NCT-1).", token, doc.ref)


async def confirm(services: Services, ident: ChannelIdentity, token: str) -> RoChange:
    """The speaker confirms their own proposal: the handover is done and everyone is told."""
    token = (token or "").strip().lower()
    now = services.clock.now()
    async with services.uow() as uow:
        person = await _speaker(uow, ident)
        kept = await uow.kv.get(_key(token)) if TOKEN.match(token) else None
        if kept is None or kept.get("by") != person.id:
            raise NotFound("I have no change of Responsible Officer waiting for you to confirm. Say it again, for example "
                           "'PP-014's RO is now Charlie Vance from Monday'.")
        if kept.get("done"):
            raise BadInput(f"That change of Responsible Officer of {kept['ref']} is already done.")
        if now - datetime.fromisoformat(kept["made"]) > KEEP:
            raise BadInput("That change was not confirmed within a day, so I set it aside. Please say it again.")
        doc = await uow.documents.by_ref(kept["ref"])
        if doc is None or (doc.ro_id or doc.rsm_id) != kept["old"] or not _may_report(person, doc):
            raise BadInput(f"The Responsible Officer of {kept['ref']} has changed since you asked. Please say it again.")
    starts = weekday_date(datetime.fromisoformat(kept["starts"]).date())
    # The handover checks the RO again in its own transaction: a second confirmation finds it done.
    out = await reassign_ro(services, kept["old"], kept["new"], include_rsm=False, refs=[kept["ref"]], actor_id=person.id,
                            reason=f"reported by {person.name} in conversation", effective=f"from {starts}")
    async with services.uow() as uow:
        new = await uow.people.get(kept["new"])
        await uow.kv.put(_key(token), {**kept, "done": True})
        await uow.commit()
    moved = f" Open cases moved with it: {', '.join(f'case {c}' for c in out.cases)}." if out.cases else ""
    return RoChange(f"Done: {new.name if new else kept['new']} is now the Responsible Officer of {kept['ref']}, from {starts}.{moved} "
                    "The Policy and Procedures Officer has been told, and the tracker is updated (NCT-1).",
                    None, kept["ref"], out.notices)
