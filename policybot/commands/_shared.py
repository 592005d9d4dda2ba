"""What every command that works on the database needs: the runtime from the composition root,
opened and closed, and polite errors instead of tracebacks. (No `register`: the CLI skips this module.)"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from bot.bootstrap import Runtime, opened
from services.context import Services
from governance.errors import GovernanceError


@asynccontextmanager
async def open_runtime() -> AsyncIterator[Runtime]:
    """Settings from the environment, the database migrated, the clock (POLICYBOT_CLOCK to rehearse)."""
    async with opened() as runtime:
        yield runtime


@asynccontextmanager
async def open_services() -> AsyncIterator[Services]:
    async with opened() as runtime:
        yield runtime.services


def run(coro_fn: Callable[[], Awaitable[int]]) -> int:
    """Run a command's coroutine; a refusal the rules or services explain is printed, exit code 2."""
    try:
        return asyncio.run(coro_fn())  # type: ignore[arg-type]
    except GovernanceError as exc:
        print(f"policybot: {exc}", file=sys.stderr)
        return 2
