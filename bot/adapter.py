"""Our CloudAdapter: checks the request before the SDK sees it, and mends its traps.

- Bad input (wrong content type, oversized body, and everything `bot/validation.py` refuses: not
  JSON, too deep, ids that do not fit, wrong shapes) gets a 4xx with a one-sentence JSON error
  and a log line (never a 500 or a stack trace).
- Invokes policybot does not offer get an invoke response saying so (not the SDK's 501).
- Any failure to authenticate gets 401, not 500 (BOTFRAMEWORK.md trap 4).
- Invoke responses and expectReplies bodies are serialised once, as plain dicts (trap 1, 2).
"""

from __future__ import annotations

import logging
from typing import Any

from aiohttp import web
from botbuilder.core import Bot
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity

from bot.streams import TooLarge, read_whole
from bot.turns import InvokeDeadline, TypingIndicator
from bot.validation import Refused, read_activity

log = logging.getLogger("policybot.http")

def problem(status: int, message: str) -> web.Response:
    return web.json_response({"error": {"status": status, "message": message}}, status=status)


def _plain(body: Any) -> Any:
    """Turn an SDK model (or a dict already made from one) into JSON-ready data exactly once."""
    if body is None or isinstance(body, (dict, list, str, int, float, bool)):
        return body
    if hasattr(body, "serialize"):
        return body.serialize()
    if hasattr(body, "__dict__"):
        return {k: _plain(v) for k, v in vars(body).items() if v is not None and not k.startswith("_")}
    return body


# Invokes the bot answers itself; any other name gets an invoke response saying so, not the SDK's 501.
HANDLED_INVOKES = {"adaptiveCard/action", "fileConsent/invoke"}  # card buttons; the draft and redline uploads


def unhandled_invoke(name: str) -> tuple[int, dict]:
    """A proper answer to an invoke policybot does not offer, shaped for the invoke's family."""
    text = "policybot has no such feature here. Type 'help' in the chat to see what it can do."
    if name.startswith("task/"):
        return 200, {"task": {"type": "message", "value": text}}
    if name.startswith("composeExtension/"):
        return 200, {"composeExtension": {"type": "message", "text": text}}
    return 400, {"statusCode": 400, "type": "application/vnd.microsoft.error",
                 "value": {"code": "NotSupported", "message": text}}


class PolicybotAdapter(CloudAdapter):
    def __init__(self, auth, *, app_id: str, max_body_bytes: int, invoke_answer_seconds: float = 4.0) -> None:
        super().__init__(auth)
        self.app_id = app_id
        self.max_body_bytes = max_body_bytes
        self.invokes = InvokeDeadline(invoke_answer_seconds)  # card buttons answered within Teams' limit
        self.typing = TypingIndicator()  # a slow turn shows "typing"
        self.use(self.invokes)
        self.use(self.typing)

    async def process(self, request: web.Request, bot: Bot, ws_response=None) -> web.Response:
        if request.method != "POST":
            return problem(405, "Use POST to send activities.")
        ctype = request.headers.get("Content-Type", "")
        if "application/json" not in ctype.lower():
            log.warning("rejected activity: content type %r", ctype[:80])
            return problem(415, "Activities must be sent as application/json.")
        too_large = (f"The activity is too large: this bot accepts at most {self.max_body_bytes:,} bytes; "
                     "send large files as attachments.")
        if request.content_length is not None and request.content_length > self.max_body_bytes:
            log.warning("rejected activity: body of %s bytes", request.content_length)
            return problem(413, too_large)
        try:
            raw = await read_whole(request.content, self.max_body_bytes)
        except TooLarge:
            log.warning("rejected activity: body over %s bytes", self.max_body_bytes)
            return problem(413, too_large)
        except Exception:  # noqa: BLE001 - a broken upload is the client's problem
            log.warning("rejected activity: unreadable body", exc_info=True)
            return problem(400, "The request body could not be read.")
        try:
            body = read_activity(raw)
        except Refused as refused:
            log.warning("rejected activity: %s", refused.message)
            return problem(refused.status, refused.message)
        try:
            activity = Activity().deserialize(body)
        except Exception:  # noqa: BLE001
            log.warning("rejected activity: does not fit the schema", exc_info=True)
            return problem(400, "The activity does not fit the Bot Framework schema.")

        auth_header = request.headers.get("Authorization", "")
        if self.app_id and not auth_header:
            log.warning("rejected activity: no Authorization header")
            return problem(401, "Authorization is required.")
        try:
            auth_result = await self.bot_framework_authentication.authenticate_request(activity, auth_header)
        except Exception as exc:  # noqa: BLE001 - every authentication failure is a 401
            log.warning("rejected activity: authentication failed (%s: %s)", type(exc).__name__, str(exc)[:200])
            return problem(401, "The request could not be authenticated.")

        if activity.type == "invoke" and activity.name not in HANDLED_INVOKES:
            status, answer = unhandled_invoke(activity.name or "")
            log.info("answered an invoke policybot does not offer: %r", (activity.name or "")[:80])
            return web.json_response(answer, status=status)

        invoke_response = await self.process_activity(auth_result, activity, bot.on_turn)
        invoke_response = self.invokes.take_provisional(activity) or invoke_response
        if invoke_response:
            return web.json_response(data=_plain(invoke_response.body), status=int(invoke_response.status))
        return web.Response(status=201)
