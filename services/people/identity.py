"""Who is speaking: resolve the identity the channel vouches for to a person in the directory.

Authorisation always starts here, never from data inside a card or an email body.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


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


async def resolve_person(uow, ident: ChannelIdentity):
    person = None
    if ident.aad_object_id:
        person = await uow.people.by_aad(ident.aad_object_id)
    if person is None and ident.email:
        person = await uow.people.by_email(ident.email)
    if person is not None and not person.active:
        return None
    return person


async def remember_conversation(uow, *, now: datetime, ident: ChannelIdentity, person, reference: dict,
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


async def find_person(uow, who: str):
    """A person in the directory by id, email address or (part of) their name; None if unknown or ambiguous."""
    who = (who or "").strip()
    if not who:
        return None
    person = await uow.people.get(who)
    if person is None and "@" in who:
        person = await uow.people.by_email(who)
    if person is None:
        needle = who.lower()
        matches = [p for p in await uow.people.all() if needle in p.name.lower()]
        person = matches[0] if len(matches) == 1 else None
    return person


async def directory(uow) -> list[tuple[str, str, str]]:
    """(id, name, roles) of everyone active, for choosing who to be in the local chat."""
    return [(p.id, p.name, ", ".join(sorted(p.role_names))) for p in await uow.people.all() if p.active]
