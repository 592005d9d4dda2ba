"""The real Services a test drives, with the handles a test needs beside them (its store, to look
inside or close; its settings). Built by the composition root, like the app's."""

from __future__ import annotations

from dataclasses import dataclass, fields

from bot.bootstrap import Runtime, build
from bot.settings import Settings
from services.context import Services
from services.ports import Clock
from store.uow import Store


@dataclass
class TestServices(Services):
    store: Store | None = None
    settings: Settings | None = None
    runtime: Runtime | None = None


def services_for(settings: Settings, *, clock: Clock | None = None, store: Store | None = None) -> TestServices:
    runtime = build(settings, clock=clock, store=store)
    base = {f.name: getattr(runtime.services, f.name) for f in fields(Services)}
    return TestServices(**base, store=runtime.store, settings=settings, runtime=runtime)
