"""What already covers a subject (LBBD-1, NCT-17, DOR-2: check what exists before a new document),
found by the same passage index that answers questions (services/manual/answers.py), so the check
before a request finds what the question search finds: the register's documents (their summaries
and latest drafts are indexed with the manual) and the manual's chapters, through the social-care
vocabulary (an acronym: "MCA assessments"; a synonym: "kinship care" finds Family and Friends Care)
and a narrower setting ("deprivation of liberty in hospitals" finds the DoLS procedure).

A register document covers the subject when it holds most of it (GOOD of the subject's concepts
that anything holds, weighted by rarity, the weightiest among them) and its title, or the title of
the chapter it adapts, says at least one of them: about the same thing, not merely mentioning it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from services.context import Services
from services.manual import answers
from services.manual.answer_index import GOOD, AnswerIndex, Concepts, Hit, terms_of
from services.manual.search import RegisterRow

SHORTLIST = 12  # chapters and documents looked at
HELD_SHARE = 0.5  # the share of the subject (weighted) that something must hold for anything to cover it
UNKNOWN = 0.6  # a word nothing holds weighs as a rare one (as answer_index.AnswerIndex.search weighs it)


@dataclass(frozen=True)
class Covering:
    """A register document (with the concepts its title says) or a manual chapter."""

    kind: str  # document | chapter
    title: str
    url: str | None
    ref: str | None
    document_id: int | None
    coverage: float
    score: float
    said: tuple[str, ...]  # the subject's words its title says (as the person said them)


def _said_in(titles: list[str], labels: list[str], query: Concepts) -> tuple[str, ...]:
    """The subject's concepts a title says: any alternative (acronym, synonym) with all its words there."""
    have = {t for title in titles for t in terms_of(title)}
    return tuple(label for label, alts in zip(labels, query, strict=True)
                 if any(alt and set(alt) <= have for alt in alts))


async def covering(services: Services, subject: str) -> list[Covering]:
    """Register documents and manual chapters that cover a subject, best first (documents first)."""
    answers.changed(services)
    held = await answers.current_index(services)
    concepts, query, _corrections = answers.understood(services, held, subject)
    if not concepts:
        return []
    labels, query = _known(held.index, [c.label for c in concepts], query)
    if not query:
        return []
    hits = held.index.search(query, limit=SHORTLIST)
    docs = {d.id: d for d in held.register}
    documents: list[Covering] = []
    chapters: list[Covering] = []
    for h in hits:
        if h.coverage < GOOD - 1e-6:
            continue
        kind, item = h.source.key
        if kind == "chapter":
            chapters.append(Covering("chapter", h.source.title, h.source.url, None, None, h.coverage, h.score,
                                     _said_in([h.source.title], labels, query)))
        doc = held.local_of.get(h.source.key) if kind == "chapter" else docs.get(item)
        if doc is not None and all(d.document_id != doc.id for d in documents):
            documents.append(_document(doc, h, labels, query))
    return [d for d in documents if d.said] + chapters


def _known(index: AnswerIndex, labels: list[str], query: Concepts) -> tuple[list[str], Concepts]:
    """The subject's concepts that the manual or the register holds anywhere, when its weightiest
    concept is among them. A word nothing holds names a setting no document can cover ("care leavers
    in custody" is about care leavers, when nothing mentions custody); when that word is the subject's main one ("pets at work"),
    or such words are most of it ("radicalisation and Prevent referrals"), nothing covers it."""
    rarest = math.log(1.0 + index.chapters.live + 0.5)

    def weight(alts: list[tuple[str, ...]]) -> tuple[float, bool]:
        known = [alt for alt in alts if alt and all(index.chapters.df.get(t, 0) > 0 for t in alt)]
        if not known:
            return UNKNOWN * rarest, False
        return min(rarest, max(sum(index.chapters.idf(t) for t in alt) for alt in known)), True

    weighed = [weight(alts) for alts in query]
    held_share = sum(w for w, known in weighed if known) / (sum(w for w, _ in weighed) or 1.0)
    if not weighed or not max(weighed)[1] or held_share < HELD_SHARE:
        return [], []
    kept = [(label, alts) for label, alts, (_w, known) in zip(labels, query, weighed, strict=True) if known]
    return [label for label, _ in kept], [alts for _, alts in kept]


def _document(doc: RegisterRow, h: Hit, labels: list[str], query: Concepts) -> Covering:
    titles = [doc.title] + ([h.source.title] if h.source.key[0] == "chapter" else [])
    return Covering("document", doc.title, doc.manual_url, doc.ref, doc.id, h.coverage, h.score,
                    _said_in(titles, labels, query))
