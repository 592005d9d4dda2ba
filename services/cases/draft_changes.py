"""What changed in a draft (issue 17, items 3 and 4), and the draft as the cards show it.

A tracked draft's insertions, deletions and comments are listed by the heading they sit under; a
new untracked version is compared with the previous stored version. The summary is worked out
once, when the draft is stored (in the same transaction), and kept with the draft version.
"""

from __future__ import annotations

from typing import Any
import asyncio
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from services.context import Services
from services.errors import NotFound
from services.ports import (
    Change,
    ChangeKind,
    ChangeSummary,
    DocxInspector,
    DraftFacts,
    FileStore,
)
from services.work import CaseRow, DraftRow, Work

SHOWN = 5  # changes listed on a card; the rest are counted


@dataclass(frozen=True)
class DraftView:
    """The draft under decision, as a card shows it."""

    id: int
    case_id: int | None
    number: int
    filename: str
    size: int
    sha256: str
    uploaded_by: str | None
    uploaded_at: datetime
    changes: ChangeSummary | None
    change_kind: str | None  # editorial | substantive | None
    compared_with: int | None  # the version an untracked draft was compared with


def summary_to_dict(summary: ChangeSummary, compared_with: int | None = None) -> dict[str, Any]:
    return {
        "changes": [[c.kind.value, c.section, c.text, c.author] for c in summary.changes],
        "insertions": summary.insertions, "deletions": summary.deletions, "comments": summary.comments,
        "changed": summary.changed, "sections": list(summary.sections), "compared_with": compared_with,
    }


def summary_from_dict(data: dict[str, Any] | None) -> ChangeSummary | None:
    if not data:
        return None
    return ChangeSummary(
        changes=tuple(Change(ChangeKind(k), s, t, a) for k, s, t, a in data.get("changes", [])),
        insertions=int(data.get("insertions", 0)), deletions=int(data.get("deletions", 0)),
        comments=int(data.get("comments", 0)), sections=tuple(data.get("sections", ())),
        changed=int(data.get("changed", 0)),
    )


_NUMBERED = re.compile(r"^\s*(\d+(?:\.\d+)*)[.)]?\s")


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def sections_text(sections: tuple[str, ...]) -> str:
    """'sections 3 and 5' when the headings are numbered, else the headings by name."""
    if not sections:
        return ""
    numbers = [m.group(1) for s in sections if (m := _NUMBERED.match(s))]
    if len(numbers) == len(sections):
        return ("section " if len(numbers) == 1 else "sections ") + _and(numbers)
    return _and([f"'{s}'" for s in sections])


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary_line(summary: ChangeSummary) -> str:
    """'7 insertions, 3 deletions, 2 comments in sections 3 and 5'."""
    parts = []
    if summary.insertions:
        parts.append(_plural(summary.insertions, "insertion"))
    if summary.deletions:
        parts.append(_plural(summary.deletions, "deletion"))
    if summary.changed:
        parts.append(_plural(summary.changed, "changed paragraph"))
    if summary.comments:
        parts.append(_plural(summary.comments, "comment"))
    if not parts:
        return "no changes found"
    where = sections_text(summary.sections)
    return ", ".join(parts) + (f" in {where}" if where else "")


def change_lines(summary: ChangeSummary, shown: int = SHOWN) -> list[str]:
    """The first `shown` changes, one line each, then how many more."""
    words = {ChangeKind.INSERTION: "Inserted", ChangeKind.DELETION: "Deleted", ChangeKind.COMMENT: "Comment",
             ChangeKind.CHANGED: "Reworded"}
    lines = []
    for c in summary.changes[:shown]:
        where = f" ({c.section})" if c.section else ""
        who = f" ({c.author})" if c.kind is ChangeKind.COMMENT and c.author else ""
        lines.append(f"{words[c.kind]}{where}: \u201c{c.text}\u201d{who}")
    more = len(summary.changes) - shown
    if more > 0:
        lines.append(f"and {more} more")
    return lines


def _ports(services: Services) -> tuple[FileStore, DocxInspector]:
    return services.adapters["files"], services.adapters["docx"]


async def file_of(services: Services, uow: Work, draft: DraftRow) -> Path:
    """The draft's file in the data folder, where every stored draft is kept by its SHA-256 (the
    migration 0015_door moved the older ones' bytes out of the database)."""
    files, _ = _ports(services)
    if not files.exists(draft.sha256):
        raise NotFound(f"The file of draft version {draft.number} ({draft.filename}) is missing from the data folder; "
                       "restore it from the last backup (policybot restore).")
    return files.path(draft.sha256)


async def record_changes(services: Services, uow: Work, draft: DraftRow, facts: DraftFacts, change_kind: str | None) -> ChangeSummary | None:
    """Work out and keep what changed in a newly stored draft (inside the caller's transaction)."""
    files, docx = _ports(services)
    path = await file_of(services, uow, draft)
    compared_with = None
    earlier = [d for d in await uow.cases.draft_heads(draft.document_id)
               if d.number < draft.number and files.exists(d.sha256)]  # one lost file does not stop a new version
    tracked = await asyncio.to_thread(docx.tracked_changes, path) if (facts.has_tracked_changes or facts.comments) else None
    if facts.has_tracked_changes or not earlier:
        summary = tracked
    else:  # an untracked new version: what differs from the previous one, with its comments
        previous = earlier[-1]
        summary = await asyncio.to_thread(docx.compare, await file_of(services, uow, previous), path)
        compared_with = previous.number
        if tracked is not None and tracked.comments:
            summary = _with_comments(summary, tracked)
    await uow.cases.update_draft(draft.id, comments=facts.comments, change_kind=change_kind,
                                 changes=summary_to_dict(summary, compared_with) if summary is not None else None)
    return summary


def _with_comments(summary: ChangeSummary, tracked: ChangeSummary) -> ChangeSummary:
    comments = tuple(c for c in tracked.changes if c.kind is ChangeKind.COMMENT)
    changes = summary.changes + comments
    sections = tuple(dict.fromkeys([*summary.sections, *(c.section for c in comments if c.section)]))
    return ChangeSummary(changes, summary.insertions, summary.deletions, len(comments), sections, summary.changed)


async def latest_draft_view(uow: Work, row: CaseRow) -> DraftView | None:
    """The newest draft of this case (the version under decision, or the approved one at publishing)."""
    mine = [d for d in await uow.cases.draft_heads(row.document_id) if d.case_id == row.id]
    if not mine:
        return None
    d = mine[-1]
    who = await uow.people.get(d.uploaded_by) if d.uploaded_by else None
    return _draft_view(d, who.name if who else None)


async def latest_draft_views(uow: Work, case_ids: Iterable[int]) -> dict[int, DraftView | None]:
    """{case id: its newest draft} for many cases: one query for the drafts, one for their uploaders."""
    ids = set(case_ids)
    latest: dict[int, DraftRow] = {}
    for d in await uow.cases.draft_heads_of_cases(ids):  # by number: the last one of a case wins
        if d.case_id is not None:  # always: these are drafts of the cases asked for
            latest[d.case_id] = d
    names = {p.id: p.name for p in await uow.people.many({d.uploaded_by for d in latest.values() if d.uploaded_by})}
    return {c: _draft_view(latest[c], names.get(latest[c].uploaded_by or "")) if c in latest else None for c in ids}


def _draft_view(d: DraftRow, uploader: str | None) -> DraftView:
    return DraftView(
        id=d.id, case_id=d.case_id, number=d.number, filename=d.filename, size=d.size, sha256=d.sha256,
        uploaded_by=uploader or d.uploaded_by, uploaded_at=d.uploaded_at,
        changes=summary_from_dict(d.changes), change_kind=d.change_kind,
        compared_with=(d.changes or {}).get("compared_with"),
    )
