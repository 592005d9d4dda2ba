"""A local stand-in for Microsoft Entra ID's token endpoint and Microsoft Graph's users and groups,
shaped like the real APIs (OData paging with @odata.nextLink, 404 for a user with no manager), over
TLS because MSAL only talks to https authorities."""

from __future__ import annotations

import ssl
from urllib.parse import parse_qs

from aiohttp import web

from tests.support.keys import _self_signed_cert_files

CLIENT_ID = "11111111-2222-3333-4444-555555555555"
CLIENT_SECRET = "graph-test-secret"
TENANT = "00000000-0000-4000-8000-000000000001"


class GraphServer:
    def __init__(self, users: list[dict], managers: dict[str, str], groups: dict[str, list[str]], *, page_size: int = 3) -> None:
        self.users = users
        self.managers = managers  # user id -> manager's user id
        self.groups = groups  # group id -> member user ids
        self.page_size = page_size
        self.token_requests: list[dict] = []
        self.requests: list[str] = []
        self.ca_file = _self_signed_cert_files()
        self.url = ""
        self._runner: web.AppRunner | None = None

    # -------------------------------------------------------------- identity platform
    async def _openid(self, request: web.Request) -> web.Response:
        tenant = request.match_info["tenant"]
        return web.json_response({
            "token_endpoint": f"{self.url}/{tenant}/oauth2/v2.0/token",
            "authorization_endpoint": f"{self.url}/{tenant}/oauth2/v2.0/authorize",
            "issuer": f"{self.url}/{tenant}/v2.0",
        })

    async def _token(self, request: web.Request) -> web.Response:
        form = {k: v[0] for k, v in parse_qs(await request.text()).items()}
        self.token_requests.append(form)
        if form.get("grant_type") != "client_credentials" or not form.get("scope", "").endswith("/.default"):
            return web.json_response({"error": "unsupported_grant_type"}, status=400)
        if form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET:
            return web.json_response({"error": "invalid_client", "error_description": "AADSTS7000215: Invalid client secret"}, status=401)
        return web.json_response({"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599,
                                  "access_token": f"graph-token-{len(self.token_requests)}"})

    # -------------------------------------------------------------- Graph
    def _authorised(self, request: web.Request) -> bool:
        self.requests.append(request.path_qs)
        return request.headers.get("Authorization", "").startswith("Bearer graph-token-")

    def _page(self, request: web.Request, items: list[dict]) -> web.Response:
        skip = int(request.query.get("$skiptoken", "0"))
        page = items[skip: skip + self.page_size]
        body: dict = {"@odata.context": f"{self.url}/v1.0/$metadata#users", "value": page}
        if skip + self.page_size < len(items):
            q = {k: v for k, v in request.query.items() if k != "$skiptoken"}
            q["$skiptoken"] = str(skip + self.page_size)
            body["@odata.nextLink"] = str(request.url.with_query(q))
        return web.json_response(body)

    @staticmethod
    def _select(item: dict, request: web.Request) -> dict:
        fields = request.query.get("$select")
        return {k: v for k, v in item.items() if not fields or k in fields.split(",")}

    async def _users(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return web.json_response({"error": {"code": "InvalidAuthenticationToken"}}, status=401)
        return self._page(request, [self._select(u, request) for u in self.users])

    async def _manager(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return web.json_response({"error": {"code": "InvalidAuthenticationToken"}}, status=401)
        mid = self.managers.get(request.match_info["id"])
        if mid is None:
            return web.json_response({"error": {"code": "Request_ResourceNotFound",
                                                "message": "Resource 'manager' does not exist."}}, status=404)
        manager = next(u for u in self.users if u["id"] == mid)
        return web.json_response({"@odata.type": "#microsoft.graph.user", **self._select(manager, request)})

    async def _members(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return web.json_response({"error": {"code": "InvalidAuthenticationToken"}}, status=401)
        ids = self.groups.get(request.match_info["id"], [])
        return self._page(request, [{"@odata.type": "#microsoft.graph.user", "id": i} for i in ids])

    async def start(self) -> "GraphServer":
        app = web.Application()
        app.router.add_get("/{tenant}/v2.0/.well-known/openid-configuration", self._openid)
        app.router.add_post("/{tenant}/oauth2/v2.0/token", self._token)
        app.router.add_get("/v1.0/users", self._users)
        app.router.add_get("/v1.0/users/{id}/manager", self._manager)
        app.router.add_get("/v1.0/groups/{id}/members", self._members)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(self.ca_file.name)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0, ssl_context=ctx)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # noqa: SLF001
        self.url = f"https://127.0.0.1:{port}"
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
