"""Turn latency under concurrent conversations: policybot answering a register question,
beside a bare botbuilder echo bot measured in the same run on the same machine.

    python bench/bench_turns.py [--conversations 40] [--turns 15]

Prints p50/p99 turn latency, turns per second, the process's CPU time per turn and peak memory
for each, policybot's SQL statements and commits per turn, the ratio of policybot's p50 to the
echo bot's, and the machine's load (the bench shares it). Not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import aiohttp
from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.app import RUNTIME_KEY  # noqa: E402
from bot.bootstrap import create_app  # noqa: E402
from bot.echo import echo_app  # noqa: E402
from bot.settings import Settings
from services.demo import _aad  # noqa: E402
from store.instrument import StatementCounter  # noqa: E402

QUESTION = "is there a procedure on missing children?"


async def serve(app: web.Application) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"  # noqa: SLF001


async def receiver() -> tuple[web.AppRunner, str]:
    async def ok(_request: web.Request) -> web.Response:
        return web.json_response({"id": "x"})

    app = web.Application()
    app.router.add_post("/v3/conversations/{conv}/activities/{reply}", ok)
    app.router.add_post("/v3/conversations/{conv}/activities", ok)
    return await serve(app)


async def drive(url: str, service_url: str, conversations: int, turns: int, aad: str) -> tuple[list[float], float]:
    latencies: list[float] = []
    async with aiohttp.ClientSession() as http:

        async def conversation(n: int) -> None:
            for t in range(turns):
                act = {
                    "type": "message", "id": f"b-{n}-{t}", "channelId": "msteams", "serviceUrl": service_url, "text": QUESTION,
                    "from": {"id": f"29:user-{n}", "name": "Bench", "aadObjectId": aad},
                    "recipient": {"id": "28:bot"}, "conversation": {"id": f"a:bench-{n}", "conversationType": "personal"},
                    "channelData": {"tenant": {"id": "t"}},
                }
                start = time.perf_counter()
                async with http.post(url + "/api/messages", json=act) as resp:
                    await resp.read()
                    if resp.status not in (200, 201):
                        raise RuntimeError(f"HTTP {resp.status}")
                latencies.append(time.perf_counter() - start)

        began = time.perf_counter()
        await asyncio.gather(*(conversation(n) for n in range(conversations)))
        return latencies, time.perf_counter() - began


def report(name: str, latencies: list[float], elapsed: float, peak_bytes: int, conv: int = 0, cpu: float = 0.0) -> float:
    qs = statistics.quantiles(latencies, n=100)
    p50, p99 = statistics.median(latencies), qs[98]
    print(f"{name:10} turns={len(latencies):5}  p50={p50 * 1000:7.1f} ms  p99={p99 * 1000:7.1f} ms  "
          f"turns/s={len(latencies) / elapsed:7.1f}  CPU/turn={cpu / len(latencies) * 1000:5.1f} ms  "
          f"peak traced memory ({conv} conversations x 2 turns)={peak_bytes / 1e6:6.1f} MB")
    return p50


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--conversations", type=int, default=40)
    parser.add_argument("--turns", type=int, default=15)
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")
    rx_runner, rx_url = await receiver()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings.from_env({"DATABASE_URL": f"sqlite:///{tmp}/bench.db", "POLICYBOT_DEMO": "1", "LOG_LEVEL": "WARNING"})
        for name, app in (("echo", echo_app()), ("policybot", create_app(settings))):
            runner, url = await serve(app)
            # one warm-up turn (migrations and demo data load on start)
            await drive(url, rx_url, 1, 1, _aad("ro-1"))
            # Latency first, without tracing (tracemalloc slows every allocation), then memory. The CPU
            # time is the whole process's (the driver and the channel stand-in too, the same for both).
            counter = StatementCounter(app[RUNTIME_KEY].store.engine) if name == "policybot" else None
            cpu = time.process_time()
            if counter is not None:
                with counter.counting() as counted:
                    latencies, elapsed = await drive(url, rx_url, args.conversations, args.turns, _aad("ro-1"))
            else:
                latencies, elapsed = await drive(url, rx_url, args.conversations, args.turns, _aad("ro-1"))
            cpu = time.process_time() - cpu
            tracemalloc.start()
            await drive(url, rx_url, args.conversations, 2, _aad("ro-1"))
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            results[name] = report(name, latencies, elapsed, peak, args.conversations, cpu)
            if counter is not None:  # the scheduler's beat (every 5 s) is counted with the turns
                print(f"{'':10} SQL per turn: {counted['statements'] / len(latencies):.2f} statements, "
                      f"{counted['transactions'] / len(latencies):.2f} transactions, {counted['commits'] / len(latencies):.2f} commits")
            await runner.cleanup()
    await rx_runner.cleanup()
    print(f"policybot p50 / echo p50 = {results['policybot'] / results['echo']:.2f} (aim: within 1.5)")
    print(f"process max RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    asyncio.run(main())
