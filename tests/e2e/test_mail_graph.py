"""Email through Microsoft Graph `sendMail` with an app token from msal, against local stand-ins
shaped like Microsoft's token endpoint and Graph (issue 5)."""

from __future__ import annotations

import base64
import email
import email.policy
from datetime import date, datetime

from aiohttp import web

from services.reminders import sweeps
from services.clock import LONDON, FixedClock
from services.delivery.dispatch import Dispatcher
from bot.bootstrap import mail_transport as make_transport
from tests.support.org import make_org


class GraphStandIn:
    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.answers: list[tuple[int, dict]] = []  # the next answers to give, else 202
        self.sent_items_searches: list[str] = []

    async def start(self) -> GraphStandIn:
        app = web.Application()
        app.router.add_post("/v1.0/users/{user}/sendMail", self._send)
        app.router.add_get("/v1.0/users/{user}/mailFolders/sentitems/messages", self._sent_items)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}/v1.0"  # noqa: SLF001
        return self

    async def _sent_items(self, request: web.Request) -> web.Response:
        self.sent_items_searches.append(request.query.get("$filter", ""))
        return web.json_response({"value": []})  # nothing sent before: each reminder goes

    async def _send(self, request: web.Request) -> web.Response:
        body = await request.read()
        self.requests.append({"user": request.match_info["user"], "headers": dict(request.headers), "body": body})
        if self.answers:
            status, headers = self.answers.pop(0)
            return web.json_response({"error": {"code": "TooManyRequests", "message": "throttled"}}, status=status, headers=headers)
        return web.Response(status=202, headers={"request-id": f"req-{len(self.requests)}"})


async def test_reminders_go_out_through_graph_sendmail_with_an_app_token(db_url, keys):
    graph = await GraphStandIn().start()
    graph.answers = [(429, {"Retry-After": "0"})]  # Graph throttles the first send
    clock = FixedClock(datetime(2026, 12, 22, 10, 0, tzinfo=LONDON))
    services = await make_org(db_url, clock, docs=[("PP-1", date(2026, 12, 29))], channels=["email"], env={
        "POLICYBOT_MAIL_TRANSPORT": "graph", "MicrosoftAppId": "0b0e7c1a-7f3d-4d55-9a39-1c2f3e4d5a6b", "MicrosoftAppPassword": "bot-secret", "MicrosoftAppTenantId": "tenant-1",
        "MicrosoftAppType": "SingleTenant", "GRAPH_CLIENT_SECRET": "graph-secret", "AUTHORITY_HOST": keys.url,
        "GRAPH_BASE_URL": graph.url, "POLICYBOT_MAIL_FROM": "policies@trust.example",
    })
    try:
        dispatcher = Dispatcher(services, mail=make_transport(services.settings))
        await sweeps.run_all(services, "test")
        first = await dispatcher.drain()
        await dispatcher.drain()
    finally:
        await services.store.close()
        await graph.runner.cleanup()
    assert first == {"retry": 1, "sent": 2}  # Retry-After: 0, so the throttled one goes in the same run
    assert len(graph.requests) == 3  # the throttled try, then one per person
    # Sent Items is searched, for the Message-ID derived from the outbox key, only before a try that may
    # repeat an earlier one: the throttled message's second try; first tries go straight out (issue 21).
    assert len(graph.sent_items_searches) == 1
    assert all(f.startswith("internetMessageId eq '<") for f in graph.sent_items_searches)
    [form] = keys.token_forms
    assert form["client_id"] == "0b0e7c1a-7f3d-4d55-9a39-1c2f3e4d5a6b" and form["client_secret"] == "graph-secret"
    assert form["grant_type"] == "client_credentials" and form["scope"] == "https://graph.microsoft.com/.default"
    assert form["path"] == "/tenant-1/oauth2/v2.0/token"
    recipients = set()
    for req in graph.requests[1:]:
        assert req["user"] == "policies@trust.example"
        assert req["headers"]["Authorization"] == "Bearer token-1"
        assert req["headers"]["Content-Type"].startswith("text/plain")
        msg = email.message_from_bytes(base64.b64decode(req["body"]), policy=email.policy.default)
        assert [p.get_content_type() for p in msg.walk()][:4] == ["multipart/mixed", "multipart/alternative", "text/plain", "text/html"]
        assert any(p.get_content_type() == "text/calendar" for p in msg.walk())
        recipients.add(str(msg["To"]))
    assert recipients == {"Rita Owen <rita.owen@trust.example>", "Sam Mensah <sam.mensah@trust.example>"}
