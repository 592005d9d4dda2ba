"""One Bot Connector client per (app, service URL, audience), kept for the life of the process.

The SDK builds a new `ConnectorClient` and a new user-token client for every turn. Each one builds
msrest's retry configuration (a 999-code list scanned against a 500-code list: about 4 ms of CPU)
and a new `requests` session, so no connection to the channel is ever reused. Across 40
concurrent conversations that was a third of a turn's time. The clients hold no per-turn state
(the credentials are already cached per app and scope by `bot.auth.CachingCredentialFactory`), so
we keep them, bounded, and close them when the app stops.
"""

from __future__ import annotations

import contextlib
import logging
from collections import OrderedDict
from typing import Any

from botbuilder.integration.aiohttp import ConfigurationBotFrameworkAuthentication
from botframework.connector.auth import AuthenticateRequestResult, ClaimsIdentity, ConnectorFactory
from botframework.connector.auth._built_in_bot_framework_authentication import (  # the SDK's own reading of the app id
    _BuiltinBotFrameworkAuthentication,
)

log = logging.getLogger("policybot.connector")

MAX_CLIENTS = 256  # service URLs are few (one per region and cloud); the bound only guards against misuse


class _ClientCache:
    def __init__(self, limit: int = MAX_CLIENTS) -> None:
        self._clients: OrderedDict[tuple, Any] = OrderedDict()
        self._limit = limit

    def get(self, key: tuple) -> Any | None:
        client = self._clients.get(key)
        if client is not None:
            self._clients.move_to_end(key)
        return client

    def put(self, key: tuple, client: Any) -> list[Any]:
        """Keep a client; returns those pushed out past the limit (to close)."""
        self._clients[key] = client
        evicted = []
        while len(self._clients) > self._limit:
            evicted.append(self._clients.popitem(last=False)[1])
        return evicted

    def drain(self) -> list[Any]:
        clients = list(self._clients.values())
        self._clients.clear()
        return clients


async def _close(client: Any) -> None:
    with contextlib.suppress(Exception):  # a client that cannot close cleanly is dropped all the same
        await client.__aexit__(None, None, None)


class _ReusingConnectorFactory(ConnectorFactory):
    def __init__(self, inner: ConnectorFactory, cache: _ClientCache) -> None:
        self._inner = inner
        self._cache = cache

    async def create(self, service_url: str, audience: str | None = None) -> Any:
        key = ("connector", getattr(self._inner, "_app_id", None), service_url, audience)
        client = self._cache.get(key)
        if client is None:
            client = await self._inner.create(service_url, audience)
            for old in self._cache.put(key, client):
                await _close(old)
        return client


class ReusingBotFrameworkAuthentication(ConfigurationBotFrameworkAuthentication):
    """The SDK's configuration authentication, handing out kept connector and user-token clients."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._cache = _ClientCache()

    async def authenticate_request(self, activity: Any, auth_header: str) -> AuthenticateRequestResult:
        result = await super().authenticate_request(activity, auth_header)
        if result.connector_factory is not None:
            result.connector_factory = _ReusingConnectorFactory(result.connector_factory, self._cache)
        return result

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        return _ReusingConnectorFactory(super().create_connector_factory(claims_identity), self._cache)

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> Any:
        key = ("user_token", _BuiltinBotFrameworkAuthentication.get_app_id(claims_identity))
        client = self._cache.get(key)
        if client is None:
            client = await super().create_user_token_client(claims_identity)
            for old in self._cache.put(key, client):
                await _close(old)
        return client

    async def close(self) -> None:
        for client in self._cache.drain():
            await _close(client)

