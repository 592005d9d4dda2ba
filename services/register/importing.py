"""Import the organisation's tracker spreadsheet (.xlsx or .csv) into the register (DOR-1, NCT-1).

The file is read by the spreadsheet port (connectors/spreadsheets.py) into a Workbook record;
then, each in its own module: the table is found (tracker_table), headings read by meaning
(tracker_words, tracker_mapping), each row's values read (tracker_rows), matched to the register
(tracker_plan) and reported row by row (tracker_report). This module applies the plan.

All or nothing: if any row is rejected nothing is imported and every rejected row is listed with
its row number and reason; `skip_bad=True` (`--skip-bad`, the chat's "Import" button) imports the
good rows and still lists the rejected ones. A dry run plans and reports without writing. A real
run is one transaction with its audit records: a failure part way leaves the register as it was.
Re-importing the same file changes nothing, and says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
import asyncio
import hashlib
from pathlib import Path
from typing import Any

from services.context import Services
from services.errors import BadInput
from services.ports import SpreadsheetReader, Workbook
from services.register.tracker_mapping import ImportMapping, load_mapping, mapping_yaml
from services.register.tracker_plan import ORG_COLUMNS, OTHER_RSMS, Change, plan
from services.register.tracker_report import ImportReport, Skipped
from services.register.tracker_rows import Parsed, Rejected, RowReader
from services.register.tracker_table import Layout, classify_rows, find_layout
from services.register.tracker_words import (
    FIELD_LABELS,
    KNOWN_TYPES,
    STATUS_LABELS,
    SYNONYMS,
)
from services.work import DocumentRow, PersonRow, Repository, Work

__all__ = [
    "FIELD_LABELS",
    "KNOWN_TYPES",
    "ORG_COLUMNS",
    "OTHER_RSMS",
    "STATUS_LABELS",
    "SYNONYMS",
    "Change",
    "ImportMapping",
    "ImportReport",
    "Rejected",
    "import_tracker",
    "import_workbook",
    "load_mapping",
    "read_layout",
    "reader_of",
]

SPREADSHEETS = "spreadsheets"  # services.adapters key of the SpreadsheetReader


def reader_of(services: Services, reader: SpreadsheetReader | None = None) -> SpreadsheetReader:
    reader = reader or services.adapters.get(SPREADSHEETS)
    if reader is None:
        raise RuntimeError("no spreadsheet reader is wired (bot/bootstrap.py puts one in services.adapters)")
    return reader


def read_layout(workbook: Workbook, mapping: ImportMapping) -> Layout:
    return find_layout(workbook, mapping)


async def import_tracker(services: Services, path: str | Path, *, dry_run: bool = False, mapping: str | Path | None = None,
                         skip_bad: bool = False, sheet: str | None = None, actor_email: str | None = None,
                         reader: SpreadsheetReader | None = None) -> ImportReport:
    p = Path(path)
    cfg = load_mapping(mapping)
    if sheet:
        cfg = ImportMapping(**{**cfg.__dict__, "sheet": sheet})
    workbook = await asyncio.to_thread(reader_of(services, reader).read, p)  # a big workbook: off the event loop
    sha = hashlib.sha256(await asyncio.to_thread(p.read_bytes)).hexdigest() if not dry_run else ""
    return await import_workbook(services, workbook, cfg, dry_run=dry_run, skip_bad=skip_bad, actor_email=actor_email,
                                 sha256=sha)


async def import_workbook(services: Services, workbook: Workbook, cfg: ImportMapping, *, dry_run: bool = False,
                          skip_bad: bool = False, actor_email: str | None = None, actor_id: str | None = None,
                          sha256: str = "") -> ImportReport:
    if not workbook.sheets or not any(s.cells for s in workbook.sheets):
        raise BadInput(f"{workbook.filename} is empty.")
    layout = find_layout(workbook, cfg)
    table = layout.sheet
    preset = services.preset
    default_type = cfg.defaults.get("doc_type") or next(iter(preset.document_types.values())).label
    now = services.clock.now()
    async with services.uow() as uow:
        repo = uow.register
        people = await uow.people.all()
        docs = await repo.all_documents()
        types = {*(x.label for x in preset.document_types.values()), *(d.doc_type for d in docs)}
        rows = RowReader(layout, people, cfg, types)
        parsed: list[Parsed | Rejected] = []
        skipped: list[Skipped] = []
        for r, why in classify_rows(layout):
            if why is None:
                parsed.append(rows.read(r))
            else:
                skipped.append(Skipped(r + 1, why, table.number(r) if table.row_numbers else None))
        changes, rejected = plan(parsed, docs, list(people), cfg, default_type)
        sheet_name = table.name if workbook.kind != "csv" else None
        report = ImportReport(
            workbook.filename, sheet_name, layout.header_row + 1, layout.columns, len(parsed), changes, rejected,
            dry_run, skip_bad, skipped=skipped, other_sheets=layout.others,
            hidden_rows=tuple(sorted(r + 1 for r in table.hidden_rows if r > layout.header_row)), kind=workbook.kind,
            mapping_text=mapping_yaml(sheet_name, layout.header_row + 1, layout.columns, cfg),
            directory_empty=not people)
        if dry_run or (rejected and not skip_bad):
            return report
        if not report.changes_anything:
            return report  # the register already matches the file: nothing is written, not even a run record
        actor = await uow.people.get(actor_id) if actor_id else (await uow.people.by_email(actor_email) if actor_email else None)
        await _apply(uow, repo, report, docs, actor, now, workbook.filename, sheet_name, sha256)
        await uow.commit()
        report.applied = True
    return report


def _new_document(c: Change, now: datetime) -> dict[str, Any]:
    v = c.values
    extra: dict[str, Any] = {}
    if v.get("org"):
        extra[ORG_COLUMNS] = v["org"]
    if v.get(OTHER_RSMS):
        extra[OTHER_RSMS] = v[OTHER_RSMS]
    return dict(
        ref=c.ref, doc_type=v["doc_type"], title=v["title"], category=v.get("category"),
        service_area=v.get("service_area"), summary=v.get("summary"), ro_id=v.get("ro_id"), rsm_id=v.get("rsm_id"),
        status=v.get("status") or "published", version=v.get("version"), approved_on=v.get("approved_on"),
        last_reviewed_on=v.get("last_reviewed_on"), next_review_due=v.get("next_review_due"),
        manual_url=v.get("manual_url"), extra=extra, created_at=now, updated_at=now,
    )


async def _apply(uow: Work, repo: Repository, report: ImportReport, docs: Sequence[DocumentRow], actor: PersonRow | None, now: datetime, filename: str, sheet: str | None,
                 sha256: str) -> None:
    """Everything in the caller's one transaction: documents, audit records, ownership flags, the run record."""
    by_id: dict[int | None, DocumentRow] = {d.id: d for d in docs}  # an update names its document
    source = filename + (f" sheet '{sheet}'" if sheet else "")
    new_docs: list[Change] = []
    audits: list[dict[str, Any]] = []
    leavers: list[tuple[int, Change]] = []
    for c in report.changes:
        if c.kind == "add":
            new_docs.append(c)
            continue
        if c.kind == "update":
            values = dict(c.values)
            org = values.pop("org", None)
            others = values.pop(OTHER_RSMS, None)
            doc = by_id[c.doc_id]
            if org is not None or others is not None:
                extra = dict(doc.extra or {})
                for key, value in ((ORG_COLUMNS, org), (OTHER_RSMS, others)):
                    if value is None:
                        continue
                    if value:
                        extra[key] = value
                    else:
                        extra.pop(key, None)
                values["extra"] = extra
            doc = await uow.documents.update(doc.id, **{**values, "updated_at": now})
            what = "; ".join(f"{w} '{b}' -> '{a}'" for w, b, a in c.diffs)
            audits.append(dict(entity_id=doc.id, action="updated_from_tracker",
                               summary=f"Updated from {source} row {c.row}: {what}",
                               details={"row": c.row, "file": filename, "changes": [list(d) for d in c.diffs]}))
        if c.leavers and c.doc_id:
            leavers.append((c.doc_id, c))
    created = await repo.add_documents([_new_document(c, now) for c in new_docs])  # one round trip for them all
    for c, doc in zip(new_docs, created, strict=True):
        audits.append(dict(entity_id=doc.id, action="imported", summary=f"Added to the register from {source} row {c.row}",
                           details={"row": c.row, "file": filename}))
        if c.leavers:
            leavers.append((doc.id, c))
    for doc_id, c in leavers:
        for role, person_id in c.leavers:
            if await repo.flag(document_id=doc_id, person_id=person_id, role=role, reason="left", at=now):
                audits.append(dict(entity_id=doc_id, action="orphaned",
                                   summary=f"Flagged from {source} row {c.row}: the {role.upper()} has left "
                                           "(account disabled); a successor is needed (NCT-1)",
                                   details={"row": c.row, "person": person_id, "role": role}))
    await repo.record_many(at=now, actor=actor, entity="document", entries=audits)
    run = await repo.add_import_run(
        at=now, actor_id=actor.id if actor else None, filename=filename[:300], sha256=sha256, sheet=sheet,
        added=report.count("add"), updated=report.count("update"), unchanged=report.count("unchanged"),
        rejected=len(report.rejected), skipped_bad=bool(report.rejected), details={"rejected": report.rejected_lines()},
    )
    await uow.audit.record(at=now, actor=actor, entity="register", entity_id=run.id, action="tracker_import",
                           summary=f"Imported {source}: {report.count('add')} added, {report.count('update')} updated, "
                                   f"{report.count('unchanged')} unchanged, {len(report.rejected)} rejected")
    report.run_id = run.id
