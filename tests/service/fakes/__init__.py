"""Fakes of the ports in services/ports.py, for the service tier: use cases run on them with no
database, no network and no disk. `fake_world()` builds `Services` the way bot/bootstrap.py does
(the same preset loader, the same outbox rules inside commit) with fakes in place of the adapters.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import partial
from typing import Any

from governance.preset import load_preset
from services.clock import LONDON, FixedClock
from services.context import ServiceConfig, Services
from services.delivery.dispatch import RENDERER
from services.delivery.outbox import OutboxWriter
from services.register.importing import SPREADSHEETS
from tests.service.fakes.adapters import (
    FakeDirectorySource,
    FakeDocxInspector,
    FakeSpreadsheetReader,
    MemoryFileStore,
    PlainRenderer,
    RecordingMailTransport,
    RecordingTeamsSender,
)
from tests.service.fakes.uow import FakeDatabase, FakeUnitOfWork

__all__ = ["FakeDatabase", "FakeUnitOfWork", "FakeWorld", "fake_world"]

MONDAY_MORNING = datetime(2026, 11, 23, 10, 0, tzinfo=LONDON)  # the suite's usual Monday, 10:00 London time


@dataclass
class FakeWorld:
    """The services a use case is handed, and the fakes behind them for the test to look at."""

    services: Services
    db: FakeDatabase
    clock: FixedClock
    teams: RecordingTeamsSender = field(default_factory=RecordingTeamsSender)
    mail: RecordingMailTransport = field(default_factory=RecordingMailTransport)
    docx: FakeDocxInspector = field(default_factory=FakeDocxInspector)
    files: MemoryFileStore = field(default_factory=MemoryFileStore)
    spreadsheets: FakeSpreadsheetReader = field(default_factory=FakeSpreadsheetReader)
    directory: FakeDirectorySource = field(default_factory=FakeDirectorySource)

    def outbox(self, **where: Any) -> list[Any]:
        """The committed outbox rows (optionally those whose fields equal `where`), oldest first."""
        rows = sorted(self.db.rows("outbox"), key=lambda r: r.id)
        return [r for r in rows if all(getattr(r, k) == v for k, v in where.items())]

    def audit(self, **where: Any) -> list[Any]:
        rows = sorted(self.db.rows("audit_log"), key=lambda r: r.id)
        return [r for r in rows if all(getattr(r, k) == v for k, v in where.items())]


def fake_world(preset: str = "nct", *, at: datetime = MONDAY_MORNING, **config: Any) -> FakeWorld:
    """Services over fakes: `preset` as `POLICYBOT_PRESET`, the clock standing at `at`, and any
    ServiceConfig field (mail_enabled=True, request_mailbox=...) given by name."""
    clock = FixedClock(at)
    db = FakeDatabase()
    cfg = replace(ServiceConfig(), **config)
    world = FakeWorld(services=None, db=db, clock=clock)  # type: ignore[arg-type]
    writer = OutboxWriter(clock, mail_enabled=cfg.mail_enabled)
    world.services = Services(config=cfg, preset=load_preset(preset), uow=partial(db.uow, writer), clock=clock,
                              adapters={"files": world.files, "docx": world.docx, SPREADSHEETS: world.spreadsheets,
                                        "directory": world.directory, "teams": world.teams, "mail": world.mail,
                                        RENDERER: PlainRenderer()})
    return world
