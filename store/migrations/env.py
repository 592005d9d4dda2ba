"""Alembic environment. Used by `policybot db upgrade` and on start (store.migrate)."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.ext.asyncio import create_async_engine

import importlib
import pkgutil

import store
from store.manual_search import include_name
from store.models import Base

# Feature tables live in store/<feature>_models.py modules; import them all so autogenerate
# and the model/migration comparison test see every table.
for _info in pkgutil.iter_modules(store.__path__):
    if _info.name.endswith("_models"):
        importlib.import_module(f"store.{_info.name}")

config = context.config
target_metadata = Base.metadata


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_async(url: str) -> None:
    engine = create_async_engine(url)
    async with engine.begin() as conn:
        await conn.run_sync(_run)
    await engine.dispose()


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
    else:
        url = config.get_main_option("sqlalchemy.url")
        if url is None:
            raise RuntimeError("migrations need sqlalchemy.url (store/migrate.py sets it)")
        asyncio.run(_run_async(url))
