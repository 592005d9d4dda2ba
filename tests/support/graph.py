"""A local stand-in for Microsoft Entra ID's token endpoint and Microsoft Graph's users and groups,
shaped like the real APIs (OData paging with @odata.nextLink, 404 for a user with no manager), over
TLS because MSAL only talks to https authorities."""

from __future__ import annotations

import base64
import email as email_lib
import email.policy
import itertools
import json
import re
import ssl
import uuid
from datetime import datetime, timedelta, UTC
from urllib.parse import parse_qs

import aiohttp
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

    def routes(self, app: web.Application) -> None:
        """More of Graph (the mailbox stand-in adds its routes here)."""

    async def start(self) -> GraphServer:
        app = web.Application(client_max_size=50 * 1024 * 1024)
        self.routes(app)
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


# ====================================================================== the policy mailbox

MAX_SUBSCRIPTION_MINUTES = 10_080


def _file_attachment(name: str, data: bytes, content_type: str, *, is_inline: bool) -> dict:
    """A Graph fileAttachment (contentBytes is base64), as GET /messages/{id}/attachments shows it."""
    return {"@odata.type": "#microsoft.graph.fileAttachment", "id": "AAMkAtt" + uuid.uuid4().hex,
            "lastModifiedDateTime": "2026-11-23T10:00:00Z", "name": name, "contentType": content_type,
            "size": len(data), "isInline": is_inline, "contentId": f"{uuid.uuid4().hex}@trust.example" if is_inline else None,
            "contentLocation": None, "contentBytes": base64.b64encode(data).decode(), "_bytes": data}


def graph_time(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class MailGraphServer(GraphServer):
    """Graph's mail API for one policy mailbox, shaped like the real one:

    - `GET /users/{mb}/mailFolders/inbox/messages/delta`: pages of `Prefer: odata.maxpagesize`
      (default 10) with `@odata.nextLink` ($skiptoken), ending in an `@odata.deltaLink`
      ($deltatoken); later rounds give only what changed (moved-out messages as `@removed`).
    - `GET /users/{mb}/messages/{id}` ($select, internetMessageHeaders), `POST …/move` (a new id, as
      Exchange gives), `GET/POST …/mailFolders/inbox/childFolders`.
    - `POST /users/{mb}/sendMail` (base64 MIME, or JSON), each saved to Sent Items with its
      internetMessageId; `GET …/mailFolders/sentitems/messages?$filter=internetMessageId eq '…'`.
    - `POST /subscriptions` validates the notificationUrl and lifecycleNotificationUrl first (a
      POST with ?validationToken=…, answered within 10 s as text/plain with the token, else 400),
      refuses lifetimes over 10,080 minutes; `PATCH`, `DELETE`, `POST …/reauthorize`.
    - `deliver(...)` puts a message in the inbox and posts a `created` notification with the
      subscription's clientState (unless `outage` is on: then it is missed); `lifecycle(event)`.
    - `throttle(path_part, seconds, times)`: the next matching requests get 429 with Retry-After.
    """

    def __init__(self, mailbox: str, users: list[dict] | None = None) -> None:
        super().__init__(users or [], {}, {})
        self.mailbox = mailbox.lower()
        self.messages: dict[str, dict] = {}  # id -> message (with "_folder" and "_seq")
        self.folders: dict[str, str] = {"inbox": "inbox", "sentitems": "sentitems"}  # id -> display name
        self.seq = itertools.count(1)
        self.changes: list[tuple[int, str, str]] = []  # (seq, message id, "added" | "removed") in the inbox
        self.subscriptions: dict[str, dict] = {}
        self.sent: list[email_lib.message.EmailMessage] = []
        self._sent_ids: dict[str, str] = {}  # internetMessageId -> id, for Sent Items searches
        self.calls: list[str] = []
        self.throttles: list[list] = []  # [path part, seconds, times left]
        self.outage = False
        self.notifications_posted: list[tuple[int, dict]] = []
        self.now = lambda: datetime.now(UTC)
        self._http: aiohttp.ClientSession | None = None

    # -------------------------------------------------------------- the test's side
    def deliver_quietly(self, *, sender: str, subject: str, html: str = "", text: str = "", name: str = "",
                        in_reply_to: str | None = None, references: tuple[str, ...] = (),
                        auth_results: str | None = None, sender_header: str | None = None,
                        internet_message_id: str | None = None, extra_headers: dict[str, str] | None = None,
                        attachments: list[tuple[str, bytes, str]] = (), inline: list[tuple[str, bytes, str]] = ()) -> dict:
        mid = internet_message_id or f"<{uuid.uuid4().hex}@mail.trust.example>"
        headers = [{"name": "Message-ID", "value": mid}, {"name": "From", "value": f"{name} <{sender}>"},
                   {"name": "Subject", "value": subject}]
        if in_reply_to:
            headers.append({"name": "In-Reply-To", "value": in_reply_to})
        if references or in_reply_to:
            headers.append({"name": "References", "value": " ".join((*references, *( [in_reply_to] if in_reply_to else [])))})
        if auth_results is not None:
            headers.append({"name": "Authentication-Results", "value": auth_results})
        headers += [{"name": k, "value": v} for k, v in (extra_headers or {}).items()]
        gid = "AAMk" + base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        msg = {
            "id": gid, "internetMessageId": mid, "subject": subject,
            "from": {"emailAddress": {"name": name or sender, "address": sender}},
            "sender": {"emailAddress": {"name": name or sender, "address": sender_header or sender}},
            "receivedDateTime": graph_time(self.now()), "conversationId": "AAQk" + uuid.uuid5(uuid.NAMESPACE_URL, re.sub(r"^(re|fw):\s*", "", subject.lower())).hex,
            "internetMessageHeaders": headers, "hasAttachments": bool(attachments),  # Graph: inline pictures do not count
            "_attachments": [_file_attachment(n, data, ct, is_inline=False) for n, data, ct in attachments]
                            + [_file_attachment(n, data, ct, is_inline=True) for n, data, ct in inline],
            "body": {"contentType": "html", "content": html} if html else {"contentType": "text", "content": text},
            "_folder": "inbox",
        }
        self.messages[gid] = msg
        self.changes.append((next(self.seq), gid, "added"))
        return msg

    async def deliver(self, **kw) -> dict:
        msg = self.deliver_quietly(**kw)
        for sub in list(self.subscriptions.values()):
            if self.outage:
                continue
            await self.post_notification(sub, {"changeType": "created", "resource": f"Users/{self.mailbox}/Messages/{msg['id']}",
                                               "resourceData": {"@odata.type": "#Microsoft.Graph.Message", "@odata.id": f"Users/{self.mailbox}/Messages/{msg['id']}", "id": msg["id"]}})
        return msg

    async def lifecycle(self, event: str, sub_id: str | None = None) -> int:
        sub = self.subscriptions[sub_id] if sub_id else next(iter(self.subscriptions.values()))
        if event == "subscriptionRemoved":
            self.subscriptions.pop(sub["id"], None)
        return await self.post_notification(sub, {"lifecycleEvent": event}, url=sub["lifecycleNotificationUrl"])

    async def post_notification(self, sub: dict, fields: dict, *, url: str | None = None, client_state: str | None = None) -> int:
        body = {"value": [{"subscriptionId": sub["id"], "subscriptionExpirationDateTime": sub["expirationDateTime"],
                           "clientState": sub["clientState"] if client_state is None else client_state,
                           "tenantId": TENANT, **fields}]}
        assert self._http is not None
        async with self._http.post(url or sub["notificationUrl"], json=body) as resp:
            self.notifications_posted.append((resp.status, body))
            return resp.status

    def inbox(self) -> list[dict]:
        return [m for m in self.messages.values() if m["_folder"] == "inbox"]

    def in_folder(self, name: str) -> list[dict]:
        fid = next((k for k, v in self.folders.items() if v == name), None)
        return [m for m in self.messages.values() if m["_folder"] == fid]

    def throttle(self, path_part: str, seconds: float = 0, times: int = 1) -> None:
        self.throttles.append([path_part, seconds, times])

    def count(self, part: str) -> int:
        return sum(1 for c in self.calls if part in c)

    # -------------------------------------------------------------- Graph's side
    def routes(self, app: web.Application) -> None:
        app.middlewares.append(self._gate)
        u = "/v1.0/users/{mb}"
        app.router.add_get(u + "/mailFolders/inbox/messages/delta", self._delta)
        app.router.add_get(u + "/mailFolders/inbox", self._inbox_folder)
        app.router.add_get(u + "/messages/{id}", self._message)
        app.router.add_get(u + "/messages/{id}/attachments", self._attachments)
        app.router.add_get(u + "/messages/{id}/attachments/{aid}", self._one_attachment)
        app.router.add_get(u + "/messages/{id}/attachments/{aid}/$value", self._attachment_value)
        app.router.add_post(u + "/messages/{id}/move", self._move)
        app.router.add_get(u + "/mailFolders/inbox/childFolders", self._child_folders)
        app.router.add_post(u + "/mailFolders/inbox/childFolders", self._make_folder)
        app.router.add_get(u + "/mailFolders/sentitems/messages", self._sent_items)
        app.router.add_post(u + "/sendMail", self._send_mail)
        app.router.add_post("/v1.0/subscriptions", self._subscribe)
        app.router.add_patch("/v1.0/subscriptions/{id}", self._renew)
        app.router.add_delete("/v1.0/subscriptions/{id}", self._unsubscribe)
        app.router.add_post("/v1.0/subscriptions/{id}/reauthorize", self._reauthorize)

    @web.middleware
    async def _gate(self, request: web.Request, handler):
        if not request.path.startswith("/v1.0/"):
            return await handler(request)
        self.calls.append(f"{request.method} {request.path}")
        if not request.headers.get("Authorization", "").startswith("Bearer graph-token-"):
            return web.json_response({"error": {"code": "InvalidAuthenticationToken", "message": "Access token is empty."}}, status=401)
        mb = request.match_info.get("mb")
        if mb is not None and mb.lower() != self.mailbox:
            # RBAC for Applications scopes the app to the one mailbox: any other is refused.
            return web.json_response({"error": {"code": "ErrorAccessDenied", "message": "Access is denied. Check credentials and try again."}}, status=403)
        for t in self.throttles:
            if t[0] in request.path and t[2] > 0:
                t[2] -= 1
                return web.json_response({"error": {"code": "ApplicationThrottled", "message": "Application is over its MailboxConcurrency limit."}},
                                         status=429, headers={"Retry-After": str(t[1])})
        return await handler(request)

    @staticmethod
    def _view(m: dict, select: str | None) -> dict:
        out = {k: v for k, v in m.items() if not k.startswith("_") and k != "internetMessageHeaders"}
        if select:
            fields = select.split(",")
            out = {k: v for k, v in m.items() if k in fields or k == "id"}
        out["@odata.etag"] = f'W/"{m["id"][-8:]}"'
        return out

    async def _delta(self, request: web.Request) -> web.Response:
        q = request.query
        size = 10
        m = re.search(r"odata\.maxpagesize=(\d+)", request.headers.get("Prefer", ""))
        if m:
            size = int(m.group(1))
        if "$skiptoken" in q:
            since, offset, upto = (int(x) for x in q["$skiptoken"].split("."))
        else:
            since = int(q.get("$deltatoken", "0"))
            offset, upto = 0, (self.changes[-1][0] if self.changes else 0)
        changed: list[dict] = []
        for seq, gid, kind in self.changes:
            if since < seq <= upto:
                msg = self.messages.get(gid)
                if kind == "added" and since == 0 and msg is not None and msg["_folder"] != "inbox":
                    continue  # a first round lists only what is in the folder now
                changed.append({"id": gid, "@removed": {"reason": "deleted"}} if kind == "removed"
                               else self._view(msg, q.get("$select")))
        page = changed[offset: offset + size]
        base = str(request.url.with_query({}))
        body: dict = {"@odata.context": f"{self.url}/v1.0/$metadata#Collection(message)", "value": page}
        if offset + size < len(changed):
            body["@odata.nextLink"] = f"{base}?$skiptoken={since}.{offset + size}.{upto}"
        else:
            body["@odata.deltaLink"] = f"{base}?$deltatoken={upto}"
        return web.json_response(body)

    def _attachment(self, request: web.Request) -> tuple[dict | None, web.Response | None]:
        m = self.messages.get(request.match_info["id"])
        if m is None:
            return None, web.json_response({"error": {"code": "ErrorItemNotFound", "message": "The specified object was not found in the store."}}, status=404)
        a = next((a for a in m.get("_attachments", []) if a["id"] == request.match_info.get("aid")), None)
        if a is None and "aid" in request.match_info:
            return None, web.json_response({"error": {"code": "ErrorItemNotFound", "message": "The attachment was not found."}}, status=404)
        return a, None

    async def _attachments(self, request: web.Request) -> web.Response:
        """GET /messages/{id}/attachments: fileAttachments with their contentBytes (base64) unless
        $select leaves them out, as Graph does."""
        _, problem = self._attachment(request)
        if problem is not None:
            return problem
        fields = request.query.get("$select")
        out = []
        for a in self.messages[request.match_info["id"]].get("_attachments", []):
            shown = {k: v for k, v in a.items() if not k.startswith("_")}
            if fields:
                shown = {k: v for k, v in shown.items() if k in fields.split(",") or k in ("id", "@odata.type")}
            out.append(shown)
        return web.json_response({"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users('x')/messages('y')/attachments",
                                  "value": out})

    async def _one_attachment(self, request: web.Request) -> web.Response:
        a, problem = self._attachment(request)
        return problem or web.json_response({k: v for k, v in a.items() if not k.startswith("_")})

    async def _attachment_value(self, request: web.Request) -> web.StreamResponse:
        """GET /messages/{id}/attachments/{aid}/$value: the raw bytes, streamed."""
        a, problem = self._attachment(request)
        if problem is not None:
            return problem
        data = a["_bytes"]
        resp = web.StreamResponse(headers={"Content-Type": a["contentType"]})
        resp.content_length = len(data)
        await resp.prepare(request)
        for start in range(0, len(data), 64 * 1024):
            await resp.write(data[start:start + 64 * 1024])
        await resp.write_eof()
        return resp

    async def _inbox_folder(self, request: web.Request) -> web.Response:
        return web.json_response({"id": "inbox", "displayName": "Inbox", "totalItemCount": len(self.inbox())})

    async def _message(self, request: web.Request) -> web.Response:
        m = self.messages.get(request.match_info["id"])
        if m is None:
            return web.json_response({"error": {"code": "ErrorItemNotFound", "message": "The specified object was not found in the store."}}, status=404)
        return web.json_response(self._view(m, request.query.get("$select")))

    async def _move(self, request: web.Request) -> web.Response:
        m = self.messages.get(request.match_info["id"])
        if m is None:
            return web.json_response({"error": {"code": "ErrorItemNotFound", "message": "The specified object was not found in the store."}}, status=404)
        dest = (await request.json()).get("destinationId")
        if dest not in self.folders:
            return web.json_response({"error": {"code": "ErrorInvalidIdMalformed", "message": "Id is malformed."}}, status=400)
        del self.messages[m["id"]]
        if m["_folder"] == "inbox":
            self.changes.append((next(self.seq), m["id"], "removed"))
        new_id = m["id"] + "-m"
        m = {**m, "id": new_id, "_folder": dest}
        self.messages[new_id] = m
        return web.json_response(self._view(m, None), status=201)

    async def _child_folders(self, request: web.Request) -> web.Response:
        name = re.search(r"displayName eq '([^']*)'", request.query.get("$filter", ""))
        found = [{"id": k, "displayName": v} for k, v in self.folders.items()
                 if k not in ("inbox", "sentitems") and (name is None or v == name.group(1))]
        return web.json_response({"value": found})

    async def _make_folder(self, request: web.Request) -> web.Response:
        name = (await request.json()).get("displayName")
        if name in self.folders.values():
            return web.json_response({"error": {"code": "ErrorFolderExists", "message": "A folder with the specified name already exists."}}, status=409)
        fid = "AAMkF" + uuid.uuid4().hex
        self.folders[fid] = name
        return web.json_response({"id": fid, "displayName": name, "parentFolderId": "inbox"}, status=201)

    async def _sent_items(self, request: web.Request) -> web.Response:
        want = re.search(r"internetMessageId eq '(.*)'", request.query.get("$filter", ""))
        if want is not None:  # Exchange indexes this; so does the stand-in (benchmarks send thousands)
            hit = self.messages.get(self._sent_ids.get(want.group(1).replace("''", "'"), ""))
            found = [self._view(hit, "internetMessageId")] if hit and hit["_folder"] == "sentitems" else []
        else:
            found = [self._view(m, "internetMessageId") for m in self.messages.values() if m["_folder"] == "sentitems"]
        return web.json_response({"value": found})

    async def _send_mail(self, request: web.Request) -> web.Response:
        raw = await request.read()
        if request.headers.get("Content-Type", "").startswith("text/plain"):
            try:
                mime = base64.b64decode(raw, validate=True)
            except ValueError:
                return web.json_response({"error": {"code": "ErrorMimeContentInvalidBase64String", "message": "Invalid base64 string for MIME content."}}, status=400)
            msg = email_lib.message_from_bytes(mime, policy=email_lib.policy.default)
        else:
            data = json.loads(raw)["message"]
            msg = email_lib.message.EmailMessage()
            msg["Subject"] = data.get("subject", "")
            msg["To"] = ", ".join(r["emailAddress"]["address"] for r in data.get("toRecipients", []))
            msg.set_content((data.get("body") or {}).get("content", ""))
        self.sent.append(msg)
        gid = "AAMkS" + uuid.uuid4().hex
        self.messages[gid] = {"id": gid, "internetMessageId": str(msg.get("Message-ID") or f"<{gid}@graph>"),
                              "subject": str(msg["Subject"]), "_folder": "sentitems"}
        self._sent_ids[self.messages[gid]["internetMessageId"]] = gid
        return web.Response(status=202, headers={"request-id": str(uuid.uuid4())})

    async def _validate(self, url: str) -> bool:
        token = f"Validation: Testing client application reachability for subscription Request-Id: {uuid.uuid4()}"
        assert self._http is not None
        try:
            async with self._http.post(url, params={"validationToken": token}, data=b"",
                                       headers={"Content-Type": "text/plain; charset=utf-8"},
                                       timeout=aiohttp.ClientTimeout(total=10)) as resp:
                text = await resp.text()
                return resp.status == 200 and resp.content_type == "text/plain" and text == token
        except (TimeoutError, aiohttp.ClientError):
            return False

    async def _subscribe(self, request: web.Request) -> web.Response:
        body = await request.json()
        for field in ("changeType", "notificationUrl", "resource", "expirationDateTime"):
            if not body.get(field):
                return web.json_response({"error": {"code": "InvalidRequest", "message": f"{field} is required"}}, status=400)
        expires = datetime.fromisoformat(re.sub(r"\.\d+", "", body["expirationDateTime"]).replace("Z", "+00:00"))
        if expires > self.now() + timedelta(minutes=MAX_SUBSCRIPTION_MINUTES):
            return web.json_response({"error": {"code": "InvalidRequest", "message": "Subscription expiration can only be 10080 minutes in the future."}}, status=400)
        if self.mailbox not in body["resource"].lower():
            return web.json_response({"error": {"code": "ExtensionError", "message": "Access is denied."}}, status=403)
        for url in {body["notificationUrl"], body.get("lifecycleNotificationUrl") or body["notificationUrl"]}:
            if not await self._validate(url):
                return web.json_response({"error": {"code": "InvalidRequest", "message": "Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request."}}, status=400)
        sub = {**body, "id": str(uuid.uuid4()), "lifecycleNotificationUrl": body.get("lifecycleNotificationUrl") or body["notificationUrl"],
               "expirationDateTime": graph_time(expires), "applicationId": CLIENT_ID}
        self.subscriptions[sub["id"]] = sub
        return web.json_response(sub, status=201)

    async def _renew(self, request: web.Request) -> web.Response:
        sub = self.subscriptions.get(request.match_info["id"])
        if sub is None:
            return web.json_response({"error": {"code": "ResourceNotFound", "message": "The object was not found."}}, status=404)
        expires = datetime.fromisoformat(re.sub(r"\.\d+", "", (await request.json())["expirationDateTime"]).replace("Z", "+00:00"))
        if expires > self.now() + timedelta(minutes=MAX_SUBSCRIPTION_MINUTES):
            return web.json_response({"error": {"code": "InvalidRequest", "message": "Subscription expiration can only be 10080 minutes in the future."}}, status=400)
        sub["expirationDateTime"] = graph_time(expires)
        sub["renewals"] = sub.get("renewals", 0) + 1
        return web.json_response(sub)

    async def _unsubscribe(self, request: web.Request) -> web.Response:
        if self.subscriptions.pop(request.match_info["id"], None) is None:
            return web.json_response({"error": {"code": "ResourceNotFound", "message": "The object was not found."}}, status=404)
        return web.Response(status=204)

    async def _reauthorize(self, request: web.Request) -> web.Response:
        sub = self.subscriptions.get(request.match_info["id"])
        if sub is None:
            return web.json_response({"error": {"code": "ResourceNotFound", "message": "The object was not found."}}, status=404)
        sub["reauthorized"] = sub.get("reauthorized", 0) + 1
        return web.Response(status=200)

    async def start(self) -> MailGraphServer:
        self._http = aiohttp.ClientSession()
        await super().start()
        return self

    async def stop(self) -> None:
        if self._http is not None:
            await self._http.close()
        await super().stop()
