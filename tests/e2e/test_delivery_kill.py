"""Honest delivery (issue 22 item 3): a scheduler killed with kill -9 while it sends over SMTP (four
senders in flight), then restarted, loses nothing and repeats at most one message per sender that
was in flight, and a repeat carries the same Message-ID. SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import date, datetime

from connectors.mail import message_id
from services.clock import LONDON, FixedClock
from tests.support.org import make_org
from tests.support.smtp import SmtpServer
from tests.support.processes import stop as _stop

DOCS = 40  # each owes a reminder to its RO and its RSM: 80 emails
SENDERS = 4
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _env(db_url: str, smtp: SmtpServer) -> dict:
    return {**os.environ,
            "DATABASE_URL": db_url, "POLICYBOT_DEMO": "0", "POLICYBOT_PRESET": "nct", "POLICYBOT_MAIL_TRANSPORT": "smtp",
            "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(smtp.port), "POLICYBOT_MAIL_FROM": "policybot@trust.example",
            "POLICYBOT_CLOCK": "2026-12-22T10:00:00+00:00", "POLICYBOT_OUTBOX_CLAIM_SECONDS": "2",
            "POLICYBOT_SEND_CONCURRENCY": str(SENDERS), "LOG_LEVEL": "WARNING", "PYTHONPATH": ROOT}


def _start(env: dict, logs: list[str]) -> subprocess.Popen:
    log = tempfile.NamedTemporaryFile("w+", prefix="scheduler-", suffix=".log", delete=False)
    logs.append(log.name)
    with log:
        return subprocess.Popen([sys.executable, "-m", "policybot.cli", "scheduler", "--tick", "0.2", "--sweep-every", "1",
                                 "--lease", "2"], env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)


def _tail(logs: list[str]) -> str:
    return "\n".join(open(name).read()[-3000:] for name in logs)


async def _until(predicate, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if predicate():
            return True
        await asyncio.sleep(0.1)
    return predicate()


async def test_killed_mid_send_over_smtp_nothing_is_lost_and_at_most_one_repeat_per_sender(db_url, smtp):
    clock = FixedClock(datetime(2026, 12, 22, 10, 0, tzinfo=LONDON))
    services = await make_org(db_url, clock, docs=[(f"PP-{i:03d}", date(2026, 12, 29)) for i in range(DOCS)],
                              channels=["email"], env={"POLICYBOT_MAIL_TRANSPORT": "smtp"})
    env, logs = _env(db_url, smtp), []
    first = _start(env, logs)

    def kill_while_accepting_the_30th(n: int) -> str | None:
        if n == 30:  # accepted here while the other senders' messages are on the wire or just accepted
            os.kill(first.pid, signal.SIGKILL)
        return None

    smtp.on_data = kill_while_accepting_the_30th
    second = None
    try:
        assert await _until(lambda: first.poll() is not None, 90), "the first scheduler was never killed\n" + _tail(logs)
        assert first.returncode == -signal.SIGKILL
        before_restart = len(smtp.received)
        smtp.on_data = None
        second = _start(env, logs)
        unique = lambda: len({m.message_id for m in smtp.received})  # noqa: E731
        assert await _until(lambda: unique() >= 2 * DOCS, 90), f"only {unique()} arrived\n" + _tail(logs)
        await asyncio.sleep(1.5)  # a few more beats: nothing else may arrive
        async with services.uow() as uow:
            rows = await uow.outbox.listing(None, 10_000)
    finally:
        for p in (first, second):
            if p is not None:
                _stop(p)
        await services.store.close()
    assert before_restart >= 30
    assert {r.status for r in rows} == {"sent"} and len(rows) == 2 * DOCS
    arrived = Counter(m.message_id for m in smtp.received)
    assert set(arrived) == {message_id(r.key, "trust.example") for r in rows}  # none lost
    repeated = sum(n - 1 for n in arrived.values())
    assert repeated <= SENDERS, f"{repeated} repeats with {SENDERS} senders in flight"
    ids_by_message: dict[tuple, set[str]] = defaultdict(set)
    for m in smtp.received:  # a repeat is the same message: same recipient and words, same Message-ID
        ids_by_message[(tuple(m.rcpt_tos), str(m.message["Subject"]))].add(m.message_id)
    assert len(ids_by_message) == 2 * DOCS and all(len(ids) == 1 for ids in ids_by_message.values())
