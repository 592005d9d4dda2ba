"""The aiohttp application's parts: its keys, the messages endpoint, /healthz, the error guards.
`bot.bootstrap.create_app(settings)` puts them together; nothing is built at import."""

from __future__ import annotations

import logging
import traceback
import uuid
from typing import Any

import aiohttp
from aiohttp import web
from botbuilder.core import ConversationState, TurnContext
from botframework.connector.models import ErrorResponseException
from msrest.exceptions import ClientRequestError

from bot.adapter import PolicybotAdapter, problem
from bot.activities import to_activity
from bot.handler import PolicyBot
from bot.storage import SqlStorage, StateConflict
from render import messages
from render.reply import Reply
from scheduler.runner import Scheduler
from services.context import Services
from services.delivery.dispatch import Dispatcher
from store.db import describe_outage, is_unavailable, outage

log = logging.getLogger("policybot.app")

RUNTIME_KEY: web.AppKey[Any] = web.AppKey("runtime")
SERVICES_KEY = web.AppKey("services", Services)
DISPATCHER_KEY = web.AppKey("dispatcher", Dispatcher)
SCHEDULER_KEY = web.AppKey("scheduler", Scheduler)
ADAPTER_KEY = web.AppKey("adapter", PolicybotAdapter)
BOT_KEY = web.AppKey("bot", PolicyBot)


UNAVAILABLE = "I can't reach the register just now; please try again in a few minutes."


def correlation_id() -> str:
    """A short reference a person can read out to their Policy and Procedures Officer."""
    return uuid.uuid4().hex[:8].upper()


def _channel_unreachable(error: BaseException) -> bool:
    """The reply itself could not be delivered (the channel's service is down or refused it)."""
    current: BaseException | None = error
    while current is not None:
        if isinstance(current, (aiohttp.ClientError, ClientRequestError, ErrorResponseException)):
            return True
        current = current.__cause__ or current.__context__
    return False


def make_turn_error_handler(conversation_state: ConversationState, storage: SqlStorage):
    """The last guard of a turn. Every exception that reaches it is a defect (the edge and the
    dialogs answer everything else), except the outside world failing: the database (the person
    is told in plain words and nothing is cleared) and the channel (nothing can be said)."""

    async def say(turn_context: TurnContext, text: str) -> None:
        try:
            await turn_context.send_activity(
                to_activity(Reply(text=text, card=None), turn_context.activity.channel_id or ""))
        except Exception as exc:  # noqa: BLE001 - the channel may be the thing that failed
            log.warning("could not send the reply to a failed turn: %s", type(exc).__name__)

    async def on_turn_error(turn_context: TurnContext, error: Exception) -> None:
        ref = correlation_id()
        conversation = getattr(turn_context.activity.conversation, "id", "?")
        if is_unavailable(error):
            log.warning("turn not done, the database is unreachable (ref %s, conversation %s): %s",
                        ref, conversation, describe_outage(error))
            await say(turn_context, UNAVAILABLE)
            return
        if _channel_unreachable(error):
            log.warning("turn not finished, the channel at %s could not be reached (ref %s): %s",
                        turn_context.activity.service_url, ref, str(error)[:200])
            return
        if isinstance(error, StateConflict):
            log.warning("state conflict in conversation %s (ref %s): %s", conversation, ref, error)
        else:
            log.error("turn failed (ref %s, conversation %s): %s\n%s", ref, conversation, error,
                      "".join(traceback.format_exception(error)))
        await say(turn_context, messages.apology_reply().text + f" (Reference: {ref}.)")
        try:
            # Clear this conversation's dialog state so the person is not stuck in a broken step.
            await storage.delete([conversation_state.get_storage_key(turn_context)])
        except Exception:  # noqa: BLE001
            log.warning("could not clear conversation state (ref %s)", ref, exc_info=True)

    return on_turn_error


async def health(runtime) -> tuple[int, dict]:
    """The database, and what the outbox still owes people (a backlog grows while Teams or mail is down)."""
    reason = await outage(runtime.store.engine)
    body: dict[str, Any] = {"status": "ok" if reason is None else "degraded",
                            "database": "reachable" if reason is None else "unreachable"}
    if reason is not None:
        body["reason"] = f"The database cannot be reached ({reason})."
        return 503, body
    try:
        async with runtime.store.uow() as uow:
            counts = await uow.outbox.counts()
    except Exception as exc:  # noqa: BLE001 - gone between the ping and now
        return 503, {**body, "status": "degraded", "database": "unreachable",
                     "reason": f"The database cannot be reached ({describe_outage(exc)})."}
    body["outbox"] = {"pending": counts.get("pending", 0) + counts.get("sending", 0),
                      "failed": counts.get("failed", 0), "held": counts.get("held", 0), "sent": counts.get("sent", 0)}
    return 200, body


async def healthz(request: web.Request) -> web.Response:
    status, body = await health(request.app[RUNTIME_KEY])
    return web.json_response(body, status=status)


async def messages_endpoint(request: web.Request) -> web.Response:
    return await request.app[ADAPTER_KEY].process(request, request.app[BOT_KEY])


@web.middleware
async def error_middleware(request: web.Request, handler):
    try:
        return await handler(request)
    except web.HTTPException:
        raise
    except Exception:
        log.exception("unhandled error on %s %s", request.method, request.path)
        return problem(500, "Something went wrong on our side. It has been logged.")
