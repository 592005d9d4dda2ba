"""The scheduler's sweeps and the busiest chat answers at a large council's size (issue 22, item 7).

    python bench/bench_scale.py [--documents 100000] [--people 20000] [--cases 5000] [--database sqlite|postgres|both]

Loads the register with bulk inserts (seconds, not minutes), then prints for every sweep its time,
statements and messages queued: first with nothing due, then with 1% of documents and cases due
(reviews in their reminder window or overdue, cases waiting past their nudge). Then `my tasks`
and `status` (median of 20), and the outbox drain rate of what the 1% sweep queued, beside the
floor Teams' rate limits allow. Beside each wall time, the CPU time of this process (the Python
side; the database's share is only in the wall time): on a shared, loaded machine the steadier
figure. Targets: each sweep at most 1 s with statements that grow with what is due, not with the
register; `my tasks` and `status` under 50 ms; the drain at the floor.
Not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's code, not the installed one

from bot.bootstrap import build  # noqa: E402
from bot.proactive import TeamsSender  # noqa: E402
from bot.settings import Settings  # noqa: E402
from governance import lifecycle as gl  # noqa: E402
from governance.calendar import WorkingCalendar  # noqa: E402
from render import messages  # noqa: E402
from services.cases import lifecycle  # noqa: E402
from services.clock import LONDON, FixedClock  # noqa: E402
from services.delivery.dispatch import Dispatcher  # noqa: E402
from services.delivery.pacing import CONVERSATION_LIMITS, TENANT_LIMITS, floor_seconds  # noqa: E402
from services.people.identity import ChannelIdentity  # noqa: E402
from services.register import documents as register  # noqa: E402
from services.reminders import sweeps  # noqa: E402
from store.instrument import StatementCounter  # noqa: E402
from store.seeding import analyze, bulk_insert, bulk_update  # noqa: E402
from store.uow import Store  # noqa: E402
from tests.support.channel import ChannelStandIn  # noqa: E402

PG = "postgresql://postgres@127.0.0.1:5432"
TENANT = "00000000-0000-4000-8000-000000000001"
AREAS = ["Safeguarding", "Children in Care", "Early Help", "Adults", "Children's Social Care", "Directorate"]
TYPES = ["Procedure", "Policy", "Practice Guidance", "Protocol", "Strategy"]
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=LONDON)  # a Monday, in working hours


def people_rows(n: int, service_url: str) -> tuple[list[dict], list[dict], list[dict]]:
    """n people: one PPO, a few senior roles, 10% responsible officers, 1% RSMs, consultees."""
    people, roles, refs = [], [], []
    for i in range(n):
        pid = f"p{i:05d}"
        people.append(dict(id=pid, name=f"Person {i:05d}", email=f"{pid}@example.org", aad_object_id=f"aad-{pid}",
                           tenant_id=TENANT, job_title="Officer", service_area=AREAS[i % len(AREAS)], manager_id=None,
                           active=True, preferences={}))
        held = ["ppo", "policy_service"] if i == 0 else ["head_of_qa", "slt"] if i < 5 else \
            ["rsm", "hos"] if i % 100 == 1 else ["ro"] if i % 10 == 2 else ["consultee"] if i % 50 == 3 else []
        roles += [dict(person_id=pid, role=r) for r in held]
        refs.append(dict(person_id=pid, aad_object_id=f"aad-{pid}", tenant_id=TENANT, channel_id="msteams",
                         conversation_id=f"a:conv-{pid}", conversation_type="personal", service_url=service_url,
                         reference={"bot": {"id": "28:bench"}, "user": {"id": f"29:{pid}", "aadObjectId": f"aad-{pid}"},
                                    "conversation": {"id": f"a:conv-{pid}"}, "channelId": "msteams", "serviceUrl": service_url},
                         updated_at=NOW))
    return people, roles, refs


def document_rows(n: int, people: int) -> list[dict]:
    """n documents, every review well in the future (nothing due)."""
    rng = random.Random(22)
    ros = [f"p{i:05d}" for i in range(2, people, 10)]
    rsms = [f"p{i:05d}" for i in range(1, people, 100)]
    today = NOW.date()
    out = []
    for i in range(1, n + 1):
        due = today + timedelta(days=rng.randint(120, 1000))
        out.append(dict(id=i, ref=f"BC-{i:06d}", doc_type=rng.choice(TYPES), title=f"Procedure {i} on visits",
                        category=None, service_area=rng.choice(AREAS), summary=None, ro_id=rng.choice(ros),
                        rsm_id=rng.choice(rsms), status="published", version="1.0", approved_on=due - timedelta(days=730),
                        last_reviewed_on=due - timedelta(days=365), next_review_due=due, manual_url=None, extra={},
                        created_at=NOW, updated_at=NOW))
    return out


def case_rows(services, n: int, documents: int) -> list[dict]:
    """n open scheduled reviews on n documents, each just acted on (no nudge due)."""
    preset, today = services.preset, NOW.date()
    cal = WorkingCalendar(preset.nation)
    out = []
    step = max(1, documents // n)
    for i in range(n):
        doc_id = 1 + i * step
        case = gl.start_case(preset, "scheduled_review", document_type="procedure", category=preset.categories[0] if preset.categories else None,
                             today=today, document_name=f"BC-{doc_id:06d} Procedure {doc_id} on visits", requester="p00000",
                             participants={"rsm": [], "consultee": []}, calendar=cal).case
        out.append(dict(id=i + 1, document_id=doc_id, preset=preset.key, kind="scheduled_review", stage=case.stage, status="open",
                         state=gl.case_to_dict(case), waiting_for=gl.who_must_act(preset, case), due_on=None,
                         opened_by="p00000", opened_at=NOW, updated_at=NOW, version=1))
    return out


async def load(store: Store, services, args, service_url: str) -> None:
    t = time.perf_counter()
    people, roles, refs = people_rows(args.people, service_url)
    await bulk_insert(store.engine, "people", people)
    await bulk_insert(store.engine, "person_roles", roles)
    await bulk_insert(store.engine, "conversation_refs", refs)
    await bulk_insert(store.engine, "documents", document_rows(args.documents, args.people))
    await bulk_insert(store.engine, "cases", case_rows(services, args.cases, args.documents))
    await analyze(store.engine)  # PostgreSQL's statistics, as autovacuum would have them in production
    print(f"loaded {args.documents:,} documents, {args.people:,} people, {args.cases:,} open cases "
          f"in {time.perf_counter() - t:.1f} s")
    # `policybot serve` freezes what it holds after start-up (services/manual/answers.warm), so the
    # collector's full passes do not walk it during a sweep; the bench's process does the same.
    gc.collect()
    gc.freeze()


async def make_one_percent_due(store: Store, args) -> None:
    """1% of documents: half in their reminder window, half overdue; 1% of cases waiting 6 working days."""
    rng = random.Random(1)
    today = NOW.date()
    ids = rng.sample(range(1, args.documents + 1), args.documents // 100)
    await bulk_update(store.engine, "documents", [
        dict(id=d, next_review_due=today + timedelta(days=rng.choice([0, 1, 7, 14, 30]) if k % 2 else -rng.randint(1, 120)))
        for k, d in enumerate(ids)])
    waited = NOW - timedelta(days=9)
    await bulk_update(store.engine, "cases", [dict(id=c, updated_at=waited) for c in range(1, args.cases + 1, 100)])
    await analyze(store.engine)


async def run_sweeps(services, counter: StatementCounter, label: str) -> None:
    print(f"-- sweeps, {label}")
    print(f"   {'sweep':18} {'seconds':>8} {'cpu s':>6} {'statements':>11} {'queued':>7}")
    for sweep in sweeps.SWEEPS:
        with counter.counting() as c:
            t, cpu = time.perf_counter(), time.process_time()
            report = await sweep(services, "bench")
            s, cpu = time.perf_counter() - t, time.process_time() - cpu
        print(f"   {report.name:18} {s:8.3f} {cpu:6.3f} {c['statements']:11d} {report.queued:7d}")


async def timed(fn, runs: int = 20) -> tuple[float, float, float]:
    """Median and worst wall time, and the median of this process's CPU time (ms): on a shared machine
    the wall time waits for a core, while the CPU time is what the answer itself costs here."""
    times, cpus = [], []
    for _ in range(runs):
        t, cpu = time.perf_counter(), time.process_time()
        await fn()
        times.append((time.perf_counter() - t) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return statistics.median(times), max(times), statistics.median(cpus)


async def answers(services, counter: StatementCounter, documents: int) -> None:
    ppo = ChannelIdentity("msteams", "29:p00000", "aad-p00000", "Person 00000", TENANT)
    ro = ChannelIdentity("msteams", "29:p00002", "aad-p00002", "Person 00002", TENANT)
    today, ref = NOW.date(), f"bc-{documents // 2 + 1:06d}"  # typed in lower case, as people do

    async def status() -> None:
        async with services.uow() as uow:
            messages.detail_reply(await register.document_detail(uow, ref), today)

    for label, fn in (("my tasks (the PPO)", lambda: lifecycle.my_tasks(services, ppo)),
                      ("my tasks (a responsible officer)", lambda: lifecycle.my_tasks(services, ro)),
                      (f"status {ref}", status)):
        with counter.counting() as c:
            await fn()
        median, worst, cpu = await timed(fn)
        print(f"   {label:42} median {median:7.1f} ms  worst {worst:7.1f} ms  cpu {cpu:5.1f} ms  {c['statements']} statements")


async def drain(services, settings, store: Store, channel: ChannelStandIn) -> None:
    async with store.engine.connect() as conn:  # what the sweeps queued, for the floor
        rows = (await conn.exec_driver_sql(
            "SELECT o.person_id, p.tenant_id FROM outbox o JOIN people p ON p.id = o.person_id "
            "WHERE o.status = 'pending' AND o.channel = 'teams'")).all()
    per_conversation = Counter(f"a:conv-{pid}" for pid, _ in rows)
    per_tenant = Counter(tenant for _, tenant in rows)
    floor = floor_seconds(dict(per_conversation), dict(per_tenant))
    teams = TeamsSender(services, settings)
    dispatcher = Dispatcher(services, teams=teams, concurrency=256)
    t = time.perf_counter()
    result = await dispatcher.drain(batch=2000)
    elapsed = time.perf_counter() - t
    await teams.close()
    sent = result.get("sent", 0)
    print(f"-- outbox: {sent} of {len(rows)} queued Teams messages sent in {elapsed:.1f} s ({sent / max(elapsed, 1e-9):.0f}/s); "
          f"floor allowed by Teams' limits {floor:.1f} s; ratio {elapsed / floor if floor else 0:.2f}")


async def run(url: str, args) -> None:
    channel = await ChannelStandIn().start()
    channel.conversation_limits, channel.tenant_limits = list(CONVERSATION_LIMITS), list(TENANT_LIMITS)
    settings = Settings.from_env({"DATABASE_URL": url, "POLICYBOT_DEMO": "0", "LOG_LEVEL": "ERROR"})
    store = Store(settings.database_url)
    await store.migrate()
    services = build(settings, clock=FixedClock(NOW), store=store).services
    counter = StatementCounter(store.engine)
    try:
        await load(store, services, args, channel.url)
        await run_sweeps(services, counter, "nothing due")
        await make_one_percent_due(store, args)
        await run_sweeps(services, counter, "1% of documents and cases due")
        await run_sweeps(services, counter, "1% due, run again (everything already queued)")
        print("-- answers")
        await answers(services, counter, args.documents)
        if not args.no_drain:
            await drain(services, settings, store, channel)
    finally:
        await store.close()
        await channel.stop()


def main(database: str, args) -> None:
    scratch = None
    if database == "postgres":
        scratch = f"bench_scale_{int(time.time())}"
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", scratch], check=True)
        url = f"{PG}/{scratch}"
    else:
        url = f"sqlite:///{tempfile.mkdtemp(prefix='bench-scale-')}/bench.db"
    print(f"== {'PostgreSQL' if scratch else 'SQLite'}")
    try:
        asyncio.run(run(url, args))
    finally:
        if scratch:
            subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--force", scratch], check=False)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--documents", type=int, default=100_000)
    ap.add_argument("--people", type=int, default=20_000)
    ap.add_argument("--cases", type=int, default=5_000)
    ap.add_argument("--no-drain", action="store_true", help="leave out the outbox drain (minutes at the Teams floor)")
    ap.add_argument("--database", default="both", help="sqlite (a temporary file), postgres (a scratch database), or both")
    a = ap.parse_args()
    for db in (("sqlite", "postgres") if a.database == "both" else (a.database,)):
        main(db, a)
