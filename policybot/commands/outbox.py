"""`policybot scheduler`, `policybot outbox [retry ID]`, `policybot nudges pause|resume`: the reminders
machinery for an admin (`policybot updates`: policybot/commands/updates.py)."""

from __future__ import annotations

import asyncio
import signal
import sys

from bot.settings import Settings
from governance.dates import parse_date
from policybot.cli import configure_logging
from policybot.commands._shared import open_runtime, open_services
from policybot.commands._shared import run as run_politely
from scheduler.runner import Scheduler
from services.delivery import outbox
from services.reminders import preferences


async def _with_runtime(fn):
    async with open_runtime() as runtime:
        return await fn(runtime)


async def _with_services(fn):
    async with open_services() as services:
        return await fn(services)


def _scheduler(args) -> int:
    settings = Settings.from_env()
    configure_logging(settings.log_level)

    async def run(runtime) -> int:
        services = runtime.services
        dispatcher, teams = runtime.delivery()
        sched = Scheduler(services, dispatcher, tick_seconds=args.tick, sweep_seconds=args.sweep_every,
                          lease_seconds=args.lease)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        sched.start()
        print(f"policybot scheduler running as {sched.holder}; Ctrl+C stops it.", flush=True)
        try:
            await stop.wait()
        finally:
            await sched.stop()
            await teams.close()
        return 0

    return asyncio.run(_with_runtime(run))


def _outbox(args) -> int:
    async def run(services) -> int:
        if args.outbox_command == "retry":
            if await outbox.retry(services.uow, args.id, services.clock.now()):
                print(f"Message {args.id} will be sent again.")
                return 0
            print(f"policybot: there is no failed message {args.id}.", file=sys.stderr)
            return 1
        counts = await outbox.counts(services.uow)
        print("Outbox: " + (", ".join(f"{n} {s}" for s, n in sorted(counts.items())) or "empty"))
        async with services.uow() as uow:
            names = {p.id: p.name for p in await uow.people.all()}
        for row in await outbox.listing(services.uow, args.status, args.limit):
            who = names.get(row.person_id, row.person_id) if row.person_id else row.address
            print(f"#{row.id:<6} {row.status:8} {row.channel:6} {who or '-':24} {row.subject}")
            if row.last_error:
                print(f"        after {row.attempts} attempt(s): {row.last_error}")
        return 0

    return run_politely(lambda: _with_services(run))


def _nudges(args) -> int:
    async def run(services) -> int:
        if args.nudges_command == "pause":
            until = parse_date(args.until, services.clock.today()) if args.until else None
            print(await preferences.pause_nudges(services, None, until, args.reason or "paused from the command line"))
        else:
            print(await preferences.resume_nudges(services, None))
        return 0

    return run_politely(lambda: _with_services(run))


def register(sub) -> None:
    p = sub.add_parser("scheduler", help="run the reminders scheduler on its own (one per database leads)")
    p.add_argument("--tick", type=float, default=5.0, help="seconds between beats (default 5)")
    p.add_argument("--sweep-every", type=float, default=300.0, help="seconds between sweeps (default 300)")
    p.add_argument("--lease", type=float, default=30.0, help="seconds a leader's lease lasts without renewal (default 30)")
    p.set_defaults(func=_scheduler)

    o = sub.add_parser("outbox", help="what the bot owes people: counts, failures, retry")
    o.add_argument("--status", choices=["pending", "sent", "failed", "held", "digested"], default=None)
    o.add_argument("--limit", type=int, default=50)
    osub = o.add_subparsers(dest="outbox_command", metavar="ACTION")
    r = osub.add_parser("retry", help="send a failed message again")
    r.add_argument("id", type=int)
    o.set_defaults(func=_outbox)

    n = sub.add_parser("nudges", help="pause or resume all reminders for the organisation")
    nsub = n.add_subparsers(dest="nudges_command", metavar="ACTION", required=True)
    pause = nsub.add_parser("pause")
    pause.add_argument("--until", help="the date reminders start again that morning (4/1/27, 4 January 2027, next Monday...)")
    pause.add_argument("--reason")
    nsub.add_parser("resume")
    n.set_defaults(func=_nudges)
