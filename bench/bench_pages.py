"""The register's pages at the size of a large council's register, served by the real app.

    python bench/bench_pages.py [--documents 5000,100000] [--database sqlite|postgres|both] [--runs 5] [--skip export]

For each size, loads N documents in bulk (owners, areas, types and review dates spread as in life) into a fresh database,
starts the aiohttp app on loopback, signs in as the Policy and Procedures Officer and times each
page over HTTP: the register's first screen (plain, filtered, searched, sorted by owner, a deep
page), a document, my work, the reports, and the .xlsx and CSV exports of the whole register.
Prints the server's own time (its Server-Timing: handler and rendering, median and worst of --runs
requests), the median time at the client, and the bytes sent. Target (issue 23): the register's
first screen under 300 ms of server time at 5,000 documents. Not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiohttp  # noqa: E402
from aiohttp import web  # noqa: E402

from bot.app import SERVICES_KEY  # noqa: E402
from bot.bootstrap import create_app  # noqa: E402
from bot.settings import Settings  # noqa: E402
from services.clock import LONDON, FixedClock  # noqa: E402
from services.demo import PEOPLE, ensure_demo  # noqa: E402
from store.seeding import bulk_insert  # noqa: E402
from store.uow import Store  # noqa: E402

AREAS = ["Safeguarding", "Children in Care", "Early Help", "Adults", "Children's Social Care", "Directorate"]
TYPES = ["Procedure", "Policy", "Practice Guidance", "Protocol", "Strategy", "Pathway", "Practice Standards"]
TOPICS = ["visits", "referrals", "care plans", "panels", "transitions", "assessments", "supervision", "recording"]


async def load(store: Store, n: int, now: datetime) -> None:
    """n documents in bulk (100,000 in seconds), owned by the demo's officers."""
    rng = random.Random(23)
    ros = [p[0] for p in PEOPLE if "ro" in p[4]]
    rsms = [p[0] for p in PEOPLE if "rsm" in p[4]]
    today = now.date()
    rows: list[dict] = []
    for i in range(1, n + 1):
        due = today + timedelta(days=rng.randint(-200, 600))
        rows.append(dict(ref=f"BC-{i:06d}", doc_type=rng.choice(TYPES), service_area=rng.choice(AREAS),
                         title=f"{rng.choice(TYPES)} {i} on {rng.choice(TOPICS)} and {rng.choice(TOPICS)}",
                         category=None, summary=f"How we handle {rng.choice(TOPICS)}.", ro_id=rng.choice(ros + [None]),
                         rsm_id=rng.choice(rsms), status=rng.choice(["published"] * 8 + ["under_review", "draft"]),
                         version="1.0", approved_on=due - timedelta(days=365), last_reviewed_on=due - timedelta(days=365),
                         next_review_due=due, manual_url=None, extra={}, created_at=now, updated_at=now))
    await bulk_insert(store.engine, "documents", rows)


@web.middleware
async def server_timing(request: web.Request, handler):
    """The server's own time for each request (handler, rendering and all), sent back in Server-Timing."""
    started = time.perf_counter()
    response = await handler(request)
    response.headers["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
    return response


async def timed(http: aiohttp.ClientSession, url: str, runs: int) -> tuple[float, float, float, int, int]:
    """(median server ms, worst server ms, median ms at the client, bytes, HTTP status)."""
    server, client, size, status = [], [], 0, 0
    for _ in range(runs):
        start = time.perf_counter()
        async with http.get(url) as resp:
            body = await resp.read()
            status = resp.status
            timing = resp.headers.get("Server-Timing", "app;dur=0")
        client.append((time.perf_counter() - start) * 1000)
        server.append(float(timing.rsplit("=", 1)[1]))
        size = len(body)
    return statistics.median(server), max(server), statistics.median(client), size, status


async def main(n: int, database: str, runs: int, skip: tuple[str, ...] = ()) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    url = f"sqlite:///{tmp / 'policybot.db'}" if database == "sqlite" else database
    now = datetime(2026, 11, 23, 10, 0, tzinfo=LONDON)
    settings = Settings.from_env({"DATABASE_URL": url, "POLICYBOT_DEMO": "0", "POLICYBOT_SCHEDULER": "0", "LOG_LEVEL": "WARNING"})
    store = Store(settings.database_url)
    await store.migrate()
    app = create_app(settings, clock=FixedClock(now), store=store, load_demo=False)
    app.middlewares.append(server_timing)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    base = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"  # noqa: SLF001
    await ensure_demo(app[SERVICES_KEY])  # the demo people and their 46 documents
    started = time.perf_counter()
    await load(store, n - 46, now)
    print(f"{n} documents loaded in {time.perf_counter() - started:.1f} s ({store.dialect})")
    jar = aiohttp.CookieJar(unsafe=True, treat_as_secure_origin=[base])
    async with aiohttp.ClientSession(cookie_jar=jar) as http:
        page = await (await http.get(base + "/tab/signin")).text()
        csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
        await http.post(base + "/tab/signin/dev", data={"csrf": csrf, "person": "ppo", "next": "/tab/mywork"})
        last_page = (n // 50) + 1
        rows = [
            ("register, first screen (50 rows)", "/tab/register"),
            ("register, filtered by area and type", "/tab/register?area=Adults&type=Procedure"),
            ("register, searched", "/tab/register?q=referrals"),
            ("register, sorted by owner", "/tab/register?sort=owner"),
            ("register, 200 rows a page", "/tab/register?size=200"),
            ("register, overdue only", "/tab/register?review=overdue"),
            (f"register, page {last_page - 1}", f"/tab/register?sort=ref&page={max(1, last_page - 1)}"),
            ("a document", "/tab/documents/BC-000100"),
            ("my work", "/tab/mywork"),
            ("reports", "/tab/reports"),
            ("export .xlsx, whole register", "/tab/register.xlsx"),
            ("export CSV, whole register", "/tab/register.csv"),
        ]
        print(f"{'page':40} {'server ms':>10} {'worst':>8} {'client ms':>10} {'bytes':>11}")
        for label, path in rows:
            if any(word in label for word in skip):
                continue
            median, worst, client, size, status = await timed(http, base + path, runs)
            flag = "" if status == 200 else f"  (HTTP {status})"
            print(f"{label:40} {median:10.1f} {worst:8.1f} {client:10.1f} {size:11,d}{flag}")
    await runner.cleanup()


def run(n: int, database: str, runs: int, skip: tuple[str, ...] = ()) -> None:
    scratch = None
    if database == "postgres":
        scratch = f"bench_pages_{int(time.time())}"
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", scratch], check=True)
        database = f"postgresql://postgres@127.0.0.1:5432/{scratch}"
    try:
        asyncio.run(main(n, database, runs, skip))
    finally:
        if scratch:
            subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--force", scratch], check=False)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", default="5000,100000", help="register sizes, comma-separated")
    parser.add_argument("--database", default="sqlite", help="sqlite, postgres (a scratch database), both, or a postgresql:// URL")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip", default="", help="leave out the pages whose label holds one of these words (comma-separated), e.g. export")
    args = parser.parse_args()
    for db in (("sqlite", "postgres") if args.database == "both" else (args.database,)):
        for size in (int(x) for x in args.documents.split(",")):
            run(size, db, args.runs, tuple(w for w in args.skip.split(",") if w))
