"""Apply the Alembic migrations programmatically (on start, and `policybot db upgrade`).

Alembic (with Mako and Pygments, ~10 MB) is imported by the functions here, when a migration is
looked at or run, not with the store: `policybot serve` migrates in a short-lived process of its
own (policybot/commands/serve.py), so the server never holds it (issue 22 item 8)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncEngine

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(database_url: str = "") -> Config:
    from alembic.config import Config  # when migrating (see the top of this module)

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if database_url:
        cfg.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return cfg


async def upgrade(engine: AsyncEngine, revision: str = "heads", *, files_dir: Path | None = None) -> None:
    """Bring the schema to `revision` (every branch head by default) in one transaction.
    `files_dir`: the data folder's files/, for migrations that move bytes there (0015_door)."""
    from alembic import command  # when migrating

    cfg = alembic_config()
    if files_dir is not None:
        cfg.attributes["files_dir"] = str(files_dir)

    def _upgrade(sync_conn) -> None:
        cfg.attributes["connection"] = sync_conn
        command.upgrade(cfg, revision)

    async with engine.begin() as conn:
        await conn.run_sync(_upgrade)


async def current_revisions(engine: AsyncEngine) -> tuple[str, ...]:
    from alembic.runtime.migration import MigrationContext  # when migrating

    async with engine.connect() as conn:
        return await conn.run_sync(lambda c: tuple(MigrationContext.configure(c).get_current_heads()))


def head_revisions() -> tuple[str, ...]:
    from alembic.script import ScriptDirectory  # when migrating

    return tuple(ScriptDirectory.from_config(alembic_config()).get_heads())
