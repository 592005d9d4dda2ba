"""What every command that works on the database needs: the services, opened and closed, and
polite errors instead of tracebacks. (No `register`: the CLI skips this module.)"""

from __future__ import annotations

import asyncio
import sys
from contextlib import asynccontextmanager

from bot.settings import Settings


@asynccontextmanager
async def open_services():
    """Settings from the environment, the database migrated, the clock (POLICYBOT_CLOCK to rehearse)."""
    from services.clock import clock_from_settings
    from services.context import Services
    from store.uow import Store

    settings = Settings.from_env()
    store = Store(settings.database_url)
    try:
        await store.migrate()
        yield Services(settings=settings, store=store, clock=clock_from_settings(settings))
    finally:
        await store.close()


def run(coro_fn) -> int:
    """Run a command's coroutine; a refusal the rules or services explain is printed, exit code 2."""
    from governance.errors import GovernanceError

    try:
        return asyncio.run(coro_fn())
    except GovernanceError as exc:
        print(f"policybot: {exc}", file=sys.stderr)
        return 2
