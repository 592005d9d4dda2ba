"""The pages over HTTP: a signed-in browser-like client (cookies kept), the CSRF token read from the
page, and a case brought to the RSM's approval through the chat, as people do it."""

from __future__ import annotations

import re
import time

import aiohttp
import jwt
from aiohttp import web

from bot.app import RUNTIME_KEY
from connectors.word.samples import tracked_docx
from tests.support.cases import review_ticked
from tests.support.keys import KeyPair

APP_ID = "6f1c0a52-3c1e-4b7e-9d0f-2a7d5e0c9b11"
TENANT = "00000000-0000-4000-8000-000000000001"
DOMAIN = "policybot.example.org"
CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')


class PageClient:
    """A person's browser on the pages: keeps the session cookie (Secure cookies over loopback HTTP)."""

    def __init__(self, bot) -> None:
        self.bot = bot
        self.http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True, treat_as_secure_origin=[bot.url]))
        self.csrf = ""

    async def close(self) -> None:
        await self.http.close()

    async def get(self, path: str, **kw) -> aiohttp.ClientResponse:
        resp = await self.http.get(self.bot.url + path, **kw)
        if resp.content_type == "text/html":
            found = CSRF.search(await resp.text())
            if found and found.group(1):
                self.csrf = found.group(1)
        return resp

    async def post(self, path: str, data: dict, *, csrf: bool = True, **kw) -> aiohttp.ClientResponse:
        form = {"csrf": self.csrf, **data} if csrf else dict(data)
        return await self.http.post(self.bot.url + path, data=form, **kw)

    async def sign_in(self, person_id: str) -> aiohttp.ClientResponse:
        await self.get("/tab/signin")
        resp = await self.post("/tab/signin/dev", {"person": person_id, "next": "/tab/mywork"})
        assert resp.status == 200, await resp.text()
        await self.get("/tab/mywork")  # the new session's CSRF token
        return resp


async def hello(bot, demo_aad, *people: str) -> None:
    """These people have talked to the bot in their 1:1 chat 'a:<id>', so it can reach them there."""
    for p in people:
        await bot.say("help", aad=demo_aad[p], conversation=f"a:{p}")


async def review_waiting_for_rsm(bot, demo_aad, ref: str = "PP-017", ro: str = "ro-2", rsm: str = "rsm-cla") -> int:
    """The RO starts the scheduled review in chat and sends the amended draft with tracked changes:
    the case now waits for the RSM, who has its card in their chat. Returns the case id."""
    await hello(bot, demo_aad, "ppo", rsm, ro)
    said = await review_ticked(bot, ref, aad=demo_aad[ro], conversation=f"a:{ro}")
    assert said.status < 300, said.body
    act = bot.activity("", aad=demo_aad[ro], conversation=f"a:{ro}",
                       attachments=[bot.channel.attach("foster.docx", tracked_docx(title="Placement with Foster Carers"))])
    said = await bot.send(act)
    assert said.status < 300, said.body
    async with bot.app[RUNTIME_KEY].store.uow() as uow:
        doc = await uow.documents.by_ref(ref)
        (row,) = await uow.cases.open_for_document(doc.id)
        assert f"person:{rsm}" in row.waiting_for, row.waiting_for
        return row.id


class EntraKeys:
    """Entra's discovery/v2.0/keys endpoint, stood in for: serves the public keys, counts fetches."""

    def __init__(self) -> None:
        self.keys = [KeyPair()]
        self.fetches = 0
        self.runner: web.AppRunner | None = None
        self.url = ""

    async def start(self) -> EntraKeys:
        async def keys(_request: web.Request) -> web.Response:
            self.fetches += 1
            return web.json_response({"keys": [k.jwk() for k in self.keys]})

        app = web.Application()
        app.router.add_get("/common/discovery/v2.0/keys", keys)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}/common/discovery/v2.0/keys"  # noqa: SLF001
        return self

    async def stop(self) -> None:
        await self.runner.cleanup()


def token(key: KeyPair, object_id: str | None, **changes) -> str:
    now = int(time.time())
    claims = {"aud": f"api://{DOMAIN}/{APP_ID}", "iss": f"https://login.microsoftonline.com/{TENANT}/v2.0", "tid": TENANT,
              "oid": object_id, "iat": now, "nbf": now, "exp": now + 3600, "name": "Someone",
              "preferred_username": "someone@example.org", "scp": "access_as_user", "ver": "2.0"}
    claims.update(changes)
    claims = {k: v for k, v in claims.items() if v is not None}
    return jwt.encode(claims, key.private, algorithm="RS256", headers={"kid": key.kid})
