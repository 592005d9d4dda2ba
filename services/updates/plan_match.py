"""NCT-3: which local procedures a row of the publisher's update plan touches.

A register document adapts a manual chapter: it links to it (`manual_url`), carries its title, or
the plan names the document's own reference. A row is matched by any of these, in that order of
trust: the register reference in the row ("PP-014", "PP 14"), the chapter's address, the title
(case, punctuation, '&', a bracketed aside and the chapter's number do not matter), and the title of
a chapter in the synced manual that a local procedure links to. Rows without a recommended amendment
("No change", blank) are counted, not matched. Pure: no I/O."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from services.register.cells import norm_heading
from services.updates.plan_rows import PlanRow

_REF = re.compile(r"\b([A-Za-z]{1,8})[\s-]?0*(\d{1,6})\b")
_ASIDE = re.compile(r"\([^)]*\)|\[[^]]*\]")
_NUMBERED = re.compile(r"^\s*(?:(?:chapter|ch)\.?\s*\d+(?:\.\d+)*|\d+(?:\.\d+)+|\d+\.)\s*[:.\-\u2013]?\s*", re.IGNORECASE)


def ref_key(text: str) -> list[str]:
    """'PP-014', 'pp 14' and 'PP14' are one key: PP14."""
    return [f"{m.group(1).upper()}{int(m.group(2))}" for m in _REF.finditer(text or "")]


def url_key(url: str | None) -> str:
    u = (url or "").strip().lower()
    u = re.sub(r"^https?://(www\.)?", "", u)
    return u.split("#")[0].split("?")[0].rstrip("/")


def title_keys(title: str | None, *, numbered: bool = True) -> list[str]:
    """The title as it is, without its bracketed aside ('Private Fostering (2024 update)'), and without
    the chapter's number in front ('3.4.2 Private Fostering', 'Chapter 12: Private Fostering')."""
    full = norm_heading(title or "")
    bare = norm_heading(_ASIDE.sub(" ", title or ""))
    unnumbered = norm_heading(_ASIDE.sub(" ", _NUMBERED.sub("", title or ""))) if numbered else ""
    return [k for k in dict.fromkeys((full, bare, unnumbered)) if k]


@dataclass
class Match:
    document: Any
    rows: list[PlanRow] = field(default_factory=list)
    how: str = ""  # by reference | by link | by title


@dataclass(frozen=True)
class Matched:
    matches: tuple[Match, ...]
    unmatched: tuple[PlanRow, ...]
    no_change: int
    rows: int


class DocumentIndex:
    """The register's live documents by reference, chapter address and title; and the synced manual's
    chapters by title, so a row naming the publisher's chapter finds the local procedure that links to it."""

    def __init__(self, documents: Iterable[Any], chapters: Iterable[tuple[str, str]] = ()) -> None:
        self.chapters: dict[str, list[str]] = {}
        for title, url in chapters:
            for k in title_keys(title, numbered=False):
                self.chapters.setdefault(k, []).append(url_key(url))
        self.by_ref: dict[str, Any] = {}
        self.by_url: dict[str, list[Any]] = {}
        self.by_title: dict[str, list[Any]] = {}
        for d in documents:
            if d.status in ("retired", "withdrawn"):
                continue
            for k in ref_key(d.ref)[:1]:
                self.by_ref[k] = d
            if d.manual_url:
                self.by_url.setdefault(url_key(d.manual_url), []).append(d)
            for k in title_keys(d.title, numbered=False):
                self.by_title.setdefault(k, []).append(d)

    def find(self, row: PlanRow) -> tuple[list[Any], str]:
        for k in ref_key(row.ref) + ref_key(row.title):
            if k in self.by_ref:
                return [self.by_ref[k]], "by reference"
        if row.link and url_key(row.link) in self.by_url:
            return self.by_url[url_key(row.link)], "by link"
        for k in title_keys(row.title):
            if k in self.by_title:
                return self.by_title[k], "by title"
        for k in title_keys(row.title):
            linked = [d for u in self.chapters.get(k, ()) for d in self.by_url.get(u, ())]
            if linked:
                return list({d.id: d for d in linked}.values()), "by the manual's chapter"
        return [], ""


def match_plan(rows: Sequence[PlanRow], documents: Iterable[Any], chapters: Iterable[tuple[str, str]] = ()) -> Matched:
    """`chapters`: the synced manual's (title, address) pairs (none when it was never synced)."""
    index = DocumentIndex(documents, chapters)
    found: dict[int, Match] = {}
    unmatched: list[PlanRow] = []
    no_change = 0
    for row in rows:
        if row.no_change:
            no_change += 1
            continue
        docs, how = index.find(row)
        if not docs:
            unmatched.append(row)
        for d in docs:
            m = found.setdefault(d.id, Match(d, how=how))
            m.rows.append(row)
    ordered = sorted(found.values(), key=lambda m: m.document.ref)
    return Matched(tuple(ordered), tuple(unmatched), no_change, len(rows))
