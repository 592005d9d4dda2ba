"""Fixes for the SDK's authentication traps (BOTFRAMEWORK.md 5 and 6).

- Signing keys: the SDK raises IndexError for an unknown key id before its own "refresh when a
  key is missing" branch, and fetches the key set with a blocking requests.get (no timeout) on
  the event loop. `install_key_set_fix()` replaces the process-wide metadata objects with ones
  that look a missing key up again (at most once every REFRESH_MISSING_AFTER), off the loop,
  with a timeout.
- Credentials: the SDK builds new credentials (and a new MSAL app with an empty token cache)
  for every connector client. `CachingCredentialFactory` keeps one per (app id, scope, login).
"""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import datetime, timedelta

import requests
from botframework.connector.auth import jwt_token_extractor
from botframework.connector.auth.jwt_token_extractor import JwtTokenExtractor, _OpenIdConfig, _OpenIdMetadata
from jwt.algorithms import RSAAlgorithm

log = logging.getLogger("policybot.auth")

REFRESH_EVERY = timedelta(hours=24)
REFRESH_MISSING_AFTER = timedelta(minutes=5)
FETCH_TIMEOUT_SECONDS = 10


class SafeOpenIdMetadata(_OpenIdMetadata):
    def __init__(self, url: str) -> None:
        super().__init__(url)
        self._lock = asyncio.Lock()

    async def get(self, key_id: str):
        if self.last_updated < datetime.now() - REFRESH_EVERY:  # noqa: DTZ005 - the SDK keeps last_updated naive
            await self._refresh()
        key = self._find(key_id)
        if key is None and self.last_updated < datetime.now() - REFRESH_MISSING_AFTER:  # noqa: DTZ005
            log.info("signing key %r not in the cached key set: fetching the key set again", key_id)
            await self._refresh()
            key = self._find(key_id)
        return key

    async def _refresh(self) -> None:
        async with self._lock:
            keys = await asyncio.to_thread(self._fetch)
            self.keys = keys
            self.last_updated = datetime.now()  # noqa: DTZ005 - naive, as the SDK compares it

    def _fetch(self) -> list[dict]:
        response = requests.get(self.url, timeout=FETCH_TIMEOUT_SECONDS)
        response.raise_for_status()
        keys_url = response.json()["jwks_uri"]
        response_keys = requests.get(keys_url, timeout=FETCH_TIMEOUT_SECONDS)
        response_keys.raise_for_status()
        return response_keys.json()["keys"]

    def _find(self, key_id: str):
        for key in self.keys or []:
            if key.get("kid") == key_id:
                return _OpenIdConfig(RSAAlgorithm.from_jwk(json.dumps(key)), key.get("endorsements", []))
        return None


def _get_open_id_metadata(metadata_url: str):
    metadata = JwtTokenExtractor.metadataCache.get(metadata_url)
    if not isinstance(metadata, SafeOpenIdMetadata):
        metadata = SafeOpenIdMetadata(metadata_url)
        JwtTokenExtractor.metadataCache[metadata_url] = metadata
    return metadata


def install_key_set_fix() -> None:
    """Idempotent: make every token extractor use SafeOpenIdMetadata."""
    JwtTokenExtractor.get_open_id_metadata = staticmethod(_get_open_id_metadata)
    jwt_token_extractor._OpenIdMetadata = SafeOpenIdMetadata  # noqa: SLF001 - any direct construction too


def clear_key_set_cache() -> None:
    """Forget cached signing keys (tests; after changing the metadata address)."""
    JwtTokenExtractor.metadataCache.clear()


class CachingCredentialFactory:
    """Wraps a ServiceClientCredentialsFactory and hands out one credentials object per
    (app id, scope, login endpoint), so MSAL's token cache is reused across turns."""

    def __init__(self, inner, *, instance_discovery: bool = True) -> None:
        self._inner = inner
        self._cache: dict[tuple, object] = {}
        self.created = 0
        # False when the login endpoint is not Microsoft's own (a sovereign cloud, a test stand-in):
        # MSAL would otherwise ask login.microsoftonline.com to vouch for it.
        self.instance_discovery = instance_discovery

    async def is_valid_app_id(self, app_id: str) -> bool:
        return await self._inner.is_valid_app_id(app_id)

    async def is_authentication_disabled(self) -> bool:
        return await self._inner.is_authentication_disabled()

    async def create_credentials(self, app_id: str, oauth_scope: str, login_endpoint: str, validate_authority: bool):
        key = (app_id, oauth_scope, login_endpoint, validate_authority)
        if key not in self._cache:
            cred = await self._inner.create_credentials(app_id, oauth_scope, login_endpoint, validate_authority)
            if not self.instance_discovery and getattr(cred, "microsoft_app_password", None) and hasattr(cred, "app"):
                from msal import ConfidentialClientApplication

                cred.app = ConfidentialClientApplication(
                    client_id=cred.microsoft_app_id,
                    client_credential=cred.microsoft_app_password,
                    authority=cred.oauth_endpoint,
                    instance_discovery=False,
                )
            self._cache[key] = cred
            self.created += 1
        return self._cache[key]
