"""Services wired to a real database with the demo organisation, under a chosen preset."""

from __future__ import annotations

from contextlib import asynccontextmanager
from datetime import datetime

from connectors.word.samples import plain_docx
from services.cases import lifecycle
from services.clock import LONDON, FixedClock
from tests.support.runtime import services_for
from services.demo import ensure_demo, _aad
from services.people.identity import ChannelIdentity
from store.uow import Store
from tests.support.bot import settings_for


@asynccontextmanager
async def organisation(db_url: str, preset: str, start: datetime):
    clock = FixedClock(start if start.tzinfo else start.replace(tzinfo=LONDON))
    settings = settings_for(db_url, POLICYBOT_PRESET=preset)
    store = Store(settings.database_url)
    await store.migrate()
    services = services_for(settings, clock=clock, store=store)
    await ensure_demo(services, settings.demo_org if settings.demo_org != "preset" else None)
    try:
        yield services
    finally:
        await store.close()


def who(person_key: str) -> ChannelIdentity:
    """The identity Teams vouches for (its Entra object id), never card data."""
    return ChannelIdentity("msteams", f"29:{person_key}", aad_object_id=_aad(person_key))


def at(clock, y: int, m: int, d: int, hh: int = 10) -> None:
    clock.set(datetime(y, m, d, hh, 0, tzinfo=LONDON))


def to(notices, person_id: str) -> list[str]:
    """What one person was told: subject and body of each notice, in order."""
    return [f"{n.subject}. {n.body}" for n in notices if n.person_id == person_id]


async def review_to_group(services, ref: str, ro: str) -> list:
    """A Dorset scheduled review: the owner opens it and sends the reviewed draft (a review is the
    owner's to conduct, ToR 8.2; only a new document is proposed to the Group first, DOR-2). It
    reaches the Group's decision and its agenda; returns the notices of that last step."""
    opened = await lifecycle.start_case(services, who(ro), ref, "scheduled_review")
    out = await lifecycle.submit_draft(services, who(ro), f"{ref}.docx", plain_docx(title=ref), opened.case.id)
    assert out.case.stage == "group_decision"
    return list(out.notices)
