"""Dorset's PPP Group with its own demo organisation, over HTTP in Teams' shapes and by email
(issue 19, items 7 and 8): a vote typed as people type it (DOR-4), and absences escalated only for
the members ToR 7.3 names (DOR-11), with the scheduler's clock moved across the Group's meetings
(no December meeting: DOR-7). SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime

import pytest

from connectors.word.samples import plain_docx
from services.clock import LONDON
from tests.support.cases import buttons, last_to, press, sent_to, text_of
from tests.support.channel import readable
from tests.support.presets import emails, greet, people, preset_bot, rehearse, said_as

AAD = people("dorset")
MAIL = emails("dorset")


@pytest.fixture
async def dorset(db_url):
    async with preset_bot(db_url, "dorset", datetime(2026, 12, 1, 9, 30, tzinfo=LONDON)) as bot:
        yield bot


async def _by_email(bot, key: str, text: str, **kw) -> str:
    said = await bot.say(text, channel_id="email", user_id=MAIL[key], conversation=f"email-{key}", **kw)
    return said.replies[0]["text"]


async def _to_the_group(bot) -> None:
    """Case 1: a SEND procedure proposed by email, its need agreed and its draft sent, for the Group's decision."""
    await greet(bot, AAD, "ppo-chair", "lead-send")
    said = await _by_email(bot, "lead-send", "I need a new procedure on preparing for adulthood reviews")
    for answer in ("SEND", "The SEND code of practice asks for preparing for adulthood from year 9", "none", "none", "yes"):
        said = await _by_email(bot, "lead-send", answer)
    assert "case 1" in said
    # DOR-2: the chair alone cannot agree the need; the Group's outcome at its January meeting does.
    said = await _by_email(bot, "ppo-chair", "agree the need case 1")
    assert "agrees the need for PP-014 Preparing for adulthood reviews at its meeting, not its chair alone (DOR-2)" in said
    await rehearse(bot, datetime(2027, 1, 12, 12, 0))
    assert "Case 1: Need agreed" in await _by_email(bot, "ppo-chair", "record the outcome of item 2: approved")
    assert "issued to members" in await _by_email(bot, "ppo-chair", "issue the minutes")
    act = bot.activity("Draft attached", channel_id="email", user_id=MAIL["lead-send"], conversation="email-lead-send",
                       attachments=[bot.channel.attach("pfa.docx", plain_docx(title="Preparing for adulthood"))])
    assert "stored as draft version 1" in (await bot.send(act)).replies[0]["text"]


async def test_dor_4_the_chair_records_a_vote_by_email_as_typed(dorset):
    """DOR-4: 'approve by vote case 1: 4 for' says exactly what is missing; '4 for, 3 against' approves.
    DOR-3: the review schedule agreed with the approval ('review in 6 months') replaces the default."""
    bot = dorset
    await _to_the_group(bot)
    said = await _by_email(bot, "ppo-chair", "approve by vote case 1: 4 for")
    assert "I have 4 for; how many voted against? For example '4 for, 0 against'." in said
    said = await _by_email(bot, "ppo-chair", "approve by vote case 1: 4 for, 3 against, review in 6 months")
    assert "Approved by vote, 4 for and 3 against" in said
    said = await said_as(bot, AAD, "ppo-chair", "history PP-014")
    assert "Approved by vote, 4 for and 3 against" in said
    # DOR-3: the Group agreed a six-month review instead of the procedure's default twelve.
    assert "Needs recorded (DOR-14): no forms" in await _by_email(bot, "lead-send", "needs nothing case 1")
    assert "Published as version 1.0" in await _by_email(bot, "ppo-chair", "publish case 1 version 1.0")
    status = await said_as(bot, AAD, "lead-send", "status PP-014")
    assert "Next review by: 12 July 2027" in status, status


async def test_dor_11_only_members_other_than_heads_of_locality_and_qa_managers_are_escalated(dorset):
    """DOR-11 (ToR 7.2, 7.3): a service lead absent without a delegate from two successive meetings
    (January, then February: there is no December meeting) is escalated to the Head of QA and
    Partnerships; a Head of Locality and a QA Manager absent just as often are not."""
    bot = dorset
    await greet(bot, AAD, "ppo-chair", "head-qa")
    assert "TUESDAY 12 JANUARY 2027" in (await said_as(bot, AAD, "ppo-chair", "next agenda")).upper()
    roll = ("attendance: Robert Tennant present, Aisha Karimi present, Sinead O'Rourke present, Martin Fowler-Greene absent, "
            "Declan Hughes present, Priti Desai present, Hugo Lindqvist absent, Megan Pascoe absent, Oliver Trask present")
    await rehearse(bot, datetime(2027, 1, 12, 13, 0))
    said = await said_as(bot, AAD, "ppo-chair", roll)
    assert "Attendance recorded for the Practice, Policy and Procedures Group meeting on 12 January 2027" in said
    assert "DOR-11" not in said.split("short")[0]  # one absence is no run yet
    await rehearse(bot, datetime(2027, 2, 9, 13, 0))
    before = len(sent_to(bot, "a:head-qa"))
    said = await said_as(bot, AAD, "ppo-chair", roll.replace("Declan Hughes present", "Declan Hughes sent Deputy Head of Locality"))
    assert "Megan Pascoe has missed 2 meetings of the Practice, Policy and Procedures Group in a row" in said
    assert "Martin Fowler-Greene has missed" not in said and "Hugo Lindqvist has missed" not in said
    told = [readable(a) for a in sent_to(bot, "a:head-qa")[before:]]
    assert any("Megan Pascoe has missed 2 meetings" in t for t in told), told
    assert not any("Fowler-Greene" in t or "Hugo Lindqvist" in t for t in told), told


async def test_dor_2_a_proposal_goes_on_the_forward_plan_and_agenda_and_the_group_agrees_the_need(dorset):
    """DOR-2: a proposal made on 1 December goes on the PPP Group's forward plan and the agenda of its
    next meeting (12 January: there is none in December, DOR-7); on the day the chair records the
    Group's outcome and that agrees the need, which the proposer is told."""
    bot = dorset
    await greet(bot, AAD, "ppo-chair", "lead-early-help")
    said = await said_as(bot, AAD, "lead-early-help", "we need a new procedure on family network meetings")
    for answer in ("Procedure", "Early Help", "Family network meetings are expected before proceedings from 2027", "none", "none", "yes"):
        said = await said_as(bot, AAD, "lead-early-help", answer)
    assert "your request is PP-014 Family network meetings, case 1" in said
    plan = await said_as(bot, AAD, "lead-early-help", "forward plan for PPG")
    assert "PP-014 Family network meetings" in plan and "12 January 2027" in plan
    agenda = await said_as(bot, AAD, "ppo-chair", "next agenda")
    assert "New proposals and drafts\n2. PP-014 Family network meetings" in agenda
    # Before the meeting the outcome cannot be recorded; on the day it can, and it agrees the need.
    said = await said_as(bot, AAD, "ppo-chair", "record the outcome of item 2: approved")
    assert "outcomes are recorded at or after the meeting" in said
    await rehearse(bot, datetime(2027, 1, 12, 12, 0))
    said = await said_as(bot, AAD, "ppo-chair", "record the outcome of item 2: approved")
    assert "Item 2, PP-014 Family network meetings: approved. Case 1: Need agreed" in said, said
    assert "Stage: Owner drafts the document" in await said_as(bot, AAD, "lead-early-help", "case 1")
    assert any("The need for this document has been agreed" in readable(a) for a in sent_to(bot, "a:lead-early-help"))


async def test_dor_5_directors_and_interim_approvals_by_email_words_and_refusals_in_words(dorset):
    """DOR-5 by email: the Director's and a Head of Service's reply words are offered and work; a
    refusal lists what can happen now in words, never an action's id. The Director's approval goes
    to the Group's next meeting as an information item."""
    bot = dorset
    await _to_the_group(bot)
    said = await _by_email(bot, "director", "case 1")
    assert "DIRECTOR SIGN OFF case 1" in said
    said = await _by_email(bot, "hol-north", "case 1")
    assert "INTERIM SIGN OFF case 1" in said
    said = await _by_email(bot, "lead-send", "publish case 1 version 1.0")
    assert "What can happen now:" in said and "director's approval, interim approval" in said
    assert "director_approve" not in said and "interim_approve" not in said
    said = await _by_email(bot, "director", "director sign off case 1")
    assert "Done:" in said, said
    agenda = await said_as(bot, AAD, "ppo-chair", "next agenda")
    assert "Information items\n" in agenda and "PP-014 Preparing for adulthood reviews" in agenda.split("Information items")[1]


async def test_dor_6_a_policy_reaches_cabinet_and_is_decided_there(dorset):
    """DOR-6: a policy's review goes to Cabinet, not the Group; the Cabinet's chair decides it."""
    bot = dorset
    await greet(bot, AAD, "head-qa", "cabinet-lead", "ppo-chair")
    said = await said_as(bot, AAD, "head-qa", "review PP-001")
    assert "Case 1 is open: scheduled review of PP-001 Children's Services Policies, Values and Principles" in said
    act = bot.activity("", aad=AAD["head-qa"], conversation="a:head-qa",
                       attachments=[bot.channel.attach("values.docx", plain_docx(title="Policies, values and principles"))])
    said = text_of(await bot.send(act))
    assert "Stage: Cabinet approval" in said
    refused = await said_as(bot, AAD, "ppo-chair", "approve case 1")
    assert "Only the chair of the Cabinet for this policy can approve it." in refused  # not the Group's chair
    said = await said_as(bot, AAD, "cabinet-lead", "approve case 1")
    assert "Approved at 'Cabinet approval'" in said, said


async def test_dor_14_at_approval_the_owner_names_what_it_needs_in_teams_and_each_is_chased(dorset):
    """DOR-14 in Teams: when the Group approves it, the owner's card asks which forms, training and
    system changes the procedure needs; their answer on the card becomes one action each (forms and
    systems for the Mosaic Lead), told to its owner, due by the Group's next meeting (9 February)
    and chased the day after; publication waited for it."""
    bot = dorset
    await _to_the_group(bot)
    await greet(bot, AAD, "mosaic-lead")
    assert "Approved at 'The Group's decision'" in await said_as(bot, AAD, "ppo-chair", "approve case 1")
    said = await said_as(bot, AAD, "ppo-chair", "publish case 1 version 1.0")
    assert "its owner says which forms, training and system changes it needs (DOR-14)" in said
    card = last_to(bot, "a:lead-send")
    assert "Which forms, training and system changes does it need (DOR-14)?" in readable(card)
    done = await press(bot, AAD["lead-send"], buttons(card)["record_needs"], conversation="a:lead-send",
                       needs_forms="Transition assessment, Year 9 review record", needs_training="PfA briefing for SEND caseworkers",
                       needs_systems="")
    assert "Needs recorded (DOR-14): forms: Transition assessment, Year 9 review record; training: PfA briefing" in done
    told = [readable(a) for a in sent_to(bot, "a:mosaic-lead")]
    assert any("Form for PP-014 Preparing for adulthood reviews: Year 9 review record (DOR-14), by 9 February 2027" in t
               for t in told), told
    assert "Published as version 1.0" in await said_as(bot, AAD, "ppo-chair", "publish case 1 version 1.0")
    history = await said_as(bot, AAD, "ppo-chair", "history PP-014")
    assert "Training for PP-014 Preparing for adulthood reviews: PfA briefing for SEND caseworkers (DOR-14), due 9 Feb" in history
    before = len(sent_to(bot, "a:mosaic-lead"))
    await rehearse(bot, datetime(2027, 2, 10, 9, 0))
    chased = [readable(a) for a in sent_to(bot, "a:mosaic-lead")[before:]]
    assert sum("Action overdue" in t for t in chased) == 2, chased
