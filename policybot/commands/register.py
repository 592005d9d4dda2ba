"""The register from the command line: `policybot import`, `export`, `directory`, `report`, `asset`."""

from __future__ import annotations

import asyncio
from pathlib import Path

from policybot.commands._shared import open_runtime, open_services, run
from render.reports import compliance_chart_png, due_reply, overdue_reply, report_reply
from services.people.directory import load_csv, sync_graph
from services.register.assets import (
    all_assets,
    assets_to_update,
    link_asset,
    save_asset,
)
from services.register.exporting import export_register
from services.register.importing import import_tracker, reader_of
from services.register.ownership import ownership_problems, reassign_ro
from services.register.reports import record_compliance_snapshot, register_report


def _import(args) -> int:
    async def main() -> int:
        async with open_services() as services:
            report = await import_tracker(services, args.file, dry_run=args.dry_run, mapping=args.mapping,
                                          skip_bad=args.skip_bad, sheet=args.sheet, actor_email=args.by)
            if args.report:
                reader_of(services).write(Path(args.report), report.workbook())
        for line in report.lines(verbose=not args.quiet):
            print(line)
        if args.save_mapping:
            await asyncio.to_thread(Path(args.save_mapping).write_text, report.mapping_text, encoding="utf-8")
            print(f"The mapping I used is in {args.save_mapping}: edit it and pass it back with --mapping.")
        if args.report:
            print(f"The row-by-row report is in {args.report}.")
        return 0 if report.ok or (report.skip_bad and not report.dry_run) else 1

    return run(main)


def _export(args) -> int:
    async def main() -> int:
        async with open_services() as services:
            summary = await export_register(services, args.file, like=args.like, mapping=args.mapping)
        like = f" in the columns of {args.like}" if args.like else ""
        sheets = f" on sheets {', '.join(summary.sheets)}" if summary.sheets else ""
        print(f"Wrote {summary.documents} documents ({summary.overdue} overdue for review) to {summary.path}{like}{sheets}.")
        return 0

    return run(main)


def _show_notices(notices) -> None:
    """Say who was told: the use case queued the notices in the outbox in the same transaction as
    the change (the bot's scheduler sends them, by Teams or email)."""
    if not notices:
        return
    print("Queued for the people concerned (the bot's scheduler sends them):")
    for n in notices:
        print(f"  to {n.person_id}: {n.subject}: {n.body}")


def _directory_load(args) -> int:
    async def main() -> int:
        async with open_runtime() as runtime:
            services = runtime.services
            report = await load_csv(services, args.file, runtime.people_file())
            for line in report.lines():
                print(line)
            _show_notices(report.notices)
        return 0 if report.applied else 1

    return run(main)


def _directory_sync(_args) -> int:
    async def main() -> int:
        async with open_runtime() as runtime:
            services = runtime.services
            report = await sync_graph(services, runtime.directory())
            for line in report.lines():
                print(line)
            _show_notices(report.notices)
        return 0

    return run(main)


def _reassign(args) -> int:
    async def main() -> int:
        async with open_services() as services:
            out = await reassign_ro(services, args.old, args.new, include_rsm=args.include_rsm, reason=args.reason,
                                    actor_email=args.by, refs=args.ref or None)
            print(f"Handed over {len(out.documents)} documents ({', '.join(out.documents) or 'none'}) from {out.old_name} "
                  f"to {out.new_name}, {len(out.cases)} open cases and {out.drafts} drafts.")
            _show_notices(out.notices)
        return 0

    return run(main)


def _problems(_args) -> int:
    async def main() -> int:
        async with open_services() as services:
            problems = await ownership_problems(services)
        for p in problems:
            print(f"{p.ref} {p.title}: {p.problem}")
        print(f"{len(problems)} documents need an owner (NCT-1)." if problems else "Every document has an RSM and an RO (NCT-1).")
        return 1 if problems else 0

    return run(main)


def _asset_add(args) -> int:
    async def main() -> int:
        async with open_services() as services:
            a = await save_asset(services, args.ref, args.title, kind=args.kind, location=args.location, owner=args.owner)
            for doc_ref in args.governed_by or ():
                await link_asset(services, a.ref, doc_ref)
        print(f"{a.ref} {a.title} ({a.kind}) is in the register" + (f", governed by {', '.join(args.governed_by)}" if args.governed_by else "") + ".")
        return 0

    return run(main)


def _asset_link(args) -> int:
    async def main() -> int:
        async with open_services() as services:
            done = await link_asset(services, args.asset, args.document, note=args.note, unlink=args.unlink)
        what = "no longer governed by" if args.unlink else "governed by"
        print(f"{args.asset.upper()} is {what} {args.document.upper()}." + ("" if done else " (It already was.)"))
        return 0

    return run(main)


def _asset_list(args) -> int:
    async def main() -> int:
        async with open_services() as services:
            if args.document:
                async with services.uow() as uow:
                    assets = await assets_to_update(uow, args.document)
                print(f"When {args.document.upper()} changes, update (DOR-14):" if assets else f"No forms or assets are linked to {args.document.upper()}.")
                for a in assets:
                    print(f"  {a.ref} {a.title} ({a.kind})" + (f" - {a.note}" if a.note else ""))
                return 0
            for a, docs in await all_assets(services):
                print(f"{a.ref} {a.title} ({a.kind}) governed by {', '.join(docs) or 'nothing yet'}")
        return 0

    return run(main)


def _write_chart(path: Path, png: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(png)


def _report(args) -> int:
    async def main() -> int:
        async with open_services() as services:
            if not args.no_snapshot:
                await record_compliance_snapshot(services)
            report = await register_report(services)
        print(report_reply(report).text)
        if args.detail:
            print()
            print(overdue_reply(report).text)
            print()
            print(due_reply(report, 90).text)
        if args.chart:
            path = Path(args.chart)
            await asyncio.to_thread(_write_chart, path, compliance_chart_png(report, width=8, height=3.5, dpi=100))
            print(f"Chart of review compliance over {len(report.history)} days written to {path}.")
        return 0

    return run(main)


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
    p.add_argument("--save-mapping", default=None, metavar="YAML",
                   help="write the mapping I chose (sheet, heading row, columns) to this file, to edit and reuse")
    p.add_argument("--report", default=None, metavar="XLSX", help="write every row's outcome to this .xlsx file")
    p.set_defaults(func=_import)

    e = sub.add_parser("export", help="write the register as a tracker (.xlsx with a sheet per type, or .csv)")
    e.add_argument("file", help="where to write it: register.xlsx or register.csv")
    e.add_argument("--like", default=None, metavar="TRACKER",
                   help="write it in the columns and order of your own tracker (.xlsx or .csv)")
    e.add_argument("--mapping", default=None, help="with --like: the YAML mapping used to import that tracker")
    e.set_defaults(func=_export)

    d = sub.add_parser("directory", help="the directory of people: load a CSV or sync from Microsoft Entra ID")
    dsub = d.add_subparsers(dest="directory_command", metavar="ACTION")
    load = dsub.add_parser("load", help="load people from a CSV (Name, Email, Job title, Department, Manager, Roles, Active)")
    load.add_argument("file")
    load.set_defaults(func=_directory_load)
    sync = dsub.add_parser("sync", help="synchronise from Microsoft Entra ID through Microsoft Graph (app credentials)")
    sync.set_defaults(func=_directory_sync)

    o = sub.add_parser("owner", help="document ownership (NCT-1)")
    osub = o.add_subparsers(dest="owner_command", metavar="ACTION")
    r = osub.add_parser("reassign", help="hand a person's documents, open cases and drafts to a successor")
    r.add_argument("old", help='the current RO by name, e.g. "Alex Dunmore" (or email address)')
    r.add_argument("new", help='the successor by name, e.g. "Charlie Vance" (or email address)')
    r.add_argument("--ref", action="append", help="only this document (repeat for several)")
    r.add_argument("--include-rsm", action="store_true", help="also the documents they sign off as RSM")
    r.add_argument("--reason", default=None)
    r.add_argument("--by", default=None, help="your email address, recorded in the audit trail")
    r.set_defaults(func=_reassign)
    pr = osub.add_parser("problems", help="documents without an RSM, or whose owner has left")
    pr.set_defaults(func=_problems)

    a = sub.add_parser("asset", help="forms and other assets governed by documents (DOR-14)")
    asub = a.add_subparsers(dest="asset_command", metavar="ACTION")
    add = asub.add_parser("add", help="add or update an asset")
    add.add_argument("ref", help="a short reference, e.g. FORM-12")
    add.add_argument("title")
    add.add_argument("--kind", default="form", help="form, template, system, training, leaflet or other")
    add.add_argument("--location", default=None, help="where it lives (a link or a system screen)")
    add.add_argument("--owner", default=None, help="who maintains it: id, email or name")
    add.add_argument("--governed-by", action="append", help="a document reference that governs it (repeatable)")
    add.set_defaults(func=_asset_add)
    link = asub.add_parser("link", help="say a document governs an asset")
    link.add_argument("asset")
    link.add_argument("document")
    link.add_argument("--note", default=None, help="what in the document the asset depends on")
    link.add_argument("--unlink", action="store_true", help="remove the link instead")
    link.set_defaults(func=_asset_link)
    ls = asub.add_parser("list", help="every asset, or those to update when one document changes")
    ls.add_argument("document", nargs="?")
    ls.set_defaults(func=_asset_list)

    rp = sub.add_parser("report", help="the register report: status, reviews overdue and due, decisions this month")
    rp.add_argument("--chart", default=None, help="also write the review compliance chart to this PNG file")
    rp.add_argument("--detail", action="store_true", help="also list every overdue review and those due in 90 days")
    rp.add_argument("--no-snapshot", action="store_true",
                    help="don't keep today's compliance figure for the chart (kept by default, once a day)")
    rp.set_defaults(func=_report)
