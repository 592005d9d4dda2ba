"""NCT-14: when a chapter or a local document changes, which other documents are likely affected?

Two signals, both explainable to the Responsible Officer who has to check:
- links: chapters that link to the changed one, and chapters it links to (from the crawl);
- shared key terms: the changed text's most distinctive words (tf-idf over the manual), searched
  in the index, so chapters and register documents on the same subject come up.
When the manual publishes an update, its amendments list is matched against the register and
each owner is told which of their local documents are, or depend on, a changed chapter.
"""

from __future__ import annotations

from typing import Any
import math
import re
from collections import Counter
from dataclasses import dataclass

from services.context import Services
from services.delivery.notices import daily
from services.errors import NotFound
from services.manual.search import STOPWORDS, same_title_key
from services.ports import Notice
from services.work import ChapterRow, DocumentRow, PersonRow, Work

_TOKEN = re.compile(r"[a-z][a-z0-9]+")
# Words every chapter uses: never a reason to think two chapters are about the same thing.
GENERIC = frozenset(
    """chapter chapters section sections procedure procedures manual updated amended reviewed scope related child
    children young person people family families parent parents carer carers social worker workers work working
    practitioner practitioners staff manager managers team teams service services local authority council must
    should may also will other within days working day month months year years time plan plans record recorded
    read together statutory guidance arrangements responsible decision decisions including include includes offered
    offer support supporting supported assessing assess assessment assessments make makes made need needs""".split()
)
KEY_TERMS = 8


@dataclass(frozen=True)
class ImpactItem:
    kind: str  # chapter | document
    title: str
    url: str | None
    ref: str | None  # the register reference (a document, or the local document for a chapter)
    owner: str | None
    owner_id: str | None
    score: float
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class ImpactReport:
    subject: str
    subject_url: str | None
    key_terms: tuple[str, ...]
    items: tuple[ImpactItem, ...]


def _words(text: str) -> list[str]:
    return [w for w in _TOKEN.findall(text.lower()) if w not in STOPWORDS and w not in GENERIC and len(w) > 2]


def key_terms(text: str, corpus: list[str], k: int = KEY_TERMS) -> list[str]:
    """The words that most set `text` apart from the rest of the corpus (tf-idf)."""
    tf = Counter(_words(text))
    if not tf:
        return []
    df: Counter[str] = Counter()
    for other in corpus:
        df.update(set(_words(other)) & tf.keys())
    n = max(len(corpus), 1)
    scored = {w: c * math.log((n + 1) / (df[w] + 1)) for w, c in tf.items()}
    return [w for w, s in sorted(scored.items(), key=lambda x: (-x[1], x[0])) if s > 0][:k]


def _owner(doc: DocumentRow) -> tuple[str | None, str | None]:
    person = doc.ro or doc.rsm  # NCT-1: the RSM is the RO when none is named
    return (person.name, person.id) if person else (None, None)


async def _resolve_chapter(uow: Work, chapter: str) -> ChapterRow:
    found = await uow.manual.by_url(chapter.strip())
    if found is None:
        matches = await uow.manual.by_title(chapter)
        found = matches[0] if matches else None
    if found is None:
        raise NotFound(f"There is no chapter {chapter!r} in the manual index. Check the title, or sync the manual.")
    return found


async def affected_by_chapter(services: Services, chapter: str, *, limit: int = 10) -> ImpactReport:
    """NCT-14: the chapters and register documents most likely affected by a change to `chapter`
    (its address or title)."""
    async with services.uow() as uow:
        c = await _resolve_chapter(uow, chapter)
        return await _impact(uow, c.title, c.url, c.text, c.id, set(c.links or []), limit)


async def affected_by_document(services: Services, ref: str, *, limit: int = 10) -> ImpactReport:
    """NCT-14 for a local document: its chapter's links, and what shares its key terms."""
    async with services.uow() as uow:
        doc = await uow.documents.by_ref(ref)
        if doc is None:
            raise NotFound(f"I can't find a document with the reference {ref.strip()!r}.")
        chapter = await uow.manual.by_url(doc.manual_url) if doc.manual_url else None
        if chapter is None:
            key = same_title_key(doc.title)
            same = [r[0] for r in await uow.manual.light_rows() if same_title_key(r[2]) == key]
            found = await uow.manual.by_ids(same[:1])
            chapter = found[0] if found else None
        text = f"{doc.title}\n{doc.summary or ''}\n{chapter.text if chapter else ''}"
        report = await _impact(uow, doc.title, chapter.url if chapter else doc.manual_url, text,
                               chapter.id if chapter else None, set(chapter.links or []) if chapter else set(),
                               limit, exclude_doc=doc.id)
        return report


def _impact_items(scores: dict[tuple[str, int], float], reasons: dict[tuple[str, int], list[str]], chapters: dict[int, ChapterRow],
                  docs: dict[int, DocumentRow], by_url: dict[str, Any], by_title: dict[str, Any],
                  exclude_doc: int | None) -> list[ImpactItem]:
    """The scored chapters and documents, best first: a chapter with its local document (shown once),
    then documents on their own (not retired, not the one being changed)."""
    items: list[ImpactItem] = []
    shown_docs: set[int] = set()
    for (kind, item_id), score in sorted(scores.items(), key=lambda kv: -kv[1]):
        why = tuple(dict.fromkeys(reasons[(kind, item_id)]))
        if kind == "chapter" and item_id in chapters:
            c = chapters[item_id]
            local = by_url.get(c.url) or by_title.get(same_title_key(c.title))
            owner, owner_id = _owner(local) if local else (None, None)
            if local:
                shown_docs.add(local.id)
            items.append(ImpactItem("chapter", c.title, c.url, local.ref if local else None, owner, owner_id,
                                    round(score, 3), why))
        elif kind == "document" and item_id in docs and item_id != exclude_doc and item_id not in shown_docs:
            d = docs[item_id]
            if d.status == "retired":
                continue
            owner, owner_id = _owner(d)
            items.append(ImpactItem("document", d.title, d.manual_url, d.ref, owner, owner_id, round(score, 3), why))
    return items


async def _impact(uow: Work, title: str, url: str | None, text: str, chapter_id: int | None, links_out: set[str],
                  limit: int, exclude_doc: int | None = None) -> ImpactReport:
    rows = await uow.manual.light_rows()  # (id, url, title, section, hash, etag, lm, links)
    corpus = [t for _title, _sec, t in await uow.manual.texts()]
    terms = key_terms(text, corpus)
    scores: dict[tuple[str, int], float] = {}
    reasons: dict[tuple[str, int], list[str]] = {}

    def add(key: tuple[str, int], points: float, reason: str) -> None:
        scores[key] = scores.get(key, 0.0) + points
        reasons.setdefault(key, []).append(reason)

    for cid, curl, _t, _s, _h, _e, _l, clinks in rows:
        if cid == chapter_id:
            continue
        if curl in links_out:
            add(("chapter", cid), 3.0, "the changed chapter links to it")
        if url and url in (clinks or []):
            add(("chapter", cid), 3.0, "it links to the changed chapter")
    if terms:
        hits = await uow.manual.index.search([[(t,)] for t in terms], limit=40)
        best = max((h.rank for h in hits), default=1.0) or 1.0
        for h in hits:
            if h.kind == "chapter" and h.item_id == chapter_id:
                continue
            shared = [t for t, m in zip(terms, h.matched, strict=False) if m]
            if len(shared) < max(2, math.ceil(len(terms) / 3)):
                continue
            add((h.kind, h.item_id), 2.0 * len(shared) / len(terms) + max(h.rank, 0) / best,
                "shares key terms: " + ", ".join(shared))

    register = await uow.documents.all()
    by_url = {d.manual_url: d for d in register if d.manual_url}
    by_title = {same_title_key(d.title): d for d in register}
    # The local document for the changed chapter itself must be checked first.
    local_self = (by_url.get(url) if url else None) or by_title.get(same_title_key(title))
    if local_self is not None and local_self.id != exclude_doc:
        add(("document", local_self.id), 10.0, "it is the local document for the changed chapter")

    chapters = {c.id: c for c in await uow.manual.by_ids([k[1] for k in scores if k[0] == "chapter"])}
    items = _impact_items(scores, reasons, chapters, {d.id: d for d in register}, by_url, by_title, exclude_doc)
    return ImpactReport(title, url, tuple(terms), tuple(items[:limit]))


# --------------------------------------------------------------------------- amendments -> owners


@dataclass(frozen=True)
class AffectedDocument:
    ref: str
    title: str
    chapter_title: str
    chapter_url: str | None
    how: str  # "is the local document for" | "depends on" (its chapter links to the changed one)
    change: str  # updated | new | removed | other
    note: str


@dataclass(frozen=True)
class OwnerNotice:
    person_id: str
    name: str
    email: str | None
    update: str
    items: tuple[AffectedDocument, ...]

    @property
    def subject(self) -> str:
        return f"Manual {self.update}: {len(self.items)} of your documents to check"

    @property
    def body(self) -> str:
        lines = [f"The procedures manual published its {self.update}. These documents you own are affected; "
                 "please check whether they need changing (NCT-14):"]
        for i in self.items:
            verb = {"updated": "was updated", "new": "is new", "removed": "was removed"}.get(i.change, "changed")
            rel = ("is the local document for" if i.how == "is the local document for"
                   else "links to or depends on")
            lines.append(f"- {i.ref} {i.title} {rel} \"{i.chapter_title}\", which {verb}"
                         + (f": {i.note}" if i.note else "."))
        return "\n".join(lines)

    def as_notice(self) -> Notice:
        return daily(person_id=self.person_id, subject=self.subject, body=self.body)


async def amendment_notices(services: Services, update: str | None = None) -> list[OwnerNotice]:
    """For one update of the manual (the latest by default): each owner, with their local
    documents that are, or depend on, a changed chapter. Documents with no owner at all go to the
    Policy and Procedures Officer(s)."""
    async with services.uow() as uow:
        label = update or await uow.manual.latest_update_label()
        if label is None:
            return []
        amendments = await uow.manual.amendments(label)
        if not amendments:
            raise NotFound(f"The manual index has no update called {label!r}.")
        rows = await uow.manual.light_rows()
        url_by_title = {same_title_key(r[2]): r[1] for r in rows}
        title_by_url = {r[1]: r[2] for r in rows}
        register = [d for d in await uow.documents.all()]
        by_url: dict[str, list[Any]] = {}
        by_title: dict[str, list[Any]] = {}
        for d in register:
            if d.manual_url:
                by_url.setdefault(d.manual_url, []).append(d)
            by_title.setdefault(same_title_key(d.title), []).append(d)
        ppos = await uow.people.with_role("ppo")

        found: dict[tuple[int, str], tuple[DocumentRow, AffectedDocument]] = {}
        for a in amendments:
            curl = a.url or url_by_title.get(same_title_key(a.title))
            direct = list(by_url.get(curl, [])) if curl else []
            direct += [d for d in by_title.get(same_title_key(a.title), []) if d not in direct]
            for d in direct:
                found.setdefault((d.id, a.title), (d, AffectedDocument(d.ref, d.title, a.title, curl,
                                                                        "is the local document for", a.kind, a.note)))
            if not curl:
                continue
            for _cid, xurl, xtitle, *_rest, xlinks in rows:
                if curl not in (xlinks or []) or xurl == curl:
                    continue
                for d in by_url.get(xurl, []) + [d for d in by_title.get(same_title_key(xtitle), [])
                                                 if d.manual_url != xurl]:
                    found.setdefault((d.id, a.title), (d, AffectedDocument(
                        d.ref, d.title, a.title, curl, "depends on", a.kind,
                        (a.note + " " if a.note else "") + f"(its chapter \"{title_by_url.get(xurl, xtitle)}\" links there)")))

        per_owner: dict[str, tuple[PersonRow, list[AffectedDocument]]] = {}
        for d, item in found.values():
            if d.status == "retired":
                continue
            person = d.ro or d.rsm
            targets = [person] if person else ppos
            for p in targets:
                per_owner.setdefault(p.id, (p, []))[1].append(item)
        notices = []
        for pid, (p, items) in sorted(per_owner.items()):
            items.sort(key=lambda i: (i.how != "is the local document for", i.ref, i.chapter_title))
            notices.append(OwnerNotice(pid, p.name, p.email, label, tuple(items)))
        return notices
