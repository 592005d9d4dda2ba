"""The end-to-end tier's fixtures: the manual's test site on loopback, and the NCT organisation with
some people working by email."""

from __future__ import annotations

import pytest

from tests.support.manual import fast, trix_site  # noqa: F401 - fixtures
from tests.support.nct import start_nct_bot


@pytest.fixture
async def nct_bot(db_url, clock, smtp, request):
    """The demo organisation under NCT; mark a test `@pytest.mark.by_email("director", ...)` to have
    those people get their notices by email."""
    marker = request.node.get_closest_marker("by_email")
    bot = await start_nct_bot(db_url, clock, smtp, by_email=tuple(marker.args) if marker else ())
    try:
        yield bot
    finally:
        await bot.stop()
