"""Bad input over HTTP gets a 4xx and a log line, never a 500 or a stack trace (issue 2, item 10);
invoke responses and expectReplies work (BOTFRAMEWORK.md traps 1 and 2)."""

from __future__ import annotations

import json
import logging

import pytest

from tests.support.channel import readable


@pytest.mark.parametrize(
    "raw, content_type, status, message",
    [
        (b"this is not json", "application/json", 400, "not valid JSON"),
        (b'{"type": "message"}', "text/plain", 415, "application/json"),
        (b"[1, 2, 3]", "application/json", 400, "JSON object"),
        (b'{"conversation": {"id": "c"}, "serviceUrl": "http://x/"}', "application/json", 400, "no 'type'"),
        (b'{"type": "message", "serviceUrl": "http://x/"}', "application/json", 400, "no 'conversation'"),
        (b'{"type": "message", "conversation": {"id": "c"}}', "application/json", 400, "serviceUrl"),
        (b'{"type": "message", "conversation": {"id": "c"}, "serviceUrl": "ftp://x/"}', "application/json", 400, "serviceUrl"),
        (b'{"type": "nonsense", "conversation": {"id": "c"}, "serviceUrl": "http://x/"}', "application/json", 400, "Unknown activity type"),
        (b'{"type": "message", "text": 42, "conversation": {"id": "c"}, "serviceUrl": "http://x/"}', "application/json", 400, "'text' must be a string"),
        (b'{"type": "message", "from": "me", "conversation": {"id": "c"}, "serviceUrl": "http://x/"}', "application/json", 400, "'from' must be an object"),
    ],
)
async def test_malformed_activities_get_a_4xx_and_a_log_line(bot, caplog, raw, content_type, status, message):
    caplog.set_level(logging.WARNING, logger="policybot.http")
    resp = await bot.post(None, raw=raw, headers={"Content-Type": content_type})
    assert resp.status == status
    body = await resp.json()
    assert message in body["error"]["message"]
    assert "Traceback" not in json.dumps(body)
    assert "rejected activity" in caplog.text


async def test_an_oversized_body_is_413(bot):
    huge = json.dumps({"type": "message", "text": "x" * 1_100_000, "conversation": {"id": "c"}, "serviceUrl": "http://x/"})
    import io

    resp = await bot.post(None, raw=io.BytesIO(huge.encode()))
    assert resp.status == 413


async def test_get_on_the_messages_endpoint_is_405(bot):
    async with bot.http.get(bot.url + "/api/messages") as resp:
        assert resp.status == 405


async def test_action_execute_gets_a_universal_action_response(bot, demo_aad):
    act = bot.activity(None, kind="invoke", aad=demo_aad["ro-1"], activity_name="adaptiveCard/action",
                       value={"action": {"type": "Action.Execute", "verb": "command", "data": {"command": "help"}}, "trigger": "manual"})
    said = await bot.send(act)
    assert said.status == 200
    assert said.body["statusCode"] == 200
    assert said.body["type"] == "application/vnd.microsoft.card.adaptive"
    assert said.body["value"]["type"] == "AdaptiveCard"


@pytest.mark.parametrize(
    "value, fragment",
    [
        ({"action": {"type": "Action.Execute", "verb": "launch_missiles", "data": {}}}, "don't recognise that button"),
        ({"nothing": "here"}, "sent nothing I can use"),
    ],
)
async def test_unknown_or_empty_card_actions_get_a_clear_refusal(bot, demo_aad, value, fragment):
    act = bot.activity(None, kind="invoke", aad=demo_aad["ro-1"], activity_name="adaptiveCard/action", value=value)
    said = await bot.send(act)
    assert said.status in (200, 400)
    assert said.body["statusCode"] == 400
    assert fragment in said.body["value"]["message"]


async def test_expect_replies_returns_the_replies_in_the_response(bot, demo_aad):
    act = bot.activity("help", aad=demo_aad["ro-1"], deliveryMode="expectReplies")
    said = await bot.send(act)
    assert said.status == 200
    activities = said.body["activities"]
    assert len(activities) == 1
    assert "WHAT I CAN DO" in readable(activities[0]).upper()
    assert bot.channel.replies_to(act["id"]) == []  # nothing was posted to the channel


async def test_an_empty_message_with_card_data_works(bot, demo_aad):
    act = bot.activity("", aad=demo_aad["ro-1"], value={"command": "status PP-001"})
    said = await bot.send(act)
    assert "Children Missing from Home and Care" in readable(said.replies[0])


async def test_a_card_with_a_strange_trigger_value_gets_a_polite_answer(bot, demo_aad):
    act = bot.activity("", aad=demo_aad["qa-1"], value={"command": "unscheduled review PP-002", "trigger": 42})
    said = await bot.send(act)
    assert "needs its reason" in readable(said.replies[0])
