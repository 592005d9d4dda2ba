"""Backups that restore (issue 22, item 11), on SQLite and PostgreSQL: `policybot backup` of a
register in use, `policybot restore` into an empty database, and everything is there: documents,
cases, every audit entry (still verifying), the messages still owed."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import pytest
from sqlalchemy import func, select

from store.audit import verify
from store.case_models import Case
from store.models import AuditEntry, Document
from store.outbox_models import OutboxMessage
from store.uow import Store
from tests.conftest import PG_HOST, _pg_admin
from tests.support.cases import request_document, text_of

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


async def _census(url: str) -> dict:
    store = Store(url)
    try:
        async with store.sessionmaker() as s:
            out = {}
            for name, model in [("documents", Document), ("cases", Case), ("audit", AuditEntry)]:
                out[name] = (await s.execute(select(func.count()).select_from(model))).scalar_one()
            out["owed"] = sorted((await s.execute(select(OutboxMessage.key).where(OutboxMessage.status == "pending"))).scalars())
            out["refs"] = sorted((await s.execute(select(Document.ref))).scalars())
        out["verified"] = (await verify(store.sessionmaker)).intact
        return out
    finally:
        await store.close()


@pytest.fixture
async def empty_target(db_url, tmp_path):
    if db_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'restored' / 'policybot.db'}"
        return
    name = f"policybot_r_{uuid.uuid4().hex[:12]}"
    await _pg_admin(f'CREATE DATABASE "{name}"')
    try:
        yield f"{PG_HOST}/{name}"
    finally:
        await _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _cli(args: list[str], url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": ROOT, "POLICYBOT_DEMO": "0", "LOG_LEVEL": "WARNING"}
    return subprocess.run([sys.executable, "-m", "policybot.cli", *args], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=180)


async def test_a_backup_restores_into_an_empty_database_with_everything(bot, demo_aad, db_url, empty_target, tmp_path):
    said = await request_document(bot, demo_aad["ro-4"], "a:ro-4", "I need a new procedure on radicalisation and Prevent referrals",
                                  ["Local procedure", "Early Help", "The Prevent duty guidance changed in 2026",
                                   "none", "none", "yes"])
    assert "case 1" in text_of(said)
    before = await _census(db_url)
    assert before["documents"] > 10 and before["cases"] == 1 and before["audit"] >= 1 and before["verified"]
    assert before["owed"], "the request should have left a message owed to the PPO"

    backup_file = tmp_path / "backups" / "policybot.backup"
    done = _cli(["backup", str(backup_file)], db_url)  # while the bot is running
    assert done.returncode == 0, done.stderr
    assert backup_file.stat().st_size > 0 and "Backed up" in done.stdout

    done = _cli(["restore", str(backup_file)], empty_target)
    assert done.returncode == 0, done.stderr
    assert f"the audit log is intact ({before['audit']} entries)" in done.stdout
    assert await _census(empty_target) == before

    again = _cli(["restore", str(backup_file)], empty_target)  # never over a register by accident
    assert again.returncode == 1
    assert "already holds a policybot register" in again.stderr and "Traceback" not in again.stderr


def test_a_missing_backup_file_is_one_sentence(tmp_path):
    done = _cli(["restore", str(tmp_path / "nothing.backup")], f"sqlite:///{tmp_path / 'x.db'}")
    assert done.returncode == 1
    assert done.stderr.strip() == f"policybot: could not restore: there is no backup at {tmp_path / 'nothing.backup'}."
