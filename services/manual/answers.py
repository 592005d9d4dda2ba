"""Answers from the manual (issue 16): the passage that answers a question, its citation, and the
record of what was asked, for the demand report.

The answer index (services/manual/answer_index.py) is held in memory, one per database: built at
start (`warm`), and before each search brought up to date cheaply. When the last sync run or the
register changed, only the chapters whose content hash changed are read again and re-indexed,
and chapters the sync removed leave the index, so an answer never cites them.
"""

from __future__ import annotations

import asyncio
import gc
import hashlib
import time
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from rapidfuzz import fuzz

from services.context import Services
from services.errors import BadInput
from services.manual import index_file
from services.manual import quote as quoting
from services.manual.answer_index import GOOD, AnswerIndex, Concepts, Hit, Source, term, words
from services.manual.search import (
    MAX_QUERY_CHARS,
    STOPWORDS,
    Concept,
    RegisterRow,
    _closest,
    default_vocabulary,
    parse_query,
    same_title_key,
)
from services.ports import ChapterIndexRow, ManualGeneration, ManualPassage
from services.work import Work

MORE = 5  # "more" shows the next five
CHECK_EVERY = 2.0  # seconds between looks at the database for a sync or register change (another process's)
FIRST = 3  # the answer, then two more chapters
CORRECT_AT = 85  # how alike a misspelt word and its correction must be (rapidfuzz ratio)
# Words of a question that say nothing of its topic, on top of the search's own stopwords.
QUESTION_WORDS = frozenset(
    "whats come comes coming gets got happens happen needed anyone someone tell told say says said make making made "
    "like mean means own counts count often long soon much many difference differences between versus vs".split())


@dataclass(frozen=True)
class Cited:
    """One chapter (or register document) in an answer."""

    kind: str  # chapter | document
    title: str
    section: str | None
    url: str | None  # the heading's anchor when the passage has one
    updated_on: date | None
    owner: str | None
    owner_id: str | None
    ref: str | None
    doc_type: str | None
    coverage: float
    heading: str | None = None
    local: Cited | None = None  # the organisation's own document that adapts this chapter


@dataclass(frozen=True)
class AnswerOutcome:
    question: str
    kind: str  # answered | weak | nothing
    quote: str | None  # two to five sentences of the manual, matched words in **bold**
    cited: tuple[Cited, ...]  # best first (the quote is from the first)
    corrections: tuple[tuple[str, str], ...] = ()
    topic: str = ""
    answer_id: int | None = None
    concepts: tuple[str, ...] = field(default_factory=tuple)

    @property
    def good(self) -> bool:
        return self.kind == "answered"


# --------------------------------------------------------------------------- the index, kept current

class _Held:
    def __init__(self) -> None:
        self.index = AnswerIndex()
        self.generation: ManualGeneration | None = None
        self.register: list[RegisterRow] = []
        self.lock = asyncio.Lock()
        self.by_letter: tuple[int, dict[str, list[str]]] = (-1, {})
        self.checked = 0.0  # time.monotonic() of the last look at the database
        self.drafts: dict[int, tuple[str, str, list[str]]] = {}
        self.titles: dict[tuple[str, int], frozenset[str]] = {}  # each chapter's title words
        self.holding: dict[str, set[tuple[str, int]]] = {}  # a title word -> the chapters whose title has it
        self.chapter_urls: dict[str, tuple[str, int]] = {}
        self.last_refresh: tuple[frozenset[int], frozenset[int]] = (frozenset(), frozenset())  # chapters (re-indexed, dropped)
        self.by_url: dict[str, RegisterRow] = {}
        self.by_title: dict[str, RegisterRow] = {}
        self.local_of: dict[tuple[str, int], RegisterRow] = {}
        self.adapts: dict[int, tuple[str, int]] = {}
        self.kept: int | None = None  # the index's generation when it was read from or kept in the database

    def keep(self, register: list[RegisterRow]) -> None:
        """The register, and which chapter each of its documents adapts: by its manual link, or a title
        that says the same (one title's words within the other's, at least two of them)."""
        self.register = register
        self.by_url, self.by_title = {}, {}
        self.local_of = {}
        self.adapts = {}
        for d in register:
            key = self.chapter_urls.get(d.manual_url or "")
            if key is None:
                key = self._same_subject(frozenset(same_title_key(d.title).split()))
            if key is not None:
                self.adapts[d.id] = key
                self.local_of.setdefault(key, d)


    def title_changed(self, source: Source | None, key: tuple[str, int]) -> None:
        """Keep the chapters' title words (and who holds each word) as chapters come and go."""
        old = self.titles.pop(key, None)
        for w in old or ():
            self.holding[w].discard(key)
        self.chapter_urls = {u: k for u, k in self.chapter_urls.items() if k != key} if old is not None else self.chapter_urls
        if source is not None:
            words = frozenset(same_title_key(source.title).split())
            self.titles[key] = words
            for w in words:
                self.holding.setdefault(w, set()).add(key)
            if source.url:
                self.chapter_urls[source.url] = key

    def _same_subject(self, mine: frozenset[str]) -> tuple[str, int] | None:
        """The chapter whose title says the same as a document's: one's words within the other's, at
        least two words shared; the closest such title wins."""
        if not mine:
            return None
        counts: dict[tuple[str, int], int] = {}
        for w in mine:
            for k in self.holding.get(w, ()):
                counts[k] = counts.get(k, 0) + 1
        near = []
        for k, shared in counts.items():
            t = self.titles[k]
            if shared >= min(2, len(mine)) and (shared == len(mine) or shared == len(t)):
                near.append((shared / len(mine | t), k))
        return max(near)[1] if near else None


_held: weakref.WeakKeyDictionary[object, _Held] = weakref.WeakKeyDictionary()


def _chapter_source(row: ChapterIndexRow) -> Source:
    cid, url, title, section, updated_on, version, passages, text = row
    if passages:
        items = tuple(ManualPassage.from_json(p) for p in passages)
    else:  # indexed before passages were kept: one passage per line of its text
        items = tuple(ManualPassage("p", line) for line in (text or "").split("\n") if len(line) >= 25)
    return Source(("chapter", cid), title, section, url, updated_on, version, items)


def _document_source(d: RegisterRow, draft: tuple[str, str, list[str]] | None = None) -> Source:
    """A register document: its summary, and the paragraphs of its latest stored draft (labelled so)."""
    passages = tuple(ManualPassage("p", line.strip()) for line in (d.summary or "").split("\n") if line.strip())
    if draft:
        sha, filename, paragraphs = draft
        heading = f"Latest draft ({filename})"
        passages += tuple(ManualPassage("p", p, heading) for p in paragraphs if len(p) >= 25)
    fields = "\n".join(str(x) for x in (d.ref, d.title, d.doc_type, d.category, d.service_area, d.summary, d.manual_url,
                                        draft[0] if draft else ""))
    return Source(("document", d.id), d.title, d.category or d.service_area, d.manual_url, d.last_reviewed_on,
                  hashlib.sha256(fields.encode()).hexdigest(), passages or (ManualPassage("p", d.title),), d.ref, d.manual_url)


def changed(services: Services) -> None:
    """A sync or a register change in this process: look at the database before the next answer."""
    held = _held.get(services.uow)
    if held is not None:
        held.checked = 0.0


async def current_index(services: Services) -> _Held:
    """The answer index, brought up to date with the database (re-reading only what changed).
    The database is asked at most every CHECK_EVERY seconds, or at once after `changed`."""
    held = _held.get(services.uow)
    if held is None:
        held = _held.setdefault(services.uow, _Held())
    if held.generation is not None and time.monotonic() - held.checked < CHECK_EVERY:
        return held
    async with held.lock:
        async with services.uow() as uow:
            generation = await uow.manual.generation()
            held.checked = time.monotonic()
            if generation == held.generation:
                return held
            if held.generation is None and not len(held.index) and (kept := await index_file.read_kept(services)):
                _take_kept(held, *kept)
            index = held.index
            versions = await uow.manual.versions()
            have = index.versions("chapter")
            dropped = set(have) - set(versions)
            for gone in dropped:
                index.drop(("chapter", gone))
                held.title_changed(None, ("chapter", gone))
            changed = [cid for cid, v in versions.items() if have.get(cid) != v]
            for row in await uow.manual.for_index(changed if have else None):
                source = _chapter_source(row)
                index.put(source)
                held.title_changed(source, source.key)
            held.last_refresh = (frozenset(changed), frozenset(dropped))
            register = [RegisterRow(*row) for row in await uow.manual.register_rows()]
            drafts = await _draft_texts(services, uow, held)
        docs = {d.id: _document_source(d, drafts.get(d.id)) for d in register}
        have_docs = index.versions("document")
        for gone in set(have_docs) - set(docs):
            index.drop(("document", gone))
        for did, src in docs.items():
            if have_docs.get(did) != src.version:
                index.put(src)
        held.generation = generation
        held.keep(register)
        return held


def _take_kept(held: _Held, index: AnswerIndex, drafts: dict[int, tuple[str, str, list[str]]]) -> None:
    held.index, held.drafts, held.kept = index, drafts, index.generation
    for source in index.sources():
        if source.key[0] == "chapter":
            held.title_changed(source, source.key)


async def _draft_texts(services: Services, uow: Work, held: _Held) -> dict[int, tuple[str, str, list[str]]]:
    """{document id: (sha256, file name, paragraphs)} of each document's latest draft; a draft already
    read is not read again."""
    reader, files = services.adapters.get("docx"), services.adapters.get("files")
    if reader is None or files is None:
        return {}
    out: dict[int, tuple[str, str, list[str]]] = {}
    for doc_id, (_draft_id, sha, filename) in (await uow.cases.latest_drafts()).items():
        known = held.drafts.get(doc_id)
        if known is None or known[0] != sha:  # drafts are kept in the data folder by their SHA-256
            content = await asyncio.to_thread(files.read, sha) if files.exists(sha) else None
            known = (sha, filename, await asyncio.to_thread(reader.paragraphs, content) if content else [])
        out[doc_id] = known
    held.drafts = out
    return out


async def warm(services: Services) -> int:
    """Build the answer index now (at start), so the first question is answered at full speed: read
    as last kept and brought up to date, or built from the database; kept again when it changed."""
    gc.disable()  # millions of small objects are made and none is garbage: no collections meanwhile
    try:
        held = await current_index(services)
    finally:
        gc.enable()
    if held.kept != held.index.generation:
        await index_file.keep(services, held.index, held.drafts)
        held.kept = held.index.generation
    default_vocabulary()
    _by_letter(held)
    # The index is long-lived: keep the collector from walking its objects on every full collection.
    gc.collect()
    gc.freeze()
    return held.index.passage_count()


# --------------------------------------------------------------------------- a question answered

def _by_letter(held: _Held) -> dict[str, list[str]]:
    if held.by_letter[0] != held.index.generation:
        out: dict[str, list[str]] = {}
        for w, n in held.index.word_counts.items():
            if n > 0 and len(w) >= 4 and not w.isdigit():
                out.setdefault(w[0], []).append(w)
        held.by_letter = (held.index.generation, out)
    return held.by_letter[1]


def _corrected(services: Services, index: AnswerIndex, said: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
    vocab = default_vocabulary()
    counts = index.word_counts
    fixed: list[str] = []
    corrections: list[tuple[str, str]] = []
    for w in said:
        if (w in STOPWORDS or w.isdigit() or len(w) < 4 or counts.get(w, 0) > 0
                or (term(w),) in vocab.phrases or index.passages.df.get(term(w), 0) > 0):
            fixed.append(w)
            continue
        better = _closest(w, counts, _by_letter(_held[services.uow]))
        if better and fuzz.ratio(w, better) < CORRECT_AT:
            better = None  # 'counts' is not 'county
        if better and better != w:
            corrections.append((w, better))
            fixed.append(better)
        else:
            fixed.append(w)
    return fixed, corrections


def _topic(concepts: Sequence[Concept]) -> str:
    """What the question was about, for grouping: its vocabulary term, else its main words."""
    vocab = default_vocabulary()
    for c in concepts:
        if c.group is not None:
            return vocab.groups[c.group][0]
    return " ".join(sorted((c.label for c in concepts), key=lambda s: (-len(s), s))[:2]) or "?"


def understood(services: Services, held: _Held, question: str) -> tuple[list[Concept], Concepts, list[tuple[str, str]]]:
    """A question's concepts (typos corrected), each with its alternatives in the index's terms."""
    fixed, corrections = _corrected(services, held.index, words(question))
    concepts = [c for c in parse_query(fixed, default_vocabulary()) if c.group is not None or c.label not in QUESTION_WORDS]
    query = [[tuple(term(w) for w in alt if w not in _SMALL) for alt in c.phrases] for c in concepts]
    return concepts, [[alt for alt in dict.fromkeys(alts) if alt] for alts in query], corrections


async def find(services: Services, question: str, *, limit: int = FIRST + MORE, fresh: bool = False) -> AnswerOutcome:
    """The best passage and the chapters for a question (nothing recorded). `fresh`: look at the
    database for a sync or register change first, whenever it was last looked at."""
    if fresh:
        changed(services)
    question = " ".join((question or "").split())
    if len(question) > MAX_QUERY_CHARS:
        raise BadInput(f"That question is too long: please use fewer than {MAX_QUERY_CHARS} characters.")
    held = await current_index(services)
    concepts, query, corrections = understood(services, held, question)
    if not concepts:
        return AnswerOutcome(question, "nothing", None, (), tuple(corrections))
    hits = held.index.search(query, limit=limit * 2)
    pairs = _cite(hits, held)[:limit]
    cited = [c for c, _ in pairs]
    topic = _topic(concepts)
    labels = tuple(c.label for c in concepts)
    if not cited:
        return AnswerOutcome(question, "nothing", None, (), tuple(corrections), topic, concepts=labels)
    best = pairs[0][1]
    if best.passage is None or best.passage_coverage < GOOD:
        return AnswerOutcome(question, "weak", None, tuple(cited), tuple(corrections), topic, concepts=labels)
    wanted = frozenset(t for alts in query for alt in alts for t in alt)
    text = quoting.quote(best.source.passages, best.passage_no, wanted)
    first = cited[0]
    anchor = best.passage.anchor
    url = f"{first.url}#{anchor}" if anchor and first.url and best.source.key[0] == "chapter" else first.url
    cited[0] = Cited(first.kind, first.title, first.section, url, first.updated_on, first.owner, first.owner_id,
                     first.ref, first.doc_type, first.coverage, best.passage.heading, first.local)
    return AnswerOutcome(question, "answered", text, tuple(cited), tuple(corrections), topic, concepts=labels)


_SMALL = frozenset(("a", "an", "and", "the", "of", "in", "on", "to", "for", "with", "by", "at", "or"))


def _cite(hits: list[Hit], held: _Held) -> list[tuple[Cited, Hit]]:
    """Chapters with their local owner and the register document that adapts them (shown beside the
    chapter, not again on its own); register documents with no chapter in the results stand on their own."""
    docs = {d.id: d for d in held.register}
    shown = {h.source.key for h in hits if h.source.key[0] == "chapter"}
    out: list[tuple[Cited, Hit]] = []
    for h in hits:
        s = h.source
        if s.key[0] == "chapter":
            local = held.local_of.get(s.key)
            owner, owner_id = local.owner if local else (None, None)
            mine = _doc_cited(local, 0.0) if local else None
            out.append((Cited("chapter", s.title, s.section, s.url, s.updated_on, owner, owner_id,
                              local.ref if local else None, local.doc_type if local else None, h.coverage, local=mine), h))
        elif s.key[1] in docs and held.adapts.get(s.key[1]) not in shown:
            out.append((_doc_cited(docs[s.key[1]], h.coverage), h))
    return out


def _doc_cited(d: RegisterRow, coverage: float) -> Cited:
    owner, owner_id = d.owner
    return Cited("document", d.title, d.category or d.service_area, d.manual_url, d.last_reviewed_on, owner, owner_id,
                 d.ref, d.doc_type, coverage)


async def answer(services: Services, question: str, *, person_id: str | None = None, channel: str | None = None,
                 outcome: str | None = None) -> AnswerOutcome:
    """`find`, and the answer recorded (for the feedback buttons and the demand report). The index is
    checked against the database first, so an answer never cites a chapter a sync has removed,
    whichever process ran the sync."""
    found = await find(services, question, fresh=True)
    now = services.clock.now()
    async with services.uow() as uow:
        answer_id = await uow.answers.add(
            at=now, person_id=person_id, channel=(channel or "")[:32] or None, question=found.question[:300],
            topic=(found.topic or found.question)[:200], outcome=outcome or found.kind,
            chapter_url=found.cited[0].url if found.cited else None,
            chapter_title=found.cited[0].title[:300] if found.cited else None,
            closest=[c.title for c in found.cited[:3]])
        await uow.commit()
    return AnswerOutcome(found.question, found.kind, found.quote, found.cited, found.corrections, found.topic,
                         answer_id, found.concepts)
