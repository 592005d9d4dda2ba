"""Birmingham (BCT) on its own demo trust over HTTP, in Teams' shapes and by email with real SMTP
(issue 19, items 2 and 3), the scheduler rehearsed by moving the clock across the consultation's
close, the papers date, Christmas and the Boxing Day bank holiday, and the meeting.

Item 2, one meeting timeline (BCT-4, BCT-6, BCT-7); item 3, consultation to the right people (BCT-3,
BCT-4, BCT-8). SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import update

from bot.app import DISPATCHER_KEY, RUNTIME_KEY
from connectors.word.samples import plain_docx
from services.clock import LONDON
from store.models import Person
from tests.support.cases import last_to, request_document, sent_to, text_of
from tests.support.channel import readable
from tests.support.presets import emails, greet, people, preset_bot, rehearse, said_as

AAD = people("bct")
MAIL = emails("bct")
SMTP_ENV = {"POLICYBOT_MAIL_TRANSPORT": "smtp", "SMTP_HOST": "127.0.0.1", "POLICYBOT_MAIL_FROM": "policybot@trust.example"}
EVERYONE = ("policy-officer", "team-manager", "ad-safeguarding", "ad-care", "ad-disabled", "dir-practice", "dir-ops",
            "chief-exec", "psw", "hos-mash", "hos-fostering", "hos-leaving-care")


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)


async def _by_email(bot, key: str, text: str) -> str:
    said = await bot.say(text, channel_id="email", user_id=MAIL[key], conversation=f"email-{key}")
    assert said.status in (200, 201, 202), said.body
    return text_of(said)


async def _works_by_email(bot, *keys: str) -> None:
    async with bot.app[RUNTIME_KEY].store.sessionmaker() as s:
        await s.execute(update(Person).where(Person.id.in_(keys)).values(preferences={"channels": ["email"]}))
        await s.commit()


def _mails(smtp, key: str, subject_starts: str) -> list[str]:
    return [f"{m.message['Subject']}\n{m.part('text/plain')}" for m in smtp.to(MAIL[key])
            if " ".join(str(m.message["Subject"]).split()).startswith(subject_starts)]  # a long subject is folded


async def _draft(bot, key: str, name: str, text: str = ""):
    act = bot.activity(text, aad=AAD[key], conversation=f"a:{key}", attachments=[bot.channel.attach(name, plain_docx(title=name))])
    return text_of(await bot.send(act))


@pytest.fixture
async def christmas(db_url, smtp):
    """Monday 21 December 2026: the next DLG whose timeline can still be kept is Tuesday 29 December."""
    async with preset_bot(db_url, "bct", at(2026, 12, 21, 9, 0), SMTP_PORT=str(smtp.port), **SMTP_ENV) as bot:
        await greet(bot, AAD, *EVERYONE)
        await _works_by_email(bot, "ad-care")
        yield bot


async def test_bct_4_bct_6_bct_7_one_timeline_across_christmas_to_the_executive_team(christmas, smtp):
    """BCT-4: consulted for the DLG of 29 December, responses due Wednesday 23rd (Christmas and the
    Boxing Day holiday pull the papers to Thursday 24th, and the close goes before them); a comment
    by email reply; closing it by the scheduler leaves it on the same meeting. BCT-6: the papers on
    the 24th list the document and the comments; the second draft joins them. BCT-7: on the day the
    chair refers it, and it lands on the Executive Team's forward plan and agenda."""
    bot = christmas
    said = await request_document(bot, AAD["team-manager"], "a:team-manager", "we need a new procedure on pre-birth assessments",
                                  ["Procedure for an area of practice", "Safeguarding",
                                   "Pre-birth referrals rose by a third after the 2026 audit", "Midwifery, Health Visiting", "none", "yes"])
    assert "PP-020 Pre-birth assessments, case 1" in text_of(said)
    assert "Done: Need agreed" in await said_as(bot, AAD, "policy-officer", "agree the need case 1")
    assert "Stage: First draft agreed within the service area" in await _draft(bot, "team-manager", "pre-birth.docx")
    done = await said_as(bot, AAD, "ad-safeguarding", "approve case 1")
    assert "Stage: Consultation with the Director Leadership Group's attendees" in done
    assert "Consultation closes: 23 December 2026" in done

    # BCT-4 by email: Lucy Whitmore works by email; the consultation reaches her by SMTP, with the
    # words to reply with, and she comments by replying.
    [mail] = _mails(smtp, "ad-care", "Consultation: PP-020 Pre-birth assessments")
    assert "by 23 December 2026" in mail and "COMMENT case 1: <your words>" in mail
    said = await _by_email(bot, "ad-care", "COMMENT case 1: Add the pre-birth protocol agreed with the midwifery service")
    assert "Done: Commented: Add the pre-birth protocol agreed with the midwifery service" in said
    # ... and in Teams: the card reached Peter Nwosu, who agrees in words.
    assert "Consultation: PP-020" in readable(last_to(bot, "a:ad-disabled"))
    assert "Done: Agreed" in await said_as(bot, AAD, "ad-disabled", "i agree case 1")
    plan = await said_as(bot, AAD, "policy-officer", "forward plan for DLG")
    assert "PP-020 Pre-birth assessments (new draft): meeting on" in plan and "under consultation until 23 December 2026" in plan

    await rehearse(bot, at(2026, 12, 23, 18, 0))  # the close day itself: still open
    assert "under consultation until 23 December 2026" in await said_as(bot, AAD, "policy-officer", "forward plan for DLG")
    await rehearse(bot, at(2026, 12, 24, 7, 0))  # the papers date: the sweep closes the consultation, then the papers go
    history = await said_as(bot, AAD, "team-manager", "history PP-020")
    assert "no response from 3, recorded as agreement (BCT-5)" in history
    [papers] = _mails(smtp, "ad-care", "Papers: Director Leadership Group, Tuesday 29 December 2026")
    assert "PP-020 Pre-birth assessments: draft version 1 (pre-birth.docx)" in papers
    assert "PP-020: Lucy Whitmore: Add the pre-birth protocol agreed with the midwifery service" in papers
    agenda = await said_as(bot, AAD, "dir-practice", "next agenda for DLG")
    assert "29 December 2026" in agenda and "PP-020 Pre-birth assessments" in agenda  # not pushed to 5 January

    # BCT-6: the person responsible sends the second draft; it joins the papers.
    said = await _draft(bot, "team-manager", "pre-birth-v2.docx")
    assert "stored as draft version 2" in said and "Second draft for the Director Leadership Group on 29 December 2026" in said
    # The papers went out this morning, so the members, the chair among them, are sent the second draft
    # after them (by email for Lucy).
    for key in ("dir-practice", "dir-ops"):
        assert "Added to the papers: second draft of PP-020" in readable(last_to(bot, f"a:{key}")), key
    await bot.app[DISPATCHER_KEY].drain()
    assert _mails(smtp, "ad-care", "Added to the papers: second draft of PP-020 Pre-birth assessments")
    agenda = await said_as(bot, AAD, "dir-practice", "next agenda for DLG")
    assert "draft version 2 (pre-birth-v2.docx) (second draft, with the consultation comments)" in agenda

    await rehearse(bot, at(2026, 12, 28, 9, 0))  # the Boxing Day bank holiday: nothing new falls due
    assert "PP-020 Pre-birth assessments" in await said_as(bot, AAD, "dir-practice", "next agenda for DLG")
    await rehearse(bot, at(2026, 12, 29, 11, 0))  # the meeting
    asked = await said_as(bot, AAD, "dir-practice", "record the outcome of item 2: refer to the Executive Team")
    assert "Please add why it goes to the higher body" in asked
    done = await said_as(bot, AAD, "dir-practice",
                         "record the outcome of item 2: refer to the Executive Team: the midwifery link has a cost for the Trust")
    assert "Item 2, PP-020 Pre-birth assessments: referred to the higher body: the midwifery link has a cost for the Trust" in done
    assert "It goes onto the forward plan of the Executive Team" in done
    plan = await said_as(bot, AAD, "chief-exec", "forward plan for the Executive Team")
    # The first Executive Team whose deadlines it can meet: 30 December's passed on Christmas Eve.
    assert "PP-020 Pre-birth assessments (new draft): meeting on 6 January 2027, referred by the Director Leadership Group" in plan
    assert any("For decision: PP-020" in readable(a) for a in sent_to(bot, "a:chief-exec"))
    await rehearse(bot, at(2026, 12, 31, 9, 0))  # after the ET of 30 December
    agenda = await said_as(bot, AAD, "chief-exec", "next agenda for ET")
    assert "Executive Team: Wednesday 6 January 2027" in agenda and "PP-020 Pre-birth assessments" in agenda


@pytest.fixture
async def november(db_url, smtp):
    async with preset_bot(db_url, "bct", at(2026, 11, 23, 9, 0), SMTP_PORT=str(smtp.port), **SMTP_ENV) as bot:
        await greet(bot, AAD, *EVERYONE)
        await _works_by_email(bot, "hos-leaving-care")
        yield bot


async def test_bct_3_bct_4_bct_8_each_document_is_consulted_on_with_the_right_people(november, smtp):
    """BCT-3: the service-area lead (and no other AD) agrees the first draft, after the area's Heads of
    Service have it. BCT-4: a DLG item goes to the DLG's attendees only. BCT-8: a single-service
    procedure goes to the AD and Heads of Service of that practice area only, a Head of Service
    comments by email, and only that AD signs it off; an overarching policy goes to the Directors and
    ADs group two weeks before its Executive Team meeting."""
    bot = november
    # A DLG item (case 1).
    await request_document(bot, AAD["team-manager"], "a:team-manager", "we need a new procedure on pre-birth assessments",
                           ["Procedure for an area of practice", "Safeguarding", "Referrals rose after the audit", "Midwifery", "none", "yes"])
    await said_as(bot, AAD, "policy-officer", "agree the need case 1")
    await _draft(bot, "team-manager", "pre-birth.docx")
    assert "First draft for comment within the service area: PP-020" in readable(last_to(bot, "a:hos-mash"))
    refused = await said_as(bot, AAD, "ad-care", "approve case 1")
    assert "Only the service-area lead for this procedure can approve it." in refused
    await said_as(bot, AAD, "ad-safeguarding", "approve case 1")
    for key in ("dir-practice", "dir-ops", "ad-care", "ad-disabled"):
        assert "Consultation: PP-020" in readable(last_to(bot, f"a:{key}")), key
    assert not any("Consultation: PP-020" in readable(a) for a in sent_to(bot, "a:psw"))  # a consultee, not a DLG attendee
    plan = await said_as(bot, AAD, "policy-officer", "forward plan for DLG")
    assert "under consultation until 27 November 2026" in plan

    # A single-service procedure (case 2), in Children in Care.
    said = await request_document(bot, AAD["hos-fostering"], "a:hos-fostering", "we need a new procedure on fostering allowances",
                                  ["new", "Procedure for a single service area", "Children in Care", "The allowances changed in April",
                                   "Finance", "none", "yes"])  # 'new': not a review of the Fostering Panel Procedure (LBBD-1's check)
    assert "PP-021 Fostering allowances, case 2" in text_of(said), text_of(said)
    await said_as(bot, AAD, "policy-officer", "agree the need case 2")
    said = await _draft(bot, "hos-fostering", "allowances.docx", "case 2")
    assert "Stage: Consultation by email with the AD and HoS group of the practice area" in said
    assert "Consultation: PP-021" in readable(last_to(bot, "a:ad-care"))
    for key in ("ad-safeguarding", "ad-disabled", "dir-practice"):
        assert "Consultation: PP-021" not in readable(last_to(bot, f"a:{key}")), key
    [mail] = _mails(smtp, "hos-leaving-care", "Consultation: PP-021 Fostering allowances")
    said = await _by_email(bot, "hos-leaving-care", "comment case 2: Care leavers' setting-up-home allowance needs a line")
    assert "Done: Commented" in said
    await said_as(bot, AAD, "ad-care", "i agree case 2")
    assert "Done: Consultation closed" in await said_as(bot, AAD, "hos-fostering", "close consultation case 2")
    refused = await said_as(bot, AAD, "ad-safeguarding", "approve case 2")
    assert "Only the Assistant Director for this procedure can approve it." in refused
    done = await said_as(bot, AAD, "ad-care", "approve case 2")
    assert "Stage: Practice Hub versions, dates, uploads and announces" in done

    # An overarching policy (case 3): shared two weeks before the Executive Team of 9 December.
    said = await request_document(bot, AAD["dir-practice"], "a:dir-practice", "we need a new policy on information governance in multi-agency hubs",
                                  ["Overarching Trust policy", "Trust", "The data protection audit asked for one", "All services", "none", "yes"])
    assert "PP-022 Information governance in multi-agency hubs, case 3" in text_of(said), text_of(said)
    await said_as(bot, AAD, "policy-officer", "agree the need case 3")
    said = await _draft(bot, "dir-practice", "restorative.docx", "case 3")
    assert "Stage: Consultation with the Directors and ADs group" in said and "Consultation closes: 4 December 2026" in said
    for key in ("dir-ops", "ad-safeguarding", "ad-care", "ad-disabled"):
        assert "Consultation: PP-022" in readable(last_to(bot, f"a:{key}")), key
    agenda = await said_as(bot, AAD, "chief-exec", "forward plan for ET")
    assert "PP-022" in agenda and "under consultation until 4 December 2026" in agenda


async def test_bct_2_bct_3_cards_and_nothing_found_use_bct_own_names(november):
    """BCT-3: a document's card names its owner as BCT does (the responsible person in the service
    area), with no NCT Responsible Strategic Manager; BCT-2: when nothing is found, the person to ask
    is the Policy Service's officer by name, not a Policy and Procedures Officer."""
    bot = november
    status = await said_as(bot, AAD, "team-manager", "status PP-016")
    assert "Responsible person in the service area: Kieran Lowe" in status
    assert "Responsible Officer" not in status and "Strategic Manager" not in status
    assert "Signs off: Imran Choudhury" in status  # the AD of the practice area (BCT-8)
    said = await said_as(bot, AAD, "team-manager", "find guidance on hot air balloon safety")
    assert "ask Nadia Brookes of the Policy Service (Practice Hub)" in said, said
    assert "Policy and Procedures Officer" not in said
