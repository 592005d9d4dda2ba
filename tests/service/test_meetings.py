"""Meeting agendas and papers on fakes of the ports: Dorset's Practice, Policy and Procedures Group
(DOR-7, DOR-8, DOR-9) with the clock moved across the item and papers deadlines, as the sweep
runs them. The papers, the agenda placement and their notices are read from the fake outbox."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from governance.errors import GovernanceError
from services.cases import lifecycle
from services.clock import LONDON
from services.demo import ensure_demo
from services.reminders import sweeps
from tests.service.fakes import fake_world
from tests.service.people import teams

CHAIR = "ad-children"
MEMBERS = {"ad-children", "head-qa", "ppo", "qa-1", "rsm-cla", "rsm-early-help", "rsm-safeguarding"}


async def _dorset(at: datetime):
    world = fake_world("dorset", at=at)
    assert await ensure_demo(world.services, org="nct")  # the people the tests name: NCT's demo organisation
    return world


async def _to_group(world, ref: str, ro: str):
    """A scheduled review: the owner reviews it and sends the draft (no proposal first: DOR-2 is for new
    documents, ToR 8.2), and it reaches the Group's decision and its agenda."""
    opened = await lifecycle.start_case(world.services, teams(ro), ref, "scheduled_review")
    assert opened.case.stage == "draft"
    draft = world.docx.describe(f"{ref} draft for the Group".encode(), title=ref)
    out = await lifecycle.submit_draft(world.services, teams(ro), f"{ref}.docx", draft, opened.case.id)
    assert out.case.stage == "group_decision"
    return out


def _said_to(notices, person: str) -> list[str]:
    return [f"{n.subject}. {n.body}" for n in notices if n.person_id == person]


async def test_dor_8_an_item_goes_to_the_first_meeting_whose_item_deadline_it_meets():
    """DOR-8: items are due 10 working days before the meeting. On 4 January 2027 January's deadline
    (24 December, before Christmas) has passed, so the item goes to February; on 26 January, the
    deadline day itself, still February; on 27 January, March."""
    world = await _dorset(datetime(2027, 1, 4, 10, 0, tzinfo=LONDON))
    out = await _to_group(world, "PP-002", "ro-1")
    assert _said_to(out.notices, "ro-1") == [
        "On the agenda: PP-002 Section 47 Enquiries. PP-002 Section 47 Enquiries is on the agenda of the Practice, "
        "Policy and Procedures Group meeting on Tuesday 9 February 2027. Item and draft due: 26 January 2027. "
        "Papers go to members: 4 February 2027."]
    assert [r.subject for r in world.outbox(person_id=CHAIR) if "PP-002" in r.subject][-1] == \
        "For decision: PP-002 Section 47 Enquiries"
    world.clock.set(datetime(2027, 1, 26, 10, 0, tzinfo=LONDON))
    out = await _to_group(world, "PP-044", "ro-2")
    assert "meeting on Tuesday 9 February 2027" in _said_to(out.notices, "ro-2")[0]
    world.clock.set(datetime(2027, 1, 27, 10, 0, tzinfo=LONDON))
    out = await _to_group(world, "PP-003", "ro-1")
    assert "meeting on Tuesday 9 March 2027. Item and draft due: 23 February 2027." in _said_to(out.notices, "ro-1")[0]


async def test_dor_7_the_group_does_not_meet_in_august_or_december():
    world = await _dorset(datetime(2027, 1, 4, 10, 0, tzinfo=LONDON))
    await _to_group(world, "PP-002", "ro-1")
    months = {m.starts_at.month for m in world.db.rows("meetings") if m.body == "ppp_group"}
    assert months and not months & {8, 12}
    assert all(m.starts_at.weekday() == 1 for m in world.db.rows("meetings"))  # Tuesdays


async def test_dor_8_papers_go_to_every_member_on_the_papers_deadline_once():
    """DOR-8 and DOR-9: papers go 3 working days before the meeting, not a day earlier, to every
    member, with the standard agenda and the current drafts; the sweep running again sends nothing
    twice, and the meeting is marked as having had its papers."""
    world = await _dorset(datetime(2027, 1, 4, 10, 0, tzinfo=LONDON))
    await _to_group(world, "PP-002", "ro-1")
    await _to_group(world, "PP-044", "ro-2")
    world.clock.set(datetime(2027, 2, 3, 7, 0, tzinfo=LONDON))
    await sweeps.sweep_meetings(world.services, "test")
    assert [r for r in world.outbox() if r.subject.startswith("Papers")] == []
    world.clock.set(datetime(2027, 2, 4, 7, 0, tzinfo=LONDON))
    first = await sweeps.sweep_meetings(world.services, "test")
    again = await sweeps.sweep_meetings(world.services, "test")
    papers = [r for r in world.outbox() if r.subject.startswith("Papers")]
    assert first.queued == len(MEMBERS) and again.queued == 0
    assert {r.person_id for r in papers} == MEMBERS and len(papers) == len(MEMBERS)
    body = papers[0].body
    assert body.startswith("Agenda: Practice, Policy and Procedures Group, Tuesday 9 February 2027 at 10:00\n")
    sections = ["Progress report and outstanding actions", "New proposals and drafts", "Reviews", "Information items",
                "Horizon scanning"]
    assert [body.index(s) for s in sections] == sorted(body.index(s) for s in sections)  # DOR-9's order
    assert "2. PP-002 Section 47 Enquiries (presented by Alex Dunmore)" in body
    assert "3. PP-044 Private Fostering (presented by Jamie Castellan)" in body
    assert "- PP-002 Section 47 Enquiries: draft version 1 (PP-002.docx)" in body
    february = next(m for m in world.db.rows("meetings") if m.starts_at.date() == date(2027, 2, 9))
    assert february.papers_sent_at == datetime(2027, 2, 4, 7, 0, tzinfo=LONDON)


async def test_dor_2_a_routine_review_goes_to_its_owner_and_only_a_new_document_is_proposed_first():
    """DOR-2 and ToR 8.2: the need for a NEW document is agreed by the Group before drafting; a review
    of an existing one is the owner's to conduct, and the Group approves the reviewed document."""
    world = await _dorset(datetime(2027, 1, 4, 10, 0, tzinfo=LONDON))
    opened = await lifecycle.start_case(world.services, teams("ro-1"), "PP-002", "scheduled_review")
    assert opened.case.stage == "draft"
    preset = world.services.preset
    assert [s.id for s in preset.route_for("scheduled_review", "procedure", None).stages][:2] == ["draft", "group_decision"]
    assert preset.route_for("new_document", "procedure", None).stages[0].kind == "agree_need"
    with pytest.raises(GovernanceError):  # nothing for the chair to agree on a routine review
        await lifecycle.act(world.services, teams(CHAIR), opened.case.id, "agree_need")
