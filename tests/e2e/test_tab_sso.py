"""Teams tab single sign-on (issue 23): the token the Teams JS SDK gets is checked against Entra's
signing keys (a stand-in key server on loopback, shaped like Entra's JWKS endpoint) for signature,
audience, issuer, tenant and expiry before a session is made; the development sign-in is refused
once an app id is set. SQLite and PostgreSQL."""

from __future__ import annotations

import time
import uuid
from datetime import datetime

import pytest

from services.clock import LONDON, FixedClock
from tests.support.bot import RunningBot, settings_for
from tests.support.keys import KeyPair
from tests.support.tab import APP_ID, DOMAIN, TENANT, EntraKeys, PageClient, token



@pytest.fixture
async def entra():
    server = await EntraKeys().start()
    yield server
    await server.stop()


@pytest.fixture
async def teams_bot(db_url, entra):
    settings = settings_for(db_url, MicrosoftAppId=APP_ID, MicrosoftAppPassword="not-used", MicrosoftAppTenantId=TENANT,
                            POLICYBOT_TAB_DOMAIN=DOMAIN, POLICYBOT_TAB_KEYS_URL=entra.url,
                            POLICYBOT_TAB_SESSION_SECRET="a-long-enough-test-secret-for-sessions")
    running = await RunningBot(settings, clock=FixedClock(datetime(2026, 11, 23, 10, 0, tzinfo=LONDON))).start()
    yield running
    await running.stop()


async def _exchange(client: PageClient, tok: str, *, csrf: str | None = None):
    await client.get("/tab/signin")
    return await client.http.post(client.bot.url + "/tab/auth/teams", json={"token": tok},
                                  headers={"X-CSRF-Token": client.csrf if csrf is None else csrf})


async def test_a_teams_sso_token_checked_against_entras_keys_signs_the_person_in(teams_bot, entra, demo_aad):
    c = PageClient(teams_bot)
    try:
        page = await (await c.get("/tab/signin?next=%2Ftab%2Fregister")).text()
        assert 'id="sso"' in page and 'data-next="/tab/register"' in page and "Person</label>" not in page
        assert "/tab/signin/microsoft" in page  # the app has its client secret, so the browser sign-in is offered too
        resp = await _exchange(c, token(entra.keys[0], demo_aad["rsm-cla"]))
        assert resp.status == 200 and (await resp.json())["signed_in"] == "Jordan Whitfield"
        html = await (await c.get("/tab/mywork")).text()
        assert "<h1>My work</h1>" in html and "Jordan Whitfield" in html
        # the audience may also be the bare app id; a second sign-in reuses the cached keys
        resp = await _exchange(c, token(entra.keys[0], demo_aad["ppo"], aud=APP_ID))
        assert resp.status == 200 and entra.fetches == 1
    finally:
        await c.close()


@pytest.mark.parametrize("why, changes", [
    ("another app's audience", {"aud": "api://elsewhere.example.org/00000000-0000-0000-0000-000000000000"}),
    ("expired", {"exp": int(time.time()) - 3600, "iat": int(time.time()) - 7200, "nbf": int(time.time()) - 7200}),
    ("another tenant", {"tid": "11111111-1111-4111-8111-111111111111",
                        "iss": "https://login.microsoftonline.com/11111111-1111-4111-8111-111111111111/v2.0"}),
    ("a forged issuer", {"iss": "https://login.example.com/00000000-0000-4000-8000-000000000001/v2.0"}),
    ("no object id", {"oid": None}),
])
async def test_tokens_entra_would_not_vouch_for_are_refused(teams_bot, entra, demo_aad, why, changes):
    c = PageClient(teams_bot)
    try:
        resp = await _exchange(c, token(entra.keys[0], demo_aad["ppo"], **changes))
        assert resp.status == 401, why
        resp = await c.get("/tab/mywork", allow_redirects=False)
        assert resp.status == 303  # still not signed in
    finally:
        await c.close()


async def test_a_token_signed_with_a_key_entra_does_not_publish_is_refused(teams_bot, entra, demo_aad):
    c = PageClient(teams_bot)
    try:
        assert (await _exchange(c, token(KeyPair(), demo_aad["ppo"]))).status == 401
        tampered = token(entra.keys[0], demo_aad["legal-1"]).split(".")
        other = token(entra.keys[0], demo_aad["ppo"]).split(".")
        assert (await _exchange(c, ".".join([tampered[0], other[1], tampered[2]]))).status == 401
        assert (await _exchange(c, "not-a-token")).status == 401
        # a good token without the sign-in page's CSRF token is refused before it is looked at
        assert (await _exchange(c, token(entra.keys[0], demo_aad["ppo"]), csrf="guess")).status == 403
    finally:
        await c.close()


async def test_someone_entra_knows_but_the_directory_does_not_is_refused(teams_bot, entra):
    c = PageClient(teams_bot)
    try:
        resp = await _exchange(c, token(entra.keys[0], str(uuid.uuid4()), preferred_username="stranger@example.org"))
        assert resp.status == 403 and "not in policybot's directory" in (await resp.json())["detail"]
    finally:
        await c.close()


async def test_the_development_sign_in_is_refused_when_an_app_id_is_set(teams_bot):
    c = PageClient(teams_bot)
    try:
        await c.get("/tab/signin")
        resp = await c.post("/tab/signin/dev", {"person": "ppo", "next": "/tab/mywork"}, allow_redirects=False)
        assert resp.status == 403 and "Development sign-in is off" in await resp.text()
        assert (await c.get("/tab/mywork", allow_redirects=False)).status == 303
    finally:
        await c.close()
