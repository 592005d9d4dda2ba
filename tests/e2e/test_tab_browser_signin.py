"""Signing in to the pages in an ordinary browser (issue 23): msal's authorisation-code flow with
PKCE against a stand-in for Microsoft Entra (its metadata, authorise and token endpoints, over TLS,
shaped like the real ones). The stand-in checks the code verifier against the S256 challenge, so
the flow is proved to use PKCE; a forged state, a replayed code and a stranger are refused."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import ssl
import threading
import time
from http.server import ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest

from tests.support.bot import RunningBot, settings_for
from tests.support.keys import JsonHandler, KeyPair, _self_signed_cert_files
from tests.support.tab import PageClient

APP_ID = "6f1c0a52-3c1e-4b7e-9d0f-2a7d5e0c9b11"
TENANT = "00000000-0000-4000-8000-000000000001"


class Entra:
    """Entra's v2.0 endpoints for one tenant, stood in for. `grant(code, oid)` is the person
    signing in at the authorise page; the token endpoint then redeems that code once."""

    def __init__(self) -> None:
        self.key = KeyPair()
        self.codes: dict[str, dict] = {}
        self.redeemed: list[dict] = []
        entra = self

        class Handler(JsonHandler):
            def do_GET(self) -> None:  # noqa: N802
                if self.path.startswith(f"/{TENANT}/v2.0/.well-known/openid-configuration"):
                    self._json({"issuer": f"{entra.url}/{TENANT}/v2.0",
                                "authorization_endpoint": f"{entra.url}/{TENANT}/oauth2/v2.0/authorize",
                                "token_endpoint": f"{entra.url}/{TENANT}/oauth2/v2.0/token"})
                else:
                    self._json({"error": "not_found"}, 404)

            def do_POST(self) -> None:  # noqa: N802
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode()).items()}
                if not self.path.endswith("/oauth2/v2.0/token"):
                    return self._json({"error": "not_found"}, 404)
                entra.redeemed.append(form)
                grant = entra.codes.pop(form.get("code", ""), None)
                if grant is None:
                    return self._json({"error": "invalid_grant", "error_description": "AADSTS54005: code already redeemed"}, 400)
                challenge = base64.urlsafe_b64encode(hashlib.sha256(form.get("code_verifier", "").encode()).digest())
                if challenge.rstrip(b"=").decode() != grant["challenge"] or form.get("redirect_uri") != grant["redirect_uri"]:
                    return self._json({"error": "invalid_grant", "error_description": "AADSTS501481: code verifier mismatch"}, 400)
                now = int(time.time())
                claims = {"sub": hashlib.sha256(grant["oid"].encode()).hexdigest()[:43], "aud": APP_ID, "iss": f"{entra.url}/{TENANT}/v2.0", "tid": TENANT, "oid": grant["oid"],
                          "nonce": grant["nonce"], "iat": now, "nbf": now, "exp": now + 3600, "name": "Someone",
                          "preferred_username": grant["email"], "ver": "2.0"}
                id_token = jwt.encode(claims, entra.key.private, algorithm="RS256", headers={"kid": entra.key.kid})
                client_info = base64.urlsafe_b64encode(json.dumps({"uid": grant["oid"], "utid": TENANT}).encode()).decode()
                self._json({"token_type": "Bearer", "scope": "User.Read openid profile", "expires_in": 3600,
                            "access_token": secrets.token_urlsafe(16), "id_token": id_token, "client_info": client_info})

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.ca_file = _self_signed_cert_files()
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.ca_file.name)
        self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        self.url = f"https://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def grant(self, authorize_url: str, oid: str, email: str = "someone@example.org") -> dict[str, str]:
        """The person signs in at Entra's page: returns the query Entra redirects back with."""
        q = {k: v[0] for k, v in parse_qs(urlsplit(authorize_url).query).items()}
        assert q["code_challenge_method"] == "S256" and q["response_type"] == "code" and q["client_id"] == APP_ID
        assert q["response_mode"] == "form_post"
        code = secrets.token_urlsafe(16)
        self.codes[code] = {"challenge": q["code_challenge"], "nonce": q["nonce"], "oid": oid, "email": email,
                            "redirect_uri": q["redirect_uri"]}
        return {"code": code, "state": q["state"], "redirect_uri": q["redirect_uri"]}


@pytest.fixture
def entra(monkeypatch):
    server = Entra()
    server.thread.start()
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", server.ca_file.name)
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


@pytest.fixture
async def web_bot(db_url, clock, entra):
    settings = settings_for(db_url, MicrosoftAppId=APP_ID, MicrosoftAppPassword="test-client-secret",
                            MicrosoftAppTenantId=TENANT, AUTHORITY_HOST=entra.url,
                            POLICYBOT_TAB_SESSION_SECRET="a-long-enough-test-secret-for-sessions")
    running = await RunningBot(settings, clock=clock).start()
    yield running
    await running.stop()


async def _leave_for_entra(c: PageClient, next_url: str = "/tab/register") -> str:
    resp = await c.get(f"/tab/signin/microsoft?next={next_url}", allow_redirects=False)
    assert resp.status == 303, await resp.text()
    return resp.headers["Location"]


async def _come_back(c: PageClient, back: dict[str, str], **changes):
    form = {"code": back["code"], "state": back["state"], **changes}
    return await c.http.post(back["redirect_uri"], data=form, allow_redirects=False,
                             headers={"Origin": "https://login.microsoftonline.com"})  # Entra's page posts it


async def test_a_browser_signs_in_with_the_authorisation_code_flow_and_pkce(web_bot, entra, demo_aad):
    c = PageClient(web_bot)
    try:
        page = await (await c.get("/tab/signin?next=%2Ftab%2Freports")).text()
        assert "/tab/signin/microsoft?next=%2Ftab%2Freports" in page
        where = await _leave_for_entra(c)
        assert where.startswith(f"{entra.url}/{TENANT}/oauth2/v2.0/authorize?")
        back = entra.grant(where, demo_aad["rsm-cla"])
        assert back["redirect_uri"] == f"{web_bot.url}/tab/auth/callback"
        resp = await _come_back(c, back)
        assert resp.status == 303 and resp.headers["Location"] == "/tab/register", await resp.text()
        (redeemed,) = entra.redeemed
        assert redeemed["grant_type"] == "authorization_code" and len(redeemed["code_verifier"]) >= 43
        html = await (await c.get("/tab/mywork")).text()
        assert "<h1>My work</h1>" in html and "Jordan Whitfield" in html
        # the same code again (a replay from history) finds no flow to finish
        assert (await _come_back(c, back)).status == 400
    finally:
        await c.close()


async def test_a_forged_state_a_stranger_and_a_lost_flow_are_refused(web_bot, entra, demo_aad):
    c = PageClient(web_bot)
    try:
        back = entra.grant(await _leave_for_entra(c), demo_aad["ppo"])
        resp = await _come_back(c, back, state="forged-state")
        assert resp.status == 401 and (await c.get("/tab/mywork", allow_redirects=False)).status == 303
        back = entra.grant(await _leave_for_entra(c), "11111111-2222-4333-8444-555555555555", email="stranger@example.org")
        resp = await _come_back(c, back)
        assert resp.status == 403 and "<h1>Not in the directory</h1>" in await resp.text()
        other = PageClient(web_bot)  # a code sent to someone else's browser: no flow there
        try:
            back = entra.grant(await _leave_for_entra(c), demo_aad["ppo"])
            assert (await _come_back(other, back)).status == 400
        finally:
            await other.close()
    finally:
        await c.close()
