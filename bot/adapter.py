"""Our CloudAdapter: checks the request before the SDK sees it, and mends its traps.

- Bad input (not JSON, wrong content type, missing type/conversation/serviceUrl, oversized
  body) gets a 4xx with a short JSON error and a log line (never a 500 or a stack trace).
- Any failure to authenticate gets 401, not 500 (BOTFRAMEWORK.md trap 4).
- Invoke responses and expectReplies bodies are serialised once, as plain dicts (trap 1, 2).
"""

from __future__ import annotations

import json
import logging
from typing import Any

from aiohttp import web
from botbuilder.core import Bot
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity

from bot.streams import TooLarge, read_whole

log = logging.getLogger("policybot.http")

ACTIVITY_TYPES = {
    "message", "conversationUpdate", "invoke", "event", "installationUpdate", "messageReaction",
    "typing", "endOfConversation", "messageUpdate", "messageDelete", "contactRelationUpdate", "command",
    "commandResult", "trace", "handoff", "suggestion", "deleteUserData",
}


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


def validate_activity(body: Any) -> str | None:
    """Return what is wrong with an inbound activity, or None."""
    if not isinstance(body, dict):
        return "The body must be a JSON object (a Bot Framework activity)."
    kind = body.get("type")
    if not isinstance(kind, str) or not kind:
        return "The activity has no 'type'."
    if kind not in ACTIVITY_TYPES:
        return f"Unknown activity type {kind[:40]!r}."
    conv = body.get("conversation")
    if not isinstance(conv, dict) or not isinstance(conv.get("id"), str) or not conv.get("id"):
        return "The activity has no 'conversation.id'."
    if not isinstance(body.get("serviceUrl"), str) or not body["serviceUrl"].startswith(("http://", "https://")):
        return "The activity has no valid 'serviceUrl'."
    if "from" in body and not isinstance(body["from"], dict):
        return "'from' must be an object."
    if kind == "message" and "text" in body and body["text"] is not None and not isinstance(body["text"], str):
        return "'text' must be a string."
    return None


class PolicybotAdapter(CloudAdapter):
    def __init__(self, auth, *, app_id: str, max_body_bytes: int) -> None:
        super().__init__(auth)
        self.app_id = app_id
        self.max_body_bytes = max_body_bytes

    async def process(self, request: web.Request, bot: Bot, ws_response=None) -> web.Response:  # type: ignore[override]
        if request.method != "POST":
            return problem(405, "Use POST to send activities.")
        ctype = request.headers.get("Content-Type", "")
        if "application/json" not in ctype.lower():
            log.warning("rejected activity: content type %r", ctype[:80])
            return problem(415, "Activities must be sent as application/json.")
        if request.content_length is not None and request.content_length > self.max_body_bytes:
            log.warning("rejected activity: body of %s bytes", request.content_length)
            return problem(413, "The activity is too large.")
        try:
            raw = await read_whole(request.content, self.max_body_bytes)
        except TooLarge:
            log.warning("rejected activity: body over %s bytes", self.max_body_bytes)
            return problem(413, "The activity is too large.")
        except Exception:  # noqa: BLE001 - a broken upload is the client's problem
            log.warning("rejected activity: unreadable body", exc_info=True)
            return problem(400, "The request body could not be read.")
        try:
            body = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            log.warning("rejected activity: not JSON")
            return problem(400, "The body is not valid JSON.")
        fault = validate_activity(body)
        if fault:
            log.warning("rejected activity: %s", fault)
            return problem(400, fault)
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

        invoke_response = await self.process_activity(auth_result, activity, bot.on_turn)
        if invoke_response:
            return web.json_response(data=_plain(invoke_response.body), status=int(invoke_response.status))
        return web.Response(status=201)
