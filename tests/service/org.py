"""A small organisation written into the fake store through its repositories, for tests that need
exact review dates (the demo's are spread around today)."""

from __future__ import annotations

from datetime import date

from tests.service.fakes import FakeWorld

PEOPLE = [  # id, name, roles
    ("ro", "Rita Owen", ["ro"]),
    ("rsm", "Sam Mensah", ["rsm"]),
    ("ppo", "Priya Patel", ["ppo"]),
    ("slt", "Sue Lord", ["slt"]),
    ("qa", "Quinn Ashe", ["head_of_qa"]),
]


async def small_org(world: FakeWorld, docs: list[tuple[str, date | None]]) -> None:
    now = world.clock.now()
    async with world.services.uow() as uow:
        for pid, name, roles in PEOPLE:
            await uow.people.create(id=pid, name=name, email=f"{pid}@trust.example", aad_object_id=f"aad-{pid}",
                                    active=True, preferences={}, roles=roles)
        for ref, due in docs:
            await uow.documents.create(ref=ref, doc_type="Procedure", title=f"Procedure {ref}", category=None,
                                       ro_id="ro", rsm_id="rsm", status="published", version="1.0",
                                       next_review_due=due, extra={}, created_at=now, updated_at=now)
        await uow.commit()
