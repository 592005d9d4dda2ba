"""Every malformed body found from outside (issue 22, item 1) gets a 4xx naming the problem, on
SQLite and PostgreSQL alike, and never reaches a dialog: no turn fails, nothing is stored."""

from __future__ import annotations

import json
import logging

import pytest
from sqlalchemy import func, select

from store.models import BotState, ConversationRef
from tests.support.channel import readable


def _mutate(act: dict, **changes) -> dict:
    act = json.loads(json.dumps(act))
    for key, value in changes.items():
        key = {"from_": "from"}.get(key, key)
        if value is ...:
            act.pop(key, None)
        else:
            act[key] = value
    return act


CASES = [
    # name, changes to a good "help" message, the words the refusal must contain
    ("lone surrogate in conversation id", {"conversation": {"id": "a:\ud800x", "conversationType": "personal"}}, "'conversation.id' contains characters other than printable ASCII"),
    ("non-Latin-1 conversation id", {"conversation": {"id": "a:会話", "conversationType": "personal"}}, "'conversation.id' contains characters other than printable ASCII"),
    ("non-Latin-1 sender id", {"from_": {"id": "29:ユーザー", "name": "x"}}, "'from.id' contains characters other than printable ASCII"),
    ("NUL in conversation id", {"conversation": {"id": "a:\x00x", "conversationType": "personal"}}, "'conversation.id' contains NUL characters"),
    ("conversation id longer than its column", {"conversation": {"id": "a:" + "x" * 600, "conversationType": "personal"}}, "'conversation.id' is longer than 400 characters"),
    ("sender ids longer than their columns", {"from_": {"id": "29:" + "x" * 400, "name": "x", "aadObjectId": "y" * 100}}, "'from.id' is longer than 320 characters"),
    ("channel id longer than its column", {"channelId": "c" * 100}, "'channelId' is longer than 64 characters"),
    ("tenant id longer than its column", {"channelData": {"tenant": {"id": "t" * 65}}}, "'channelData.tenant.id' is longer than 64"),
    ("attachments: [null]", {"attachments": [None]}, "'attachments.0' must be an object"),
    ("attachments not a list", {"attachments": "x"}, "'attachments' must be a list"),
    ("missing channelId", {"channelId": ...}, "no 'channelId'"),
    ("entities: [null]", {"entities": [None]}, "'entities.0' must be an object"),
    ("channelData not an object", {"channelData": "x"}, "'channelData' must be an object"),
    ("conversation type a number", {"conversation": {"id": "a:1", "conversationType": 5}}, "'conversation.conversationType' must be a string"),
    ("card case id of 10^20", {"text": "", "value": {"case": 10**20, "case_version": 1, "action": "approve"}}, "too large"),
    ("card case id of 10^20 as digits", {"text": "", "value": {"case": "1" + "0" * 20, "case_version": 1, "action": "approve"}}, "'value.case' must be a whole number"),
    ("a huge number anywhere", {"value": {"command": 10**400}}, "too large"),
    ("locale of 10,000 characters", {"locale": "x" * 10_000}, "'locale' is longer than 200"),
    ("service URL that is not ASCII", {"serviceUrl": "http://例え.テスト/"}, "'serviceUrl' must be an http:// or https:// address"),
    ("activity id longer than its column", {"channelId": "email", "id": "i" * 700}, "'id' is longer than 500"),
]


async def _count(store, model) -> int:
    async with store.sessionmaker() as s:
        return (await s.execute(select(func.count()).select_from(model))).scalar_one()


@pytest.mark.parametrize("name, changes, words", CASES, ids=[c[0] for c in CASES])
async def test_hostile_bodies_get_a_4xx_naming_the_problem_on_both_databases(bot, demo_aad, caplog, name, changes, words):
    from bot.app import RUNTIME_KEY

    store = bot.app[RUNTIME_KEY].store
    refs_before = await _count(store, ConversationRef)
    caplog.set_level(logging.WARNING)
    act = _mutate(bot.activity("help", aad=demo_aad["ro-1"]), **changes)
    resp = await bot.post(None, raw=json.dumps(act).encode())
    assert resp.status == 400, await resp.text()
    assert words in (await resp.json())["error"]["message"]
    assert "rejected activity" in caplog.text
    assert "turn failed" not in caplog.text
    assert bot.channel.received == []  # no reply, no apology: it never reached a dialog
    assert await _count(store, ConversationRef) == refs_before
    assert await _count(store, BotState) == 0


async def test_json_nested_a_thousand_deep_is_400_not_a_recursion_error(bot, caplog):
    caplog.set_level(logging.WARNING)
    raw = b'{"type": "message", "x": ' + b"[" * 1000 + b"]" * 1000 + b"}"
    resp = await bot.post(None, raw=raw)
    assert resp.status == 400
    assert "nested more than 64 levels" in (await resp.json())["error"]["message"]
    assert "unhandled error" not in caplog.text


@pytest.mark.parametrize("raw, words", [
    (b'{"type": "message", "n": NaN}', "NaN"),
    (b'{"type": "message", "n": Infinity}', "Infinity"),
    (b'\xff\xfe{"type": "message"}', "not valid UTF-8"),
])
async def test_what_json_readers_disagree_on_is_refused(bot, raw, words):
    resp = await bot.post(None, raw=raw)
    assert resp.status == 400
    assert words in (await resp.json())["error"]["message"]


async def test_nul_and_lone_surrogates_in_free_text_are_cleaned_and_the_message_answered(bot, demo_aad):
    said = await bot.send(bot.activity("he\x00lp\udc00", aad=demo_aad["ro-1"]))
    assert said.status == 201
    assert "WHAT I CAN DO" in readable(said.replies[0]).upper()


async def test_the_longest_ids_that_fit_their_columns_are_stored_on_both_databases(bot, demo_aad):
    """The edge's limits match the columns: at the limit the turn works and is remembered."""
    from bot.app import RUNTIME_KEY

    conv = "a:" + "c" * 398
    act = bot.activity("help", aad=demo_aad["ro-1"], conversation=conv, channel_id="msteams")
    act["channelData"] = {"tenant": {"id": "t" * 64}}
    act["from"]["name"] = "N" * 200
    said = await bot.send(act)
    assert said.status == 201
    assert "WHAT I CAN DO" in readable(said.replies[0]).upper()
    store = bot.app[RUNTIME_KEY].store
    async with store.sessionmaker() as s:
        stored = (await s.execute(select(ConversationRef.conversation_id).where(ConversationRef.conversation_id == conv))).scalar_one()
    assert stored == conv


@pytest.mark.parametrize("name, answer_key", [
    ("composeExtension/query", "composeExtension"),
    ("task/fetch", "task"),
    ("signin/verifyState", "statusCode"),
    ("no/such/thing", "statusCode"),
])
async def test_invokes_policybot_does_not_offer_get_an_invoke_response_not_501(bot, demo_aad, name, answer_key):
    act = bot.activity(None, kind="invoke", aad=demo_aad["ro-1"], activity_name=name, value={})
    said = await bot.send(act)
    assert said.status in (200, 400)
    assert answer_key in said.body
    assert "help" in json.dumps(said.body)


async def test_a_card_click_with_a_case_id_of_ten_to_the_twenty_is_refused_politely(bot, demo_aad):
    act = bot.activity(None, kind="invoke", aad=demo_aad["ro-1"], activity_name="adaptiveCard/action",
                       value={"action": {"type": "Action.Execute", "verb": "case",
                                         "data": {"case": "100000000000000000000", "case_version": 1, "action": "approve"}}})
    said = await bot.send(act)
    assert said.status == 400
    assert "'value.action.data.case' must be a whole number" in said.body["error"]["message"]
    assert bot.channel.received == []
