"""The aiohttp application. `create_app(settings)` builds everything; nothing is built at import."""

from __future__ import annotations

import logging
import traceback

from aiohttp import web
from botbuilder.core import ConversationState, TurnContext
from botbuilder.integration.aiohttp import (
    ConfigurationBotFrameworkAuthentication,
    ConfigurationServiceClientCredentialFactory,
)

from bot.adapter import PolicybotAdapter, problem
from bot.auth import CachingCredentialFactory, install_key_set_fix
from bot.config import BotConfig
from bot.handler import PolicyBot, to_activity
from bot.proactive import TeamsSender
from bot.storage import SqlStorage, StateConflict
from bot.settings import Settings
from render import messages
from services.clock import Clock, clock_from_settings
from scheduler.runner import Scheduler
from services.context import Services
from services.delivery.dispatch import Dispatcher
from connectors.mail import GraphTransport, SmtpTransport
from store.uow import Store

log = logging.getLogger("policybot.app")

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
    services = request.app[SERVICES_KEY]
    ok = await services.store.ping()
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


def make_transport(settings: Settings) -> SmtpTransport | GraphTransport | None:
    """The mail transport the settings ask for, or None when email is off."""
    if settings.mail_transport == "smtp":
        return SmtpTransport(settings.smtp_host, settings.smtp_port, username=settings.smtp_username,
                             password=settings.smtp_password, starttls=settings.smtp_starttls, sender=settings.mail_from)
    if settings.mail_transport == "graph":
        return GraphTransport(
            client_id=settings.app_id, client_secret=settings.graph_client_secret or settings.app_password,
            tenant_id=settings.app_tenant_id or "organizations", sender=settings.mail_from,
            authority_host=settings.authority_host, graph_base_url=settings.graph_base_url,
            verify_authority=settings.authority_host.startswith("https://login.microsoftonline.com"),
        )
    return None


def credentials_for(config: BotConfig, settings: Settings) -> CachingCredentialFactory:
    return CachingCredentialFactory(
        ConfigurationServiceClientCredentialFactory(config), instance_discovery=not settings.login_url
    )


def delivery_for(services: Services) -> tuple[Dispatcher, TeamsSender]:
    """The outbox dispatcher with its Teams sender and mail transport (bot process or scheduler)."""
    settings = services.settings
    teams = TeamsSender(services, credentials=credentials_for(BotConfig(settings), settings))
    concurrency = int(settings.extra.get("POLICYBOT_SEND_CONCURRENCY", "64") or 64)
    return Dispatcher(services, teams=teams, mail=make_transport(settings), concurrency=concurrency), teams


def create_app(
    settings: Settings,
    *,
    clock: Clock | None = None,
    store: Store | None = None,
    migrate: bool = True,
    load_demo: bool | None = None,
) -> web.Application:
    clock = clock or clock_from_settings(settings)
    store = store or Store(settings.database_url)
    services = Services(settings=settings, store=store, clock=clock)

    config = BotConfig(settings)
    install_key_set_fix()
    credentials = credentials_for(config, settings)
    adapter = PolicybotAdapter(
        ConfigurationBotFrameworkAuthentication(config, credentials_factory=credentials),
        app_id=settings.app_id,
        max_body_bytes=settings.max_body_bytes,
    )
    adapter.credentials = credentials
    storage = SqlStorage(store.state, clock.now)
    conversation_state = ConversationState(storage)
    adapter.on_turn_error = make_turn_error_handler(conversation_state, storage)
    dispatcher, teams = delivery_for(services)
    bot = PolicyBot(services, conversation_state, dispatcher)

    app = web.Application(middlewares=[error_middleware], client_max_size=settings.max_body_bytes + 1024)
    app[SERVICES_KEY] = services
    app[ADAPTER_KEY] = adapter
    app[BOT_KEY] = bot
    app[DISPATCHER_KEY] = dispatcher
    app.router.add_post("/api/messages", messages_endpoint)
    app.router.add_get("/healthz", healthz)

    want_demo = settings.demo if load_demo is None else load_demo

    async def on_startup(_app: web.Application) -> None:
        if migrate:
            await store.migrate()
        if want_demo:
            from services.demo import ensure_demo

            await ensure_demo(services)
        if settings.scheduler_enabled:
            scheduler = Scheduler(services, dispatcher)
            _app[SCHEDULER_KEY] = scheduler
            scheduler.start()
        log.info("policybot ready: %r", settings)

    async def on_cleanup(_app: web.Application) -> None:
        if SCHEDULER_KEY in _app:
            await _app[SCHEDULER_KEY].stop()
        await teams.close()
        await store.close()

    app.on_startup.append(on_startup)
    app.on_cleanup.append(on_cleanup)
    return app
