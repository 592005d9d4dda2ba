"""Indexing and searching a large procedures manual, on SQLite and PostgreSQL.

    PYTHONPATH=. python bench/bench_manual.py [--chapters 5000] [--queries 1000] [--backends sqlite,postgresql]

Generates a Tri.x-style manual of N chapters (the test manual plus generated chapters), serves it on
loopback, crawls it with no delay, writes it into the index, then times searches through the
service (vocabulary expansion, typo check, ranking, owners) with a mix of practitioners' questions.
Prints crawl and indexing time, index size, and query latency p50/p99. Not a test: nothing here
asserts a time. PostgreSQL databases are made and dropped with createdb/dropdb on 127.0.0.1.
"""

from __future__ import annotations

from bot.bootstrap import build

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from connectors.trix.crawler import CrawlConfig, crawl
from bot.settings import Settings
from services.clock import LONDON, FixedClock  # noqa: E402
from services.demo import ensure_demo  # noqa: E402
from services.manual.sync import store_crawl
from services.manual.search import search
from store.uow import Store  # noqa: E402
from tests.support.trix_manual_text import GENERATED  # noqa: E402
from tests.support.trix_site import TrixSite  # noqa: E402

QUESTIONS = [
    "what to do when a child goes missing", "s47", "LAC reviews", "child in need plan", "care leavers pathway plan",
    "DoLS", "LADO allegation against staff", "UASC age assessment", "safegaurding adults", "PLO", "EHCP",
    "MASH referral", "return home interviews", "private fostering", "CP conference", "fostering panel",
    "delegated authority", "secure accommodation", "special guardianship support", "family group conference",
]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def query_mix(n: int, rng: random.Random) -> list[str]:
    topics = [t for titles in GENERATED.values() for t in titles]
    out = []
    for i in range(n):
        kind = i % 4
        if kind < 2:
            out.append(rng.choice(QUESTIONS))
        elif kind == 2:
            words = rng.choice(topics).split()
            out.append(" ".join(rng.sample(words, k=min(2, len(words)))))
        else:
            out.append(rng.choice(["underwater basket weaving", "chidlren in care", "missing giraffes", "self neglect"]))
    return out


async def bench_backend(name: str, url: str, site: TrixSite, queries: list[str]) -> dict:
    store = Store(url)
    try:
        await store.migrate()
        services = build(Settings(database_url=url), clock=FixedClock(datetime(2026, 11, 23, 10, tzinfo=LONDON)), store=store).services
        await ensure_demo(services)
        config = CrawlConfig(delay=0.0, concurrency=8, timeout=30.0, retries=0)
        started = services.clock.now()
        t0 = time.perf_counter()
        result = await crawl(site.url, config=config)
        t1 = time.perf_counter()
        report = await store_crawl(services, result, started)
        t2 = time.perf_counter()
        async with store.uow() as uow:
            size = await uow.manual.index.size_bytes()
        # Warm the typo corrector's word list once (built per change of the index), as a live bot would.
        t3 = time.perf_counter()
        await search(services, queries[0])
        warm = time.perf_counter() - t3
        latencies = []
        for q in queries:
            q0 = time.perf_counter()
            await search(services, q)
            latencies.append((time.perf_counter() - q0) * 1000)
        return {
            "backend": name, "chapters": report.chapters_in_index, "status": report.status,
            "crawl_s": t1 - t0, "index_s": t2 - t1, "size": size, "warm_s": warm,
            "p50_ms": statistics.median(latencies), "p99_ms": percentile(latencies, 99),
            "mean_ms": statistics.fmean(latencies), "file_bytes": _sqlite_file_size(url),
        }
    finally:
        await store.close()


def _sqlite_file_size(url: str) -> int | None:
    if not url.startswith("sqlite"):
        return None
    path = Path(url.split("///", 1)[1])
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


def _mb(n: int | None) -> str:
    return f"{n / 1_048_576:.1f} MB" if n is not None else "n/a"


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chapters", type=int, default=5000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--pg", default=os.environ.get("POLICYBOT_BENCH_PG", "postgresql://postgres@127.0.0.1:5432"))
    args = parser.parse_args()

    base = TrixSite()
    site = TrixSite(extra_chapters=max(0, args.chapters - len(base.chapters)), slow_seconds=0.0)
    await site.start()
    queries = query_mix(args.queries, random.Random(7))
    print(f"Manual: {len(site.chapters)} chapters on loopback; {len(queries)} queries per backend.")
    rows = []
    try:
        for backend in args.backends.split(","):
            if backend == "sqlite":
                with tempfile.TemporaryDirectory() as tmp:
                    rows.append(await bench_backend("sqlite", f"sqlite:///{tmp}/bench.db", site, queries))
            elif backend == "postgresql":
                name = f"policybot_bench_{uuid.uuid4().hex[:8]}"
                host = args.pg.split("://", 1)[1].split("@")[-1].split(":")[0]
                subprocess.run(["createdb", "-h", host, "-U", "postgres", name], check=True)
                try:
                    rows.append(await bench_backend("postgresql", f"{args.pg}/{name}", site, queries))
                finally:
                    subprocess.run(["dropdb", "-h", host, "-U", "postgres", "--force", name], check=False)
    finally:
        await site.stop()
    for r in rows:
        size = ", ".join(f"{k} {_mb(v)}" for k, v in sorted(r["size"].items()))
        print(f"\n{r['backend']}: {r['chapters']} chapters indexed ({r['status']})")
        print(f"  crawl (loopback, no delay): {r['crawl_s']:.1f} s; write to the index in one transaction: {r['index_s']:.1f} s")
        print(f"  index size: {size}" + (f"; database files {_mb(r['file_bytes'])}" if r["file_bytes"] else ""))
        print(f"  first search (builds the typo word list): {r['warm_s'] * 1000:.0f} ms")
        print(f"  search latency over {len(queries)} queries: p50 {r['p50_ms']:.1f} ms, p99 {r['p99_ms']:.1f} ms, mean {r['mean_ms']:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
