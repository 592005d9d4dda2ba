"""The register from the command line: `policybot import`, `export`, `directory`, `report`, `asset`."""

from __future__ import annotations

import asyncio
import sys
from contextlib import asynccontextmanager

from policybot.settings import Settings


@asynccontextmanager
async def _services():
    from services.clock import SystemClock
    from services.context import Services
    from store.uow import Store

    settings = Settings.from_env()
    store = Store(settings.database_url)
    try:
        await store.migrate()
        yield Services(settings=settings, store=store, clock=SystemClock())
    finally:
        await store.close()


def _run(coro_fn) -> int:
    """Run a command; a polite error (UserFacingError) is printed, never a traceback."""
    from governance.errors import GovernanceError

    try:
        return asyncio.run(coro_fn())
    except GovernanceError as exc:
        print(f"policybot: {exc}", file=sys.stderr)
        return 2


def _import(args) -> int:
    from services.tracker_import import import_tracker

    async def main() -> int:
        async with _services() as services:
            report = await import_tracker(services, args.file, dry_run=args.dry_run, mapping=args.mapping,
                                          skip_bad=args.skip_bad, sheet=args.sheet, actor_email=args.by)
        for line in report.lines(verbose=not args.quiet):
            print(line)
        return 0 if report.ok or (report.skip_bad and not report.dry_run) else 1

    return _run(main)


def _export(args) -> int:
    from services.tracker_export import export_register

    async def main() -> int:
        async with _services() as services:
            summary = await export_register(services, args.file)
        sheets = f" on sheets {', '.join(summary.sheets)}" if summary.sheets else ""
        print(f"Wrote {summary.documents} documents ({summary.overdue} overdue for review) to {summary.path}{sheets}.")
        return 0

    return _run(main)


def register(sub) -> None:
    p = sub.add_parser("import", help="import the tracker spreadsheet (.xlsx or .csv) into the register")
    p.add_argument("file", help="the tracker, .xlsx or .csv")
    p.add_argument("--dry-run", action="store_true", help="show what would change, change nothing")
    p.add_argument("--mapping", default=None, help="YAML file naming unusual headings, the sheet, the heading row")
    p.add_argument("--sheet", default=None, help="the sheet to read (default: 'All', else the first with headings)")
    p.add_argument("--skip-bad", action="store_true",
                   help="import the good rows even if some are rejected (default: any rejected row stops the import)")
    p.add_argument("--by", default=None, help="your email address, recorded in the audit trail")
    p.add_argument("--quiet", action="store_true", help="counts and rejected rows only, not every change")
    p.set_defaults(func=_import)

    e = sub.add_parser("export", help="write the register as a tracker (.xlsx with a sheet per type, or .csv)")
    e.add_argument("file", help="where to write it: register.xlsx or register.csv")
    e.set_defaults(func=_export)
