"""How a question is read for searching the manual and the register (the searching itself is the
answer index's: services/manual/answer_index.py, used by services/manual/answers.py for questions
and services/manual/covering.py for the check before a new document).

A query becomes concepts: social-care terms are recognised from vocabulary.yaml and expanded to
every synonym and acronym of their group (LAC = looked after = children in care); a misspelt word
is corrected to the likeliest word the index holds (`_closest`). The register's light rows
(`RegisterRow`) and the titles that name the same document (`same_title_key`) are here too.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

from services.manual.words import stem

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


def same_title_key(title: str) -> str:
    """Titles that name the same document: case, punctuation and a bracketed acronym aside
    ("Deprivation of Liberty Safeguards (DoLS)" = "Deprivation of Liberty Safeguards") and
    plurals ("Children in Need Plans" = "Child in Need Plan")."""
    title = re.sub(r"\([^)]*\)", " ", title.lower())
    return " ".join(stem(w) for w in _TOKEN.findall(title))
