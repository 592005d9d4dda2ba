"""A Bot Framework `Storage` kept in our database, honouring e_tags (BOTFRAMEWORK.md trap 9).

The SQL work lives in store.StateStore; this class only adapts it to the SDK's interface.
State objects are serialised with jsonpickle like the SDK's own stores; only rows this bot
wrote are ever decoded.
"""

from __future__ import annotations

from typing import Any
from collections.abc import Callable

import jsonpickle
from botbuilder.core import Storage

from services.ports import ConcurrencyConflict
from store.bot_state import StateStore


class StateConflict(Exception):
    """Another turn changed this conversation's state first. Not a KeyError (aiohttp maps that to 404)."""


def _etag_of(item: Any) -> str | None:
    if isinstance(item, dict):
        return item.get("e_tag")
    return getattr(item, "e_tag", None)


def _set_etag(item: Any, etag: str) -> None:
    if isinstance(item, dict):
        item["e_tag"] = etag
    elif hasattr(item, "e_tag"):
        item.e_tag = etag


class SqlStorage(Storage):
    def __init__(self, states: StateStore, now: Callable) -> None:
        super().__init__()
        self._states = states
        self._now = now

    async def read(self, keys: list[str]) -> dict[str, Any]:
        rows = await self._states.read(list(keys or []))
        out: dict[str, Any] = {}
        for key, (data, etag) in rows.items():
            item = jsonpickle.decode(data["pickled"])
            _set_etag(item, etag)
            out[key] = item
        return out

    async def write(self, changes: dict[str, Any]) -> None:
        if changes is None:
            raise ValueError("changes are required when writing")
        if not changes:
            return
        prepared: dict[str, tuple[dict, str | None]] = {}
        for key, item in changes.items():
            etag = _etag_of(item)
            if isinstance(item, dict):
                body = {k: v for k, v in item.items() if k != "e_tag"}
            else:
                body = item
            prepared[key] = ({"pickled": jsonpickle.encode(body)}, etag)
        try:
            new_etags = await self._states.write(prepared, self._now())
        except ConcurrencyConflict as exc:
            raise StateConflict(str(exc)) from None
        for key, item in changes.items():
            _set_etag(item, new_etags[key])

    async def delete(self, keys: list[str]) -> None:
        await self._states.delete(list(keys or []))
