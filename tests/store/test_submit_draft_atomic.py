"""`submit_draft` is one transaction (issue 14 item 4): the case's move, the stored draft, their audit
records and the notices commit together. Killed or failing between the two writes that used to be
two commits, it leaves nothing half done; sent again, it does both."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest

from connectors.word.samples import tracked_docx
from governance import lifecycle as gl
from services.cases import lifecycle
from services.delivery import outbox
from services.people.identity import ChannelIdentity
from store.case_repo import CaseRepo
from tests.support.org import aad, make_org

ROOT = Path(__file__).resolve().parents[2]


def who(person_id: str) -> ChannelIdentity:
    return ChannelIdentity("msteams", f"29:{person_id}", aad_object_id=aad(person_id), name=person_id)


async def _opened(db_url, clock):
    services = await make_org(db_url, clock, docs=[("PP-001", date(2027, 1, 15))])
    opened = await lifecycle.start_case(services, who("ro"), "PP-001", "scheduled_review")
    assert "submit_draft" in {a.id for a in opened.case.actions}
    # NCT-16: the RO works through the checklist first, so the draft goes on (unticked, it is held back)
    ticked = await lifecycle.act(services, who("ro"), opened.case.id, "tick_checklist", text="1, 2, 3, 4, 5")
    return services, ticked.case


async def _what_is_stored(services, case_id: int):
    async with services.uow() as uow:
        row = await uow.cases.get(case_id)
        drafts = await uow.cases.drafts(row.document_id)
        audit = [a.action for a in await uow.audit.for_entity("document", row.document_id)]
    notices = {r.key.split("|")[0] for r in await outbox.listing(services.uow, None, 500) if r.case_id == case_id}
    return row.version, gl.case_from_dict(row.state).stage, len(drafts), audit, notices


async def test_a_failure_between_the_case_move_and_the_draft_leaves_neither(db_url, clock, monkeypatch):
    services, case = await _opened(db_url, clock)
    try:
        before = await _what_is_stored(services, case.id)

        async def broken(self, **fields):
            raise OSError("the disk filled up while storing the draft")

        with monkeypatch.context() as m:
            m.setattr(CaseRepo, "add_draft", broken)
            with pytest.raises(OSError):
                await lifecycle.submit_draft(services, who("ro"), "PP-001.docx", tracked_docx(), case.id)
        assert await _what_is_stored(services, case.id) == before  # no move, no draft, no audit, no notice

        out = await lifecycle.submit_draft(services, who("ro"), "PP-001.docx", tracked_docx(), case.id)
        assert "stored as draft version 1" in out.message
        version, stage, drafts, audit, notices = await _what_is_stored(services, case.id)
        assert (version, drafts) == (before[0] + 1, 1) and stage != before[1]
        assert audit.count("submit_draft") == 1 and audit.count("draft_stored") == 1
        assert out.notices and notices - before[4] == {n.key for n in out.notices}  # queued with the move
    finally:
        await services.store.close()


KILLED = textwrap.dedent("""
    import asyncio, os, signal, sys
    from bot.bootstrap import build
    from bot.settings import Settings
    from connectors.word.samples import tracked_docx
    from services.cases import lifecycle
    from services.people.identity import ChannelIdentity
    from store.case_repo import CaseRepo

    async def die(self, **fields):  # the point between the old two commits
        os.kill(os.getpid(), signal.SIGKILL)

    CaseRepo.add_draft = die
    settings = Settings.from_env({"DATABASE_URL": sys.argv[1], "POLICYBOT_DEMO": "0", "POLICYBOT_PRESET": "nct",
                                  "POLICYBOT_SCHEDULER": "0"})
    services = build(settings).services
    ident = ChannelIdentity("msteams", "29:ro", aad_object_id=sys.argv[2], name="ro")
    asyncio.run(lifecycle.submit_draft(services, ident, "PP-001.docx", tracked_docx(), int(sys.argv[3])))
""")


async def test_killed_between_the_case_move_and_the_draft_nothing_is_half_done(db_url, clock):
    services, case = await _opened(db_url, clock)
    try:
        before = await _what_is_stored(services, case.id)
        proc = await asyncio.to_thread(subprocess.run, [sys.executable, "-c", KILLED, db_url, aad("ro"), str(case.id)],
                                       cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, timeout=120)
        assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()[-2000:]
        assert await _what_is_stored(services, case.id) == before

        await lifecycle.submit_draft(services, who("ro"), "PP-001.docx", tracked_docx(), case.id)
        version, _step, drafts, audit, _notices = await _what_is_stored(services, case.id)
        assert (version, drafts) == (before[0] + 1, 1) and audit.count("draft_stored") == 1
    finally:
        await services.store.close()
