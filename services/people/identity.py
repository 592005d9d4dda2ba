"""Who is speaking: resolve the identity the channel vouches for to a person in the directory.

Authorisation always starts here, never from data inside a card or an email body.
"""

from __future__ import annotations

from typing import Any
from dataclasses import dataclass
from datetime import datetime

from services.errors import BadInput, NotFound
from services.people.matching import Directory, PersonProblem
from services.work import PersonRow, Work


@dataclass(frozen=True)
class ChannelIdentity:
    channel_id: str
    user_id: str
    aad_object_id: str | None = None
    name: str | None = None
    tenant_id: str | None = None

    @property
    def email(self) -> str | None:
        """The email channel puts the sender's address in from.id."""
        if self.channel_id == "email" and "@" in self.user_id:
            return self.user_id.strip().lower()
        return None


async def resolve_person(uow: Work, ident: ChannelIdentity) -> PersonRow | None:
    person = None
    if ident.aad_object_id:
        person = await uow.people.by_aad(ident.aad_object_id)
    if person is None and ident.email:
        person = await uow.people.by_email(ident.email)
    if person is not None and not person.active:
        return None
    return person


async def remember_conversation(uow: Work, *, now: datetime, ident: ChannelIdentity, person: PersonRow | None, reference: dict[str, Any],
                                conversation_id: str, conversation_type: str | None, service_url: str) -> None:
    """Keep the wire-JSON conversation reference (with the tenant id) for proactive messages."""
    await uow.conversations.upsert(
        at=now,
        channel_id=ident.channel_id,
        conversation_id=conversation_id,
        service_url=service_url,
        reference=reference,
        person_id=person.id if person else None,
        aad_object_id=ident.aad_object_id,
        tenant_id=ident.tenant_id,
        conversation_type=conversation_type,
    )


ME = frozenset({"me", "myself", "i", "me please", "yours truly"})


async def person_named(uow: Work, who: str, *, me: PersonRow | None = None) -> PersonRow:
    """The one person meant by what was typed: 'me' (the speaker, `me`), an id, an email address,
    a full name however written (services/people/matching.py), a first name when only one active
    person has it, or a unique part of a name. Two people who could be meant are never guessed:
    BadInput asks which one; nobody raises NotFound."""
    shown = " ".join((who or "").split()).strip(" .!?\"'")
    if not shown:
        raise BadInput("Say who: their full name, their first name or their email address.")
    if shown.lower() in ME:
        if me is None:
            raise NotFound("I don't know who you are yet, so I can't name you.")
        return me
    person = await uow.people.get(shown)
    if person is None and "@" in shown:
        person = await uow.people.by_email(shown)
    if person is not None:
        if not person.active:
            raise NotFound(f"{person.name} has left: their account is disabled in the directory.")
        return person
    people = await uow.people.all()
    try:
        return Directory(people).match(shown).person
    except PersonProblem as problem:
        if "could be" in str(problem):
            raise BadInput(f"Which one? {problem}.") from None
    active = [p for p in people if p.active]
    if " " not in shown:
        first = [p for p in active if p.name.split() and p.name.split()[0].lower() == shown.lower()]
        if len(first) == 1:
            return first[0]
        if len(first) > 1:
            raise BadInput(f"Which {shown}? " + " or ".join(f"{p.name} ({p.email})" if p.email else p.name for p in first)
                           + ": say their full name.")
    part = [p for p in active if shown.lower() in p.name.lower()]
    if len(part) == 1:
        return part[0]
    if len(part) > 1:
        raise BadInput(f"Which one? '{shown}' could be " + " or ".join(p.name for p in part[:5]) + ": say their full name.")
    raise NotFound(f"I can't find anyone called \"{shown}\" in the directory. Give their full name or email address.")


async def find_person(uow: Work, who: str, *, me: PersonRow | None = None) -> PersonRow | None:
    """A person in the directory by id, email address, name or unique first name (person_named);
    None if unknown or ambiguous."""
    try:
        return await person_named(uow, who, me=me)
    except (BadInput, NotFound):
        return None


async def directory(uow: Work) -> list[tuple[str, str, str]]:
    """(id, name, roles) of everyone active, for choosing who to be in the local chat."""
    return [(p.id, p.name, ", ".join(sorted(p.role_names))) for p in await uow.people.all() if p.active]
