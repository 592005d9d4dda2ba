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
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

K1 = 1.2
B = 0.75


class Bm25:
    def __init__(self) -> None:
        self._docs: array[float] = array("f")  # document length (weighted), by document number
        self._alive = bytearray()
        self._post_doc: dict[str, array[int]] = {}
        self._post_tf: dict[str, array[float]] = {}
        self._term_ids: dict[str, int] = {}  # each term's number (in order of first use)
        self._term_names: list[str] = []
        self._doc_terms = array("i")  # each document's distinct terms' numbers, one document after another (for removal)
        self._doc_start = array("q", [0])  # where each document's terms start in _doc_terms
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
        for term, tf in counts.items():
            if term not in self._post_doc:
                self._post_doc[term] = array("i")
                self._post_tf[term] = array("f")
                self._term_ids[term] = len(self._term_names)
                self._term_names.append(term)
            self._doc_terms.append(self._term_ids[term])
            self._post_doc[term].append(n)
            self._post_tf[term].append(tf)
            self.df[term] += 1
        self._doc_start.append(len(self._doc_terms))
        self._total_len += length
        self.live += 1
        return n

    def remove(self, n: int) -> None:
        if n >= len(self._alive) or not self._alive[n]:
            return
        self._alive[n] = 0
        for t in self._doc_terms[self._doc_start[n]:self._doc_start[n + 1]]:
            self.df[self._term_names[t]] -= 1
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

    # ------------------------------------------------------------------ kept and read back (services/manual/index_file.py)

    def state(self) -> tuple[dict[str, Any], dict[str, bytes]]:
        """Everything the index holds: numbers and names (JSON) and arrays (raw bytes), for keeping."""
        names = self._term_names
        offsets = array("q", [0])
        for t in names:
            offsets.append(offsets[-1] + len(self._post_doc[t]))
        meta = {"terms": names, "total_len": self._total_len, "live": self.live, "dead": self.dead}
        arrays = {
            "docs": self._docs.tobytes(), "alive": bytes(self._alive), "doc_terms": self._doc_terms.tobytes(),
            "doc_start": self._doc_start.tobytes(), "post_offsets": offsets.tobytes(),
            "post_doc": b"".join(self._post_doc[t].tobytes() for t in names),
            "post_tf": b"".join(self._post_tf[t].tobytes() for t in names),
            "df": array("i", (self.df.get(t, 0) for t in names)).tobytes(),
        }
        return meta, arrays

    @classmethod
    def from_state(cls, meta: dict[str, Any], arrays: dict[str, bytes]) -> Bm25:
        bm = cls()
        names = [str(t) for t in meta["terms"]]
        bm._term_names = names
        bm._term_ids = {t: i for i, t in enumerate(names)}
        bm._docs.frombytes(arrays["docs"])
        bm._alive = bytearray(arrays["alive"])
        bm._doc_terms.frombytes(arrays["doc_terms"])
        bm._doc_start = array("q")
        bm._doc_start.frombytes(arrays["doc_start"])
        offsets = array("q")
        offsets.frombytes(arrays["post_offsets"])
        docs, tfs = memoryview(arrays["post_doc"]), memoryview(arrays["post_tf"])
        for i, t in enumerate(names):
            lo, hi = offsets[i] * 4, offsets[i + 1] * 4
            bm._post_doc[t] = posting_doc = array("i")
            posting_doc.frombytes(docs[lo:hi])
            bm._post_tf[t] = posting_tf = array("f")
            posting_tf.frombytes(tfs[lo:hi])
        df = array("i")
        df.frombytes(arrays["df"])
        bm.df = Counter(dict(zip(names, df.tolist(), strict=True)))
        bm._total_len, bm.live, bm.dead = float(meta["total_len"]), int(meta["live"]), int(meta["dead"])
        if len(bm._alive) != len(bm._docs) or len(bm._doc_start) != len(bm._docs) + 1:
            raise ValueError("the kept index is not whole")
        return bm

    # ------------------------------------------------------------------ scoring

    def idf(self, term: str) -> float:
        df = self.df.get(term, 0)
        if df <= 0:
            return 0.0
        return math.log(1.0 + (self.live - df + 0.5) / (df + 0.5))

    def scores(self, term: str, within: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(document numbers, BM25 scores) of the live documents holding the term (those in `within`, a mask)."""
        import numpy as np  # loaded with the first question, not at start (issue 22 item 8: ~11 MB)
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
