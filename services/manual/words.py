"""Words for searching: tokenising and light stemming, shared by the full-text search's query
handling and the request dialog's check-first. Pure, no I/O."""

from __future__ import annotations

import re

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


def _term_set(text: str) -> frozenset[str]:
    """Document texts change rarely and are scored on every search: remember their terms."""
    return frozenset(terms(text, keep_stopwords=True))
