"""Several replicas on one PostgreSQL database (issue 22, item 6): two `policybot serve` processes,
each with its scheduler, behind a round-robin "load balancer" (this script), under load, with a
kill -9 of each in turn (then restarted).

    PYTHONPATH=. python bench/bench_replicas.py [--seconds 60] [--concurrency 6]

Prints: turns answered 201 with no reply (lost) or more than one (doubled); requests cut by a
kill and what became of them; scheduler leaders seen, and the longest time with no leader after a
kill (a lease lapses after 30 s). Not a test: prints only.
"""

# ruff: noqa: ASYNC220, ASYNC221, ASYNC230 - a bench starts, kills and waits on processes from its loop on purpose
from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from datetime import datetime, UTC
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from services.demo import PEOPLE, _aad  # noqa: E402
from store.uow import Store  # noqa: E402
from tests.support.channel import ChannelStandIn  # noqa: E402

SAYINGS = ["help", "my tasks", "my documents", "status PP-001", "is there a procedure on missing children?", "report"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Replica:
    def __init__(self, name: str, env: dict, workdir: Path) -> None:
        self.name, self.env, self.workdir = name, env, workdir
        self.port = free_port()
        self.proc: subprocess.Popen | None = None
        self.up = False

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        log = open(self.workdir / f"{self.name}.log", "a")
        self.proc = subprocess.Popen([sys.executable, "-m", "policybot.cli", "serve", "--port", str(self.port)],
                                     env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        async with aiohttp.ClientSession() as http:
            for _ in range(600):
                try:
                    async with http.get(self.url + "/healthz") as resp:
                        if resp.status == 200:
                            self.up = True
                            return
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.1)
        raise RuntimeError(f"{self.name} did not start")

    def kill(self) -> None:
        self.up = False
        assert self.proc is not None
        self.proc.kill()  # SIGKILL: no cleanup, no lease release
        self.proc.wait()

    def stop(self) -> float:
        """SIGTERM; returns how long the clean stop took."""
        began = time.monotonic()
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(120)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        return time.monotonic() - began


def activity(channel: ChannelStandIn, who: str, text: str) -> dict:
    return {"type": "message", "id": f"r-{uuid.uuid4().hex}", "channelId": "msteams", "serviceUrl": channel.url,
            "text": text, "from": {"id": f"29:{who}", "name": who, "aadObjectId": _aad(who)},
            "recipient": {"id": "28:policybot"}, "conversation": {"id": f"a:replica-{who}", "conversationType": "personal"},
            "channelData": {"tenant": {"id": "00000000-0000-4000-8000-000000000001"}}}


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--concurrency", type=int, default=6)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="policybot-replicas-"))
    db_name = f"policybot_replicas_{uuid.uuid4().hex[:8]}"
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", db_name], check=True)
    db_url = f"postgresql://postgres@127.0.0.1:5432/{db_name}"
    channel = await ChannelStandIn().start()
    env = {**os.environ, "DATABASE_URL": db_url, "POLICYBOT_DEMO": "1", "POLICYBOT_SCHEDULER": "1", "LOG_LEVEL": "WARNING",
           "PYTHONPATH": str(ROOT), "POLICYBOT_DATA_DIR": str(workdir)}
    replicas = [Replica("A", env, workdir), Replica("B", env, workdir)]
    outcome: dict[str, int | str] = {}
    leaders: Counter = Counter()
    no_leader_since: float | None = None
    longest_gap = 0.0
    try:
        await replicas[0].start()  # migrates and loads the demo first
        await replicas[1].start()
        start = time.monotonic()
        until = start + args.seconds
        people = [p[0] for p in PEOPLE]

        async def worker(http: aiohttp.ClientSession, seed: int) -> None:
            rnd = random.Random(seed)
            turn = seed
            while time.monotonic() < until:
                alive = [r for r in replicas if r.up]
                if not alive:
                    await asyncio.sleep(0.1)
                    continue
                replica = alive[turn % len(alive)]
                turn += 1
                act = activity(channel, rnd.choice(people), rnd.choice(SAYINGS))
                try:
                    async with http.post(replica.url + "/api/messages", json=act) as resp:
                        await resp.read()
                        outcome[act["id"]] = resp.status
                except (TimeoutError, aiohttp.ClientError):
                    outcome[act["id"]] = "cut"

        async def chaos() -> None:
            for victim in replicas:
                await asyncio.sleep(args.seconds / 3)
                print(f"{time.monotonic() - start:5.1f} s: kill -9 {victim.name}")
                victim.kill()
                await asyncio.sleep(3)
                await victim.start()
                print(f"{time.monotonic() - start:5.1f} s: {victim.name} restarted")

        async def watch_lease() -> None:
            nonlocal no_leader_since, longest_gap
            store = Store(db_url)
            try:
                while time.monotonic() < until:
                    async with store.uow() as uow:
                        lease = await uow.leases.holder("scheduler")
                    now = time.monotonic()
                    if lease and lease.expires_at > datetime.now(UTC):
                        leaders[lease.holder] += 1
                        if no_leader_since is not None:
                            longest_gap = max(longest_gap, now - no_leader_since)
                            no_leader_since = None
                    elif no_leader_since is None:
                        no_leader_since = now
                    await asyncio.sleep(0.2)
            finally:
                await store.close()

        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as http:
            await asyncio.gather(chaos(), watch_lease(), *(worker(http, i) for i in range(args.concurrency)))
        await asyncio.sleep(2)
        replies = Counter(r.reply_to for r in channel.received if r.reply_to)
        answered = [k for k, v in outcome.items() if v == 201]
        cut = [k for k, v in outcome.items() if v == "cut"]
        other = Counter(v for v in outcome.values() if v not in (201, "cut"))
        lost = sum(1 for k in answered if replies[k] == 0)
        doubled = sum(1 for k in outcome if replies[k] > 1)
        print(f"{len(outcome)} turns in {args.seconds:.0f} s over two replicas ({len(outcome) / args.seconds:.1f}/s)")
        print(f"answered 201: {len(answered)}; lost replies among them: {lost}; doubled replies (any turn): {doubled}")
        print(f"cut by a kill: {len(cut)} (of which replied anyway: {sum(1 for k in cut if replies[k])}); other statuses: {dict(other)}")
        print(f"scheduler leaders seen: {len(leaders)} ({', '.join(h.split(':')[-1] for h in leaders)}); "
              f"longest time with no leader: {longest_gap:.1f} s")
    finally:
        for r in replicas:
            print(f"{r.name} stopped cleanly (SIGTERM) in {r.stop():.1f} s")
        await channel.stop()
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--force", db_name], check=False)


if __name__ == "__main__":
    asyncio.run(main())
