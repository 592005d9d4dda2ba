"""The passage quoted in an answer: two to five sentences of the manual's own words, the words the
question matched in bold. Never rewritten: sentences are only chosen, never changed. Pure."""

from __future__ import annotations

import re
from collections.abc import Sequence

from services.manual.answer_index import FUNCTION_WORDS, term
from services.ports import ManualPassage

MIN_SENTENCES = 2
MAX_SENTENCES = 5
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")
_WORD = re.compile(r"[A-Za-z0-9]+(?:['\u2019][A-Za-z]+)?")


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text.strip()) if s.strip()]


def _matches(sentence: str, wanted: frozenset[str]) -> int:
    return sum(1 for w in _WORD.findall(sentence) if w.lower() not in FUNCTION_WORDS and term(w.lower()) in wanted)


def choose(passages: Sequence[ManualPassage], position: int, wanted: frozenset[str]) -> list[str]:
    """The sentences to quote: the passage itself when it has two to five; the best window of five
    when it has more; with its neighbour under the same heading when it has one (a list item's
    lead-in, or a paragraph's next paragraph)."""
    passage = passages[position]
    said = sentences(passage.text)
    if len(said) > MAX_SENTENCES:
        starts = range(len(said) - MAX_SENTENCES + 1)
        best = max(starts, key=lambda i: (sum(_matches(s, wanted) for s in said[i:i + MAX_SENTENCES]), -i))
        return said[best:best + MAX_SENTENCES]
    if len(said) >= MIN_SENTENCES:
        return said
    neighbours = [position - 1, position + 1] if passage.kind == "li" else [position + 1, position - 1]
    for n in neighbours:
        if 0 <= n < len(passages) and passages[n].heading == passage.heading:
            more = sentences(passages[n].text)
            room = MAX_SENTENCES - len(said)
            return (more[-room:] + said) if n < position else (said + more[:room])
    return said


def bold(text: str, wanted: frozenset[str]) -> str:
    """The text with the question's words in **bold** (a run of them, and the small words between, as one)."""
    out: list[str] = []
    last = 0
    spans: list[tuple[int, int]] = []
    for m in _WORD.finditer(text):
        w = m.group(0).lower()
        if w not in FUNCTION_WORDS and term(w) in wanted:
            if spans and re.fullmatch(r"(\s+(?:" + "|".join(sorted(FUNCTION_WORDS)) + r"))*\s+", text[spans[-1][1]:m.start()], re.I):
                spans[-1] = (spans[-1][0], m.end())
            else:
                spans.append((m.start(), m.end()))
    for a, b in spans:
        out.append(text[last:a])
        out.append(f"**{text[a:b]}**")
        last = b
    out.append(text[last:])
    return "".join(out)


def quote(passages: Sequence[ManualPassage], position: int, wanted: frozenset[str]) -> str:
    return bold(" ".join(choose(passages, position, wanted)), wanted)
