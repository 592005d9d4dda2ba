"""The ports a use case needs, wired once by the app factory (real) or by tests."""

from __future__ import annotations

from dataclasses import dataclass

from bot.settings import Settings
from services.clock import Clock


@dataclass
class Services:
    settings: Settings
    store: object  # store.uow.Store (kept untyped here so services never import the store's SQL code)
    clock: Clock
