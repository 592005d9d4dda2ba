"""Tamper-evident history (issue 22, item 10), on SQLite and PostgreSQL: every audit entry is
hash-chained to the one before; the database refuses to change or delete entries; and
`policybot audit verify` names any entry changed, removed or replaced behind its back."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import datetime, timedelta

import pytest
from sqlalchemy import text

from services.clock import LONDON
from store.audit import verify
from store.uow import Store

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=LONDON)


async def _record(store: Store, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        async with store.uow() as uow:
            await uow.audit.record(at=NOW + timedelta(minutes=i), actor=None, entity="document", entity_id=i,
                                   action="approve", summary=f"Approved version 1.{i} (case {i})", reason="looks right",
                                   details={"case": i, "version": f"1.{i}"})
            await uow.commit()


async def _raw(store: Store, *statements: str) -> None:
    async with store.engine.begin() as conn:
        for sql in statements:
            await conn.execute(text(sql))


def _without_triggers(store: Store) -> list[str]:
    """What someone with direct database access would do first."""
    if store.dialect == "postgresql":
        return ["ALTER TABLE audit_log DISABLE TRIGGER USER"]
    return ["DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete"]


@pytest.fixture
async def store(db_url):
    s = Store(db_url)
    yield s
    await s.close()


async def test_entries_are_chained_and_verify_intact(store):
    await _record(store, 5)
    verdict = await verify(store.sessionmaker)
    assert verdict.intact, verdict.problems
    assert verdict.entries == 5
    async with store.sessionmaker() as s:
        rows = (await s.execute(text("SELECT seq, prev_hash, entry_hash FROM audit_log ORDER BY seq"))).all()
    assert [r[0] for r in rows] == [1, 2, 3, 4, 5]
    assert all(rows[i][1] == rows[i - 1][2] for i in range(1, 5))


async def test_concurrent_writers_never_fork_the_chain(store):
    async def one(i: int) -> None:
        for attempt in range(20):
            try:
                await _record(store, 1, start=i)
                return
            except Exception:  # noqa: BLE001 - SQLite's single writer may say "busy": try again
                if store.dialect == "postgresql":
                    raise
                await asyncio.sleep(0.05 * (attempt + 1))
        raise AssertionError("could not write")

    await asyncio.gather(*(one(i) for i in range(12)))
    verdict = await verify(store.sessionmaker)
    assert verdict.intact, verdict.problems
    assert verdict.entries == 12


@pytest.mark.parametrize("sql", ["UPDATE audit_log SET summary = 'Rejected' WHERE seq = 2",
                                 "DELETE FROM audit_log WHERE seq = 2"])
async def test_the_database_refuses_to_change_or_delete_an_entry(store, sql):
    await _record(store, 3)
    with pytest.raises(Exception, match="append-only"):
        await _raw(store, sql)
    assert (await verify(store.sessionmaker)).intact


@pytest.mark.parametrize("tamper, words", [
    ("UPDATE audit_log SET summary = 'Rejected version 1.2 (case 2)' WHERE seq = 3", "entry 3 (approve on document 2"),
    ("UPDATE audit_log SET at = '2026-11-20 10:00:00+00' WHERE seq = 3", "entry 3 (approve"),
    ("DELETE FROM audit_log WHERE seq = 3", "entry 3 was removed"),
    ("DELETE FROM audit_log WHERE seq >= 4", "the newest entries were removed"),
])
async def test_verify_names_what_was_changed_or_removed(store, tamper, words):
    await _record(store, 5)
    await _raw(store, *_without_triggers(store), tamper)
    verdict = await verify(store.sessionmaker)
    assert not verdict.intact
    assert any(words in p for p in verdict.problems), verdict.problems


async def test_policybot_audit_verify_and_trail_answer_an_inspector(store, db_url):
    await _record(store, 4)
    env = {**os.environ, "DATABASE_URL": db_url, "PYTHONPATH": ROOT, "POLICYBOT_DEMO": "0", "LOG_LEVEL": "WARNING"}
    cli = [sys.executable, "-m", "policybot.cli", "audit"]
    done = await asyncio.to_thread(subprocess.run, cli + ["verify"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "intact: 4 entries" in done.stdout
    done = await asyncio.to_thread(subprocess.run, cli + ["trail", "document", "2"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "approve - Approved version 1.2 (case 2) (reason: looks right) [seeing 1.2]" in done.stdout
    assert "23/11/2026 10:02" in done.stdout and "intact" in done.stdout

    await _raw(store, *_without_triggers(store), "UPDATE audit_log SET actor_name = 'Someone Else' WHERE seq = 2")
    done = await asyncio.to_thread(subprocess.run, cli + ["verify"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "entry 2 (approve on document 1 by Someone Else" in done.stdout and "was changed" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


async def test_many_entries_in_one_flush_are_chained_in_one_step(store):
    from store.models import AuditEntry

    async with store.sessionmaker() as s:
        s.add_all([AuditEntry(at=NOW, actor_id=None, actor_name="policybot", entity="document", entity_id=str(i),
                              action="import", summary=f"Imported PP-{i:03d}", reason=None, details={"row": i})
                   for i in range(300)])
        await s.commit()
    await _record(store, 2)
    verdict = await verify(store.sessionmaker)
    assert verdict.intact, verdict.problems
    assert verdict.entries == 302
