"""The register's use cases on fakes of the ports: a tracker spreadsheet imported (DOR-1, NCT-1),
read through the spreadsheet reader port as the records it returns, and a change of Responsible
Officer that moves open work and withdraws the old owner's reminders (NCT-1)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from services.cases import lifecycle
from services.clock import LONDON
from services.errors import BadInput
from services.ports import Sheet, Workbook
from services.register.importing import import_workbook, reader_of
from services.register.ownership import reassign_ro
from services.register.tracker_mapping import load_mapping
from services.reminders import sweeps
from tests.service.people import teams

PPO = "priya.patelowens@example.org"
HEADINGS = ("Ref", "Title", "Type", "Service Area", "Responsible Officer", "RSM", "Last reviewed",
            "Next Review To Be Completed By", "Status")
TRACKER = [
    ("PP-001", "Children Missing from Home and Care", "Procedure", "Safeguarding", "Alex Dunmore", "Morgan Reyes",
     "14/03/2026", "14/03/2027", "Published"),
    ("", "Young Carers", "Procedure", "Early Help", "drew ashby", "Casey Lindqvist", "", "30 June 2027", "Published"),
    ("PP-003", "Strategy Discussions and Meetings", "Procedure", "Safeguarding", "Nobody Known", "Morgan Reyes", "",
     "03/31/2027", "Published"),
]


def _tracker(world, rows=TRACKER) -> Workbook:
    world.spreadsheets.workbooks["/shared/Policy tracker.xlsx"] = Workbook(
        "Policy tracker.xlsx", (Sheet("Tracker", (HEADINGS, *rows)),), "xlsx")
    return reader_of(world.services).read("/shared/Policy tracker.xlsx")


async def test_dor_1_a_tracker_with_a_bad_row_imports_nothing_and_says_which_row_and_why(demo):
    """DOR-1: a month-first date and an owner not in the directory are reported by row, and without
    'skip bad' nothing at all is written."""
    before = (demo.db.rows("documents"), demo.audit())
    report = await import_workbook(demo.services, _tracker(demo), load_mapping(None), actor_email=PPO)
    assert not report.applied
    [rejected] = report.rejected
    assert rejected.row == 4
    assert "'03/31/2027' is not a real date: there is no month 31" in rejected.reason
    assert "Responsible Officer 'Nobody Known' is not in the directory" in rejected.reason
    assert (demo.db.rows("documents"), demo.audit()) == before and demo.db.rows("import_runs") == []


async def test_nct_1_skip_bad_imports_the_good_rows_in_one_commit_and_again_changes_nothing(demo):
    """NCT-1: the good rows update the register (a review date) and add a new document with its owners
    matched however their names were typed; the run and its audit record commit together; the same
    file again changes nothing."""
    commits = demo.db.commits
    report = await import_workbook(demo.services, _tracker(demo), load_mapping(None), skip_bad=True, actor_email=PPO)
    assert report.applied and (report.count("add"), report.count("update")) == (1, 1)
    assert demo.db.commits == commits + 1
    docs = {d.ref: d for d in demo.db.rows("documents")}
    assert docs["PP-001"].next_review_due == date(2027, 3, 14) and docs["PP-001"].last_reviewed_on == date(2026, 3, 14)
    [added] = [d for d in docs.values() if d.title == "Young Carers"]
    assert (added.ro_id, added.rsm_id, added.next_review_due) == ("ro-4", "rsm-early-help", date(2027, 6, 30))
    [run] = demo.db.rows("import_runs")
    assert (run.added, run.updated, run.rejected, run.actor_id) == (1, 1, 1, "ppo")
    assert [a.summary for a in demo.audit(action="tracker_import")] == [
        "Imported Policy tracker.xlsx sheet 'Tracker': 1 added, 1 updated, 0 unchanged, 1 rejected"]
    again = await import_workbook(demo.services, _tracker(demo), load_mapping(None), skip_bad=True, actor_email=PPO)
    assert not again.applied and again.count("unchanged") == 2 and len(demo.db.rows("import_runs")) == 1


async def test_an_empty_workbook_is_refused_politely(demo):
    with pytest.raises(BadInput, match="is empty"):
        await import_workbook(demo.services, Workbook("blank.xlsx", (Sheet("Sheet1", ()),), "xlsx"), load_mapping(None))


async def test_nct_1_a_change_of_ro_moves_open_work_and_withdraws_the_old_owners_reminders(demo):
    """NCT-1: every procedure has an RO at all times; when Alex Dunmore's documents go to Frankie
    Osei, the open review moves with them (it now waits for Frankie), Alex's queued review reminders
    are withdrawn, and the PPO and Frankie are told, all in one commit (an administrator's command:
    the PPO is told; had the PPO done it, they would not be told of their own change)."""
    opened = await lifecycle.start_case(demo.services, teams("ro-1"), "PP-002", "scheduled_review")
    demo.clock.set(datetime(2026, 11, 23, 7, 0, tzinfo=LONDON))
    await sweeps.sweep_reviews(demo.services, "test")
    alex_reminders = [r for r in demo.outbox(person_id="ro-1") if r.kind.startswith("review")]
    assert alex_reminders, "the demo register has reviews due for Alex"
    commits = demo.db.commits
    handover = await reassign_ro(demo.services, "alex.dunmore@example.org", "Frankie Osei", reason="Alex moved team")
    assert demo.db.commits == commits + 1
    owned = sorted(d.ref for d in demo.db.rows("documents") if d.ro_id == "ro-1")
    assert owned == [] and set(handover.documents) >= {"PP-001", "PP-002", "PP-003"}
    assert handover.cases == (opened.case.id,)
    case = next(c for c in demo.db.rows("cases") if c.id == opened.case.id)
    assert "ro-1" not in str(case.waiting_for) and case.version == 2
    still_owed = {r.key for r in demo.outbox(person_id="ro-1") if r.kind.startswith("review") and r.status == "pending"}
    assert still_owed == set()
    assert {r.status for r in demo.outbox(person_id="ro-1") if r.kind.startswith("review")} == {"skipped"}
    [to_ppo] = [r for r in demo.outbox(person_id="ppo") if r.subject == "Change of Responsible Officer"]
    assert "Frankie Osei now owns" in to_ppo.body and "Reason: Alex moved team." in to_ppo.body
    assert [r.subject for r in demo.outbox(person_id="ro-6") if r.subject.startswith("Documents handed")] == [
        "Documents handed over to you"]
    assert len(demo.audit(action="owner_changed")) == len(handover.documents)


async def test_nct_1_a_handover_to_someone_who_has_left_changes_nothing(demo):
    async with demo.services.uow() as uow:
        await uow.people.update("ro-6", active=False)
        await uow.commit()
    before = (demo.db.rows("documents"), demo.outbox())
    with pytest.raises(BadInput, match="has left"):
        await reassign_ro(demo.services, "Alex Dunmore", "Frankie Osei")
    assert (demo.db.rows("documents"), demo.outbox()) == before
