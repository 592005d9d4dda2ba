"""Issue 14 item 4, the meeting and register paths: the notices a change causes are queued in the
outbox in the same transaction as the change, on SQLite and PostgreSQL.

Before, each of these paths committed twice: the change, then (in another transaction, later) its
notices. A meeting's notices were queued by the turn after the reply (and dropped when the bot had
no dispatcher), papers were marked as sent by one commit and queued by the sweep's next, and the
command line queued the handover's and the directory's notices after the use case had committed.

Each path is tried two ways. The process is killed (SIGKILL) the moment the use case returns, where
the old code had made its first commit and not its second: the change and its notices are both
there. And the process dies inside the one commit, after the outbox rows are written and before
the COMMIT: neither the change nor any notice is there, and running it again does the whole thing.
"""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import sys
import textwrap
from datetime import date, datetime
from functools import partial
from pathlib import Path

import pytest

from connectors.directory import PeopleCsv
from services.delivery import outbox
from services.delivery.outbox import OutboxWriter
from services.meetings import agenda as meetings
from services.people.directory import load_csv
from services.register.ownership import ownership_problems, reassign_ro
from tests.support.meetings import at, organisation, who

ROOT = Path(__file__).resolve().parents[2]
CHAIR, PPO = "ad-children", "ppo"
PPG = "Practice, Policy and Procedures Group"


class ProcessDied(Exception):
    """The process ends here: nothing after this line runs."""


class DiesInsideTheCommit:
    """The unit of work's notice writer that writes the outbox rows, as the real one does, and then
    dies before the COMMIT."""

    def __init__(self, services) -> None:
        self.real = OutboxWriter(services.clock, mail_enabled=services.config.mail_enabled)

    async def __call__(self, uow, notices) -> int:
        await self.real(uow, notices)
        raise ProcessDied


def dying(services):
    """The same services, but every unit of work they open dies inside its commit."""
    return dataclasses.replace(services, uow=partial(services.store.uow, DiesInsideTheCommit(services)))


def killed_after(db_url: str, target: str, run: str, *, preset: str, moment: datetime,
                 ) -> subprocess.CompletedProcess[str]:
    """Run `run` in a new process built by the composition root (settings from the environment),
    and SIGKILL that process the moment `target` ("module:function") returns."""
    module, name = target.split(":")
    script = textwrap.dedent(f"""
        import asyncio, importlib, os, signal, sys
        module = importlib.import_module({module!r})
        real = getattr(module, {name!r})

        async def returns_then_killed(*args, **kwargs):
            result = await real(*args, **kwargs)
            print("returned", flush=True)
            os.kill(os.getpid(), signal.SIGKILL)
            return result

        setattr(module, {name!r}, returns_then_killed)
    """) + textwrap.dedent(run)
    env = {**os.environ, "DATABASE_URL": db_url, "POLICYBOT_PRESET": preset, "POLICYBOT_DEMO": "0",
           "POLICYBOT_SCHEDULER": "0", "POLICYBOT_CLOCK": moment.isoformat(), "LOG_LEVEL": "WARNING"}
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == -signal.SIGKILL and "returned" in done.stdout, done.stdout + done.stderr
    return done


async def queued(services, subject_starts: str) -> list[tuple[str, str]]:
    """(person, subject) of each outbox row whose subject starts so."""
    rows = await outbox.listing(services.uow, None, 1000)
    return sorted((r.person_id, r.subject) for r in rows if r.subject.startswith(subject_starts))


async def meeting_on(services, day: date):
    async with services.uow() as uow:
        [m] = [m for m in await uow.meetings.of_body("ppp_group") if m.starts_at.date() == day]
        return m


# ------------------------------------------------------------------ a meeting's notices (the turn)


async def test_DOR_7_killed_after_the_chair_cancels_a_meeting_the_owner_is_still_told(db_url):
    async with organisation(db_url, "dorset", datetime(2027, 1, 4, 10)) as s:
        await meetings.place_on_agenda(s, who(PPO), "PP-002", "PPG")  # Alex Dunmore's item, 9 February
        assert await queued(s, "Meeting cancelled") == []

        killed_after(db_url, "services.meetings.agenda:cancel_meeting", """
            from datetime import date
            from bot.bootstrap import opened
            from tests.support.meetings import who

            async def go():
                async with opened(migrate=False) as runtime:
                    await module.cancel_meeting(runtime.services, who("ad-children"), date(2027, 2, 9), "PPG")

            asyncio.run(go())
        """, preset="dorset", moment=datetime(2027, 1, 4, 10))

        assert (await meeting_on(s, date(2027, 2, 9))).status == "cancelled"
        assert await queued(s, "Meeting cancelled") == [("ro-1", "Meeting cancelled: PP-002 Section 47 Enquiries")]


async def test_DOR_7_dying_inside_the_commit_cancels_nothing_and_tells_nobody(db_url):
    async with organisation(db_url, "dorset", datetime(2027, 1, 4, 10)) as s:
        await meetings.place_on_agenda(s, who(PPO), "PP-002", "PPG")
        with pytest.raises(ProcessDied):
            await meetings.cancel_meeting(dying(s), who(CHAIR), date(2027, 2, 9), "PPG")
        assert (await meeting_on(s, date(2027, 2, 9))).status == "scheduled"
        assert await queued(s, "Meeting cancelled") == []

        out = await meetings.cancel_meeting(s, who(CHAIR), date(2027, 2, 9), "PPG")  # again, alive: all of it
        assert (await meeting_on(s, date(2027, 2, 9))).status == "cancelled"
        assert await queued(s, "Meeting cancelled") == [("ro-1", "Meeting cancelled: PP-002 Section 47 Enquiries")]
        rows = await outbox.listing(s.uow, None, 1000)
        # The notices the turn is handed are the ones queued, keys and all: it only sends them.
        assert {n.key for n in out.notices} == {r.key.split("|")[0] for r in rows if r.subject.startswith("Meeting cancelled")}


# ------------------------------------------------------------------ papers (the sweep)

MEMBERS = {"ad-children", "head-qa", "ppo", "rsm-safeguarding", "rsm-cla", "rsm-early-help", "qa-1"}
PAPERS = f"Papers: {PPG}, Tuesday 9 February 2027"


async def test_DOR_8_killed_after_the_papers_go_they_are_marked_sent_and_queued_for_every_member(db_url):
    async with organisation(db_url, "dorset", datetime(2027, 1, 4, 10)) as s:
        await meetings.place_on_agenda(s, who(PPO), "PP-002", "PPG")

        killed_after(db_url, "services.meetings.agenda:due_meeting_work", """
            from bot.bootstrap import opened
            from services.reminders.sweeps import sweep_meetings

            async def go():
                async with opened(migrate=False) as runtime:
                    await sweep_meetings(runtime.services, "test-holder")

            asyncio.run(go())
        """, preset="dorset", moment=datetime(2027, 2, 4, 7))

        assert (await meeting_on(s, date(2027, 2, 9))).papers_sent_at is not None
        assert await queued(s, "Papers") == sorted((p, PAPERS) for p in MEMBERS)


async def test_DOR_8_dying_inside_the_commit_leaves_the_papers_unsent_and_the_next_run_sends_them(db_url):
    async with organisation(db_url, "dorset", datetime(2027, 1, 4, 10)) as s:
        await meetings.place_on_agenda(s, who(PPO), "PP-002", "PPG")
        at(s.clock, 2027, 2, 4, 7)
        with pytest.raises(ProcessDied):
            await meetings.due_meeting_work(dying(s), s.clock.now())
        assert (await meeting_on(s, date(2027, 2, 9))).papers_sent_at is None
        assert await queued(s, "Papers") == []

        sent = await meetings.due_meeting_work(s, s.clock.now())
        assert {n.person_id for n in sent if n.subject == PAPERS} == MEMBERS
        assert (await meeting_on(s, date(2027, 2, 9))).papers_sent_at is not None
        assert await queued(s, "Papers") == sorted((p, PAPERS) for p in MEMBERS)
        assert [n for n in await meetings.due_meeting_work(s, s.clock.now()) if n.subject == PAPERS] == []


# ------------------------------------------------------------------ the command line: handover and directory


async def owners(s, refs: list[str]) -> list[str | None]:
    async with s.uow() as uow:
        return [(await uow.documents.by_ref(r)).ro_id for r in refs]


async def test_NCT_1_killed_after_owner_reassign_hands_over_the_successor_and_ppo_are_still_told(db_url):
    async with organisation(db_url, "nct", datetime(2026, 11, 23, 10)) as s:
        killed_after(db_url, "policybot.commands.register:reassign_ro", """
            from policybot.cli import main
            sys.exit(main(["owner", "reassign", "ro-1", "ro-3", "--ref", "PP-001", "--reason", "Alex is leaving"]))
        """, preset="nct", moment=datetime(2026, 11, 23, 10))

        assert await owners(s, ["PP-001"]) == ["ro-3"]
        assert sorted(await queued(s, "Documents handed over")) == [("ro-1", "Documents handed over"),
                                                                    ("ro-3", "Documents handed over to you")]
        assert sorted(await queued(s, "Change of Responsible Officer")) == [("ppo", "Change of Responsible Officer"),
                                                                            ("rsm-safeguarding", "Change of Responsible Officer")]


async def test_NCT_1_dying_inside_the_commit_hands_nothing_over_and_tells_nobody(db_url):
    async with organisation(db_url, "nct", datetime(2026, 11, 23, 10)) as s:
        with pytest.raises(ProcessDied):
            await reassign_ro(dying(s), "ro-1", "ro-3", refs=["PP-001"], reason="Alex is leaving")
        assert await owners(s, ["PP-001"]) == ["ro-1"]
        assert await queued(s, "Documents handed over") == [] and await queued(s, "Change of Responsible Officer") == []

        out = await reassign_ro(s, "ro-1", "ro-3", refs=["PP-001"], reason="Alex is leaving")
        assert await owners(s, ["PP-001"]) == ["ro-3"]
        assert sorted(n.person_id for n in out.notices) == ["ppo", "ro-1", "ro-3", "rsm-safeguarding"]  # and the RSM, and Alex
        assert len(await queued(s, "Documents handed over")) == 2 and len(await queued(s, "Change of Responsible Officer")) == 2


LEAVER_CSV = ("Name,Email,Job title,Department,Manager,Roles,Active\n"
              "Jamie Castellan,jamie.castellan@example.org,Service Manager Fostering,Children in Care,,ro,no\n")


async def jamie(s) -> tuple[bool, list[str]]:
    async with s.uow() as uow:
        active = (await uow.people.get("ro-2")).active
    return active, sorted(p.ref for p in await ownership_problems(s))


async def test_NCT_1_killed_after_a_directory_load_the_leavers_documents_are_flagged_and_the_ppo_told(db_url, tmp_path):
    people = tmp_path / "people.csv"
    people.write_text(LEAVER_CSV, encoding="utf-8")
    async with organisation(db_url, "nct", datetime(2026, 11, 23, 10)) as s:
        assert await jamie(s) == (True, [])
        killed_after(db_url, "policybot.commands.register:load_csv", f"""
            from policybot.cli import main
            sys.exit(main(["directory", "load", {str(people)!r}]))
        """, preset="nct", moment=datetime(2026, 11, 23, 10))

        active, orphaned = await jamie(s)
        assert not active and orphaned
        assert await queued(s, "Documents without an owner") == [("ppo", "Documents without an owner")]


async def test_NCT_1_dying_inside_the_commit_of_a_directory_load_changes_nobody(db_url, tmp_path):
    people = tmp_path / "people.csv"
    people.write_text(LEAVER_CSV, encoding="utf-8")
    async with organisation(db_url, "nct", datetime(2026, 11, 23, 10)) as s:
        before = await queued(s, "")
        with pytest.raises(ProcessDied):
            await load_csv(dying(s), people, PeopleCsv())
        assert await jamie(s) == (True, [])
        assert await queued(s, "") == before

        report = await load_csv(s, people, PeopleCsv())
        active, orphaned = await jamie(s)
        assert report.applied and not active and sorted(report.orphaned) == orphaned
        assert [n.person_id for n in report.notices] == ["ppo"]
        assert await queued(s, "Documents without an owner") == [("ppo", "Documents without an owner")]
