"""Migration 0015_door (issue 17): drafts were kept twice, in the data folder and in
draft_versions.content. On SQLite and PostgreSQL, a register from before it keeps every draft:
the bytes are moved to the data folder by SHA-256 (once per content), the column is gone, and a
row whose recorded SHA-256 was wrong points at its real file."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import sqlalchemy as sa

from store.migrate import upgrade
from store.uow import Store
from tests.support.drafts import realistic_docx

DRAFTS = sa.table("draft_versions", *(sa.column(c) for c in (
    "id", "document_id", "number", "filename", "sha256", "size", "content", "tracked_insertions",
    "tracked_deletions", "uploaded_at")))


async def test_existing_drafts_move_to_the_data_folder_and_the_column_goes(empty_db_url, tmp_path):
    first, second = realistic_docx(300_000), realistic_docx(300_000, seed=2)
    store = Store(empty_db_url, files_dir=tmp_path / "files")
    now = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    try:
        await upgrade(store.engine, "0012_drafts")
        await upgrade(store.engine, "0004_outbox")
        async with store.engine.begin() as conn:
            await conn.execute(sa.text(
                "INSERT INTO documents (id, ref, doc_type, title, status, extra, created_at, updated_at) "
                "VALUES (1, 'PP-001', 'Procedure', 'Children Missing from Home and Care', 'published', '{}', :t, :t)"), {"t": now})
            rows = [(1, first, hashlib.sha256(first).hexdigest()), (2, second, "0" * 64),  # a wrong recorded hash
                    (3, first, hashlib.sha256(first).hexdigest())]  # the same file twice
            for number, data, sha in rows:
                await conn.execute(DRAFTS.insert().values(
                    document_id=1, number=number, filename=f"v{number}.docx", sha256=sha, size=len(data), content=data,
                    tracked_insertions=0, tracked_deletions=0, uploaded_at=now))
        await store.migrate()  # every head, 0015_door included, with the bot's data folder
        async with store.engine.connect() as conn:
            columns = await conn.run_sync(lambda c: {x["name"] for x in sa.inspect(c).get_columns("draft_versions")})
            kept = (await conn.execute(sa.text("SELECT number, sha256 FROM draft_versions ORDER BY number"))).all()
        assert "content" not in columns
        files = sorted(p for p in (tmp_path / "files").rglob("*") if p.is_file())
        assert len(files) == 2  # one copy per content
        for number, sha in kept:
            path = tmp_path / "files" / sha[:2] / sha[2:4] / sha
            assert path.read_bytes() == (second if number == 2 else first)
        assert kept[1][1] == hashlib.sha256(second).hexdigest()  # the wrong hash was corrected
    finally:
        await store.close()

