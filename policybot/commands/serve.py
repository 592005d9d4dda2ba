"""`policybot serve` and `policybot db upgrade`."""

from __future__ import annotations

import asyncio

from aiohttp import web

from policybot.cli import configure_logging
from bot.settings import Settings


def _serve(args) -> int:
    from bot.bootstrap import create_app

    settings = Settings.from_env()
    configure_logging(settings.log_level)
    port = args.port or settings.port
    web.run_app(create_app(settings), host=args.host or settings.host, port=port, print=lambda msg: print(msg, flush=True))
    return 0


def _db_upgrade(_args) -> int:
    from store.migrate import head_revisions
    from store.uow import Store

    settings = Settings.from_env()
    configure_logging(settings.log_level)

    async def run() -> None:
        store = Store(settings.database_url)
        try:
            await store.migrate()
        finally:
            await store.close()

    asyncio.run(run())
    print("Database is at revision " + ", ".join(head_revisions()) + ".")
    return 0


def register(sub) -> None:
    p = sub.add_parser("serve", help="run the bot's web server (POST /api/messages, GET /healthz)")
    p.add_argument("--host", default=None, help="address to listen on (default HOST or 127.0.0.1)")
    p.add_argument("--port", type=int, default=None, help="port (default PORT or 3978)")
    p.set_defaults(func=_serve)

    db = sub.add_parser("db", help="database schema")
    dbsub = db.add_subparsers(dest="db_command", metavar="ACTION")
    up = dbsub.add_parser("upgrade", help="apply the migrations (also done on start)")
    up.set_defaults(func=_db_upgrade)
