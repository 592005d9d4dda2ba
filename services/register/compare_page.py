"""Comparing two draft versions from a document's page (issue 23 with issue 17 item 4): the change
summary by the heading each change sits under, and the redline (the newer version with the
differences as Word tracked changes) to download.

The same people who may download the drafts may compare them (the document's owners, the people
its open case involves, the policy team); the comparison itself is the chat's "compare" use case
(`services.cases.draft_delivery.compare_versions`), run with the identity of the session's person.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.cases.draft_changes import summary_line
from services.cases.draft_delivery import Comparison, compare_versions
from services.context import Services
from services.errors import BadInput, NotFound, NotPermitted
from services.people.signin import identity_of
from services.ports import Change, ChangeKind
from services.register.listing import may_see_drafts_of, signed_in

KIND_WORDS = {ChangeKind.INSERTION: "Inserted", ChangeKind.DELETION: "Deleted", ChangeKind.COMMENT: "Comment",
              ChangeKind.CHANGED: "Reworded"}
BEFORE_ANY_HEADING = "Before the first heading"


@dataclass(frozen=True)
class HeadingChanges:
    heading: str
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class ComparePage:
    comparison: Comparison
    line: str  # '7 insertions, 3 deletions in sections 3 and 5'
    by_heading: tuple[HeadingChanges, ...]  # in document order
    versions: tuple[int, ...]  # every stored version, to choose two others


def by_heading(changes: tuple[Change, ...]) -> tuple[HeadingChanges, ...]:
    """The changes grouped under their headings, headings in the order they first appear."""
    groups: dict[str, list[Change]] = {}
    for c in changes:
        groups.setdefault(c.section or BEFORE_ANY_HEADING, []).append(c)
    return tuple(HeadingChanges(h, tuple(cs)) for h, cs in groups.items())


def read_versions(old: str | None, new: str | None) -> tuple[int, int]:
    try:
        a, b = int(old or ""), int(new or "")
    except ValueError:
        raise BadInput("Choose two draft versions to compare (their numbers).") from None
    if a == b:
        raise BadInput(f"Version {a} is the same version: choose two different ones to compare.")
    return a, b


async def compare_page(services: Services, person_id: str, ref: str, old: int, new: int) -> ComparePage:
    """Two versions of a document's draft compared, for someone who may see its drafts."""
    async with services.uow() as uow:
        person = await signed_in(uow, person_id)
        doc = await uow.documents.by_ref(ref)
        if doc is None:
            raise NotFound(f"There is no document {ref!r}.")
        if not await may_see_drafts_of(uow, person, doc):
            raise NotPermitted(f"The drafts of {doc.ref} are for its owners, the people its review involves "
                               "and the policy team.")
        versions = tuple(sorted(d.number for d in await uow.cases.draft_heads(doc.id)))
        ident = identity_of(person)  # from the session's person, never from the address
    comparison = await compare_versions(services, ident, doc.ref, old, new)
    return ComparePage(comparison, summary_line(comparison.summary), by_heading(comparison.summary.changes), versions)
