"""A small aiohttp server standing in for a channel's Bot Connector service (the `serviceUrl`).

It records what the bot sends, shaped like the real API:
POST /v3/conversations/{id}/activities[/{replyToId}], PUT .../activities/{id},
GET /v3/conversations/{id}/members/{memberId}, POST /v3/conversations.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from dataclasses import dataclass, field
from urllib.parse import unquote

from aiohttp import web


@dataclass
class Received:
    method: str
    path: str
    conversation_id: str
    activity: dict
    reply_to: str | None = None
    headers: dict = field(default_factory=dict)


class ChannelStandIn:
    def __init__(self) -> None:
        self.received: list[Received] = []
        self.typing: list[Received] = []  # typing indicators the bot showed
        self.members: dict[str, dict] = {}
        self.fail_next: list[tuple[int, dict]] = []  # (status, headers) to answer the next sends with
        # Teams' limits, enforced when set: per conversation [(n, seconds)], per tenant [(n, seconds)].
        self.conversation_limits: list[tuple[int, float]] = []
        self.tenant_limits: list[tuple[int, float]] = []
        self.throttled = 0  # sends answered 429 because a limit was exceeded
        self.fail_in: dict[str, list[tuple[int, dict]]] = {}  # per conversation: answers for its next sends
        self.answered: list[tuple[float, str, int]] = []  # (loop time, conversation, status) of every send
        self._times: dict[str, list[float]] = {}
        self.files: dict[str, bytes] = {}  # attachments people "upload", served at /files/{name}
        self._ids = itertools.count(1)
        self._event = asyncio.Event()
        self.runner: web.AppRunner | None = None
        self.url = ""

    async def start(self) -> ChannelStandIn:
        app = web.Application()
        app.router.add_post("/v3/conversations/{conv}/activities/{reply}", self._send)
        app.router.add_post("/v3/conversations/{conv}/activities", self._send)
        app.router.add_put("/v3/conversations/{conv}/activities/{aid}", self._update)
        app.router.add_get("/v3/conversations/{conv}/members/{member}", self._member)
        app.router.add_post("/v3/conversations", self._create)
        app.router.add_get("/files/{name}", self._file)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # noqa: SLF001
        self.url = f"http://127.0.0.1:{port}/"
        return self

    async def stop(self) -> None:
        if self.runner:
            await self.runner.cleanup()

    def _record(self, request: web.Request, body: dict, **kw) -> None:
        conv = unquote(request.match_info.get("conv", ""))
        self.received.append(Received(request.method, request.path, conv, body, headers=dict(request.headers), **kw))
        self._event.set()

    def _over_limit(self, key: str, limits: list[tuple[int, float]], now: float) -> bool:
        if not limits:
            return False
        times = self._times.setdefault(key, [])
        horizon = max(w for _, w in limits)
        times[:] = [t for t in times if t > now - horizon]
        return any(sum(1 for t in times if t > now - w) >= n for n, w in limits)

    async def _send(self, request: web.Request) -> web.Response:
        peek = await request.json()
        if isinstance(peek, dict) and peek.get("type") == "typing":  # a courtesy, not a reply: kept apart
            self.typing.append(Received(request.method, request.path, unquote(request.match_info.get("conv", "")), peek,
                                        reply_to=unquote(request.match_info.get("reply") or "") or None))
            return web.json_response({"id": f"typing-{next(self._ids)}"})
        if self.fail_next:
            status, headers = self.fail_next.pop(0)
            return web.json_response({"error": {"code": "Throttled"}}, status=status, headers=headers)
        conv_id = unquote(request.match_info.get("conv", ""))
        now_t = asyncio.get_running_loop().time()
        if self.fail_in.get(conv_id):
            status, headers = self.fail_in[conv_id].pop(0)
            self.answered.append((now_t, conv_id, status))
            return web.json_response({"error": {"code": "ServiceError"}}, status=status, headers=headers)
        body = await request.json()
        if self.conversation_limits or self.tenant_limits:
            now = asyncio.get_running_loop().time()
            conv = unquote(request.match_info.get("conv", ""))
            tenant = (body.get("conversation") or {}).get("tenantId") or "-"
            if self._over_limit("c:" + conv, self.conversation_limits, now) or self._over_limit("t:" + tenant, self.tenant_limits, now):
                self.throttled += 1
                self.answered.append((now_t, conv_id, 429))
                return web.json_response({"error": {"code": "Throttled"}}, status=429, headers={"Retry-After": "1"})
            self._times.setdefault("c:" + conv, []).append(now)
            self._times.setdefault("t:" + tenant, []).append(now)
        reply = request.match_info.get("reply")
        self.answered.append((now_t, conv_id, 200))
        self._record(request, body, reply_to=unquote(reply) if reply else None)
        return web.json_response({"id": f"act-{next(self._ids)}"})

    async def _update(self, request: web.Request) -> web.Response:
        body = await request.json()
        self._record(request, body, reply_to=unquote(request.match_info["aid"]))
        return web.json_response({"id": request.match_info["aid"]})

    async def _file(self, request: web.Request) -> web.StreamResponse:
        """Served as a file store does: in pieces over the network, never in one read."""
        data = self.files.get(request.match_info["name"])
        if data is None:
            return web.Response(status=404)
        resp = web.StreamResponse(headers={"Content-Type": "application/octet-stream"})
        resp.content_length = len(data)
        await resp.prepare(request)
        for start in range(0, len(data), 16 * 1024):
            await resp.write(data[start:start + 16 * 1024])
            await asyncio.sleep(0)
        await resp.write_eof()
        return resp

    def attach(self, name: str, data: bytes) -> dict:
        """A Teams file attachment as the channel sends it, served from here."""
        self.files[name] = data
        return {
            "contentType": "application/vnd.microsoft.teams.file.download.info",
            "name": name,
            "content": {"downloadUrl": f"{self.url}files/{name}", "uniqueId": name, "fileType": "docx"},
        }

    async def _member(self, request: web.Request) -> web.Response:
        member = self.members.get(unquote(request.match_info["member"]))
        if member is None:
            return web.json_response({"error": {"code": "MemberNotFoundInConversation"}}, status=404)
        return web.json_response(member)

    async def _create(self, request: web.Request) -> web.Response:
        body = await request.json()
        conv_id = f"a:new-{next(self._ids)}"
        self.received.append(Received("POST", request.path, conv_id, body))
        self._event.set()
        return web.json_response({"id": conv_id, "activityId": f"act-{next(self._ids)}"})

    def replies_to(self, activity_id: str) -> list[dict]:
        return [r.activity for r in self.received if r.reply_to == activity_id]

    def in_conversation(self, conversation_id: str) -> list[dict]:
        return [r.activity for r in self.received if r.conversation_id == conversation_id]


def card_of(activity: dict) -> dict | None:
    for att in activity.get("attachments") or []:
        if att.get("contentType") == "application/vnd.microsoft.card.adaptive":
            return att["content"]
    return None


def card_text(card: dict | None) -> str:
    """Every piece of text a person can read on a card, in order, one per line."""
    out: list[str] = []

    def walk(node) -> None:
        if isinstance(node, dict):
            t = node.get("type")
            if t == "TextBlock":
                out.append(node.get("text", ""))
            elif t == "FactSet":
                out.extend(f"{f['title']}: {f['value']}" for f in node.get("facts", []))
            elif isinstance(t, str) and t.startswith("Input."):
                out.append(node.get("label") or node.get("placeholder") or node.get("title") or "")  # a toggle shows its title
                out.extend(f"( ) {c.get('title', '')}" for c in node.get("choices", []))
            elif isinstance(t, str) and t.startswith("Action."):
                out.append(f"[{node.get('title', '')}]")
            for key in ("body", "items", "columns", "actions"):
                if key in node:
                    walk(node[key])
        elif isinstance(node, list):
            for n in node:
                walk(n)

    walk(card or {})
    return "\n".join(out)


def readable(activity: dict) -> str:
    """What a person would read: the text and/or the card's text."""
    parts = [activity.get("text") or ""]
    card = card_of(activity)
    if card:
        parts.append(card_text(card))
    return "\n".join(p for p in parts if p)


def dumps(obj) -> str:
    return json.dumps(obj, indent=1, default=str)
