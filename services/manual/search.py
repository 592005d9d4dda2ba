"""Search the procedures manual and the organisation's register together.

A query becomes concepts: social-care terms are recognised from services/vocabulary.yaml and
expanded to every synonym and acronym of their group (LAC = looked after = children in care),
misspelt words are corrected against the words the index holds (only when they have no hits),
and plurals are left to the index's stemmer (SQLite porter / PostgreSQL english). The index
(store/manual_search.py) returns hits with the concepts each matched: hits that match every
concept rank first, then by BM25 / cover density. A chapter and the register document that
points at it (manual link or same title) become one result, showing the local owner.
"""

from __future__ import annotations

from typing import Any
import math
import re
import weakref
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

from services.context import Services
from services.errors import BadInput
from services.manual.words import stem
from services.work import Work

VOCABULARY_FILE = Path(__file__).with_name("vocabulary.yaml")
MAX_QUERY_CHARS = 300

# Words that carry no topic in a practitioner's question.
STOPWORDS = frozenset(
    """a an and any are as at be been by can could do does doing for from get gets getting go goes going gone had
    has have how i if in into is it its me my need needs of on or our please should so some tell than that the
    their them then there these they this those to us was we went were what when where which who why will with
    would you your procedure procedures policy policies document documents guidance anything something about
    already got info information process happen happens happened know want look looking find search""".split()
)

_TOKEN = re.compile(r"[a-z0-9]+")


# --------------------------------------------------------------------------- vocabulary


@dataclass(frozen=True)
class Vocabulary:
    groups: tuple[tuple[str, ...], ...]  # each group's terms as written (first is the label)
    phrases: dict[tuple[str, ...], int]  # stemmed phrase -> group index
    longest: int

    def words(self) -> set[str]:
        return {w for g in self.groups for term in g for w in tokens(term)}


def tokens(text: str) -> list[str]:
    text = text.lower().replace("’", "'")
    text = re.sub(r"'s\b", "", text)
    text = re.sub(r"\bs\.?\s?(\d{1,3})\b", r"s\1", text)  # s.47, s 47 -> s47
    return _TOKEN.findall(text)


def _variants(term: str) -> list[tuple[str, ...]]:
    """How a term may be written in the manual: 's47' also as 's 47' (S.47)."""
    words = tuple(tokens(term))
    out = [words]
    if len(words) == 1 and (m := re.fullmatch(r"s(\d{1,3})", words[0])):
        out.append(("s", m.group(1)))
    return out


def load_vocabulary(path: Path = VOCABULARY_FILE) -> Vocabulary:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    groups_raw = data.get("groups") if isinstance(data, dict) else None
    if not isinstance(groups_raw, list):
        raise ValueError(f"{path}: expected 'groups:' with a list of term lists")
    groups: list[tuple[str, ...]] = []
    phrases: dict[tuple[str, ...], int] = {}
    for n, group in enumerate(groups_raw, start=1):
        if not isinstance(group, list) or len(group) < 2 or not all(isinstance(t, str) and tokens(t) for t in group):
            raise ValueError(f"{path}: group {n} must list at least two terms, got {group!r}")
        index = len(groups)
        groups.append(tuple(group))
        for term in group:
            key = tuple(stem(w) for w in tokens(term))
            phrases.setdefault(key, index)
    return Vocabulary(tuple(groups), phrases, max(len(p) for p in phrases))


@lru_cache(maxsize=1)
def default_vocabulary() -> Vocabulary:
    return load_vocabulary()


# --------------------------------------------------------------------------- query parsing


@dataclass(frozen=True)
class Concept:
    label: str  # what the person said (or the correction)
    phrases: tuple[tuple[str, ...], ...]  # alternatives searched for
    group: int | None = None  # vocabulary group, when expanded


@dataclass(frozen=True)
class ParsedQuery:
    concepts: tuple[Concept, ...]
    corrections: tuple[tuple[str, str], ...] = ()  # (said, corrected)

    @property
    def expansions(self) -> tuple[str, ...]:
        return tuple(c.label for c in self.concepts if c.group is not None)


def parse_query(words: list[str], vocab: Vocabulary) -> list[Concept]:
    """Vocabulary phrases (longest first) become synonym groups; other words stand alone."""
    stemmed = [stem(w) for w in words]
    concepts: list[Concept] = []
    seen_groups: set[int] = set()
    seen_words: set[str] = set()
    i = 0
    while i < len(words):
        for length in range(min(vocab.longest, len(words) - i), 0, -1):
            group = vocab.phrases.get(tuple(stemmed[i:i + length]))
            if group is None:
                continue
            # A lone stopword ("in", "a") never starts a group by itself.
            if length == 1 and words[i] in STOPWORDS:
                continue
            if group not in seen_groups:
                seen_groups.add(group)
                alts: list[tuple[str, ...]] = []
                for term in vocab.groups[group]:
                    for v in _variants(term):
                        if v not in alts:
                            alts.append(v)
                concepts.append(Concept(" ".join(words[i:i + length]), tuple(alts), group))
            i += length
            break
        else:
            w = words[i]
            if w not in STOPWORDS and w not in seen_words and (len(w) > 1 or w.isdigit()):
                seen_words.add(w)
                concepts.append(Concept(w, ((w,),)))
            i += 1
    return concepts


# --------------------------------------------------------------------------- the index's words

_vocab_cache: weakref.WeakKeyDictionary[object, tuple[tuple[Any, ...], dict[str, int], dict[str, list[str]]]] = weakref.WeakKeyDictionary()


async def _index_words(uow: Work, store: object) -> tuple[dict[str, int], dict[str, list[str]]]:
    """Every word in the manual and register with its frequency, and the words by first letter.
    Built once per change of the index (cache keyed by the index's generation)."""
    generation = await uow.manual.generation()
    cached = _vocab_cache.get(store)
    if cached and cached[0] == generation:
        return cached[1], cached[2]
    counts: dict[str, int] = {}
    texts = [" ".join(x for x in row if x) for row in await uow.manual.texts()]
    texts += [f"{title} {body}" for _id, title, body in await uow.documents.search_rows()]
    for t in texts:
        for w in _TOKEN.findall(t.lower()):
            counts[w] = counts.get(w, 0) + 1
    for w in default_vocabulary().words():
        counts[w] = counts.get(w, 0) + 1
    by_letter: dict[str, list[str]] = {}
    for w in counts:
        if len(w) >= 4 and not w.isdigit():
            by_letter.setdefault(w[0], []).append(w)
    _vocab_cache[store] = (generation, counts, by_letter)
    return counts, by_letter


def _closest(word: str, counts: dict[str, int], by_letter: dict[str, list[str]]) -> str | None:
    """The likeliest intended word: same first letter, similar spelling, the commoner when tied."""
    candidates = [w for w in by_letter.get(word[0], []) if abs(len(w) - len(word)) <= 2]
    if not candidates:
        return None
    best = process.extract(word, candidates, scorer=fuzz.ratio, score_cutoff=80, limit=5)
    if not best:
        return None
    return max(best, key=lambda m: (round(m[1]), math.log1p(counts.get(m[0], 0))))[0]


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class SearchResult:
    kind: str  # chapter | document
    title: str
    section: str | None
    snippet: str
    url: str | None
    updated_on: date | None
    owner: str | None  # the local owner (RO, or the RSM standing in: NCT-1)
    owner_id: str | None
    ref: str | None  # register reference when the register holds it
    doc_type: str | None
    coverage: float  # share of the query's concepts it matched
    score: float


@dataclass(frozen=True)
class SearchOutcome:
    query: str
    results: tuple[SearchResult, ...]
    good: bool  # at least one result matches the question well
    corrections: tuple[tuple[str, str], ...] = ()
    expansions: tuple[str, ...] = ()
    concepts: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class RegisterRow:
    id: int
    ref: str
    title: str
    doc_type: str | None
    category: str | None
    service_area: str | None
    summary: str | None
    manual_url: str | None
    last_reviewed_on: date | None
    ro_id: str | None
    ro_name: str | None
    rsm_id: str | None
    rsm_name: str | None

    @property
    def owner(self) -> tuple[str | None, str | None]:
        """(name, id) of the local owner: the RO, or the RSM standing in when none is named (NCT-1)."""
        if self.ro_id:
            return self.ro_name, self.ro_id
        if self.rsm_id:
            return self.rsm_name, self.rsm_id
        return None, None


GOOD_COVERAGE = 2 / 3


async def search(services: Services, query: str, *, limit: int = 8) -> SearchOutcome:
    """Ranked results from the manual and the register. `good` is False when nothing matches
    the question well (the caller then says so and offers to request a new document)."""
    query = (query or "").strip()
    if len(query) > MAX_QUERY_CHARS:
        raise BadInput(f"That search is too long: please use fewer than {MAX_QUERY_CHARS} characters.")
    words = tokens(query)
    vocab = default_vocabulary()
    async with services.uow() as uow:
        counts, by_letter = await _index_words(uow, services.uow)
        corrections: list[tuple[str, str]] = []
        fixed: list[str] = []
        for w in words:
            if (w in STOPWORDS or w.isdigit() or len(w) < 4 or w in counts
                    or tuple([stem(w)]) in vocab.phrases or await uow.manual.index.has_hits((w,))):
                fixed.append(w)
                continue
            better = _closest(w, counts, by_letter)
            if better and better != w:
                corrections.append((w, better))
                fixed.append(better)
            else:
                fixed.append(w)
        concepts = parse_query(fixed, vocab)
        if not concepts:
            return SearchOutcome(query, (), False, tuple(corrections))
        phrase_sets = [list(c.phrases) for c in concepts]
        hits = await uow.manual.index.search(phrase_sets, limit=limit * 3, require_all=True) if len(concepts) > 1 else []
        if len(hits) < limit * 3:
            seen = {(h.kind, h.item_id) for h in hits}
            hits += [h for h in await uow.manual.index.search(phrase_sets, limit=limit * 5) if (h.kind, h.item_id) not in seen]
        n = len(concepts)
        ranked = sorted(hits, key=lambda h: (-sum(h.matched), -sum(h.in_title), -h.rank))

        chapters = {c.id: c for c in await uow.manual.by_ids([h.item_id for h in ranked if h.kind == "chapter"])}
        register = [RegisterRow(*row) for row in await uow.manual.register_rows()]
    docs = {d.id: d for d in register}
    by_url: dict[str, RegisterRow] = {}
    by_title: dict[str, RegisterRow] = {}
    for d in register:
        if d.manual_url:
            by_url.setdefault(d.manual_url, d)
        by_title.setdefault(same_title_key(d.title), d)
    chapter_urls = {c.url for c in chapters.values()}
    chapter_titles = {same_title_key(c.title) for c in chapters.values()}

    results: list[SearchResult] = []
    for h in ranked:
        coverage = sum(h.matched) / n
        if h.kind == "chapter" and h.item_id in chapters:
            c = chapters[h.item_id]
            local = by_url.get(c.url) or by_title.get(same_title_key(c.title))
            owner, owner_id = local.owner if local else (None, None)
            results.append(SearchResult("chapter", c.title, c.section, _tidy(h.snippet), c.url, c.updated_on,
                                        owner, owner_id, local.ref if local else None,
                                        local.doc_type if local else None, coverage, h.rank))
        elif h.kind == "document" and h.item_id in docs:  # retired documents are not in the rows
            d = docs[h.item_id]
            if (d.manual_url and d.manual_url in chapter_urls) or same_title_key(d.title) in chapter_titles:
                continue  # shown with its chapter
            owner, owner_id = d.owner
            results.append(SearchResult("document", d.title, d.category or d.service_area,
                                        _tidy(h.snippet) or (d.summary or ""), d.manual_url,
                                        d.last_reviewed_on, owner, owner_id, d.ref, d.doc_type, coverage, h.rank))
    best = max((r.coverage for r in results), default=0.0)
    good = best >= GOOD_COVERAGE - 1e-9
    # Weak partial matches only pad the list when nothing better exists.
    floor = GOOD_COVERAGE if good else 0.5
    shown = [r for r in results if r.coverage >= floor - 1e-9][:limit]
    return SearchOutcome(query, tuple(shown), good, tuple(corrections),
                         tuple(c.label for c in concepts if c.group is not None), tuple(c.label for c in concepts))


def same_title_key(title: str) -> str:
    """Titles that name the same document: case, punctuation and a bracketed acronym aside
    ("Deprivation of Liberty Safeguards (DoLS)" = "Deprivation of Liberty Safeguards") and
    plurals ("Children in Need Plans" = "Child in Need Plan")."""
    title = re.sub(r"\([^)]*\)", " ", title.lower())
    return " ".join(stem(w) for w in _TOKEN.findall(title))


def _tidy(snippet: str) -> str:
    return re.sub(r"\s+", " ", snippet or "").strip()
