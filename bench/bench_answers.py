"""Answers from the manual at scale (issue 16): the passage index on SQLite and PostgreSQL.

    PYTHONPATH=. python bench/bench_answers.py [--chapters 5000] [--queries 1000] [--backends sqlite,postgresql]

Generates a Tri.x-style manual of N chapters (the test manual plus generated chapters), serves it on
loopback, crawls it and writes it into the database, then, as a freshly started bot would:
builds the in-memory answer index from the database (indexing time, passages, index size) and keeps
it in the database (keeping time, size); then, as the next start would, reads the kept index back
(load time), asks the first question (first-query time), then 1,000 practitioners' questions
(p50/p99). Also times a sync that changes one chapter (re-indexing only its passages). Not a test:
nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
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

from bot.bootstrap import build  # noqa: E402
from bot.settings import Settings  # noqa: E402
from connectors.trix.crawler import CrawlConfig, crawl  # noqa: E402
from services.clock import LONDON, FixedClock  # noqa: E402
from services.demo import ensure_demo  # noqa: E402
from services.manual import answers, index_file  # noqa: E402
from services.manual.sync import store_crawl  # noqa: E402
from store.uow import Store  # noqa: E402
from tests.store.answer_questions import OFF_TOPIC, QUESTIONS  # noqa: E402
from tests.support.trix_manual_text import generated_paragraphs  # noqa: E402
from tests.support.trix_site import TrixSite  # noqa: E402


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))]


def question_mix(n: int, rng: random.Random) -> list[str]:
    pool = [q for q, _ in QUESTIONS] + OFF_TOPIC
    return [rng.choice(pool) for _ in range(n)]


def _services(url: str, store: Store):
    return build(Settings(database_url=url), clock=FixedClock(datetime(2026, 11, 23, 10, tzinfo=LONDON)), store=store).services


CPU: dict[int, list[float]] = {}  # per timing run: the CPU time of each question (the machine may be shared)


async def _timed(fn, questions: list[str]) -> list[float]:
    out, cpu = [], []
    for q in questions:
        c0, t0 = time.process_time(), time.perf_counter()
        await fn(q)
        out.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    CPU[id(out)] = cpu
    return out


def thicken(site: TrixSite, passages_per_chapter: int, seed: int = 16) -> None:
    """Real chapters run to a dozen paragraphs: give each generated chapter more of its own."""
    rng = random.Random(seed)
    for ch in site.chapters.values():
        while len(ch.paragraphs) < passages_per_chapter:
            ch.paragraphs += generated_paragraphs(ch.title, rng)[1:]


async def bench_backend(name: str, url: str, site: TrixSite, questions: list[str]) -> dict:
    store = Store(url)
    try:
        await store.migrate()
        loader = _services(url, store)
        await ensure_demo(loader)
        config = CrawlConfig(delay=0.0, concurrency=8, timeout=30.0, retries=0)
        result = await crawl(site.url, config=config)
        report = await store_crawl(loader, result, loader.clock.now())
        # A freshly started bot with nothing kept: its own services, so the index is built from the database
        # (as answers.warm does, timed in two parts: the build, then keeping it in the database).
        builder = _services(url, store)
        gc.disable()
        t0 = time.perf_counter()
        held = await answers.current_index(builder)
        build_s = time.perf_counter() - t0
        gc.enable()
        passages = held.index.passage_count()
        t0 = time.perf_counter()
        kept_bytes = await index_file.keep(builder, held.index, held.drafts)
        keep_s = time.perf_counter() - t0
        # The next start: another process's services read the kept index back.
        services = _services(url, store)
        t0 = time.perf_counter()
        await answers.warm(services)
        load_s = time.perf_counter() - t0
        held = await answers.current_index(services)
        t0 = time.perf_counter()
        await answers.find(services, questions[0])
        first_ms = (time.perf_counter() - t0) * 1000
        found = await _timed(lambda q: answers.find(services, q), questions)
        fresh = await _timed(lambda q: answers.find(services, q, fresh=True), questions[:200])
        # A sync that changes one chapter: only its passages are read and indexed again.
        site.publish_update()
        result = await crawl(site.url, config=config)
        await store_crawl(loader, result, loader.clock.now())
        t0 = time.perf_counter()
        await answers.find(services, "return home interview within 48 hours", fresh=True)
        resync_ms = (time.perf_counter() - t0) * 1000
        return {"backend": name, "chapters": report.chapters_in_index, "passages": passages, "build_s": build_s,
                "keep_s": keep_s, "kept_bytes": kept_bytes, "load_s": load_s, "bytes": held.index.nbytes(),
                "first_ms": first_ms, "found": found, "fresh": fresh, "resync_ms": resync_ms}
    finally:
        await store.close()


def _line(label: str, values: list[float]) -> str:
    if not values:
        return f"  {label}: not measured"
    cpu = CPU.get(id(values), [])
    return (f"  {label} over {len(values)} questions: p50 {statistics.median(values):.1f} ms, "
            f"p99 {percentile(values, 99):.1f} ms, mean {statistics.fmean(values):.1f} ms"
            + (f" (CPU time: p50 {statistics.median(cpu):.1f} ms, p99 {percentile(cpu, 99):.1f} ms)" if cpu else ""))


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chapters", type=int, default=5000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--paragraphs", type=int, default=12, help="paragraphs per chapter (about 60,000 passages at 5,000)")
    parser.add_argument("--pg", default=os.environ.get("POLICYBOT_BENCH_PG", "postgresql://postgres@127.0.0.1:5432"))
    args = parser.parse_args()
    base = TrixSite()
    questions = question_mix(args.queries, random.Random(16))
    rows = []
    for backend in args.backends.split(","):
        site = TrixSite(extra_chapters=max(0, args.chapters - len(base.chapters)), slow_seconds=0.0)
        thicken(site, args.paragraphs)
        await site.start()
        try:
            if backend == "sqlite":
                with tempfile.TemporaryDirectory() as tmp:
                    rows.append(await bench_backend("sqlite", f"sqlite:///{tmp}/bench.db", site, questions))
            elif backend == "postgresql":
                name = f"policybot_bench_{uuid.uuid4().hex[:8]}"
                host = args.pg.split("://", 1)[1].split("@")[-1].split(":")[0]
                subprocess.run(["createdb", "-h", host, "-U", "postgres", name], check=True)
                try:
                    rows.append(await bench_backend("postgresql", f"{args.pg}/{name}", site, questions))
                finally:
                    subprocess.run(["dropdb", "-h", host, "-U", "postgres", "--force", name], check=False)
        finally:
            await site.stop()
    load = os.getloadavg()
    print(f"Machine: {os.cpu_count()} cores, load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1 / 5 / 15 min): "
          "wall-clock tails include waiting for a core; the CPU times are the work itself.")
    for r in rows:
        print(f"\n{r['backend']}: {r['chapters']} chapters, {r['passages']:,} passages (with the register's documents)")
        print(f"  indexing (read from the database and build the index, a start with nothing kept): {r['build_s']:.1f} s; "
              f"index in memory {r['bytes'] / 1_048_576:.1f} MB (postings and lengths)")
        print(f"  keeping the built index in the database: {r['keep_s']:.1f} s, {r['kept_bytes'] / 1_048_576:.1f} MB compressed")
        print(f"  the next start, reading the kept index back (answers.warm): {r['load_s']:.1f} s")
        print(f"  first question after that start: {r['first_ms']:.1f} ms")
        print(_line("answer search", r["found"]))
        print(_line("with a look at the database first (as a recorded answer does)", r["fresh"]))
        print(f"  after a sync changed one chapter, added one and removed one: next answer {r['resync_ms']:.1f} ms "
              "(re-indexes only those)")
        print("  re-ranker: none (no offline model is used; the BM25 figures are the ones above)")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
