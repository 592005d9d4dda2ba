"""Backups that restore (issue 22, item 11), on SQLite and PostgreSQL: `policybot backup` of a
register in use, `policybot restore` into an empty database, and everything is there: documents,
cases, every audit entry (still verifying), the messages still owed."""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
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
from tests.support.bot import RunningBot, settings_for
from tests.support.cases import request_document, text_of
from tests.support.channel import readable
from tests.e2e.test_draft_files import _submitted, file_server  # noqa: F401 - the fixture

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
async def empty_target(db_url, tmp_path, templates):
    if db_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'restored' / 'policybot.db'}"
        return
    name = f"policybot_r_{uuid.uuid4().hex[:12]}"
    await _pg_admin(f'CREATE DATABASE "{name}"')
    try:
        yield f"{PG_HOST}/{name}"
    finally:
        templates.copies.give_back(name)  # dropped in the background (tests/support/pgcopies.py)


def _cli(args: list[str], url: str, data_dir=None) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": ROOT, "POLICYBOT_DEMO": "0", "LOG_LEVEL": "WARNING"}
    if data_dir is not None:
        env["POLICYBOT_DATA_DIR"] = str(data_dir)
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


async def test_drafts_restore_with_the_register_byte_for_byte(bot, demo_aad, db_url, empty_target, tmp_path, file_server):  # noqa: F811
    """Issue 17: a draft's bytes are kept only in the data folder, so the backup carries the files
    beside the database and the restore puts them back; the restored bot hands the RSM the very
    same draft."""
    draft = await _submitted(bot, demo_aad, file_server)
    backup_file = tmp_path / "backups" / "policybot.backup"
    done = _cli(["backup", str(backup_file)], db_url, bot.settings.data_dir)
    assert done.returncode == 0, done.stderr
    assert "the drafts' files to policybot.backup.files (1 new)" in done.stdout

    restored_data = tmp_path / "restored-data"
    done = _cli(["restore", str(backup_file)], empty_target, restored_data)
    assert done.returncode == 0, done.stderr
    assert "1 draft file in place" in done.stdout
    sha = hashlib.sha256(draft).hexdigest()
    assert (restored_data / "files" / sha[:2] / sha[2:4] / sha).read_bytes() == draft

    again = RunningBot(settings_for(empty_target, POLICYBOT_DATA_DIR=str(restored_data)), clock=bot.clock)
    await again.start()
    try:
        said = await again.say("draft case 1", aad=demo_aad["rsm-safeguarding"], conversation="a:rsm-chat", channel_id="email")
        link = again.url + re.search(r"http://\S+?(/drafts/\S+)", readable(said.replies[0])).group(1)
        resp = await again.http.get(link)
        assert resp.status == 200 and await resp.read() == draft
    finally:
        await again.stop()


def test_a_damaged_draft_file_in_a_backup_is_refused_in_one_sentence(tmp_path):
    folder = tmp_path / "b.backup.files" / "ab" / "cd"
    folder.mkdir(parents=True)
    (folder / ("abcd" + "0" * 60)).write_bytes(b"not what the name says")
    with sqlite3.connect(tmp_path / "b.backup") as db:
        db.execute("CREATE TABLE audit_log (seq INTEGER)")
    done = _cli(["restore", str(tmp_path / "b.backup")], f"sqlite:///{tmp_path / 'x.db'}", tmp_path / "data")
    assert done.returncode == 1
    assert "is damaged (its content does not match its name)" in done.stderr and "Traceback" not in done.stderr
