"""BCT out of cycle and at publication, lived over HTTP in Teams' shapes and by the email channel
with the BCT demo organisation (issue 19, item 4): an out-of-cycle amendment is opened with one of
the seed's five reasons (BCT-11), a Trix chapter and Trust practice guidance come back for review
on the seed's own cycles (BCT-10), and the weekly email gives version and date unless a launch is
planned (BCT-9). SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime

import pytest

from connectors.word.samples import plain_docx
from services.clock import LONDON
from tests.support.cases import buttons, press, sent_to, text_of
from tests.support.channel import card_of, readable
from tests.support.presets import emails, greet, people, preset_bot, rehearse, said_as

AAD = people("bct")
REASONS = ("A change in Trust policy", "A change in working practices", "A change in national guidance or legislation",
           "Learning from a Safeguarding Practice Review or internal review", "Other (Ofsted advice, service improvement)")


@pytest.fixture
async def bct(db_url):
    async with preset_bot(db_url, "bct", datetime(2026, 12, 21, 9, 30, tzinfo=LONDON)) as bot:
        yield bot


async def test_bct_11_unscheduled_review_and_amendment_ask_for_one_of_the_five_reasons(bct):
    """BCT-11: 'unscheduled review' under BCT (no NCT triggers) lists the five reasons instead of
    failing; the reason is chosen on the card, typed in words, or given by number by email, and is
    recorded in the document's history. A reason that is not one of the five is refused politely."""
    bot = bct
    said = await bot.say("unscheduled review of PP-010", aad=AAD["psw"], conversation="a:psw")
    assert said.status in (200, 201)
    text = text_of(said)
    assert "An unscheduled review of PP-010 needs its reason. Which one applies?" in text
    for reason in REASONS:
        assert reason in text
    # The card's choice comes back as Teams sends an Action.Submit: a message with the value.
    act = bot.activity(None, aad=AAD["psw"], conversation="a:psw",
                       value={"command": "unscheduled review PP-010", "trigger": "A change in working practices"})
    said = await bot.send(act)
    assert "Case 1 is open: unscheduled review of PP-010" in text_of(said), text_of(said)
    history = await said_as(bot, AAD, "psw", "history PP-010")
    assert "(reason: A change in working practices)" in history

    # The owner amends another by typing the reason the way people do.
    said = await said_as(bot, AAD, "hos-mash", "amend PP-013 because the law changed in the new Working Together")
    assert "Case 2 is open: amendment of PP-013" in said, said
    assert "(reason: A change in national guidance or legislation)" in await said_as(bot, AAD, "hos-mash", "history PP-013")

    # A reason that is none of the five: the list again, nothing opened.
    said = await said_as(bot, AAD, "hos-fostering", "amend PP-014 because I fancy a change")
    assert "An out-of-cycle amendment of PP-014 needs its reason" in said and "Case 3" not in said

    # By email, the reasons are numbered words and a number is an answer.
    email = dict(channel_id="email", user_id=emails("bct")["hos-fostering"], conversation="email-daniel")
    said = await bot.say("amend PP-014", **email)
    reply = said.replies[0]["text"]
    assert "1. A change in Trust policy" in reply and "5. Other (Ofsted advice, service improvement)" in reply
    assert "Reply e.g. 'out-of-cycle amendment PP-014 because a change in trust policy', or with its number." in reply
    said = await bot.say("amend PP-014 because 4", **email)
    assert "Case 3 is open: amendment of PP-014" in said.replies[0]["text"]
    assert "(reason: Learning from a Safeguarding Practice Review or internal review)" in await said_as(bot, AAD, "hos-fostering", "history PP-014")


async def test_bct_9_10_published_over_christmas_reviewed_on_the_seeds_cycles_and_in_the_weekly_email(bct):
    """BCT-10: a bespoke Trix chapter comes back in six months, Trust practice guidance in a year.
    BCT-9: publication gives the version and date; the next weekly email lists what was published,
    with version and date, except a document whose launch is planned. BCT-5: silence over Christmas
    is agreement once the deadline (five working days, the bank holidays skipped) has passed."""
    bot = bct
    await greet(bot, AAD, "policy-officer", "hub-manager", "hos-mash", "team-manager", "ad-safeguarding", "ad-care",
                "ad-disabled", "dir-practice", "dir-ops", "psw")
    said = await said_as(bot, AAD, "hos-mash", "amend PP-010 because working practices changed after the restructure")
    assert "Case 1 is open: amendment of PP-010 Strategy Discussions (Trix chapter, Trust additions)" in said
    said = await said_as(bot, AAD, "team-manager", "review PP-016")
    assert "Case 2 is open: scheduled review of PP-016 Practice Guidance: Working with Neglect" in said
    for case in (1, 2):  # the Policy Service accepts both (BCT-2)
        card = (await bot.say(f"case {case}", aad=AAD["policy-officer"], conversation="a:policy-officer")).replies[0]
        await press(bot, AAD["policy-officer"], buttons(card)["agree_need"], conversation="a:policy-officer")
    for who, name in (("hos-mash", "strategy.docx"), ("team-manager", "neglect.docx")):
        act = bot.activity("", aad=AAD[who], conversation=f"a:{who}",
                           attachments=[bot.channel.attach(name, plain_docx(title=name))])
        said = text_of(await bot.send(act))
        assert "stored as draft version 1" in said
        assert "Consultation closes: 30 December 2026" in said  # five working days: 25, 26, 27 and 28 December skipped
    # BCT-8: a Trix chapter of Safeguarding is consulted on with that practice area's AD and Heads of
    # Service only, not every AD (issue 19 item 3).
    assert any("Consultation: PP-010" in readable(a) for a in sent_to(bot, "a:ad-safeguarding"))
    assert not any("Consultation: PP-010" in readable(a) for a in sent_to(bot, "a:ad-care"))

    # The scheduler on 31 December: both consultations close, silence recorded as agreement (BCT-5).
    await rehearse(bot, datetime(2026, 12, 31, 9, 0))
    assert "recorded as agreement (BCT-5)" in await said_as(bot, AAD, "hos-mash", "history PP-010")
    for case in (1, 2):  # the AD of the practice area signs off (BCT-8)
        card = (await bot.say(f"case {case}", aad=AAD["ad-safeguarding"], conversation="a:ad-safeguarding")).replies[0]
        # Issue 19 item 9: the closed consultation's date is not shown as if it were still open.
        assert "Consultation: closed" in readable(card) and "Consultation closes" not in readable(card)
        done = await press(bot, AAD["ad-safeguarding"], buttons(card)["approve"], conversation="a:ad-safeguarding")
        assert "Practice Hub versions, dates, uploads and announces" in done

    # BCT-9: the chapter has its own launch; the guidance goes in the weekly email. By card and by email words.
    card = (await bot.say("case 1", aad=AAD["policy-officer"], conversation="a:policy-officer")).replies[0]
    toggles = [i for i in card_of(card)["body"] if i.get("type") == "Input.Toggle"]
    assert [t["title"] for t in toggles] == ["A launch is planned: leave it out of the news and the weekly email"]
    by_email = await bot.say("case 1", channel_id="email", user_id=emails("bct")["policy-officer"], conversation="email-policy-officer")
    assert "PUBLISH case 1: <version> (or PUBLISH WITH A LAUNCH case 1: <version>)" in by_email.replies[0]["text"]
    done = await press(bot, AAD["policy-officer"], buttons(card)["publish"], conversation="a:policy-officer",
                       version="4.0", launch_planned="true")
    assert "Published as version 4.0 on 31 December 2026" in done
    said = await bot.say("publish case 2 version 2.1", channel_id="email", user_id=emails("bct")["policy-officer"],
                         conversation="email-policy-officer")
    assert "Published as version 2.1 on 31 December 2026" in said.replies[0]["text"]

    # BCT-10: each is due on its own cycle.
    assert "Next review by: 30 June 2027" in await said_as(bot, AAD, "hos-mash", "status PP-010")
    assert "Next review by: 31 December 2027" in await said_as(bot, AAD, "team-manager", "status PP-016")
    history = await said_as(bot, AAD, "hos-mash", "history PP-010")
    assert "a launch is planned, so it is not in the news or the weekly email (BCT-9)" in history

    # The weekly email on the first working day of the new year (1 January is a bank holiday).
    await rehearse(bot, datetime(2027, 1, 4, 10, 0))
    digests = [readable(a) for a in sent_to(bot, "a:hub-manager") if "Published in the week of" in readable(a)]
    assert len(digests) == 1, digests
    assert "PP-016 Practice Guidance: Working with Neglect (version 2.1, 31 December 2026)" in digests[0]
    assert "PP-010" not in digests[0]
