"""The Alembic migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

import importlib
import pkgutil

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import store
from store.manual_search import include_name
from store.migrate import current_revisions, head_revisions
from store.models import Base
from store.uow import Store


def _import_feature_models() -> None:
    for info in pkgutil.iter_modules(store.__path__):
        if info.name.endswith("_models"):
            importlib.import_module(f"store.{info.name}")


async def test_migrations_match_models_and_reach_every_head(empty_db_url):
    _import_feature_models()
    s = Store(empty_db_url)
    try:
        await s.migrate()
        assert set(await current_revisions(s.engine)) == set(head_revisions())
        async with s.engine.connect() as conn:
            diff = await conn.run_sync(
                lambda c: compare_metadata(MigrationContext.configure(c, opts={"compare_type": False, "include_name": include_name}), Base.metadata)
            )
        assert diff == [], f"models and migrations differ: {diff}"
        # Upgrading again is a no-op.
        await s.migrate()
    finally:
        await s.close()
