"""A small BM25 index over an inverted index, kept in memory and changed one document at a time.

Why our own and not a library: the answer index must change one chapter at a time when a sync
changes it (bm25s and rank-bm25 rebuild the whole matrix), must score synonym groups as one
concept (the best alternative counts, not the sum), and must say which concepts each passage
matched (to tell a good answer from a weak one). The databases' own full-text search did ~10
statements per search and missed the p99 target (bench/bench_answers.py prints both).

Postings are growable arrays (array.array) read through numpy without copying; a removed
document is masked and its postings dropped when more than a third are dead (a rebuild).
Scoring one term is a vectorised BM25 over its postings. Pure: no I/O.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from collections.abc import Iterable

import numpy as np

K1 = 1.2
B = 0.75


class Bm25:
    def __init__(self) -> None:
        self._docs: array[float] = array("f")  # document length (weighted), by document number
        self._alive = bytearray()
        self._post_doc: dict[str, array[int]] = {}
        self._post_tf: dict[str, array[float]] = {}
        self._terms_of: list[tuple[str, ...]] = []  # each document's distinct terms (for removal)
        self.df: Counter[str] = Counter()
        self._total_len = 0.0
        self.live = 0
        self.dead = 0

    # ------------------------------------------------------------------ building

    def add(self, terms: Iterable[tuple[str, float]]) -> int:
        """A new document from (term, weight) pairs (a title word may weigh 3); its number."""
        counts: dict[str, float] = {}  # weights are fractional, so not a Counter (int counts)
        for term, weight in terms:
            counts[term] = counts.get(term, 0) + weight
        n = len(self._docs)
        length = float(sum(counts.values()))
        self._docs.append(length)
        self._alive.append(1)
        self._terms_of.append(tuple(counts))
        for term, tf in counts.items():
            if term not in self._post_doc:
                self._post_doc[term] = array("i")
                self._post_tf[term] = array("f")
            self._post_doc[term].append(n)
            self._post_tf[term].append(tf)
            self.df[term] += 1
        self._total_len += length
        self.live += 1
        return n

    def remove(self, n: int) -> None:
        if n >= len(self._alive) or not self._alive[n]:
            return
        self._alive[n] = 0
        for term in self._terms_of[n]:
            self.df[term] -= 1
        self._total_len -= self._docs[n]
        self.live -= 1
        self.dead += 1

    @property
    def size(self) -> int:
        """Document numbers in use (live and removed): the length of a score vector."""
        return len(self._docs)

    def needs_compacting(self) -> bool:
        return self.dead > 1000 and self.dead > self.live // 3

    def nbytes(self) -> int:
        posting = sum(a.buffer_info()[1] * a.itemsize for a in self._post_doc.values())
        posting += sum(a.buffer_info()[1] * a.itemsize for a in self._post_tf.values())
        return posting + len(self._docs) * 4 + len(self._alive)

    # ------------------------------------------------------------------ scoring

    def idf(self, term: str) -> float:
        df = self.df.get(term, 0)
        if df <= 0:
            return 0.0
        return math.log(1.0 + (self.live - df + 0.5) / (df + 0.5))

    def scores(self, term: str, within: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(document numbers, BM25 scores) of the live documents holding the term (those in `within`, a mask)."""
        docs = self._post_doc.get(term)
        if not docs or self.df.get(term, 0) <= 0:
            return np.empty(0, dtype=np.int32), np.empty(0, dtype=np.float32)
        ids = np.frombuffer(docs, dtype=np.int32)
        keep = np.frombuffer(self._alive, dtype=np.bool_)[ids]
        if within is not None:
            keep &= within[ids]
        ids = ids[keep]
        tf = np.frombuffer(self._post_tf[term], dtype=np.float32)[keep]
        lengths = np.frombuffer(self._docs, dtype=np.float32)[ids]
        avg = self._total_len / max(self.live, 1)
        norm = np.float32(K1 * (1 - B)) + np.float32(K1 * B / max(avg, 1e-6)) * lengths
        return ids, (np.float32(self.idf(term) * (K1 + 1)) * tf / (tf + norm)).astype(np.float32, copy=False)
