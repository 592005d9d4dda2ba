"""Tracker import and export at the size of a large council's register.

    python bench/bench_register.py [--documents 2000] [--database sqlite|URL]

Writes a tracker of N documents (owners spelt in the ways people type them, dates in mixed
formats), then times: a dry run, the real import (one transaction), re-importing the same file
(nothing changes), the export to .xlsx, the report with its chart. Prints seconds and rows a
second. Not a test: nothing here asserts a time.
"""

from __future__ import annotations

from bot.bootstrap import build

import argparse
import asyncio
import random
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from openpyxl import Workbook

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from render.reports import compliance_chart_png  # noqa: E402
from services.clock import LONDON, FixedClock  # noqa: E402
from services.demo import PEOPLE, ensure_demo  # noqa: E402
from services.register.reports import record_compliance_snapshot, register_report
from services.register.exporting import export_register
from services.register.importing import import_tracker
from store.uow import Store  # noqa: E402
from bot.settings import Settings


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


async def main(n: int, database: str) -> None:
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
                  f"unchanged {report.count('unchanged')}, rejected {len(report.rejected)}")
        t = time.perf_counter()
        summary = await export_register(services, Path(tmp) / "register.xlsx")
        s = time.perf_counter() - t
        print(f"{'export':10} {s:6.2f} s  {summary.documents / s:7.0f} rows/s  sheets {len(summary.sheets)}")
        t = time.perf_counter()
        await record_compliance_snapshot(services)
        report = await register_report(services)
        png = compliance_chart_png(report)
        print(f"{'report':10} {time.perf_counter() - t:6.2f} s  (chart {len(png) // 1024} KB)")
        await store.close()


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--documents", type=int, default=2000)
    ap.add_argument("--database", default="sqlite", help="sqlite (a temporary file) or a PostgreSQL URL")
    args = ap.parse_args()
    asyncio.run(main(args.documents, args.database))
