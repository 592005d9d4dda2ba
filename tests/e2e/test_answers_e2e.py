"""Answers from the manual end to end, over the bot's HTTP endpoint in Teams' shapes and by email
(issue 16): a question gets the passage and its citation; "Not what I needed" asks one optional
line; the demand report lists it; one press from the PPO's digest opens a new-document request
with its subject filled in (LBBD-1: what staff could not find becomes a request)."""

from __future__ import annotations

from datetime import datetime

from bot.settings import Settings
from render.notices import notice_reply
from services.clock import LONDON, FixedClock
from services.manual.demand import demand, digest_notices, gaps, governance_body
from services.reminders.sweeps import sweep_demand
from store.uow import Store
from tests.support.manual import fast, trix_site  # noqa: F401 - the test manual on loopback
from tests.e2e.test_manual_conversation import _sync
from tests.support.channel import card_of, readable
from tests.support.runtime import services_for


def _press(bot, aad: str, data: dict, conversation: str | None = None) -> dict:
    return bot.activity(None, kind="invoke", aad=aad, activity_name="adaptiveCard/action", conversation=conversation,
                        value={"action": {"type": "Action.Execute", "verb": "answer", "data": data}})


def _button(card: dict, title: str) -> dict:
    return next(a for a in card["actions"] if a.get("title") == title)


async def test_question_answer_not_what_i_needed_demand_report_and_one_press_request(bot, demo_aad, db_url, clock,
                                                                                      trix_site, fast):  # noqa: F811
    await _sync(db_url, clock, trix_site, fast)
    me = demo_aad["ro-2"]
    said = await bot.say("what do i do when a child goes missing from care", aad=me, conversation="a:ro2")
    reply = said.replies[0]
    card = card_of(reply)
    assert card["body"][0]["text"] == "Children Missing from Home and Care"
    assert "**missing" in readable(reply)
    not_needed = _button(card, "Not what I needed")
    assert not_needed["type"] == "Action.Execute"

    # Someone else pressing it is refused: feedback is taken from the person the answer was given to.
    other = await bot.send(_press(bot, demo_aad["ro-1"], not_needed["data"]))
    assert "can't find that answer among yours" in str(other.body)

    pressed = await bot.send(_press(bot, me, not_needed["data"], "a:ro2"))
    asked = pressed.body["value"]
    assert "What were you looking for?" in str(asked)
    send = _button(asked, "Send")
    line = "the out of hours phone number for the police missing persons unit"
    done = await bot.send(_press(bot, me, {**send["data"], "looking_for": line}, "a:ro2"))
    assert "passed on what you were looking for" in str(done.body)

    # A question nothing answers well is counted too.
    weak = await bot.say("missing giraffes", aad=me, conversation="a:ro2")
    assert "These chapters may help" in readable(weak.replies[0])  # a weak match: chapters, no passage

    store = Store(db_url)
    try:
        monday = FixedClock(datetime(2026, 11, 30, 7, 0, tzinfo=LONDON))
        services = services_for(Settings(database_url=db_url), clock=monday, store=store)
        topics = await demand(services)
        missing = next(t for t in topics if t.topic == "missing")
        assert dict(missing.by_kind) == {"not_helpful": 1, "weak": 1} and line in missing.looking_for
        assert "missing giraffes" in missing.examples
        assert "Children Missing from Home and Care" in missing.closest
        body = governance_body(services.preset)
        if body is not None:  # the preset's governance body shows the gaps in its forward plan
            assert any(g.startswith("missing:") for g in await gaps(services, body))

        # The weekly digest goes to the PPO once, whoever runs the sweep twice.
        assert (await sweep_demand(services, "test")).queued == 1
        assert (await sweep_demand(services, "test")).queued == 0
        notice = (await digest_notices(services))[0]
        digest = notice_reply(notice.subject, notice.body, lines=list(notice.lines), requests=tuple(notice.payload["requests"]))
        press = next(a for a in card_of_reply(digest)["actions"] if a["title"] == "Request: missing")
    finally:
        await store.close()
    # One press: the new-document request starts with its subject filled in.
    started = await bot.send(bot.activity(None, aad=demo_aad["ppo"], conversation="a:ppo", value=press["data"]))
    text = readable(started.replies[0])
    assert text.startswith("Request a new document")
    assert "PP-001" in text  # its subject, "missing", was checked against the register first (LBBD-1)


def card_of_reply(reply) -> dict:
    return reply.card


async def test_by_email_numbered_replies_record_what_was_needed(bot, db_url, clock, trix_site, fast):  # noqa: F811
    await _sync(db_url, clock, trix_site, fast)
    who = dict(channel_id="email", user_id="alex.dunmore@example.org", conversation="email-answers")
    said = await bot.say("lado referral timescale", **who)
    text = readable(said.replies[0])
    assert "Allegations Against Staff, Carers and Volunteers" in text and "Reply 1" in text and "2 for" in text
    more = await bot.say("more", **who)  # the next five chapters, no passage
    assert readable(more.replies[0]).startswith(("More for \"lado referral timescale\"", "That is everything I found"))
    done = await bot.say("2 who to ring out of hours", **who)
    assert "passed on what you were looking for" in readable(done.replies[0])
    store = Store(db_url)
    try:
        services = services_for(Settings(database_url=db_url), clock=clock, store=store)
        topics = await demand(services)
    finally:
        await store.close()
    assert any("who to ring out of hours" in t.looking_for for t in topics)
