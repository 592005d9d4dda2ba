"""What a use case is handed: the organisation's configuration, its preset (loaded once), the unit
of work factory and the clock. `bot/bootstrap.py` builds it with real adapters; the service tests
build it with fakes of the ports."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from governance.preset import Preset
from services.ports import Clock
from services.work import WorkFactory


@dataclass(frozen=True)
class ServiceConfig:
    """The few facts about the organisation the use cases need (never the whole environment)."""

    organisation_name: str = "Demo Children's Trust"
    mail_enabled: bool = False
    request_mailbox: str = ""  # BCT-2: the Policy Service mailbox's address
    digest_to: tuple[str, ...] = ()  # BCT-9 weekly publication email
    monthly_to: tuple[str, ...] = ()  # DOR-13 monthly approvals email
    nudge_every_working_days: int = 5
    outbox_claim_seconds: int = 120
    manual_url: str = ""
    manual_delay: float = 1.0
    manual_timeout: float = 30.0
    data_dir: Path = Path("data")
    graph_role_groups: tuple[tuple[str, str], ...] = ()


@dataclass
class Services:
    config: ServiceConfig
    preset: Preset
    uow: WorkFactory
    clock: Clock
    adapters: dict[str, Any] = field(default_factory=dict)  # optional outside systems, by port name
