"""Graph on behalf of the person signed in through Teams (issue 23, sign-in): the tab's SSO token,
checked against Entra's keys, is exchanged with msal's on-behalf-of grant at a stand-in for Entra's
token endpoint (shaped like the real one, over TLS), and the document page shows the owners'
photos (NCT-1: each document's RO and RSM, named and pictured) read from Graph with that delegated token (renewed through msal's refresh token when it
expires); without a photo, or without consent, their initials. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime

import pytest

from services.clock import LONDON, FixedClock
from tests.support.bot import RunningBot, settings_for
from tests.support.obo import OBO_GRANT, OboEntra
from tests.support.tab import APP_ID, DOMAIN, TENANT, EntraKeys, PageClient, token

SECRET = "obo-test-client-secret"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + bytes(range(256)) * 4 + b"\xff\xd9"


@pytest.fixture
async def entra():
    keys = await EntraKeys().start()
    yield keys
    await keys.stop()


@pytest.fixture
async def obo(entra, demo_aad):
    server = await OboEntra(client_id=APP_ID, client_secret=SECRET, audiences=[f"api://{DOMAIN}/{APP_ID}", APP_ID],
                            keys=entra.keys, photos={demo_aad["ro-2"]: JPEG}).start()
    yield server
    await server.stop()


@pytest.fixture
async def teams_bot(db_url, entra, obo, monkeypatch):
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", obo.ca_file.name)  # msal's requests trusts the stand-in
    settings = settings_for(db_url, MicrosoftAppId=APP_ID, MicrosoftAppPassword=SECRET, MicrosoftAppTenantId=TENANT,
                            POLICYBOT_TAB_DOMAIN=DOMAIN, POLICYBOT_TAB_KEYS_URL=entra.url,
                            POLICYBOT_TAB_SESSION_SECRET="a-long-enough-test-secret-for-sessions",
                            AUTHORITY_HOST=obo.url, GRAPH_BASE_URL=obo.url + "/v1.0", REQUESTS_CA_BUNDLE=obo.ca_file.name,
                            POLICYBOT_TAB_GRAPH_PHOTOS="1")
    running = await RunningBot(settings, clock=FixedClock(datetime(2026, 11, 23, 10, 0, tzinfo=LONDON))).start()
    yield running
    await running.stop()


async def _sso(client: PageClient, tok: str):
    await client.get("/tab/signin")
    resp = await client.http.post(client.bot.url + "/tab/auth/teams", json={"token": tok},
                                  headers={"X-CSRF-Token": client.csrf})
    assert resp.status == 200, await resp.text()
    await client.get("/tab/mywork")


async def test_the_sso_token_is_exchanged_on_behalf_of_the_person_and_graph_gives_the_owners_photos(
        teams_bot, entra, obo, demo_aad):
    c = PageClient(teams_bot)
    try:
        sso = token(entra.keys[0], demo_aad["ppo"], iss=f"{obo.url}/{TENANT}/v2.0")
        await _sso(c, sso)
        (asked,) = [f for f in obo.token_requests if f.get("grant_type") == OBO_GRANT]
        assert asked["assertion"] == sso and asked["requested_token_use"] == "on_behalf_of"
        assert asked["client_id"] == APP_ID and "User.ReadBasic.All" in asked["scope"] and "offline_access" in asked["scope"]

        page = await (await c.get("/tab/documents/PP-017")).text()  # RO ro-2 (has a photo), RSM rsm-cla (has none)
        assert '<img class="face" src="/tab/people/ro-2/photo" alt=""' in page
        assert '<img class="face" src="/tab/people/rsm-cla/photo" alt=""' in page
        resp = await c.get("/tab/people/ro-2/photo")
        assert resp.status == 200 and resp.content_type == "image/jpeg" and await resp.read() == JPEG
        assert "private" in resp.headers["Cache-Control"]
        path, bearer = obo.photo_requests[-1]
        assert path == f"/v1.0/users/{demo_aad['ro-2']}/photos/96x96/$value" and obo.issued[bearer] == demo_aad["ppo"]
        resp = await c.get("/tab/people/rsm-cla/photo")  # Graph's 404: her initials instead
        svg = await resp.text()
        assert resp.status == 200 and resp.content_type == "image/svg+xml" and ">JW</text>" in svg
        # msal's cache answers the next one: no second exchange
        assert (await c.get("/tab/people/ro-2/photo")).status == 200
        assert len([f for f in obo.token_requests if f.get("grant_type") == OBO_GRANT]) == 1
        assert (await c.get("/tab/people/nobody/photo")).status == 404
    finally:
        await c.close()


async def test_without_consent_the_sign_in_stands_and_the_page_shows_initials_without_asking_graph(
        teams_bot, entra, obo, demo_aad):
    obo.no_consent.add(demo_aad["rsm-cla"])
    c = PageClient(teams_bot)
    try:
        await _sso(c, token(entra.keys[0], demo_aad["rsm-cla"], iss=f"{obo.url}/{TENANT}/v2.0"))
        assert "Jordan Whitfield" in await (await c.get("/tab/mywork")).text()  # signed in all the same
        before = len(obo.photo_requests)
        resp = await c.get("/tab/people/ro-2/photo")
        assert resp.content_type == "image/svg+xml" and len(obo.photo_requests) == before
    finally:
        await c.close()


async def test_an_expiring_graph_token_is_renewed_with_msals_refresh_token_not_a_new_exchange(teams_bot, entra, obo, demo_aad):
    obo.lifetime = 120  # under msal's five minutes: the cached token counts as expired at once
    c = PageClient(teams_bot)
    try:
        await _sso(c, token(entra.keys[0], demo_aad["ro-1"], iss=f"{obo.url}/{TENANT}/v2.0"))
        resp = await c.get("/tab/people/ro-2/photo")
        assert resp.content_type == "image/jpeg" and await resp.read() == JPEG
        grants = [f["grant_type"] for f in obo.token_requests]
        assert grants == [OBO_GRANT, "refresh_token"], grants
        _path, bearer = obo.photo_requests[-1]
        assert bearer == f"obo-token-2-{demo_aad['ro-1']}" and obo.issued[bearer] == demo_aad["ro-1"]
    finally:
        await c.close()
