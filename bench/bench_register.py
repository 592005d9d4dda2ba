"""Tracker import and export at the size of a large council's register.

    python bench/bench_register.py [--documents 5000] [--database sqlite|postgres|URL|both]

Writes a tracker of N documents (owners spelt in the ways people type them, dates in mixed
formats), then times: a dry run, the real import (one transaction), re-importing the same file
(nothing changes), the export to .xlsx, the report with its chart. Prints seconds and rows a
second, and the process's peak resident memory after each step. Not a test: nothing here asserts
a time. The floor to hold (2,000 rows, before the importer was split): 749 rows/s import, 1,523
rows/s dry run, 555 rows/s export.
"""

from __future__ import annotations

import argparse
import resource
import asyncio
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from openpyxl import Workbook

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's code, not the installed one

from bot.bootstrap import build  # noqa: E402

from render.reports import compliance_chart_png  # noqa: E402
from services.clock import LONDON, FixedClock  # noqa: E402
from services.demo import PEOPLE, ensure_demo  # noqa: E402
from services.register.reports import record_compliance_snapshot, register_report  # noqa: E402
from services.register.exporting import export_register  # noqa: E402
from services.register.importing import import_tracker  # noqa: E402
from store.uow import Store  # noqa: E402
from bot.settings import Settings  # noqa: E402


def _spell(name: str, rng: random.Random) -> str:
    first, last = name.split(" ", 1)
    return rng.choice([name, f"{last}, {first}", name.upper(), f"{first[0]}. {last}", f" {name}  "])


def write_tracker(path: Path, n: int, today: date) -> None:
    rng = random.Random(8)
    ros = [p for p in PEOPLE if "ro" in p[4]]
    rsms = [p for p in PEOPLE if "rsm" in p[4]]
    wb = Workbook()
    ws = wb.active
    ws.append(["Big Council - Register of governance assets"])
    ws.append([])
    ws.append(["Ref", "Title", "Type", "Service area", "Responsible Officer", "RSM", "Last reviewed",
               "Next Review To Be Completed By", "Notes"])
    for i in range(1, n + 1):
        due = today + timedelta(days=rng.randint(-200, 500))
        last = due - timedelta(days=365)
        fmt = rng.choice([lambda d: d.strftime("%d/%m/%Y"), lambda d: d.strftime("%-d %B %Y"), lambda d: datetime(d.year, d.month, d.day)])
        ro, rsm = rng.choice(ros), rng.choice(rsms)
        ws.append([f"BC-{i:04d}", f"Procedure number {i} on {rng.choice(['visits', 'referrals', 'care plans', 'panels'])}",
                   rng.choice(["Procedure", "Policy", "practice guidance"]), ro[3], _spell(ro[1], rng), rsm[1],
                   fmt(last), fmt(due), rng.choice(["", "chapter " + str(i)])])
    wb.save(path)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


PG_SERVER = "postgresql://postgres@127.0.0.1:5432"
PG_HOST = "127.0.0.1"


def main(n: int, database: str) -> None:
    scratch = None
    if database == "postgres":
        scratch = f"bench_register_{int(time.time())}"
        subprocess.run(["createdb", "-h", PG_HOST, "-U", "postgres", scratch], check=True)
        database = f"{PG_SERVER}/{scratch}"
    print(f"== {n} rows on {'SQLite' if database == 'sqlite' else 'PostgreSQL'}")
    try:
        asyncio.run(_run(n, database))
    finally:
        if scratch:
            subprocess.run(["dropdb", "-h", PG_HOST, "-U", "postgres", "--force", scratch], check=False)


async def _run(n: int, database: str) -> None:
    clock = FixedClock(datetime(2026, 11, 23, 10, 0, tzinfo=LONDON))
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db" if database == "sqlite" else database
        store = Store(url)
        await store.migrate()
        services = build(Settings.from_env({"DATABASE_URL": url, "POLICYBOT_DEMO": "1"}), clock=clock, store=store).services
        await ensure_demo(services)
        path = Path(tmp) / "tracker.xlsx"
        t = time.perf_counter()
        write_tracker(path, n, clock.today())
        print(f"wrote a {n}-row tracker in {time.perf_counter() - t:.2f} s ({path.stat().st_size // 1024} KB)")
        for label, kwargs in (("dry run", {"dry_run": True}), ("import", {"skip_bad": True}), ("re-import", {"skip_bad": True})):
            t = time.perf_counter()
            report = await import_tracker(services, path, **kwargs)
            s = time.perf_counter() - t
            print(f"{label:10} {s:6.2f} s  {n / s:7.0f} rows/s  added {report.count('add')}, updated {report.count('update')}, "
                  f"unchanged {report.count('unchanged')}, rejected {len(report.rejected)}  peak RSS {_peak_mb():.0f} MB")
        t = time.perf_counter()
        summary = await export_register(services, Path(tmp) / "register.xlsx")
        s = time.perf_counter() - t
        print(f"{'export':10} {s:6.2f} s  {summary.documents / s:7.0f} rows/s  sheets {len(summary.sheets)}  "
              f"peak RSS {_peak_mb():.0f} MB")
        t = time.perf_counter()
        like = await export_register(services, Path(tmp) / "like.xlsx", like=path)
        s = time.perf_counter() - t
        print(f"{'export like':10} {s:6.2f} s  {like.documents / s:7.0f} rows/s  peak RSS {_peak_mb():.0f} MB")
        t = time.perf_counter()
        await record_compliance_snapshot(services)
        report = await register_report(services)
        png = compliance_chart_png(report)
        print(f"{'report':10} {time.perf_counter() - t:6.2f} s  (chart {len(png) // 1024} KB)")
        await store.close()


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--documents", type=int, default=5000)
    ap.add_argument("--database", default="both",
                    help="sqlite (a temporary file), postgres (a scratch database on 127.0.0.1), a PostgreSQL URL, or both")
    args = ap.parse_args()
    for db in (("sqlite", "postgres") if args.database == "both" else (args.database,)):
        main(args.documents, db)
