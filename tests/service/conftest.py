"""The service tier: use cases on fakes of the ports (tests/service/fakes), no database, no HTTP."""

from __future__ import annotations

import pytest

from services.demo import ensure_demo
from tests.service.fakes import FakeWorld, fake_world


@pytest.fixture
async def demo() -> FakeWorld:
    """The demo organisation (18 people, 46 documents) under the NCT preset, loaded by the real
    use case into the fake store."""
    world = fake_world("nct")
    assert await ensure_demo(world.services)
    return world
