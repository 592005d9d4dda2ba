"""`policybot serve`, `policybot status` and `policybot db upgrade`.

A start that cannot work says why in one sentence and exits non-zero (an unreachable database, a
missing setting or a bad value); SIGTERM and SIGINT let in-flight turns finish (up to
SHUTDOWN_SECONDS), stop the scheduler (its lease released) and exit 0.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import sys
from multiprocessing.connection import Connection

from aiohttp import web

from bot.settings import Settings, SettingsError
from governance.errors import PresetError
from policybot.cli import configure_logging
from store.db import mask_url, outage
from store.uow import Store
from bot.bootstrap import build, create_app
from bot.app import health
from store.migrate import head_revisions

SHUTDOWN_SECONDS = 10


class CannotStart(Exception):
    """One sentence saying why the bot cannot start."""


async def prepare_database(settings: Settings) -> None:
    """Reach the database and bring its schema up to date, or say plainly why not."""
    store = Store(settings.database_url, files_dir=settings.data_dir / "files")
    try:
        reason = await outage(store.engine)
        if reason is not None:
            raise CannotStart(f"cannot reach the database at {mask_url(settings.database_url)} ({reason}). "
                              "Check DATABASE_URL and that the database server is running.")
        try:
            await store.migrate()
        except Exception as exc:  # noqa: BLE001 - reported in one sentence, with the detail in the log
            raise CannotStart(f"could not bring the database at {mask_url(settings.database_url)} up to date "
                              f"({type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}).") from None
    finally:
        await store.close()


def _prepare_in_child(settings: Settings, reply: Connection) -> None:
    try:
        asyncio.run(prepare_database(settings))
    except CannotStart as exc:
        reply.send(str(exc))
    else:
        reply.send(None)


def prepare_database_apart(settings: Settings) -> None:
    """`prepare_database` in a short-lived child process (forked before the server has a loop, a
    thread or a connection): the migration tool (Alembic with Mako and Pygments, ~10 MB) is loaded
    there and goes with it, so the server's idle memory never holds it (issue 22 item 8). Where
    fork is not available, in this process."""
    if "fork" not in multiprocessing.get_all_start_methods():
        asyncio.run(prepare_database(settings))
        return
    ctx = multiprocessing.get_context("fork")
    answer, reply = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_prepare_in_child, args=(settings, reply), name="policybot-migrate")
    child.start()
    reply.close()
    try:
        reason = answer.recv()
    except EOFError:  # it died without a word: its traceback is on stderr
        child.join()
        reason = (f"could not bring the database at {mask_url(settings.database_url)} up to date "
                  f"(the process migrating it stopped with exit status {child.exitcode}).")
    finally:
        answer.close()
        child.join()
    if reason:
        raise CannotStart(reason)


def plain_start(run):
    """Run an entry point; a reason it cannot start becomes one line on stderr and exit status 1
    (2 for settings, as `policybot` does for every command)."""
    def wrapped(args) -> int:
        try:
            return run(args)
        except SettingsError as exc:
            print(f"policybot: {exc}", file=sys.stderr)
            return 2
        except PresetError as exc:
            print(f"policybot: the preset is not valid: {exc}", file=sys.stderr)
            return 2
        except CannotStart as exc:
            print(f"policybot: {exc}", file=sys.stderr)
            return 1
    return wrapped


@plain_start
def _serve(args) -> int:

    settings = Settings.from_env()
    configure_logging(settings.log_level)
    prepare_database_apart(settings)
    app = create_app(settings, migrate=False)
    port = args.port or settings.port
    # run_app turns SIGTERM and SIGINT into a graceful stop: the listener closes, requests in flight
    # get up to SHUTDOWN_SECONDS, then on_cleanup stops the scheduler and releases its lease.
    web.run_app(app, host=args.host or settings.host, port=port, shutdown_timeout=SHUTDOWN_SECONDS,
                print=lambda msg: print(msg, flush=True))
    print("policybot stopped.", flush=True)
    return 0


@plain_start
def _status(args) -> int:
    """The database, the outbox backlog and the scheduler's leader, for a person on the server."""

    settings = Settings.from_env()
    asyncio.run(prepare_database(settings))
    runtime = build(settings)

    async def run() -> tuple[int, dict]:
        try:
            status, body = await health(runtime)
            if status == 200:
                async with runtime.store.uow() as uow:
                    lease = await uow.leases.holder("scheduler")
                    now = runtime.services.clock.now()
                    body["scheduler"] = (f"led by {lease.holder}" if lease and lease.expires_at > now
                                         else "no scheduler is running")
            return status, body
        finally:
            await runtime.close()

    status, body = asyncio.run(run())
    if args.json:
        print(json.dumps(body, indent=1))
        return 0 if status == 200 else 1
    if status != 200:
        print(f"policybot: {body['reason']}")
        return 1
    box = body["outbox"]
    print(f"Database: reachable ({mask_url(settings.database_url)}).")
    print(f"Outbox: {box['pending']} waiting to be sent, {box['failed']} failed, {box['held']} held for quiet hours or pauses.")
    print(f"Scheduler: {body['scheduler']}.")
    return 0


@plain_start
def _db_upgrade(_args) -> int:
    settings = Settings.from_env()
    configure_logging(settings.log_level)
    asyncio.run(prepare_database(settings))
    print("Database is at revision " + ", ".join(head_revisions()) + ".")
    return 0


def register(sub) -> None:
    p = sub.add_parser("serve", help="run the bot's web server (POST /api/messages, GET /healthz)")
    p.add_argument("--host", default=None, help="address to listen on (default HOST or 127.0.0.1)")
    p.add_argument("--port", type=int, default=None, help="port (default PORT or 3978)")
    p.set_defaults(func=_serve)

    s = sub.add_parser("status", help="is the database reachable, what the outbox still owes, who runs the scheduler")
    s.add_argument("--json", action="store_true", help="print what /healthz would say, as JSON")
    s.set_defaults(func=_status)

    db = sub.add_parser("db", help="database schema")
    dbsub = db.add_subparsers(dest="db_command", metavar="ACTION")
    up = dbsub.add_parser("upgrade", help="apply the migrations (also done on start)")
    up.set_defaults(func=_db_upgrade)
