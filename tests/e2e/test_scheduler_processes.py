"""`policybot scheduler` as real processes on one PostgreSQL database (issue 5): killed mid-run and
restarted, every due reminder arrives exactly once; two schedulers at once never both send."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from datetime import date, datetime

import pytest

from services.clock import LONDON, FixedClock
from connectors.mail import message_id
from tests.support.org import make_org
from tests.support.smtp import SmtpServer
from tests.support.processes import stop as _stop

DOCS = 40  # each owes a reminder to its RO and its RSM: 80 emails
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture
async def pg_url(db_url):
    if not db_url.startswith("postgresql"):
        pytest.skip("the multi-process tests run on PostgreSQL, as production does")
    yield db_url


def _env(db_url: str, smtp: SmtpServer) -> dict:
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": db_url, "POLICYBOT_DEMO": "0", "POLICYBOT_PRESET": "nct", "POLICYBOT_MAIL_TRANSPORT": "smtp",
        "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(smtp.port), "POLICYBOT_MAIL_FROM": "policybot@trust.example",
        "POLICYBOT_CLOCK": "2026-12-22T10:00:00+00:00", "POLICYBOT_OUTBOX_CLAIM_SECONDS": "2",
        "POLICYBOT_SEND_CONCURRENCY": "1", "LOG_LEVEL": "WARNING", "PYTHONPATH": ROOT,
    })
    return env


LOGS: list[str] = []


def _start(env: dict, lease: float = 2) -> subprocess.Popen:
    import tempfile

    log = tempfile.NamedTemporaryFile("w+", prefix="scheduler-", suffix=".log", delete=False)
    LOGS.append(log.name)
    with log:
        return subprocess.Popen([sys.executable, "-m", "policybot.cli", "scheduler", "--tick", "0.2", "--sweep-every", "1",
                                 "--lease", str(lease)], env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)


def _logs() -> str:
    return "\n".join(open(name).read()[-3000:] for name in LOGS)


async def _until(predicate, timeout: float) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        await asyncio.sleep(0.1)
    return predicate()


async def _seed(db_url: str):
    clock = FixedClock(datetime(2026, 12, 22, 10, 0, tzinfo=LONDON))
    services = await make_org(db_url, clock, docs=[(f"PP-{i:03d}", date(2026, 12, 29)) for i in range(DOCS)],
                              channels=["email"], env={"POLICYBOT_MAIL_TRANSPORT": "smtp"})
    return services


async def _sent_ids(services) -> tuple[list[str], set[str]]:
    async with services.uow() as uow:
        rows = await uow.outbox.listing(None, 10_000)
        runs = await uow.outbox.last_sweeps(10_000)
    assert {r.status for r in rows} == {"sent"}
    return [message_id(r.key, "trust.example") for r in rows], {r.holder for r in runs}


async def test_a_scheduler_killed_mid_run_and_restarted_sends_every_reminder_exactly_once(pg_url, smtp):
    services = await _seed(pg_url)
    env = _env(pg_url, smtp)
    first = _start(env)

    def kill_on_the_25th(n: int) -> str | None:
        if n == 25:  # the process dies while this message is on the wire: it never got its 250
            os.kill(first.pid, signal.SIGKILL)
            return "421 4.3.2 Shutting down"
        return None

    smtp.on_data = kill_on_the_25th
    try:
        assert await _until(lambda: first.poll() is not None, 60), "the first scheduler was never killed\n" + _logs()
        assert first.returncode == -signal.SIGKILL
        assert len(smtp.received) == 24
        smtp.on_data = None
        second = _start(env)
        try:
            assert await _until(lambda: len(smtp.received) >= 2 * DOCS, 60), f"only {len(smtp.received)} arrived\n" + _logs()
            await asyncio.sleep(1.5)  # a few more beats: nothing else may arrive
        finally:
            _stop(second)
        ids, _ = await _sent_ids(services)
    finally:
        _stop(first)
        await services.store.close()
    arrived = [m.message_id for m in smtp.received]
    assert len(arrived) == 2 * DOCS and len(set(arrived)) == 2 * DOCS
    assert sorted(arrived) == sorted(ids)


async def test_two_schedulers_on_one_database_never_both_send(pg_url, smtp):
    services = await _seed(pg_url)
    env = _env(pg_url, smtp)
    env["POLICYBOT_SEND_CONCURRENCY"] = "8"
    # A lease long enough that a process starved of CPU on a loaded machine keeps it: this test is about
    # two live schedulers sharing one database, not about a takeover (the killed-leader test covers that).
    procs = [_start(env, lease=20), _start(env, lease=20)]
    try:
        assert await _until(lambda: len(smtp.received) >= 2 * DOCS, 60), f"only {len(smtp.received)} arrived\n" + _logs()
        await asyncio.sleep(2.0)
        assert all(p.poll() is None for p in procs), "both schedulers should still be running"
        ids, holders = await _sent_ids(services)
    finally:
        for p in procs:
            _stop(p)
        await services.store.close()
    arrived = [m.message_id for m in smtp.received]
    assert len(arrived) == 2 * DOCS and len(set(arrived)) == 2 * DOCS
    assert sorted(arrived) == sorted(ids)
    assert len(holders) == 1  # every sweep was run by the one leader
