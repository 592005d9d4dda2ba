"""The answer index: every chapter of the manual and every register document as passages
(paragraphs and list items, each carrying its chapter's title and section and the heading it
sits under), ranked with BM25 and the social-care vocabulary. Pure and in memory: built once
from the database at start and changed one chapter at a time (services/manual/answers.py).

A question becomes concepts (services/manual/search.parse_query): a vocabulary group is one
concept whose alternatives are its acronyms and synonyms, scored by its best alternative; a
multi-word alternative counts only where all its words are. Words are folded to UK spelling and
light-stemmed on both sides. A passage's score weighs its heading and its chapter's title above
its text; a chapter's score is its best passage's plus its own (title, section, whole text).
Coverage (the share of the question's concepts, weighted by rarity) tells a good answer from a
weak one.
"""

from __future__ import annotations

import re
from array import array
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from services.manual.bm25 import Bm25
from services.manual.words import stem
from services.ports import ManualPassage

if TYPE_CHECKING:
    import numpy as np

TITLE_IN_PASSAGE = 1.5
HEADING_IN_PASSAGE = 1.5
TITLE_IN_CHAPTER = 3.0
SECTION_IN_CHAPTER = 0.5
CHAPTER_SHARE = 1.0
TITLE_SAID = 0.5  # added for the share of a title's words the question holds  # the chapter's own score against its best passage's (both scaled to the best)
SHORTLIST = 80  # chapters whose passages are scored (the best by the chapters' own scores)
GOOD = 0.66  # a passage answers when it holds this share of the question (weighted)
NEAR = 0.5  # a chapter is worth showing when it holds this share
GENERIC_HEADINGS = frozenset({"scope of this chapter", "scope", "introduction", "procedure", "related chapters"})

# Words that carry no topic, kept out of the index (a phrase's other words must still all be there).
FUNCTION_WORDS = frozenset(
    "a an and are as at be been by do does for from has have in into is it its of on or so than that the their them "
    "then there these they this those to was were will with".split()
)

_WORD = re.compile(r"[a-z0-9]+")

# UK spelling for the US forms practitioners (and their phones) type.
_US_UK = {
    "behavior": "behaviour", "behaviors": "behaviours", "behavioral": "behavioural", "color": "colour",
    "center": "centre", "centers": "centres", "program": "programme", "programs": "programmes",
    "judgment": "judgement", "pediatric": "paediatric", "fetal": "foetal", "defense": "defence",
    "enrollment": "enrolment", "fulfill": "fulfil", "aging": "ageing", "counselor": "counsellor",
    "counseling": "counselling", "favor": "favour", "neighbor": "neighbour", "neighborhood": "neighbourhood",
    "labor": "labour", "honor": "honour", "offense": "offence", "practicing": "practising", "traveling": "travelling",
    "canceled": "cancelled", "modeling": "modelling", "dialog": "dialogue", "catalog": "catalogue", "mom": "mum",
    "moms": "mums", "diarrhea": "diarrhoea", "anemia": "anaemia", "estrogen": "oestrogen", "gray": "grey",
    "mold": "mould", "percent": "per cent", "toward": "towards", "analyze": "analyse", "paralyze": "paralyse",
}
_IZE = re.compile(r"^([a-z]{3,})iz(e|es|ed|ing|ation|ations)$")
_NOT_IZE = frozenset({"size", "sizes", "sized", "prize", "prizes", "seize", "seized", "seizes", "capsize"})


_NUMBERS = {w: str(n) for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}


@lru_cache(maxsize=200_000)
def term(word: str) -> str:
    """The index's form of a word: UK spelling, numbers as digits, then a light stem that folds
    plurals and -ed/-ing/-e endings ('organizations' -> 'organisation', 'disputed' = 'dispute',
    'planning' = 'plan', 'four' = '4')."""
    word = _NUMBERS.get(word, _US_UK.get(word, word))
    if word not in _NOT_IZE and (m := _IZE.match(word)):
        word = f"{m.group(1)}is{m.group(2)}"
    base = stem(word)
    suffix = word.endswith("ing") and base != word
    if len(base) >= 9 and base.endswith("ation"):
        base = base[:-5]  # deprivation = deprived, allegation = alleged
    if len(base) >= 6 and base.endswith("ed"):
        base, suffix = base[:-2], True
    if suffix and len(base) >= 4 and base[-1] == base[-2] and base[-1] not in "sl":
        base = base[:-1]  # planned, planning -> plan
    if len(base) >= 6 and base.endswith("e"):
        base = base[:-1]
    return base


def words(text: str) -> list[str]:
    text = text.lower().replace("\u2019", "'")
    text = re.sub(r"'s\b", "", text)
    text = re.sub(r"\bs\.?\s?(\d{1,3})\b", r"s\1", text)  # s.47, s 47 -> s47
    return _WORD.findall(text)


def terms_of(text: str) -> list[str]:
    return [term(w) for w in words(text) if w not in FUNCTION_WORDS]


@dataclass(frozen=True)
class Source:
    """One chapter or register document as the index holds it."""

    key: tuple[str, int]  # ("chapter", id) | ("document", id)
    title: str
    section: str | None
    url: str | None
    updated_on: date | None
    version: str  # content hash: a new one re-indexes it
    passages: tuple[ManualPassage, ...]
    ref: str | None = None  # a register document's reference
    adapts: str | None = None  # a register document's manual chapter (its manual link)


@dataclass(frozen=True)
class Hit:
    source: Source
    score: float
    coverage: float  # share of the question the whole chapter holds
    passage: ManualPassage | None  # its best passage
    passage_coverage: float
    passage_no: int = -1


@dataclass
class _Unit:
    source: Source
    number: int  # in the chapters' BM25
    passages: list[int] = field(default_factory=list)  # numbers in the passages' BM25
    title_terms: frozenset[str] = frozenset()


Concepts = list[list[tuple[str, ...]]]  # each concept: its alternatives, each a tuple of terms


class AnswerIndex:
    def __init__(self) -> None:
        self.passages = Bm25()
        self.chapters = Bm25()
        self._unit_of_passage = array("i")
        self._passage_at: list[tuple[int, int]] = []  # passage number -> (unit number, passage position)
        self._units: list[_Unit | None] = []
        self._by_key: dict[tuple[str, int], int] = {}
        self.word_counts: Counter[str] = Counter()
        self.generation = 0  # counts changes (the typo corrector's word list follows it)

    # ------------------------------------------------------------------ keeping it current

    def versions(self, kind: str) -> dict[int, str]:
        return {k[1]: u.source.version for k, n in self._by_key.items() if k[0] == kind and (u := self._units[n])}

    def put(self, source: Source) -> None:
        """Index a chapter or document, replacing its previous version."""
        self.drop(source.key)
        title_terms = [(t, TITLE_IN_PASSAGE) for t in terms_of(source.title)]
        unit_no = len(self._units)
        chapter_terms = [(t, TITLE_IN_CHAPTER) for t in terms_of(source.title)]
        chapter_terms += [(t, SECTION_IN_CHAPTER) for t in terms_of(source.section or "")]
        unit = _Unit(source, -1, title_terms=frozenset(terms_of(source.title)))
        for pos, p in enumerate(source.passages):
            body = terms_of(p.text)
            heading = [] if (p.heading or "").lower() in GENERIC_HEADINGS else terms_of(p.heading or "")
            n = self.passages.add([(t, 1.0) for t in body] + [(t, HEADING_IN_PASSAGE) for t in heading] + title_terms)
            self._unit_of_passage.append(unit_no)
            self._passage_at.append((unit_no, pos))
            unit.passages.append(n)
            chapter_terms += [(t, 1.0) for t in body]
        unit.number = self.chapters.add(chapter_terms)
        self._units.append(unit)
        self._by_key[source.key] = unit_no
        self.word_counts.update(self._raw_words(source))
        self.generation += 1

    def drop(self, key: tuple[str, int]) -> None:
        unit_no = self._by_key.pop(key, None)
        if unit_no is None:
            return
        unit = self._units[unit_no]
        self._units[unit_no] = None
        if unit is None:
            return
        for n in unit.passages:
            self.passages.remove(n)
        self.chapters.remove(unit.number)
        self.word_counts.subtract(self._raw_words(unit.source))
        self.generation += 1

    @staticmethod
    def _raw_words(source: Source) -> Counter[str]:
        text = " ".join([source.title, source.section or ""] + [p.text for p in source.passages])
        return Counter(words(text))

    def __len__(self) -> int:
        return len(self._by_key)

    def passage_count(self) -> int:
        return self.passages.live

    def nbytes(self) -> int:
        return self.passages.nbytes() + self.chapters.nbytes() + len(self._unit_of_passage) * 4

    def needs_compacting(self) -> bool:
        return self.passages.needs_compacting() or self.chapters.needs_compacting()

    def sources(self) -> list[Source]:
        return [u.source for u in self._units if u is not None]

    def source(self, key: tuple[str, int]) -> Source | None:
        n = self._by_key.get(key)
        unit = self._units[n] if n is not None else None
        return unit.source if unit else None

    def _live(self, unit_no: int) -> _Unit:
        """The unit a chapter score points at: a dropped unit's chapter is removed from the chapters'
        BM25 (`drop`), which scores live documents only, so a scored chapter's unit is never None."""
        unit = self._units[unit_no]
        assert unit is not None, f"chapter {unit_no} scored after it was dropped"
        return unit

    # ------------------------------------------------------------------ kept and read back (services/manual/index_file.py)

    def state(self) -> tuple[dict[str, Any], dict[str, bytes]]:
        """The whole index as JSON-able data and raw arrays: its sources, and both BM25s as built."""
        units = [None if u is None else [_source_state(u.source), u.number, u.passages[0] if u.passages else -1,
                                         len(u.passages)] for u in self._units]
        p_meta, p_arrays = self.passages.state()
        c_meta, c_arrays = self.chapters.state()
        at = array("i", (pos for _unit, pos in self._passage_at))
        meta = {"units": units, "passages": p_meta, "chapters": c_meta, "words": dict(self.word_counts),
                "generation": self.generation}
        arrays = {**{f"p.{k}": v for k, v in p_arrays.items()}, **{f"c.{k}": v for k, v in c_arrays.items()},
                  "unit_of_passage": self._unit_of_passage.tobytes(), "passage_pos": at.tobytes()}
        return meta, arrays

    @classmethod
    def from_state(cls, meta: dict[str, Any], arrays: dict[str, bytes]) -> AnswerIndex:
        index = cls()
        index.passages = Bm25.from_state(meta["passages"], {k[2:]: v for k, v in arrays.items() if k.startswith("p.")})
        index.chapters = Bm25.from_state(meta["chapters"], {k[2:]: v for k, v in arrays.items() if k.startswith("c.")})
        index._unit_of_passage.frombytes(arrays["unit_of_passage"])
        positions = array("i")
        positions.frombytes(arrays["passage_pos"])
        index._passage_at = list(zip(index._unit_of_passage.tolist(), positions.tolist(), strict=True))
        for unit_no, row in enumerate(meta["units"]):
            if row is None:
                index._units.append(None)
                continue
            source = _source_from(row[0])
            first, count = int(row[2]), int(row[3])
            index._units.append(_Unit(source, int(row[1]), list(range(first, first + count)),
                                      frozenset(terms_of(source.title))))
            index._by_key[source.key] = unit_no
        index.word_counts = Counter({str(w): int(n) for w, n in meta["words"].items()})
        index.generation = int(meta["generation"])
        if len(index._passage_at) != index.passages.size or len(index._units) != index.chapters.size:
            raise ValueError("the kept index is not whole")
        return index

    # ------------------------------------------------------------------ ranking

    def search(self, concepts: Concepts, limit: int = 8) -> list[Hit]:
        import numpy as np  # loaded with the first question, not at start (issue 22 item 8: ~11 MB)

        concepts = [alts for alts in concepts if alts]
        if not concepts or not len(self):
            return []
        # A concept weighs as its most informative alternative (a phrase's words added, at most as much as
        # the rarest word can be); a word the index has never seen weighs as a rare word.
        rarest = float(np.log(1.0 + self.chapters.live + 0.5))
        unknown = 0.6 * rarest
        weights = np.array([min(rarest, max((sum(self.chapters.idf(t) for t in alt) for alt in alts), default=0.0))
                            or unknown for alts in concepts], dtype=np.float32)
        if float(weights.sum()) <= 0:
            return []
        weights /= weights.sum()
        # 1. Chapters (one vector each per concept; chapters are numbered as they were added, so a unit's
        #    number is its chapter's number): those holding enough of the question, best first.
        c_vecs = _concept_vectors(self.chapters, concepts)
        c_score = np.sum(c_vecs, axis=0)
        c_cov = weights @ (c_vecs > 0).astype(np.float32)
        eligible = np.flatnonzero(c_cov >= NEAR - 1e-6)
        if eligible.size == 0:
            return []
        c_max = float(c_score.max()) or 1.0
        first = c_cov[eligible] + CHAPTER_SHARE * c_score[eligible] / c_max
        asked = {t for alts in concepts for alt in alts for t in alt}
        if eligible.size > SHORTLIST:
            eligible = eligible[np.argpartition(-first, SHORTLIST - 1)[:SHORTLIST]]
        units = [self._live(n) for n in eligible.tolist()]
        # 2. The passages of the shortlisted chapters only (each chapter's passages are numbered together).
        within = np.zeros(self.passages.size, dtype=bool)
        for unit in units:
            if unit.passages:
                within[unit.passages[0]:unit.passages[-1] + 1] = True
        shortlist = np.flatnonzero(within)
        p_vecs = _concept_vectors(self.passages, concepts, within, shortlist)
        p_score = np.sum(p_vecs, axis=0)
        p_cov = weights @ (p_vecs > 0).astype(np.float32)
        p_rank = p_cov * 1000.0 + p_score  # the best passage: the most of the question, then the best score
        p_max = float(p_score.max()) if p_score.size else 1.0
        p_max = p_max or 1.0
        scored: list[tuple[float, int, int]] = []  # (combined, unit number, best passage's place in the shortlist)
        for unit_no, unit in zip(eligible.tolist(), units, strict=True):
            best, best_score = -1, 0.0
            if unit.passages:
                lo, hi = np.searchsorted(shortlist, (unit.passages[0], unit.passages[-1] + 1))
                if hi > lo:
                    best = int(lo + np.argmax(p_rank[lo:hi]))
                    best_score = float(p_score[lo:hi].max())
            title = unit.title_terms
            said = TITLE_SAID * len(title & asked) / len(title) if title else 0.0  # a title the question says
            combined = float(c_cov[unit_no]) + best_score / p_max + CHAPTER_SHARE * float(c_score[unit_no]) / c_max + said
            scored.append((combined, unit_no, best))
        scored.sort(key=lambda x: -x[0])
        hits: list[Hit] = []
        for combined, unit_no, best in scored[:limit]:
            unit = self._live(unit_no)
            if best >= 0 and p_score[best] > 0:
                pos = self._passage_at[int(shortlist[best])][1]
                passage, p_coverage = unit.source.passages[pos], float(p_cov[best])
            else:
                pos, passage, p_coverage = -1, None, 0.0
            hits.append(Hit(unit.source, combined, float(c_cov[unit_no]), passage, p_coverage, pos))
        return hits


def _source_state(s: Source) -> list[Any]:
    return [s.key[0], s.key[1], s.title, s.section, s.url, s.updated_on.isoformat() if s.updated_on else None, s.version,
            [p.to_json() for p in s.passages], s.ref, s.adapts]


def _source_from(row: list[Any]) -> Source:
    kind, item, title, section, url, updated_on, version, passages, ref, adapts = row
    return Source((str(kind), int(item)), title, section, url, date.fromisoformat(updated_on) if updated_on else None,
                  version, tuple(ManualPassage.from_json(p) for p in passages), ref, adapts)


def _concept_vectors(bm: Bm25, concepts: Concepts, within: np.ndarray | None = None,
                     places: np.ndarray | None = None) -> np.ndarray:
    """One score vector per concept: the best of its alternatives; an alternative of several words
    scores only where every word is. With `within` (a mask of documents) and `places` (their numbers,
    ascending), the vectors cover those documents only."""
    import numpy as np  # with the first question (see search)

    size = bm.size if places is None else len(places)
    cache: dict[str, np.ndarray] = {}

    def vec(t: str) -> np.ndarray:
        if t not in cache:
            ids, scores = bm.scores(t, within)
            v = np.zeros(size, dtype=np.float32)
            v[ids if places is None else np.searchsorted(places, ids)] = scores
            cache[t] = v
        return cache[t]

    out = np.zeros((len(concepts), size), dtype=np.float32)
    for i, alts in enumerate(concepts):
        for alt in alts:
            vs = [vec(t) for t in alt]
            if not vs:
                continue
            v = vs[0] if len(vs) == 1 else np.sum(vs, axis=0) * np.all([x > 0 for x in vs], axis=0)
            np.maximum(out[i], v, out=out[i])
    return out
