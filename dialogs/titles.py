"""Documents named by a unique part of their title ('the county lines procedure'). Pure."""

from __future__ import annotations

from collections.abc import Iterable

from dialogs.normalise import STOP_WORDS as _STOP_WORDS
from dialogs.normalise import words as norm_words

_TYPE_WORDS = frozenset(["procedure", "procedures", "policy", "policies", "protocol", "protocols", "guidance", "strategy", "pathway", "pathways", "document", "documents", "doc", "docs", "standards", "practice", "chapter", "the", "our"])


class TitleIndex:
    """The register's titles, to find a document by a unique part of its title ('the county lines
    procedure'): each title's words, and for each word the titles that have it."""

    def __init__(self, refs: Iterable[tuple[str, str]]) -> None:
        self.refs: list[str] = []
        self.titles: list[str] = []
        self.postings: dict[str, set[int]] = {}
        for ref, title in refs:
            n = len(self.refs)
            self.refs.append(ref)
            self.titles.append(" ".join(norm_words(title)))
            for w in set(norm_words(title)):
                self.postings.setdefault(w, set()).add(n)

    def find(self, words: Iterable[str]) -> list[str]:
        """The references whose titles have every one of these words."""
        wanted = [w for w in dict.fromkeys(words)
                  if (len(w) >= 3 or w.isdigit()) and w not in _TYPE_WORDS and w not in _STOP_WORDS]
        if not wanted:
            return []
        hits: set[int] | None = None
        for w in wanted:
            have = self.postings.get(w, set())
            hits = set(have) if hits is None else hits & have
            if not hits:
                return []
        phrase = " ".join(wanted)
        found = sorted(hits or ())
        if len(found) > 50:  # too many to tell apart: the person is asked which
            return [self.refs[n] for n in found[:5]]
        exact = [n for n in found if phrase in self.titles[n]]
        return [self.refs[n] for n in (exact if len(exact) == 1 else found)]
