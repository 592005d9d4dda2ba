"""Round trips to the database per thing a person does (issue 14 item 11): statements, transactions
(BEGIN) and commits for pressing Approve, for sending a draft, and for 50 review reminders (the
sweep that queues them and the dispatcher that sends them), counted with SQLAlchemy's engine events.

    python bench/bench_roundtrips.py [--db URL]   (default: a fresh SQLite file)

The Approve and the draft go through the real app over HTTP (POST /api/messages, the Bot Connector
stand-in answering), as in the tests; the reminders run the sweep and the dispatcher over Teams.
Prints the figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from collections import Counter
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.app import DISPATCHER_KEY, RUNTIME_KEY, SERVICES_KEY  # noqa: E402
from connectors.word.samples import tracked_docx  # noqa: E402
from services.clock import LONDON, FixedClock  # noqa: E402
from services.demo import _aad  # noqa: E402
from services.reminders import sweeps  # noqa: E402
from tests.support.bot import RunningBot, settings_for  # noqa: E402
from tests.support.cases import buttons, last_to  # noqa: E402
from store.instrument import StatementCounter as Counts  # noqa: E402


def line(what: str, c: Counter) -> str:
    return f"{what:<34} {c['statements']:>5} statements {c['transactions']:>4} transactions {c['commits']:>4} commits"


async def approve_and_draft(db_url: str, clock) -> list[str]:
    bot = await RunningBot(settings_for(db_url), clock=clock).start()
    out = []
    try:
        counts = Counts(bot.app[RUNTIME_KEY].store.engine)
        ro, rsm = _aad("ro-2"), _aad("rsm-cla")
        # Everyone the decisions notify has a chat with the bot already (the steady state; a first
        # message to someone the bot has never talked to also starts their chat).
        for who, conv in ((ro, "a:ro-2"), (rsm, "a:rsm-cla"), (_aad("ppo"), "a:ppo")):
            await bot.say("help", aad=who, conversation=conv)
        await bot.say("review PP-017", aad=ro, conversation="a:ro-2")
        await bot.say("tick case 1: 1, 2, 3, 4, 5", aad=ro, conversation="a:ro-2")  # NCT-16: else the draft is held back
        act = bot.activity("", aad=ro, conversation="a:ro-2",
                           attachments=[bot.channel.attach("foster.docx", tracked_docx(title="Placement with Foster Carers"))])
        with counts.counting() as c:
            said = await bot.send(act)
        assert said.status in (200, 201) and "stored as draft version 1" in " ".join(str(r) for r in said.replies), said
        out.append(line("send a draft (HTTP turn)", c))
        approve = buttons(last_to(bot, "a:rsm-cla"))["approve"]
        invoke = bot.activity(None, kind="invoke", aad=rsm, activity_name="adaptiveCard/action", conversation="a:rsm-cla",
                              value={"action": {"type": "Action.Execute", "verb": approve["verb"], "data": approve["data"]}})
        with counts.counting() as c:
            said = await bot.send(invoke)
        assert said.status == 200, said.body
        out.append(line("press Approve (HTTP invoke)", c))
    finally:
        await bot.stop()
    return out


async def reminders(db_url: str, clock, n: int = 50) -> list[str]:
    bot = await RunningBot(settings_for(db_url, POLICYBOT_DEMO="0"), clock=clock).start()
    out = []
    try:
        services, dispatcher = bot.app[SERVICES_KEY], bot.app[DISPATCHER_KEY]
        counts = Counts(bot.app[RUNTIME_KEY].store.engine)
        now = clock.now()
        async with services.uow() as uow:
            for i in range(n):
                await uow.people.create(id=f"p{i}", name=f"Person {i}", email=None, aad_object_id=f"aad-{i}",
                                        tenant_id="tenant-1", active=True, preferences={}, roles=[])
                await uow.conversations.upsert(
                    at=now, channel_id="msteams", conversation_id=f"a:conv-{i}", service_url=bot.channel.url,
                    reference={"bot": {"id": "28:bench"}, "user": {"id": f"29:{i}", "aadObjectId": f"aad-{i}"}},
                    person_id=f"p{i}", aad_object_id=f"aad-{i}", tenant_id="tenant-1", conversation_type="personal")
                await uow.documents.create(ref=f"PP-{i:03d}", doc_type="Procedure", title=f"Procedure {i}", category=None,
                                           ro_id=f"p{i}", rsm_id=None, status="published", version="1.0",
                                           next_review_due=date(2026, 12, 10), extra={}, created_at=now, updated_at=now)
            await uow.commit()
        with counts.counting() as c:
            report = await sweeps.sweep_reviews(services, "bench")
        out.append(line(f"sweep queuing {report.queued} reminders", c))
        with counts.counting() as c:
            sent = await dispatcher.drain()
        out.append(line(f"send them ({sent.get('sent', 0)} sent)", c))
    finally:
        await bot.stop()
    return out


async def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--db", help="database URL (default: a fresh SQLite file)")
    p.add_argument("--trace", action="store_true", help="print each statement, BEGIN and COMMIT")
    args = p.parse_args()
    Counts.trace = args.trace
    clock = FixedClock(datetime(2026, 11, 23, 10, 0, tzinfo=LONDON))
    lines = []
    for label, job in (("approve", approve_and_draft), ("reminders", reminders)):
        url = args.db or f"sqlite:///{tempfile.mkdtemp()}/{label}.db"
        lines += await job(url, clock)
    print(f"database: {(args.db or 'sqlite').split(':', 1)[0]}")
    print("\n".join(lines))


if __name__ == "__main__":
    asyncio.run(main())
