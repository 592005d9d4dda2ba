"""Memory under mixed load (issue 22, item 8): the real `policybot serve` process with its
scheduler, driven over HTTP as Teams would drive it, its resident memory sampled from /proc.

    PYTHONPATH=. python bench/bench_memory.py [--minutes 60] [--backend sqlite|postgresql] [--concurrency 4]

Load, round after round: typed questions and commands from every demo person, card button invokes,
Word drafts sent by the RO on an open review (downloaded, checked and compared), hostile bodies
refused at the edge, with the scheduler sweeping every 10 seconds. Prints RSS idle after start
(before any load), after warm-up (the first fifth of the run), at the end, the growth between
them, and RSS when idle again.
The issue's targets: flat within 20% after warm-up, idle at most 150 MB. Not a test: prints only.
"""

# ruff: noqa: ASYNC220, ASYNC221, ASYNC230 - a bench starts, kills and waits on processes from its loop on purpose
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from services.demo import PEOPLE, _aad  # noqa: E402
from tests.support.channel import ChannelStandIn  # noqa: E402
from tests.support.drafts import FileServer, realistic_docx  # noqa: E402

DRAFTS = 4  # different drafts, sent in turn (each one a new version of the case's document)

SAYINGS = ["help", "my tasks", "my documents", "status PP-001", "status PP-014", "is there a procedure on missing children?",
           "overdue reviews", "reviews due in 60 days", "report", "find fostering panel", "what is due this month",
           "nudge settings", "next agenda", "something nobody understands"]
HOSTILE = [b'{"type": "message", "x": ' + b"[" * 900 + b"]" * 900 + b"}", b"not json",
           json.dumps({"type": "message", "channelId": "msteams", "serviceUrl": "http://x/", "conversation": {"id": "a:\udc00"},
                       "from": {"id": "1"}}).encode()]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def activity(channel: ChannelStandIn, who: str, text: str | None = None, **extra) -> dict:
    act = {"type": "message", "id": f"b-{uuid.uuid4().hex}", "channelId": "msteams", "serviceUrl": channel.url,
           "from": {"id": f"29:{who}", "name": who, "aadObjectId": _aad(who)}, "recipient": {"id": "28:policybot"},
           "conversation": {"id": f"a:bench-{who}", "conversationType": "personal"},
           "channelData": {"tenant": {"id": "00000000-0000-4000-8000-000000000001"}}}
    if text is not None:
        act["text"] = text
    act.update(extra)
    return act


def draft_message(channel: ChannelStandIn, files: FileServer, n: int) -> dict:
    name = f"PP-001 draft {n % DRAFTS + 1}.docx"
    return activity(channel, "ro-1", "here is the revised draft", attachments=[{
        "contentType": "application/vnd.microsoft.teams.file.download.info", "name": name,
        "content": {"downloadUrl": f"{files.url}files/{quote(name)}", "uniqueId": name, "fileType": "docx"}}])


async def drive(url: str, channel: ChannelStandIn, files: FileServer, until: float, concurrency: int) -> dict:
    people = [p[0] for p in PEOPLE]
    counts = {"turns": 0, "invokes": 0, "drafts": 0, "refused": 0, "errors": 0}

    async def worker(http: aiohttp.ClientSession, seed: int) -> None:
        rnd = random.Random(seed)
        while time.monotonic() < until:
            who = rnd.choice(people)
            roll = rnd.random()
            try:
                if roll < 0.03:
                    body, key = json.dumps(draft_message(channel, files, counts["drafts"])).encode(), "drafts"
                elif roll < 0.75:
                    body = json.dumps(activity(channel, who, rnd.choice(SAYINGS))).encode()
                    key = "turns"
                elif roll < 0.95:
                    body = json.dumps(activity(channel, who, None, type="invoke", name="adaptiveCard/action",
                                               value={"action": {"type": "Action.Execute", "verb": "command",
                                                                 "data": {"command": rnd.choice(SAYINGS)}}})).encode()
                    key = "invokes"
                else:
                    body, key = rnd.choice(HOSTILE), "refused"
                async with http.post(url + "/api/messages", data=body, headers={"Content-Type": "application/json"}) as resp:
                    await resp.read()
                    counts[key if resp.status < 500 else "errors"] += 1
            except aiohttp.ClientError:
                counts["errors"] += 1
            if len(channel.received) > 2000:  # the stand-in keeps what it receives: keep the bench's own memory flat
                channel.received.clear()
                channel.typing.clear()

    async with aiohttp.ClientSession() as http:
        await asyncio.gather(*(worker(http, i) for i in range(concurrency)))
    return counts


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=60)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="policybot-soak-"))
    db_name = f"policybot_soak_{uuid.uuid4().hex[:8]}"
    if args.backend == "postgresql":
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", db_name], check=True)
        db_url = f"postgresql://postgres@127.0.0.1:5432/{db_name}"
    else:
        db_url = f"sqlite:///{workdir / 'policybot.db'}"
    channel = await ChannelStandIn().start()
    port = free_port()
    files = await FileServer().start()
    for n in range(DRAFTS):
        files.files[f"PP-001 draft {n + 1}.docx"] = realistic_docx(300_000, author="Alex Dunmore", seed=n + 1)
    env = {**os.environ, "DATABASE_URL": db_url, "POLICYBOT_DEMO": "1", "POLICYBOT_SCHEDULER": "1", "LOG_LEVEL": "ERROR",
           "POLICYBOT_SWEEP_SECONDS": "10",
           "PYTHONPATH": str(ROOT), "POLICYBOT_DATA_DIR": str(workdir)}
    proc = subprocess.Popen([sys.executable, "-m", "policybot.cli", "serve", "--port", str(port)], env=env, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=open(workdir / "serve.log", "w"))
    url = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession() as http:
            for _ in range(300):
                try:
                    async with http.get(url + "/healthz") as resp:
                        if resp.status == 200:
                            break
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.2)
        await asyncio.sleep(15)  # the first sweeps run, then nothing
        print(f"policybot serve on {args.backend}, pid {proc.pid}: idle RSS after start {rss_mb(proc.pid):.0f} MB "
              f"(target at most 150 MB)")
        async with aiohttp.ClientSession() as http:  # the RO opens a review, so drafts have a case to go to
            body = json.dumps(activity(channel, "ro-1", "review PP-001")).encode()
            async with http.post(url + "/api/messages", data=body, headers={"Content-Type": "application/json"}) as resp:
                await resp.read()
        start = time.monotonic()
        until = start + args.minutes * 60
        samples: list[tuple[float, float]] = []

        async def sample() -> None:
            while time.monotonic() < until:
                samples.append((time.monotonic() - start, rss_mb(proc.pid)))
                await asyncio.sleep(max(1.0, args.minutes * 60 / 120))

        counts, _ = await asyncio.gather(drive(url, channel, files, until, args.concurrency), sample())
        warm = [rss for t, rss in samples if t >= args.minutes * 60 / 5]
        after_warmup, end = (warm[0], warm[-1]) if warm else (samples[0][1], samples[-1][1])
        await asyncio.sleep(10)
        idle = rss_mb(proc.pid)
        elapsed = time.monotonic() - start
        print(f"load: {counts['turns']} turns, {counts['invokes']} card invokes, {counts['drafts']} drafts, "
              f"{counts['refused']} hostile bodies, "
              f"{counts['errors']} 5xx or failed requests in {elapsed / 60:.1f} min "
              f"({(counts['turns'] + counts['invokes']) / max(elapsed, 1):.1f} turns/s)")
        print(f"RSS after warm-up {after_warmup:.0f} MB, at the end {end:.0f} MB "
              f"(growth {100 * (end - after_warmup) / after_warmup:+.1f}%), peak {max(r for _, r in samples):.0f} MB, "
              f"idle {idle:.0f} MB")
        print("RSS over time (min: MB): " + ", ".join(f"{t / 60:.1f}: {r:.0f}" for t, r in samples[:: max(1, len(samples) // 12)]))
    finally:
        proc.terminate()
        proc.wait(30)
        await channel.stop()
        await files.stop()
        if args.backend == "postgresql":
            subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--force", db_name], check=False)


if __name__ == "__main__":
    asyncio.run(main())
