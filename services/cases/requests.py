"""What the new-document request dialog needs from the organisation (issue 4, items 1 and 2).

Check first (LBBD-1): `existing_documents` (the register, through the answer index) and
`manual_chapters` (what the procedures manual already says) are where the dialog looks.
Type help (MA-1, MA-2) comes from governance.doctypes. Opening the request is
services.lifecycle.start_new_document.
"""

from __future__ import annotations

from dataclasses import dataclass

from governance import doctypes
from services.register import documents as register
from services.context import Services
from services.people.identity import ChannelIdentity, find_person, resolve_person
from services.manual.covering import covering
from services.views import SearchHit

CLOSED_STATUSES = ("declined", "withdrawn", "retired")


@dataclass(frozen=True)
class TypeChoice:
    id: str
    label: str
    description: str


@dataclass(frozen=True)
class RequestSetup:
    process: str
    types: tuple[TypeChoice, ...]
    categories: tuple[str, ...]
    service_areas: tuple[str, ...]
    recipient: str  # who receives requests, as people know them
    mailbox: str | None


@dataclass(frozen=True)
class TypeHelp:
    suggested: tuple[str, ...]  # type ids, best first (MA-1)
    strategy_note: str | None  # MA-2: a strategy document is not a strategy meeting
    strategy_meeting: bool = False  # the words describe a Section 47 strategy meeting


async def existing_documents(services: Services, words: str, *, limit: int = 3) -> list[SearchHit]:
    """LBBD-1: register documents that already cover what the person described, found by the index
    that answers questions (services/manual/covering.py: passages, the social-care vocabulary's
    acronyms and synonyms, typo repair), open ones only."""
    hits: list[SearchHit] = []
    found = [c for c in await covering(services, words) if c.kind == "document" and c.ref]
    async with services.uow() as uow:
        for c in found:
            doc = await uow.documents.by_ref(c.ref)
            if doc is None or doc.status in CLOSED_STATUSES:
                continue
            hits.append(SearchHit(register.document_view(doc), c.score, c.said))
    return hits[:limit]


async def manual_chapters(services: Services, words: str, *, limit: int = 3) -> list[tuple[str, str | None]]:
    """LBBD-1 also asks what the procedures manual already says: chapters (title, address) that
    hold most of the subject. Empty when no manual is indexed."""
    return [(c.title, c.url) for c in await covering(services, words) if c.kind == "chapter"][:limit]


async def requester_id(services: Services, ident: ChannelIdentity) -> str | None:
    """The directory id of the person asking, so a request that found nothing is counted with their
    questions in the demand report (one person, not their channel id and directory id as two)."""
    async with services.uow() as uow:
        person = await resolve_person(uow, ident)
    return person.id if person else None


async def setup(services: Services) -> RequestSetup:
    preset = services.preset
    async with services.uow() as uow:
        areas = {p.service_area.strip() for p in await uow.people.all() if p.active and p.service_area}
        areas |= {d.service_area.strip() for d in await uow.documents.all() if d.service_area}
    return RequestSetup(
        process=preset.name,
        types=tuple(TypeChoice(t.id, t.label, t.description or "") for t in preset.document_types.values()),
        categories=tuple(preset.categories),
        service_areas=tuple(sorted(a for a in areas if a)),
        recipient=preset.role_label(preset.request_recipient),
        mailbox=preset.request_mailbox,
    )


def type_help(services: Services, text: str) -> TypeHelp:
    preset = services.preset
    return TypeHelp(tuple(t.id for t in doctypes.suggest_types(preset, text)), doctypes.explain_strategy_ambiguity(text),
                    doctypes.is_strategy_meeting(text))


async def people_named(services: Services, names: list[str]) -> tuple[list[tuple[str, str]], list[str]]:
    """([(person id, name)], [names not found or matching several people]) from what was typed."""
    found: list[tuple[str, str]] = []
    unknown: list[str] = []
    async with services.uow() as uow:
        for name in names:
            person = await find_person(uow, name)
            if person is None or not person.active:
                unknown.append(name)
            elif person.id not in {pid for pid, _ in found}:
                found.append((person.id, person.name))
    return found, unknown
