"""A small ranked word search over the register (the manual index replaces it at scale).

Pure: tokenising, light stemming and scoring. No I/O.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable

_WORD = re.compile(r"[a-z0-9]+")
STOPWORDS = frozenset(
    "a an and any are as at be by do does for from have how i in is it of on or our the there this to we what"
    " when where which who with you your procedure procedures policy policies document documents guidance"
    " anything something about already got".split()
)


def stem(word: str) -> str:
    """Fold simple English plurals and endings so 'children'~'child', 'missing'~'miss'."""
    irregular = {"children": "child", "people": "person", "women": "woman", "men": "man"}
    if word in irregular:
        return irregular[word]
    for suffix, repl in (("ies", "y"), ("sses", "ss"), ("ing", ""), ("es", "e"), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith("ss"):
                continue
            return word[: -len(suffix)] + repl
    return word


def terms(text: str, *, keep_stopwords: bool = False) -> list[str]:
    words = _WORD.findall(text.lower())
    return [stem(w) for w in words if keep_stopwords or w not in STOPWORDS]


def score(query_terms: Iterable[str], title: str, body: str = "") -> tuple[float, tuple[str, ...]]:
    """Title matches weigh three times body matches; every query term must match somewhere
    for a full score, partial matches score lower."""
    q = list(dict.fromkeys(query_terms))
    if not q:
        return 0.0, ()
    title_terms = _term_set(title)
    body_terms = _term_set(body)
    total = 0.0
    matched: list[str] = []
    for t in q:
        if t in title_terms:
            total += 3.0
            matched.append(t)
        elif t in body_terms:
            total += 1.0
            matched.append(t)
    coverage = len(matched) / len(q)
    return total * coverage, tuple(matched)


@lru_cache(maxsize=20_000)
def _term_set(text: str) -> frozenset[str]:
    """Document texts change rarely and are scored on every search: remember their terms."""
    return frozenset(terms(text, keep_stopwords=True))
