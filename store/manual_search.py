"""Full-text search over manual chapters and register documents, one backend per dialect.

SQLite: FTS5 with the porter stemmer, ranked by bm25() (title weighs most, then section, then
text), snippets by snippet(). PostgreSQL: english tsvectors with GIN indexes, ranked by
ts_rank_cd() with the same weighting, snippets by ts_headline(). The index objects are made by
migration 0002_manual; they are not models, so the model/migration comparison skips them.

A query arrives as concepts: each concept is a list of alternative phrases (each a tuple of
words [a-z0-9]+), e.g. [("cin",), ("child", "in", "need")]. A row matches when any concept
matches; for every hit we also say which concepts it matched, so the caller can rank full
matches first and tell a good match from a weak one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from collections.abc import Sequence

from sqlalchemy import bindparam, text
from sqlalchemy.ext.asyncio import AsyncSession

# Objects the migration makes with raw SQL (kept out of the model comparison).
SEARCH_TABLES = {"search_fts", "search_fts_data", "search_fts_idx", "search_fts_content", "search_fts_docsize",
                 "search_fts_config"}
SEARCH_INDEXES = {"ix_manual_chapters_search", "ix_documents_search"}

CHAPTER = "chapter"
DOCUMENT = "document"

Phrase = tuple[str, ...]
Concept = Sequence[Phrase]

_WORD = re.compile(r"^[a-z0-9]+$")

# Must stay identical to the expression indexed by migration 0002_manual.
DOCUMENT_TSV = (
    "(setweight(to_tsvector('english', coalesce(d.title, '')), 'A') || "
    "setweight(to_tsvector('english', coalesce(d.ref, '') || ' ' || coalesce(d.category, '') || ' ' || "
    "coalesce(d.service_area, '') || ' ' || coalesce(d.doc_type, '')), 'C') || "
    "setweight(to_tsvector('english', coalesce(d.summary, '')), 'D'))"
)
HIGHLIGHT_START = "**"
HIGHLIGHT_END = "**"


def include_name(name, type_, parent_names) -> bool:  # noqa: ANN001 - Alembic's hook signature
    """For Alembic's comparisons: skip the search objects made by raw SQL."""
    if type_ == "table" and name in SEARCH_TABLES:
        return False
    if type_ == "index" and name in SEARCH_INDEXES:
        return False
    return True


@dataclass(frozen=True)
class IndexHit:
    kind: str  # chapter | document
    item_id: int
    rank: float  # higher is better; comparable within one query
    matched: tuple[bool, ...]  # per concept
    snippet: str = ""
    in_title: tuple[bool, ...] = ()  # per concept: matched in the title


def _check(concepts: Sequence[Concept]) -> None:
    for concept in concepts:
        for phrase in concept:
            if not phrase or not all(_WORD.match(w) for w in phrase):
                raise ValueError(f"search phrases are lower-case words only: {phrase!r}")


def _fts_concept(concept: Concept) -> str:
    return "(" + " OR ".join('"' + " ".join(p) + '"' for p in concept) + ")"


class SearchIndex:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    @property
    def dialect(self) -> str:
        return self.s.get_bind().dialect.name

    async def search(self, concepts: Sequence[Concept], *, limit: int = 40, require_all: bool = False) -> list[IndexHit]:
        """Rows matching any concept (or every concept, with require_all), best first."""
        concepts = [c for c in concepts if c]
        if not concepts:
            return []
        _check(concepts)
        if self.dialect == "postgresql":
            return await self._pg_search(concepts, limit, require_all)
        return await self._sqlite_search(concepts, limit, require_all)

    async def has_hits(self, phrase: Phrase) -> bool:
        return bool(await self.search([[phrase]], limit=1))

    # ------------------------------------------------------------------ SQLite FTS5

    async def _sqlite_search(self, concepts: Sequence[Concept], limit: int, require_all: bool) -> list[IndexHit]:
        match = (" AND " if require_all else " OR ").join(_fts_concept(c) for c in concepts)
        rows = (await self.s.execute(
            text(
                "SELECT rowid, bm25(search_fts, 10.0, 3.0, 1.0) AS score, "
                f"snippet(search_fts, 2, '{HIGHLIGHT_START}', '{HIGHLIGHT_END}', '…', 24) AS snip "
                "FROM search_fts WHERE search_fts MATCH :q ORDER BY score LIMIT :n"
            ),
            {"q": match, "n": limit},
        )).all()
        if not rows:
            return []
        rowids = [r[0] for r in rows]
        flags: list[set[int]] = []
        title_flags: list[set[int]] = []
        stmt = text("SELECT rowid FROM search_fts WHERE search_fts MATCH :q AND rowid IN :ids").bindparams(
            bindparam("ids", expanding=True))
        for concept in concepts:
            q = _fts_concept(concept)
            flags.append({r[0] for r in (await self.s.execute(stmt, {"q": q, "ids": rowids})).all()})
            title_flags.append({r[0] for r in (await self.s.execute(stmt, {"q": "{title} : " + q, "ids": rowids})).all()})
        return [
            IndexHit(
                kind=CHAPTER if rowid % 2 == 0 else DOCUMENT,
                item_id=rowid // 2,
                rank=-float(score),
                matched=tuple(rowid in f for f in flags),
                snippet=snip or "",
                in_title=tuple(rowid in f for f in title_flags),
            )
            for rowid, score, snip in rows
        ]

    # ------------------------------------------------------------------ PostgreSQL

    async def _pg_search(self, concepts: Sequence[Concept], limit: int, require_all: bool) -> list[IndexHit]:
        params: dict[str, object] = {"n": limit}
        concept_sql = []
        for i, concept in enumerate(concepts):
            parts = []
            for j, phrase in enumerate(concept):
                params[f"c{i}p{j}"] = " ".join(phrase)
                parts.append(f"phraseto_tsquery('english', :c{i}p{j})")
            concept_sql.append("(" + " || ".join(parts) + ")")
        q_cols = ", ".join(f"{sql} AS c{i}" for i, sql in enumerate(concept_sql))
        q_all = (" && " if require_all else " || ").join(f"q.c{i}" for i in range(len(concepts)))
        k = len(concepts)
        flags_ch = ", ".join([f"(m.search_vector @@ q.c{i}) AS m{i}" for i in range(k)]
                             + [f"(ts_filter(m.search_vector, '{{a}}') @@ q.c{i}) AS t{i}" for i in range(k)])
        flags_doc = ", ".join([f"({DOCUMENT_TSV} @@ q.c{i}) AS m{i}" for i in range(k)]
                              + [f"(to_tsvector('english', coalesce(d.title, '')) @@ q.c{i}) AS t{i}" for i in range(k)])
        weights = "'{0.1, 0.2, 0.4, 1.0}'"
        sql = (
            f"WITH q AS (SELECT {q_cols}), qa AS (SELECT ({q_all}) AS qall FROM q) "
            "SELECT * FROM ("
            f" SELECT 0 AS kind, m.id, ts_rank_cd({weights}, m.search_vector, qa.qall, 1) AS rank, {flags_ch}"
            "  FROM manual_chapters m, q, qa WHERE m.search_vector @@ qa.qall"
            " UNION ALL"
            f" SELECT 1 AS kind, d.id, ts_rank_cd({weights}, {DOCUMENT_TSV}, qa.qall, 1) AS rank, {flags_doc}"
            f"  FROM documents d, q, qa WHERE {DOCUMENT_TSV} @@ qa.qall AND d.status <> 'retired'"
            ") hits ORDER BY rank DESC, kind, id LIMIT :n"
        )
        rows = (await self.s.execute(text(sql), params)).all()
        if not rows:
            return []
        # Headlines only for the rows returned (ts_headline reads the whole text).
        chapter_ids = [r[1] for r in rows if r[0] == 0]
        doc_ids = [r[1] for r in rows if r[0] == 1]
        opts = f"StartSel={HIGHLIGHT_START}, StopSel={HIGHLIGHT_END}, MaxWords=30, MinWords=12, MaxFragments=1, FragmentDelimiter=…"
        snippets: dict[tuple[int, int], str] = {}
        qa_sql = f"WITH q AS (SELECT {q_cols}) SELECT ({q_all}) FROM q"
        for kind, ids, table, column in ((0, chapter_ids, "manual_chapters", "text"), (1, doc_ids, "documents", "summary")):
            if not ids:
                continue
            stmt = text(
                f"SELECT t.id, ts_headline('english', coalesce(t.{column}, ''), ({qa_sql}), :opts) "
                f"FROM {table} t WHERE t.id IN :ids"
            ).bindparams(bindparam("ids", expanding=True))
            for item_id, headline in (await self.s.execute(stmt, {**params, "opts": opts, "ids": ids})).all():
                snippets[(kind, item_id)] = headline or ""
        return [
            IndexHit(
                kind=CHAPTER if r[0] == 0 else DOCUMENT,
                item_id=r[1],
                rank=float(r[2]),
                matched=tuple(bool(x) for x in r[3:3 + k]),
                snippet=snippets.get((r[0], r[1]), ""),
                in_title=tuple(bool(x) for x in r[3 + k:3 + 2 * k]),
            )
            for r in rows
        ]

    # ------------------------------------------------------------------ upkeep and size

    async def rebuild(self) -> None:
        """Rebuild the SQLite FTS table from its sources (after a bulk change made without triggers)."""
        if self.dialect != "sqlite":
            await self.s.execute(text("UPDATE manual_chapters SET title = title"))
            return
        await self.s.execute(text("DELETE FROM search_fts"))
        await self.s.execute(text(
            "INSERT INTO search_fts(rowid, title, section, body) "
            "SELECT id * 2, title, coalesce(section, ''), text FROM manual_chapters"))
        await self.s.execute(text(
            "INSERT INTO search_fts(rowid, title, section, body) SELECT id * 2 + 1, title, "
            "coalesce(category, '') || ' ' || coalesce(service_area, '') || ' ' || coalesce(doc_type, ''), "
            "coalesce(ref, '') || ' ' || coalesce(summary, '') FROM documents"))

    async def size_bytes(self) -> dict[str, int]:
        """How much space the index takes (for the bench)."""
        if self.dialect == "postgresql":
            row = (await self.s.execute(text(
                "SELECT pg_total_relation_size('manual_chapters'), pg_relation_size('ix_manual_chapters_search'), "
                "pg_relation_size('ix_documents_search')"))).one()
            return {"chapters_table_total": int(row[0]), "gin_chapters": int(row[1]), "gin_documents": int(row[2])}
        try:
            rows = (await self.s.execute(text(
                "SELECT name, sum(pgsize) FROM dbstat WHERE name LIKE 'search_fts%' OR name = 'manual_chapters' GROUP BY name"
            ))).all()
            return {name: int(size) for name, size in rows}
        except Exception:  # noqa: BLE001 - dbstat is an optional SQLite module
            return {}
