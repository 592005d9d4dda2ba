"""Property-based fuzzing of the edge (issue 22, item 1): whatever the body, the validator answers
with a checked activity or a 4xx, and the HTTP endpoint never answers 5xx and never lets a turn
crash into the apology. Bounded to well under a minute in all."""

from __future__ import annotations

import json
import logging

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from bot.validation import MAX_DEPTH, Refused, check_activity, parse_json, read_activity

# Text the way an attacker sends it: any code point, lone surrogates and NUL included.
nasty_text = st.text(alphabet=st.characters(exclude_categories=()), max_size=40) | st.sampled_from(
    ["", "\x00", "\ud800", "会話", "a" * 700, "29:" + "x" * 320, "https://x/", "adaptiveCard/action", "message"])
numbers = st.integers(min_value=-(10**25), max_value=10**25) | st.floats(allow_nan=False, allow_infinity=False)
scalars = st.none() | st.booleans() | numbers | nasty_text
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(nasty_text, inner, max_size=4), max_leaves=20)

FIELDS = ["type", "id", "channelId", "serviceUrl", "conversation", "from", "recipient", "text", "value", "name",
          "attachments", "entities", "channelData", "membersAdded", "replyToId", "timestamp", "locale", "deliveryMode"]
NESTED = {"conversation": ["id", "conversationType", "tenantId"], "from": ["id", "name", "aadObjectId"],
          "recipient": ["id"], "value": ["case", "case_version", "action", "command"], "channelData": ["tenant"]}


def good_activity(service_url: str, kind: str = "message") -> dict:
    act = {
        "type": kind, "id": "in-fuzz", "channelId": "msteams", "serviceUrl": service_url,
        "from": {"id": "29:fuzz", "name": "Fuzz Person"}, "recipient": {"id": "28:policybot", "name": "policybot"},
        "conversation": {"id": "a:fuzz", "conversationType": "personal"},
        "channelData": {"tenant": {"id": "00000000-0000-4000-8000-000000000001"}}, "text": "help",
    }
    if kind == "invoke":
        act.update(name="adaptiveCard/action", text=None,
                   value={"action": {"type": "Action.Execute", "verb": "case", "data": {"case": 1, "case_version": 1, "action": "approve"}}})
    return act


@st.composite
def mutated_activities(draw, service_url: str = "http://127.0.0.1:9/"):
    act = good_activity(service_url, draw(st.sampled_from(["message", "invoke", "conversationUpdate"])))
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        field = draw(st.sampled_from(FIELDS))
        if field in NESTED and isinstance(act.get(field), dict) and draw(st.booleans()):
            sub = draw(st.sampled_from(NESTED[field]))
            act[field] = {**act[field], sub: draw(json_values)}
        elif draw(st.integers(0, 4)) == 0:
            act.pop(field, None)
        else:
            act[field] = draw(json_values)
    return act


def _bytes(act) -> bytes:
    return json.dumps(act).encode()


bodies = (mutated_activities().map(_bytes)
          | json_values.map(_bytes)
          | st.binary(max_size=200)
          | st.integers(1, 3000).map(lambda n: b'{"type": "message", "x": ' + b"[" * n + b"]" * n + b"}"))


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=bodies)
def test_the_validator_answers_every_body_with_an_activity_or_a_4xx(raw):
    try:
        act = read_activity(raw)
    except Refused as refused:
        assert 400 <= refused.status < 500 and refused.message
        assert refused.message.isprintable()  # safe for any log handler and any UTF-8 writer
        return
    # What passes is an activity of a known shape whose text is all storable and bounded.
    assert check_activity(act) is act
    flat = json.dumps(act, ensure_ascii=False)
    flat.encode("utf-8")  # no lone surrogates left
    assert "\x00" not in flat
    depth, stack = 0, [(act, 0)]
    while stack:
        item, d = stack.pop()
        depth = max(depth, d)
        if isinstance(item, dict):
            stack.extend((v, d + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, d + 1) for v in item)
    assert depth <= MAX_DEPTH + 1


def test_parse_json_refuses_nesting_without_recursing():
    with pytest.raises(Refused, match="nested"):
        parse_json(b"[" * 100_000 + b"]" * 100_000)


@pytest.mark.parametrize("db_url", ["sqlite", "postgresql"], indirect=True)
@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
async def test_the_endpoint_never_answers_5xx_nor_crashes_a_turn(bot, caplog, data):
    caplog.set_level(logging.WARNING)
    caplog.clear()
    act = data.draw(mutated_activities(bot.channel.url))
    resp = await bot.post(None, raw=_bytes(act))
    text = await resp.text()
    event(f"HTTP {resp.status}")
    assert resp.status < 500, text
    crashed = [r for r in caplog.records if r.levelno >= logging.ERROR and r.name.startswith("policybot")]
    assert not crashed, [r.getMessage()[:300] for r in crashed]
    assert "something went wrong on my side" not in json.dumps([r.activity for r in bot.channel.received]).lower()


header_text = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"),
                      max_size=300)
authorizations = header_text | header_text.map(lambda t: "Bearer " + t) | st.sampled_from(
    ["Bearer", "Bearer ", "Basic Zm9vOmJhcg==", "Bearer eyJhbGciOiJub25lIn0.eyJhdWQiOiJ4In0.",
     "Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.e30.c2lnbmF0dXJl", "Bearer a.b.c", "Bearer " + "A" * 10_000])
content_types = header_text | st.sampled_from(
    ["application/json", "application/json; charset=utf-8", "application/json; charset=latin-1", "text/json",
     "application/JSON", "multipart/form-data; boundary=x", ""])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(auth=authorizations, ctype=content_types, extra=st.dictionaries(
    st.sampled_from(["X-Ms-Conversation-Id", "Accept", "Content-Encoding", "X-Forwarded-For", "Transfer-Encoding-Hint"]),
    header_text, max_size=3))
async def test_no_header_gets_a_5xx_when_tokens_are_checked(secured, auth, ctype, extra):  # noqa: F811 - the fixture
    act = secured.activity("help", aad="00000000-0000-4000-8000-0000000000aa")
    headers = {"Authorization": auth, "Content-Type": ctype, **extra}
    resp = await secured.post(None, raw=json.dumps(act).encode(), headers=headers)
    event(f"HTTP {resp.status}")
    assert resp.status < 500, await resp.text()
    assert resp.status != 201  # nothing gets in without a valid token


from tests.e2e.test_auth import keys, secured  # noqa: E402,F401 - the token-checking bot and its key server
