"""A terminal chat with a running policybot, exactly as a channel talks to it.

The client runs a small web server that plays the channel's `serviceUrl` (the bot posts its
replies there), and posts the person's messages to the bot's `/api/messages`. Cards are shown
as text with numbered inputs and buttons; typing a button's number presses it.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import sys
import threading
import uuid
from pathlib import Path, PurePath
from dataclasses import dataclass
from collections.abc import Awaitable, Callable

import aiohttp
from aiohttp import web

from policybot.card_text import TextCard, card_to_text, input_value
from services.people.identity import directory, find_person
from store.uow import Store

TENANT = "00000000-0000-4000-8000-000000000001"
ADAPTIVE = "application/vnd.microsoft.card.adaptive"

Ask = Callable[[str], Awaitable[str]]
Out = Callable[[str], None]


@dataclass
class Identity:
    id: str
    name: str
    aad_object_id: str | None
    email: str | None


class ChatClient:
    def __init__(self, bot_url: str, me: Identity, *, out: Out = print, ask: Ask | None = None,
                 channel: str = "msteams") -> None:
        self.bot_url = bot_url.rstrip("/")
        self.me = me
        self.out = out
        self.ask = ask
        self.channel = channel
        self.conversation_id = f"a:local-chat-{uuid.uuid4().hex[:12]}"
        self.last_card: TextCard | None = None
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self._http: aiohttp.ClientSession | None = None
        self.service_url = ""
        self.files: dict[str, bytes] = {}

    # -- the channel side: the bot posts replies here
    async def start(self) -> ChatClient:
        app = web.Application()
        app.router.add_post("/v3/conversations/{conv}/activities/{reply}", self._receive)
        app.router.add_post("/v3/conversations/{conv}/activities", self._receive)
        app.router.add_put("/v3/conversations/{conv}/activities/{aid}", self._receive)
        app.router.add_get("/v3/conversations/{conv}/members/{member}", self._member)
        app.router.add_post("/v3/conversations", self._create)
        app.router.add_get("/files/{name}", self._file)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.service_url = f"http://127.0.0.1:{port}/"
        self._http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30))
        return self

    async def stop(self) -> None:
        if self._http:
            await self._http.close()
        if self._runner:
            await self._runner.cleanup()

    async def _receive(self, request: web.Request) -> web.Response:
        try:
            activity = await request.json()
        except ValueError:
            return web.json_response({"error": "not JSON"}, status=400)
        self.show(activity, updated=request.method == "PUT")
        return web.json_response({"id": f"local-{next(self._ids)}"})

    async def _file(self, request: web.Request) -> web.Response:
        data = self.files.get(request.match_info["name"])
        if data is None:
            return web.Response(status=404)
        return web.Response(body=data, content_type="application/octet-stream")

    async def attach(self, path: str, text: str = "") -> None:
        """Send a file as Teams does: an attachment the bot downloads from the channel."""
        p = PurePath(path)
        try:
            data = await asyncio.to_thread(_read_file, path)
        except OSError as exc:
            self.out(f"(could not read {p}: {exc.strerror})")
            return
        name = p.name.replace("/", "_")
        self.files[name] = data
        attachment = {"contentType": "application/vnd.microsoft.teams.file.download.info", "name": name,
                      "content": {"downloadUrl": f"{self.service_url}files/{name}", "uniqueId": name, "fileType": p.suffix.lstrip(".")}}
        await self.post(self.activity(text=text, attachments=[attachment]))

    async def _member(self, request: web.Request) -> web.Response:
        return web.json_response({"id": request.match_info["member"], "name": self.me.name, "aadObjectId": self.me.aad_object_id})

    async def _create(self, request: web.Request) -> web.Response:
        return web.json_response({"id": self.conversation_id, "activityId": f"local-{next(self._ids)}"})

    # -- showing what the bot says
    def show(self, activity: dict, updated: bool = False) -> None:
        if activity.get("type") not in (None, "message"):
            return
        prefix = "policybot (updated)" if updated else "policybot"
        if self.channel == "email":
            html = (activity.get("channelData") or {}).get("htmlBody")
            self.out(f"{prefix}: {activity.get('text') or ''}" + ("\n  [HTML email body received]" if html else ""))
            return
        text = activity.get("text")
        if text:
            self.out(f"{prefix}: {text}")
        for att in activity.get("attachments") or []:
            if att.get("contentType") == ADAPTIVE and isinstance(att.get("content"), dict):
                self.last_card = card_to_text(att["content"])
                self.out(("" if text else f"{prefix}:\n") + self.last_card.render())

    # -- the person's side
    def activity(self, kind: str = "message", **fields) -> dict:
        frm = {"id": self.me.email if self.channel == "email" and self.me.email else f"29:{self.me.id}", "name": self.me.name}
        if self.me.aad_object_id and self.channel != "email":
            frm["aadObjectId"] = self.me.aad_object_id
        act = {
            "type": kind, "id": f"chat-{uuid.uuid4().hex}", "channelId": self.channel, "serviceUrl": self.service_url,
            "from": frm, "recipient": {"id": "28:policybot", "name": "policybot"},
            "conversation": {"id": self.conversation_id, "conversationType": "personal", "tenantId": TENANT},
            "channelData": {"tenant": {"id": TENANT}}, "locale": "en-GB",
        }
        act.update(fields)
        return act

    async def post(self, activity: dict) -> tuple[int, object]:
        assert self._http is not None
        try:
            async with self._http.post(self.bot_url + "/api/messages", json=activity) as resp:
                try:
                    body = await resp.json(content_type=None)
                except ValueError:
                    body = None
                if resp.status >= 400:
                    self.out(f"(the bot answered HTTP {resp.status}: {body})")
                return resp.status, body
        except aiohttp.ClientError as exc:
            self.out(f"(could not reach the bot at {self.bot_url}: {exc})")
            return 0, None

    async def say(self, text: str) -> None:
        await self.post(self.activity(text=text))

    async def press(self, number: int) -> None:
        card = self.last_card
        if card is None or not 1 <= number <= len(card.buttons):
            self.out("(there is no such button on the last card)")
            return
        button = card.buttons[number - 1]
        if button.kind == "Action.OpenUrl":
            self.out(f"(open {button.url} in your browser)")
            return
        values = await self._fill(card)
        if values is None:
            return
        data = {**values, **button.data}
        if button.kind == "Action.Execute":
            act = self.activity("invoke", name="adaptiveCard/action",
                                value={"action": {"type": "Action.Execute", "verb": button.verb, "data": data}, "trigger": "manual"})
            status, body = await self.post(act)
            if isinstance(body, dict):
                value = body.get("value")
                if body.get("type") == ADAPTIVE and isinstance(value, dict):
                    self.last_card = card_to_text(value)
                    self.out("policybot:\n" + self.last_card.render())
                elif isinstance(value, str):
                    self.out(f"policybot: {value}")
                elif isinstance(value, dict) and value.get("message"):
                    self.out(f"policybot: {value['message']}")
            return
        await self.post(self.activity(text="", value=data))

    async def _fill(self, card: TextCard) -> dict | None:
        values: dict[str, str] = {}
        for inp in card.inputs:
            if self.ask is None:
                values[inp.id] = inp.value or ""
                continue
            while True:
                hint = "" if inp.required else " (Enter to leave blank)"
                answer = await self.ask(f"{inp.label}{hint}: ")
                try:
                    values[inp.id] = input_value(inp, answer)
                    break
                except ValueError as exc:
                    self.out(f"({exc})")
        return values

    async def handle_line(self, line: str, switch: Callable[[str], Awaitable[Identity | None]] | None = None) -> bool:
        """Act on one typed line. Returns False when the person wants to leave."""
        line = line.strip()
        if not line:
            return True
        if line in ("/quit", "/exit", "/q"):
            return False
        if line.startswith("/as"):
            who = line[3:].strip()
            found = await switch(who) if switch else None
            if found is None:
                self.out(f"(nobody called '{who}' in the directory; try their id, email or name)")
            else:
                self.me = found
                self.conversation_id = f"a:local-chat-{uuid.uuid4().hex[:12]}"
                self.out(f"(you are now {found.name})")
            return True
        if line.startswith("/attach"):
            parts = line.split(maxsplit=2)
            if len(parts) < 2:
                self.out("(usage: /attach <path to a .docx file> [message])")
            else:
                await self.attach(parts[1], parts[2] if len(parts) > 2 else "")
            return True
        if line.isdigit() and self.last_card and self.last_card.buttons:
            await self.press(int(line))
            return True
        await self.say(line)
        return True


GOODBYE = "Goodbye."


_leaving: list[asyncio.Future] = []  # the prompt waiting for a line, resolved at once when asked to leave
_asked_to_leave = False


def request_leave() -> None:
    """Ctrl-C or SIGTERM: the prompt waiting now (or the next one) answers as the end of input does."""
    global _asked_to_leave
    _asked_to_leave = True
    for answer in _leaving:
        if not answer.done():
            answer.set_result(None)


async def _stdin_line(prompt: str) -> str | None:
    """One typed line, or None at the end of input (or when asked to leave). Read on a daemon
    thread, so leaving never waits for a line that will not come."""
    if _asked_to_leave:
        return None
    loop = asyncio.get_running_loop()
    answer: asyncio.Future[str | None] = loop.create_future()

    def settle(value: str | None) -> None:
        if not answer.done():
            answer.set_result(value)

    def read() -> None:
        try:
            line: str | None = input(prompt)
        except (EOFError, OSError, ValueError):  # end of input, a closed terminal or stdin
            line = None
        try:
            loop.call_soon_threadsafe(settle, line)
        except RuntimeError:  # the loop has closed: nobody is waiting any more
            pass

    threading.Thread(target=read, name="stdin", daemon=True).start()
    _leaving.append(answer)
    try:
        return await answer
    finally:
        _leaving.remove(answer)


async def run_chat(bot_url: str, database_url: str, who: str | None, channel: str = "msteams") -> int:
    store = Store(database_url)

    async def lookup(name: str) -> Identity | None:
        async with store.uow() as uow:
            p = await find_person(uow, name)
            return Identity(p.id, p.name, p.aad_object_id, p.email) if p else None

    try:
        if not who:
            async with store.uow() as uow:
                people = await directory(uow)
            print("Who are you? (choose a number; '/as <name>' switches later)")
            for i, (pid, name, roles) in enumerate(people, 1):
                print(f"  {i:2}. {name} ({pid}: {roles})")
            answer = await _stdin_line("> ")
            if answer is None:
                print("\n" + GOODBYE)
                return 0
            who = people[int(answer) - 1][0] if answer.strip().isdigit() and 0 < int(answer) <= len(people) else answer
        me = await lookup(who)
        if me is None:
            print(f"Nobody called '{who}' is in the directory.", file=sys.stderr)
            return 2

        async def ask(prompt: str) -> str:
            return (await _stdin_line("  " + prompt)) or ""

        client = await ChatClient(bot_url, me, ask=ask, channel=channel).start()
        print(f"Chatting with policybot at {bot_url} as {me.name}. Type 'help', a button's number to press it, "
              "'/attach <file.docx>' to send a Word document, '/as <name>' to be someone else, '/quit' to leave.")
        try:
            while True:
                line = await _stdin_line(f"{client.me.name.split()[0]}> ")
                if line is None or not await client.handle_line(line, lookup):
                    break
            print(("\n" if line is None else "") + GOODBYE)
        finally:
            await client.stop()
        return 0
    finally:
        await store.close()


def dumps(obj: object) -> str:
    return json.dumps(obj, indent=1)


def _read_file(path: str) -> bytes:
    """A file the person named (~ for their home folder), read off the event loop."""
    return Path(path).expanduser().read_bytes()
