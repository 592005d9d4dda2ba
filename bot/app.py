"""The aiohttp application's parts: its keys, the messages endpoint, /healthz, the error guards.
`bot.bootstrap.create_app(settings)` puts them together; nothing is built at import."""

from __future__ import annotations

import logging
import traceback
from typing import Any

from aiohttp import web
from botbuilder.core import ConversationState, TurnContext

from bot.adapter import PolicybotAdapter, problem
from bot.handler import PolicyBot, to_activity
from bot.storage import SqlStorage, StateConflict
from render import messages
from scheduler.runner import Scheduler
from services.context import Services
from services.delivery.dispatch import Dispatcher

log = logging.getLogger("policybot.app")

RUNTIME_KEY: web.AppKey[Any] = web.AppKey("runtime")
SERVICES_KEY = web.AppKey("services", Services)
DISPATCHER_KEY = web.AppKey("dispatcher", Dispatcher)
SCHEDULER_KEY = web.AppKey("scheduler", Scheduler)
ADAPTER_KEY = web.AppKey("adapter", PolicybotAdapter)
BOT_KEY = web.AppKey("bot", PolicyBot)


def make_turn_error_handler(conversation_state: ConversationState, storage: SqlStorage):
    async def on_turn_error(turn_context: TurnContext, error: Exception) -> None:
        if isinstance(error, StateConflict):
            log.warning("state conflict in conversation %s: %s", turn_context.activity.conversation.id, error)
        else:
            log.error("turn failed: %s\n%s", error, "".join(traceback.format_exception(error)))
        try:
            await turn_context.send_activity(
                to_activity(messages.apology_reply(), turn_context.activity.channel_id or "")
            )
        except Exception:  # noqa: BLE001 - the channel may be the thing that failed
            log.warning("could not send the apology", exc_info=True)
        try:
            # Clear this conversation's dialog state so the person is not stuck in a broken step.
            await storage.delete([conversation_state.get_storage_key(turn_context)])
        except Exception:  # noqa: BLE001
            log.warning("could not clear conversation state", exc_info=True)

    return on_turn_error


async def healthz(request: web.Request) -> web.Response:
    ok = await request.app[RUNTIME_KEY].store.ping()
    body = {"status": "ok" if ok else "degraded", "database": "reachable" if ok else "unreachable"}
    return web.json_response(body, status=200 if ok else 503)


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
