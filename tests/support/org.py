"""A small organisation written straight into a fresh database, for scheduler and outbox tests."""

from __future__ import annotations

import tempfile
import uuid
from datetime import date

from bot.settings import Settings
from services.context import Services
from tests.support.runtime import services_for
from store.uow import Store

TENANT = "tenant-0001"

PEOPLE = [
    # id, name, email, roles
    ("ro", "Rita Owen", "rita.owen@trust.example", []),
    ("rsm", "Sam Mensah", "sam.mensah@trust.example", []),
    ("ppo", "Priya Patel", "priya.patel@trust.example", ["ppo"]),
    ("slt", "Sue Lord", "sue.lord@trust.example", ["slt"]),
    ("qa", "Quinn Ashe", "quinn.ashe@trust.example", ["head_of_qa"]),
]


def aad(person_id: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"org-test/{person_id}"))


async def make_org(db_url: str, clock, *, docs: list[tuple[str, date | None]] = (), preset: str = "nct",
                   env: dict | None = None, channels: list[str] | None = None) -> Services:
    settings = Settings.from_env({"DATABASE_URL": db_url, "POLICYBOT_DEMO": "0", "POLICYBOT_PRESET": preset,
                                  "POLICYBOT_SCHEDULER": "0", "POLICYBOT_MAIL_FROM": "policybot@trust.example",
                                  "POLICYBOT_DATA_DIR": tempfile.mkdtemp(prefix="policybot-org-"),  # drafts' files
                                  **(env or {})})
    store = Store(settings.database_url)
    await store.migrate()
    now = clock.now()
    async with store.uow() as uow:
        for pid, name, email, roles in PEOPLE:
            await uow.people.create(id=pid, name=name, email=email, aad_object_id=aad(pid), tenant_id=TENANT,
                                    active=True, preferences={"channels": channels} if channels else {}, roles=roles)
        for ref, due in docs:
            await uow.documents.create(ref=ref, doc_type="Procedure", title=f"Procedure {ref}", category=None,
                                       ro_id="ro", rsm_id="rsm", status="published", version="1.0",
                                       next_review_due=due, extra={}, created_at=now, updated_at=now)
        await uow.commit()
    return services_for(settings, clock=clock, store=store)
