"""Issue 22 item 10: "who approved this, when, seeing which version?" is answered from the
hash-chained audit log. The RSM approves from the card in Teams; the audit entry names the draft
version and its SHA-256, `policybot audit trail case 1` prints it and `audit verify` stays intact."""

from __future__ import annotations

import asyncio
import hashlib
import os
import subprocess
import sys
from pathlib import Path

from bot.app import RUNTIME_KEY
from store.audit import verify
from tests.support.channel import card_of
from tests.e2e.test_draft_files import _press, _submitted, file_server  # noqa: F401 - the fixture

ROOT = str(Path(__file__).resolve().parents[2])


async def test_the_approval_records_the_draft_version_and_sha256_the_rsm_saw(bot, db_url, demo_aad, file_server):  # noqa: F811
    rsm = demo_aad["rsm-safeguarding"]
    draft = await _submitted(bot, demo_aad, file_server)
    card = [a for a in bot.channel.in_conversation("a:rsm-chat") if card_of(a)][-1]
    approve = next(a for a in card_of(card)["actions"] if a.get("data", {}).get("action") == "approve")
    said = await bot.send(_press(bot, rsm, "case", approve["data"], conversation="a:rsm-chat"))
    assert said.status == 200

    store = bot.app[RUNTIME_KEY].store
    async with store.uow() as uow:
        entries = await uow.audit.for_entity("document", 1)
    [approval] = [e for e in entries if e.action == "approve"]
    sha = hashlib.sha256(draft).hexdigest()
    assert approval.actor_id == "rsm-safeguarding"
    assert approval.details["draft_version"] == 1 and approval.details["sha256"] == sha
    assert approval.details["draft_file"] == "amended.docx"
    assert (await verify(store.sessionmaker)).intact

    env = {**os.environ, "DATABASE_URL": db_url, "PYTHONPATH": ROOT, "POLICYBOT_DEMO": "0", "LOG_LEVEL": "WARNING"}
    done = await asyncio.to_thread(subprocess.run, [sys.executable, "-m", "policybot.cli", "audit", "trail", "case", "1"],
                                   env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    line = next(x for x in done.stdout.splitlines() if ": approve - " in x)
    assert approval.actor_name and approval.actor_name in line
    assert f"[seeing draft version 1, amended.docx, SHA-256 {sha}]" in line
    assert "The audit log is intact." in done.stdout
