"""Signing in to the pages: who a validated token or a development sign-in names, and the identity
a signed-in person acts with (the same one the chat would resolve to them)."""

from __future__ import annotations

from dataclasses import dataclass

from services.context import Services
from services.errors import UnknownPerson
from services.people.identity import ChannelIdentity
from services.work import PersonRow


@dataclass(frozen=True)
class SignedIn:
    person_id: str
    name: str


def identity_of(person: PersonRow) -> ChannelIdentity:
    """The identity a signed-in person acts with: their Entra object id, else their email address."""
    if person.aad_object_id:
        return ChannelIdentity("msteams", f"tab:{person.id}", aad_object_id=person.aad_object_id, name=person.name,
                               tenant_id=person.tenant_id)
    return ChannelIdentity("email", (person.email or "").lower(), name=person.name)


NOT_KNOWN = ("You signed in, but you are not in policybot's directory (or no longer active). "
             "Ask your Policy and Procedures Officer to add you.")


async def person_for_token(services: Services, *, object_id: str | None, email: str | None) -> SignedIn:
    """The directory's person for a validated Entra token: by object id, else by email address."""
    async with services.uow() as uow:
        person = await uow.people.by_aad(object_id) if object_id else None
        if person is None and email:
            person = await uow.people.by_email(email)
        if person is None or not person.active:
            raise UnknownPerson(NOT_KNOWN)
        return SignedIn(person.id, person.name)


async def person_by_id(services: Services, person_id: str) -> SignedIn:
    """A development sign-in: the person chosen from the directory (only when no app id is set)."""
    async with services.uow() as uow:
        person = await uow.people.get(person_id)
        if person is None or not person.active:
            raise UnknownPerson(NOT_KNOWN)
        return SignedIn(person.id, person.name)


async def people_to_choose(services: Services) -> list[tuple[str, str, str]]:
    """(id, name, job title) of everyone active, for the development sign-in form."""
    async with services.uow() as uow:
        return [(p.id, p.name, p.job_title or "") for p in await uow.people.all() if p.active]
