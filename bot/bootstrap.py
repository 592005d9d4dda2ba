"""The one composition root: settings in, everything wired out.

`build(settings)` makes the runtime every entry point shares (the aiohttp app, the CLI, the local
chat client, the scheduler and the tests): the database, the organisation's preset loaded once,
the use cases' `Services`, and factories for the outside systems (mail, Teams, Microsoft Graph,
people files). Tests pass a clock, a store or fakes; nothing else builds these.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import yaml
from aiohttp import web
from botbuilder.core import ConversationState
from botbuilder.integration.aiohttp import ConfigurationServiceClientCredentialFactory

from bot.adapter import PolicybotAdapter
from bot.app import (
    ADAPTER_KEY,
    BOT_KEY,
    DISPATCHER_KEY,
    RUNTIME_KEY,
    SCHEDULER_KEY,
    SERVICES_KEY,
    error_middleware,
    healthz,
    make_turn_error_handler,
    messages_endpoint,
)
from bot.auth import CachingCredentialFactory, install_key_set_fix
from bot.config import BotConfig
from bot import files
from bot.connector_reuse import ReusingBotFrameworkAuthentication
from bot.handler import PolicyBot
from bot.mail_in import MAIL_IN_KEY, MailIn, notifications_endpoint
from bot.proactive import TeamsSender
from bot.settings import Settings, SettingsError
from bot.storage import SqlStorage
from bot.tab import setup as setup_tab
from connectors.directory import GraphDirectory, PeopleCsv
from connectors.graph_mail import GraphMailbox
from connectors.mail import AppToken, ExchangePacer, GraphTransport, SmtpTransport, is_exchange_online
from connectors.files import DataFolderFileStore
from connectors.word.inspect import WordInspector
from connectors.spreadsheets import SpreadsheetFiles
from connectors.trix.crawler import TrixManual
from governance.dates import warm_up
from services.manual import answers
from governance.errors import PresetError
from governance.preset import Preset, load_preset
from scheduler.runner import Scheduler
from services.clock import RehearsalClock, SystemClock
from services.context import ServiceConfig, Services
from render.notices import NoticeRendering
from services.delivery.dispatch import RENDERER, Dispatcher
from services.delivery.outbox import OutboxWriter
from services.demo import ensure_demo
from services.manual.sync import SOURCE as MANUAL_SOURCE
from services.ports import Clock, MailTransport
from store.db import release_outbox_claims
from store.uow import Store

log = logging.getLogger("policybot.bootstrap")


# ------------------------------------------------------------------ pieces

def read_overrides(path: Path) -> dict[str, Any]:
    """The organisation's preset overrides (POLICYBOT_PRESET_OVERRIDES), errors with their line."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PresetError(path.name, None, f"the overrides file could not be read ({exc.strerror})") from None
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise PresetError(path.name, mark.line + 1 if mark else None,
                          f"not valid YAML: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(data, dict):
        raise PresetError(path.name, 1, "the overrides must be a mapping (key: value lines)")
    return data


def organisation_preset(settings: Settings) -> Preset:
    """The preset the settings choose, with the organisation's overrides applied."""
    path = settings.preset_overrides
    overrides = read_overrides(path) if path else None
    try:
        return load_preset(settings.preset, overrides)
    except PresetError as exc:
        if path and exc.line is None:
            raise
        if path:
            raise PresetError(exc.file, exc.line, f"{exc.fault} (after applying {path.name})") from None
        raise
    except KeyError:
        raise SettingsError(f"POLICYBOT_PRESET names {settings.preset!r}, which is not a preset "
                            "(bct, dorset, lbbd or nct).") from None


def service_config(settings: Settings) -> ServiceConfig:
    return ServiceConfig(
        organisation_name=settings.organisation_name, mail_enabled=settings.mail_enabled,
        request_mailbox=settings.request_mailbox, digest_to=settings.digest_to, monthly_to=settings.monthly_to,
        nudge_every_working_days=settings.nudge_every_working_days,
        outbox_claim_seconds=settings.outbox_claim_seconds, manual_url=settings.manual_url,
        manual_delay=settings.manual_delay, manual_timeout=settings.manual_timeout, data_dir=settings.data_dir,
        graph_role_groups=settings.graph_role_groups,
    )


def clock_for(settings: Settings) -> Clock:
    return RehearsalClock(settings.clock) if settings.clock else SystemClock()


def mail_transport(settings: Settings) -> MailTransport | None:
    """The mail transport the settings ask for, or None when email is off. Sends from one mailbox
    are paced under Exchange Online's limits (30 a minute, 10,000 recipients a day)."""
    verify = settings.authority_host.startswith("https://login.microsoftonline.com")
    secret = settings.graph_client_secret or settings.app_password
    tenant = settings.graph_tenant_id or settings.app_tenant_id or "organizations"
    client_id = settings.graph_client_id or settings.app_id
    if settings.mail_transport == "smtp":
        oauth = (AppToken(client_id, secret, tenant, settings.authority_host, verify, SmtpTransport.OUTLOOK_SCOPE)
                 if settings.smtp_auth == "xoauth2" else None)
        return SmtpTransport(settings.smtp_host, settings.smtp_port, username=settings.smtp_username,
                             password=settings.smtp_password, starttls=settings.smtp_starttls, sender=settings.mail_from,
                             auth=settings.smtp_auth, oauth=oauth,
                             pacer=ExchangePacer() if is_exchange_online(settings.smtp_host) else None)
    if settings.mail_transport == "graph":
        return GraphTransport(
            client_id=client_id, client_secret=secret, tenant_id=tenant, sender=settings.mail_from,
            authority_host=settings.authority_host, graph_base_url=settings.graph_base_url,
            verify_authority=verify, pacer=ExchangePacer(),
            ca_file=str(settings.ca_bundle) if settings.ca_bundle else None,
        )
    return None


def graph_mailbox(settings: Settings) -> GraphMailbox:
    """The policy mailbox through Microsoft Graph, with the app's own token."""
    return GraphMailbox(
        client_id=settings.graph_client_id or settings.app_id,
        client_secret=settings.graph_client_secret or settings.app_password,
        tenant_id=settings.graph_tenant_id or settings.app_tenant_id or "organizations", mailbox=settings.policy_mailbox,
        authority_host=settings.authority_host, graph_base_url=settings.graph_base_url,
        verify_authority=settings.authority_host.startswith("https://login.microsoftonline.com"),
        ca_file=str(settings.ca_bundle) if settings.ca_bundle else None)


def credentials_for(settings: Settings) -> CachingCredentialFactory:
    return CachingCredentialFactory(ConfigurationServiceClientCredentialFactory(BotConfig(settings)),
                                    instance_discovery=not settings.login_url)


# ------------------------------------------------------------------ the runtime

@dataclass
class Runtime:
    """Everything an entry point needs, built once from the settings."""

    settings: Settings
    store: Store
    services: Services
    credentials: CachingCredentialFactory | None = None
    _closers: list[Any] = field(default_factory=list)

    def directory(self) -> GraphDirectory:
        s = self.settings
        client = GraphDirectory(
            tenant_id=s.graph_tenant_id or s.app_tenant_id, client_id=s.graph_client_id or s.app_id,
            client_secret=s.graph_client_secret or s.app_password, authority_host=s.authority_host,
            graph_base_url=s.graph_base_url, scope=s.graph_scope or None, ca_file=s.ca_bundle)
        self._closers.append(client)
        return client

    def people_file(self) -> PeopleCsv:
        return PeopleCsv()

    def delivery(self) -> tuple[Dispatcher, TeamsSender]:
        """The outbox dispatcher with its Teams sender and mail transport (bot process or scheduler)."""
        if self.credentials is None:
            self.credentials = credentials_for(self.settings)
        teams = TeamsSender(self.services, self.settings, credentials=self.credentials)
        mail = mail_transport(self.settings)
        if mail is not None:
            self._closers.append(mail)  # its msal connections
        dispatcher = Dispatcher(self.services, teams=teams, mail=mail, concurrency=self.settings.send_concurrency)
        return dispatcher, teams

    async def close(self) -> None:
        for c in self._closers:
            c.close()
        await self.store.close()


def build(settings: Settings, *, clock: Clock | None = None, store: Store | None = None) -> Runtime:
    preset = organisation_preset(settings)
    store = store or Store(settings.database_url, files_dir=settings.data_dir / "files")
    clock = clock or clock_for(settings)
    config = service_config(settings)
    # Every unit of work the use cases open writes the notices they raise through the outbox's rules.
    writer = OutboxWriter(clock, mail_enabled=config.mail_enabled)
    services = Services(config=config, preset=preset, uow=partial(store.uow, writer), clock=clock,
                        adapters={RENDERER: NoticeRendering(), MANUAL_SOURCE: TrixManual(),
                                  "spreadsheets": SpreadsheetFiles(),
                                  "files": DataFolderFileStore(settings.data_dir), "docx": WordInspector()})  # drafts (issue 17)
    return Runtime(settings, store, services)


@asynccontextmanager
async def opened(settings: Settings | None = None, *, migrate: bool = True) -> AsyncIterator[Runtime]:
    """For the CLI: the runtime, the database migrated, closed afterwards."""
    runtime = build(settings or Settings.from_env())
    try:
        if migrate:
            await runtime.store.migrate()
        yield runtime
    finally:
        await runtime.close()


def create_app(settings: Settings, *, clock: Clock | None = None, store: Store | None = None, migrate: bool = True,
               load_demo: bool | None = None) -> web.Application:
    """The aiohttp application: POST /api/messages and GET /healthz, the scheduler when enabled."""
    runtime = build(settings, clock=clock, store=store)
    services = runtime.services
    install_key_set_fix()
    runtime.credentials = credentials_for(settings)
    auth = ReusingBotFrameworkAuthentication(BotConfig(settings), credentials_factory=runtime.credentials)
    adapter = PolicybotAdapter(
        auth,
        app_id=settings.app_id, max_body_bytes=settings.max_body_bytes,
        invoke_answer_seconds=settings.invoke_answer_seconds,
    )
    adapter.credentials = runtime.credentials
    storage = SqlStorage(runtime.store.state, services.clock.now)
    conversation_state = ConversationState(storage)
    adapter.on_turn_error = make_turn_error_handler(conversation_state, storage)
    dispatcher, teams = runtime.delivery()
    bot = PolicyBot(services, conversation_state, dispatcher, runtime.store, settings)

    app = web.Application(middlewares=[error_middleware], client_max_size=settings.max_body_bytes + 1024)
    app[RUNTIME_KEY] = runtime
    app[SERVICES_KEY] = services
    app[ADAPTER_KEY] = adapter
    app[BOT_KEY] = bot
    app[DISPATCHER_KEY] = dispatcher
    app.router.add_post("/api/messages", messages_endpoint)
    app.router.add_get("/healthz", healthz)
    setup_tab(app, runtime)  # the register as a Teams tab and browser pages (/tab, bot/tab)
    app.router.add_post("/api/graph/notifications", notifications_endpoint)  # mail in (issue 21)
    if settings.mail_in != "channel":
        app[MAIL_IN_KEY] = MailIn(services, bot, graph_mailbox(settings), adapter=adapter,
                                  processed_folder=settings.mail_processed_folder,
                                  notification_url=settings.mail_notification_url if settings.mail_in == "graph" else "")
    files.install(app, services, bot.signer)  # GET /drafts/{token}: signed draft links (issue 17)
    want_demo = settings.demo if load_demo is None else load_demo

    async def on_startup(_app: web.Application) -> None:
        if migrate:
            await runtime.store.migrate()
        if want_demo:
            await ensure_demo(services, None if settings.demo_org == "preset" else settings.demo_org)
        warm_up()
        await answers.warm(services)  # the answer index, built once (issue 16): the first question is fast
        if settings.scheduler_enabled:
            scheduler = Scheduler(services, dispatcher, sweep_seconds=settings.sweep_seconds)
            _app[SCHEDULER_KEY] = scheduler
            scheduler.start()
        if MAIL_IN_KEY in _app:  # a delta sweep now, then on its beat and whenever Graph notifies
            _app[MAIL_IN_KEY].start(settings.mail_sweep_seconds)
        log.info("policybot ready: %r", settings)

    async def on_cleanup(_app: web.Application) -> None:
        await adapter.invokes.finish(within=10)  # card clicks still notifying after their answer
        if SCHEDULER_KEY in _app:
            await _app[SCHEDULER_KEY].stop()
        if MAIL_IN_KEY in _app:
            await _app[MAIL_IN_KEY].stop()
        try:  # turns in flight have finished (or had their time): give back what they claimed
            released = await release_outbox_claims(runtime.store.sessionmaker, dispatcher.holder)
            if released:
                log.info("released %d outbox claim(s) at shutdown", released)
        except Exception as exc:  # noqa: BLE001 - the claims lapse by themselves anyway
            log.warning("could not release outbox claims at shutdown: %s", type(exc).__name__)
        await teams.close()
        await auth.close()
        await runtime.close()

    app.on_startup.append(on_startup)
    app.on_cleanup.append(on_cleanup)
    return app
