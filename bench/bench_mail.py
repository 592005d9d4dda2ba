"""The policy mailbox through Graph (issue 21), measured against the Graph stand-in of the tests:

1. incoming: N messages (default 2,000) through change notifications, then N through a delta sweep
   alone (as after an outage), each a real turn of the real app (dialogs, database, the reply sent
   in its thread, the message moved): messages a second, Graph calls per message, lost or repeated;
2. outgoing: M messages (default 10,000) through Graph sendMail, paced under Exchange Online's
   limits (30 a minute, 10,000 recipients a day) on a simulated clock, with a 429 Retry-After on the
   way: the simulated time taken against the floor the limits allow, the busiest minute, what the
   day's limit does to one message more, Graph calls per message.

    PYTHONPATH=. .venv/bin/python bench/bench_mail.py [--incoming 2000] [--outgoing 10000] [--db URL]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import ssl
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import aiohttp  # noqa: E402
from aiohttp import web  # noqa: E402

from bot.bootstrap import create_app  # noqa: E402
from bot.mail_in import MAIL_IN_KEY  # noqa: E402
from bot.app import RUNTIME_KEY  # noqa: E402
from bot.settings import Settings  # noqa: E402
from connectors.mail import ExchangePacer, GraphTransport  # noqa: E402
from services.clock import LONDON, FixedClock  # noqa: E402
from services.ports import Email, TransientSendError  # noqa: E402
from store.mail_repo import MailInRepo  # noqa: E402
from tests.support.graph import CLIENT_ID, CLIENT_SECRET, TENANT, MailGraphServer  # noqa: E402

MAILBOX = "policies@example.org"
SENDERS = ["alex.dunmore@example.org", "morgan.reyes@example.org"]
SAYINGS = ["my tasks", "status PP-001", "is there a procedure on missing children?", "my documents"]


def _kind(call: str) -> str:
    method, path = call.split(" ", 1)
    last = path.rstrip("/").rsplit("/", 1)[-1]
    return f"{method} {'message' if last.startswith('AAMk') else last}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def incoming(db_url: str, n: int, how: str) -> None:
    graph = await MailGraphServer(MAILBOX).start()
    os.environ["REQUESTS_CA_BUNDLE"] = graph.ca_file.name
    clock = FixedClock(datetime(2026, 11, 23, 10, 0, tzinfo=LONDON))
    graph.now = clock.now
    port = free_port()
    settings = Settings.from_env({
        "DATABASE_URL": db_url, "POLICYBOT_DEMO": "1", "POLICYBOT_SCHEDULER": "0", "LOG_LEVEL": "ERROR",
        "POLICYBOT_MAIL_IN": "graph" if how == "notifications" else "graph-delta", "POLICYBOT_MAIL_TRANSPORT": "graph",
        "POLICYBOT_MAIL_FROM": MAILBOX, "POLICYBOT_MAIL_NOTIFICATION_URL": f"http://127.0.0.1:{port}/api/graph/notifications",
        "POLICYBOT_GRAPH_CLIENT_ID": CLIENT_ID, "GRAPH_CLIENT_SECRET": CLIENT_SECRET, "POLICYBOT_GRAPH_TENANT_ID": TENANT,
        "AUTHORITY_HOST": graph.url, "GRAPH_BASE_URL": graph.url + "/v1.0", "REQUESTS_CA_BUNDLE": graph.ca_file.name,
        "POLICYBOT_MAIL_SWEEP_SECONDS": "3600"})
    app = create_app(settings, clock=clock)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    mail_in = app[MAIL_IN_KEY]
    store = app[RUNTIME_KEY].store
    try:
        while mail_in.counts["delta_pages"] < 1 or (how == "notifications" and not graph.subscriptions):
            await asyncio.sleep(0.05)
        async with store.uow() as uow:
            base = await MailInRepo(uow.session).counts()
        before = base.get("done", 0) + base.get("refused", 0)
        calls_before = len(graph.calls)
        started = time.perf_counter()
        for i in range(n):
            kw = dict(sender=SENDERS[i % len(SENDERS)], subject=f"question {i}", text=SAYINGS[i % len(SAYINGS)])
            if how == "notifications":
                await graph.deliver(**kw)
            else:
                graph.deliver_quietly(**kw)
        if how == "delta":
            await mail_in.sweep()
        while True:
            async with store.uow() as uow:
                counts = await MailInRepo(uow.session).counts()
            if counts.get("done", 0) + counts.get("refused", 0) - before >= n:
                break
            await asyncio.sleep(0.2)
        took = time.perf_counter() - started
        calls = Counter(_kind(c) for c in graph.calls[calls_before:])
        replies = Counter(str(m["In-Reply-To"]) for m in graph.sent)
        print(f"incoming through {how}: {n} messages in {took:.1f} s = {n / took:.1f} messages/s; "
              f"Graph calls per message {len(graph.calls[calls_before:]) / n:.2f} "
              f"({', '.join(f'{k} {v}' for k, v in calls.most_common())}); "
              f"answered {len(replies)}, answered twice {sum(1 for v in replies.values() if v > 1)}, "
              f"left in the inbox {len(graph.inbox())}")
    finally:
        await runner.cleanup()
        await graph.stop()


async def outgoing(m: int) -> None:
    graph = await MailGraphServer(MAILBOX).start()
    os.environ["REQUESTS_CA_BUNDLE"] = graph.ca_file.name
    t = [0.0]

    async def sleep(s: float) -> None:
        t[0] += s  # a simulated clock: 10,000 messages at 30 a minute is more than five hours

    pacer = ExchangePacer(now=lambda: t[0], sleep=sleep)
    # One connection for the run: at 30 a minute a new TLS connection per send costs Exchange
    # nothing, but here it would only measure handshakes.
    session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=ssl.create_default_context(cafile=graph.ca_file.name)))
    transport = GraphTransport(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, tenant_id=TENANT, sender=MAILBOX,
                               authority_host=graph.url, graph_base_url=graph.url + "/v1.0", verify_authority=False,
                               pacer=pacer, session=session)
    graph.throttle("/sendMail", seconds=30, times=1)
    now = datetime(2026, 11, 23, 10, 0, tzinfo=LONDON)
    sent_at: list[float] = []
    retried = 0
    started = time.perf_counter()
    try:
        i = 0
        while i < m:
            email = Email(to=f"person{i % 500}@example.org", subject=f"Reminder {i}", text="t", html="<p>t</p>", key=f"bench:{i}")
            try:
                await transport.send(email, now, resend=False)  # as the dispatcher sends a row claimed for the first time
            except TransientSendError as exc:
                retried += 1
                if retried > 100:
                    raise SystemExit(f"stuck at message {i}: {exc}") from None
                await sleep(exc.retry_after or 0)  # the outbox keeps it until then
                continue
            sent_at.append(t[0])
            i += 1
        busiest, j = 0, 0
        for k in range(len(sent_at)):
            while sent_at[k] - sent_at[j] >= 60:
                j += 1
            busiest = max(busiest, k - j + 1)
        repeats = min(m, 100)  # rows claimed before a crash: Sent Items is searched, and they are found there
        calls_before = len(graph.calls)
        for i in range(repeats):
            email = Email(to=f"person{i % 500}@example.org", subject=f"Reminder {i}", text="t", html="<p>t</p>", key=f"bench:{i}")
            await transport.send(email, now, resend=True)
        repeat_calls = len(graph.calls) - calls_before
        first_calls = calls_before
        try:
            await pacer.slot(1)
            over = "sent"
        except TransientSendError as exc:
            over = f"kept in the outbox for {exc.retry_after / 3600:.1f} h"
        floor = (m - 1) // 30 * 60
        print(f"outgoing through Graph sendMail: {m} messages in {t[0] / 3600:.2f} simulated hours "
              f"(floor at 30 a minute: {floor / 3600:.2f} h; {t[0] - floor:+.0f} s for the 429's Retry-After) "
              f"in {time.perf_counter() - started:.1f} s of real time; busiest minute {busiest}; "
              f"throttled and retried {retried}; one more today: {over}; "
              f"Graph calls per message {first_calls / m:.2f}; arrived {len(graph.sent)}")
        print(f"possible repeats after a crash: {repeats} looked up in Sent Items, {transport.already_sent} found there "
              f"and not sent again, {repeat_calls / repeats:.2f} Graph calls each")
    finally:
        transport.close()
        await session.close()
        await graph.stop()


async def main(args) -> None:
    for how in ("notifications", "delta") if args.incoming else ():
        url = args.db or f"sqlite:///{tempfile.mkdtemp()}/bench.db"
        await incoming(url, args.incoming, how)
    await outgoing(args.outgoing)


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--incoming", type=int, default=2000)
    p.add_argument("--outgoing", type=int, default=10000)
    p.add_argument("--db", help="a database URL (default: a new SQLite file)")
    asyncio.run(main(p.parse_args()))
