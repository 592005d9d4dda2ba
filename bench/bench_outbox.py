"""Fan out a burst of reminders through the outbox to a local Bot Connector stand-in that enforces
Teams' rate limits (per conversation 7/1 s, 8/2 s, 60/30 s; per tenant 50/1 s), and print the total
time against the floor those limits allow, with the count lost or duplicated (must be zero).

    .venv/bin/python bench/bench_outbox.py [--messages 10000] [--people 2000] [--tenants 10] [--db URL]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bot.bootstrap import build  # noqa: E402
from bot.proactive import TeamsSender  # noqa: E402
from bot.settings import Settings
from services.delivery import outbox
from services.clock import LONDON, FixedClock  # noqa: E402
from services.delivery.dispatch import Dispatcher
from services.delivery.pacing import CONVERSATION_LIMITS, TENANT_LIMITS, floor_seconds
from services.ports import Notice, NoticeKind
from store.uow import Store  # noqa: E402
from tests.support.channel import ChannelStandIn, readable  # noqa: E402


async def main(args) -> int:
    url = args.db or f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    channel = await ChannelStandIn().start()
    channel.conversation_limits = list(CONVERSATION_LIMITS)
    channel.tenant_limits = list(TENANT_LIMITS)
    clock = FixedClock(datetime(2026, 11, 23, 10, 0, tzinfo=LONDON))
    settings = Settings.from_env({"DATABASE_URL": url, "POLICYBOT_DEMO": "0", "LOG_LEVEL": "ERROR"})
    store = Store(settings.database_url)
    await store.migrate()
    services = build(settings, clock=clock, store=store).services
    now = clock.now()
    per_conversation: Counter = Counter()
    per_tenant: Counter = Counter()
    async with services.uow() as uow:
        for i in range(args.people):
            tenant = f"tenant-{i % args.tenants}"
            await uow.people.create(id=f"p{i}", name=f"Person {i}", email=None, aad_object_id=f"aad-{i}", tenant_id=tenant,
                                    active=True, preferences={}, roles=[])
            await uow.conversations.upsert(
                at=now, channel_id="msteams", conversation_id=f"a:conv-{i}", service_url=channel.url,
                reference={"bot": {"id": "28:bench"}, "user": {"id": f"29:{i}", "aadObjectId": f"aad-{i}"}},
                person_id=f"p{i}", aad_object_id=f"aad-{i}", tenant_id=tenant, conversation_type="personal")
        messages = []
        for n in range(args.messages):
            i = n % args.people
            per_conversation[f"a:conv-{i}"] += 1
            per_tenant[f"tenant-{i % args.tenants}"] += 1
            messages.append(Notice(key=f"bench:{n}", kind=NoticeKind.REVIEW_DUE, subject=f"Reminder {n}",
                                   body="A review is due.", person_id=f"p{i}"))
        uow.notify(*messages)
        await uow.commit()
    teams = TeamsSender(services, settings)
    dispatcher = Dispatcher(services, teams=teams, concurrency=args.concurrency)
    floor = floor_seconds(dict(per_conversation), dict(per_tenant))
    print(f"{args.messages} reminders to {args.people} people in {args.tenants} tenants; database {url.split(':', 1)[0]}")
    started = time.perf_counter()
    result = await dispatcher.drain(batch=2000)
    elapsed = time.perf_counter() - started
    await teams.close()
    counts = await outbox.counts(store.uow)
    received = Counter(readable(r.activity).splitlines()[0] for r in channel.received if r.path.endswith("/activities"))
    duplicated = sum(c - 1 for c in received.values() if c > 1)
    lost = args.messages - len(received)
    print(f"sent {result.get('sent', 0)}, outbox {dict(counts)}")
    print(f"total {elapsed:.1f} s; floor allowed by Teams' limits {floor:.1f} s; ratio {elapsed / floor if floor else 0:.2f}")
    print(f"throughput {args.messages / elapsed:.0f} messages/s; answered 429 by the stand-in: {channel.throttled}")
    print(f"lost {lost}, duplicated {duplicated}")
    await store.close()
    await channel.stop()
    return 0 if lost == 0 and duplicated == 0 else 1


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--messages", type=int, default=10_000)
    p.add_argument("--people", type=int, default=2_000)
    p.add_argument("--tenants", type=int, default=10)
    p.add_argument("--concurrency", type=int, default=256)
    p.add_argument("--db", default="")
    sys.exit(asyncio.run(main(p.parse_args())))
