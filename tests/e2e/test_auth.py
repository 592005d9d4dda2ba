"""Tokens (BOTFRAMEWORK.md traps 4, 5, 6): when an app id is set, anything but a valid channel
token gets 401, never 500; rotated signing keys are picked up; credentials are reused."""

from __future__ import annotations

import logging

import pytest

from bot.auth import clear_key_set_cache
from tests.support.bot import RunningBot, settings_for
from tests.support.keys import KeyPair, KeyServer

APP_ID = "11111111-1111-4111-8111-111111111111"
SECRET = "s3cret-password-value"


@pytest.fixture
def keys(monkeypatch):
    server = KeyServer().start()
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", server.ca_file.name)
    clear_key_set_cache()
    try:
        yield server
    finally:
        server.stop()
        clear_key_set_cache()


@pytest.fixture
async def secured(sqlite_url, clock, keys, caplog):
    settings = settings_for(
        sqlite_url,
        MicrosoftAppId=APP_ID,
        MicrosoftAppPassword=SECRET,
        MicrosoftAppType="MultiTenant",
        POLICYBOT_OPENID_METADATA_URL=f"{keys.url}/openid",
        POLICYBOT_LOGIN_URL=f"{keys.url}/botframework.com",
        LOG_LEVEL="INFO",
    )
    caplog.set_level(logging.INFO)
    running = await RunningBot(settings, clock=clock).start()
    try:
        yield running
    finally:
        await running.stop()


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


async def test_a_valid_channel_token_runs_the_turn(secured, keys, demo_aad):
    act = secured.activity("help", aad=demo_aad["ro-1"])
    said = await secured.send(act, headers=bearer(keys.token(APP_ID, secured.channel.url)))
    assert said.status == 201
    assert "WHAT I CAN DO" in str(said.replies).upper()


async def test_missing_authorization_is_401(secured, demo_aad):
    said = await secured.send(secured.activity("help", aad=demo_aad["ro-1"]))
    assert said.status == 401
    assert said.replies == []


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda k, url: "garbage", id="garbage"),
        pytest.param(lambda k, url: "a.b.c", id="three-garbage-parts"),
        pytest.param(lambda k, url: k.token(APP_ID, url, key=KeyPair(), kid=k.keys[0].kid), id="forged-signature"),
        pytest.param(lambda k, url: k.token(APP_ID, url, expires_in=-3600), id="expired"),
        pytest.param(lambda k, url: k.token(APP_ID, url, audience="someone-else"), id="wrong-audience"),
        pytest.param(lambda k, url: k.token(APP_ID, url, issuer="https://evil.example.org"), id="wrong-issuer"),
        pytest.param(lambda k, url: k.token(APP_ID, url, key=KeyPair()), id="unknown-key-id"),
        pytest.param(lambda k, url: k.token(APP_ID, url, algorithm="HS256"), id="wrong-algorithm"),
    ],
)
async def test_bad_tokens_are_401_never_500(secured, keys, make, demo_aad, caplog):
    act = secured.activity("help", aad=demo_aad["ro-1"])
    said = await secured.send(act, headers=bearer(make(keys, secured.channel.url)))
    assert said.status == 401, said.body
    assert said.replies == []
    assert "authentication failed" in caplog.text


async def test_a_rotated_signing_key_is_fetched_when_first_seen(secured, keys, demo_aad):
    first = await secured.send(secured.activity("help", aad=demo_aad["ro-1"]), headers=bearer(keys.token(APP_ID, secured.channel.url)))
    assert first.status == 201
    fetched = keys.key_requests
    new_key = keys.rotate()
    # Pretend the last refresh was long enough ago for a missing key to trigger a new fetch.
    from datetime import datetime, timedelta

    from botframework.connector.auth.jwt_token_extractor import JwtTokenExtractor

    for meta in JwtTokenExtractor.metadataCache.values():
        meta.last_updated = datetime.now() - timedelta(minutes=10)
    said = await secured.send(secured.activity("help", aad=demo_aad["ro-1"]), headers=bearer(keys.token(APP_ID, secured.channel.url, key=new_key)))
    assert said.status == 201
    assert keys.key_requests == fetched + 1


async def test_credentials_are_cached_across_turns(secured, keys, demo_aad):
    for _ in range(3):
        said = await secured.send(secured.activity("help", aad=demo_aad["ro-1"]), headers=bearer(keys.token(APP_ID, secured.channel.url)))
        assert said.status == 201 and said.replies
    from bot.app import ADAPTER_KEY

    adapter = secured.app[ADAPTER_KEY]
    assert adapter.credentials.created == 1
    assert keys.token_requests == 1
    # Every reply carried the token the channel's token endpoint issued.
    assert all(r.headers.get("Authorization") == "Bearer token-1" for r in secured.channel.received)


async def test_the_app_password_never_reaches_the_logs(secured, keys, demo_aad, caplog):
    await secured.send(secured.activity("help", aad=demo_aad["ro-1"]), headers=bearer(keys.token(APP_ID, secured.channel.url)))
    logged = "\n".join(r.getMessage() for phase in ("setup", "call") for r in caplog.get_records(phase))
    assert "policybot ready" in logged and "app_password='****'" in logged
    assert SECRET not in logged
