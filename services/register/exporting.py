"""Write the register back out as a tracker people can read (.xlsx) or load anywhere (.csv).

The .xlsx has an "All" sheet and one sheet per document type; bold frozen headings with filters
on; dates as UK dates; overdue rows in red and reviews due within 30 days in amber. Its columns are
the importer's own headings, so exporting and importing again changes nothing.

`like=` the organisation's own tracker: the register is written in that tracker's columns and
order, under its title rows and headings, with its own extra columns filled from what the import
kept, so the spreadsheet people already use stays usable during the change-over (and importing it
again changes nothing). The file is written through the spreadsheet port.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from governance.calendar import review_state
from services.context import Services
from services.errors import BadInput
from services.ports import Sheet, SpreadsheetReader, Workbook
from services.register.importing import reader_of
from services.register.tracker_mapping import load_mapping
from services.register.tracker_plan import ORG_COLUMNS, OTHER_RSMS
from services.register.tracker_table import find_layout
from services.register.tracker_words import STATUS_LABELS
from services.views import DUE_SOON_DAYS
from services.work import DocumentRow

COLUMNS: list[str] = [
    "Ref", "Title", "Type", "Category", "Service area", "Status", "Version", "Responsible Officer", "RO email",
    "Responsible Strategic Manager", "RSM email", "Approved", "Last reviewed", "Next Review To Be Completed By",
    "Review state", "Manual link", "Summary",
]
DATE_COLUMNS = {"Approved", "Last reviewed", "Next Review To Be Completed By"}
STATE_WORDS = {"overdue": "Overdue", "due_soon": f"Due within {DUE_SOON_DAYS} days", "ok": "In date", "none": "No review date"}
OVERDUE_FILL = "FFC7CE"  # Excel's own "bad" red
DUE_SOON_FILL = "FFEB9C"  # and its "neutral" amber
FILLS = {"overdue": OVERDUE_FILL, "due_soon": DUE_SOON_FILL}
# field (as the importer reads a heading) -> our column holding its value
FIELD_COLUMN = {"ref": "Ref", "title": "Title", "doc_type": "Type", "category": "Category", "service_area": "Service area",
                "status": "Status", "version": "Version", "ro": "Responsible Officer", "ro_email": "RO email",
                "rsm": "Responsible Strategic Manager", "rsm_email": "RSM email", "approved_on": "Approved",
                "last_reviewed_on": "Last reviewed", "next_review_due": "Next Review To Be Completed By",
                "manual_url": "Manual link", "summary": "Summary"}


@dataclass(frozen=True)
class ExportSummary:
    path: Path
    documents: int
    overdue: int
    sheets: tuple[str, ...]


def _row(d: DocumentRow, today: date, names: dict[str, str]) -> tuple[dict[str, Any], str]:
    state = "none" if d.status == "retired" else review_state(d.next_review_due, today, DUE_SOON_DAYS)
    extra = d.extra or {}
    rsms = [d.rsm.name] if d.rsm else []
    rsms += [names[x] for x in extra.get(OTHER_RSMS) or [] if x in names]
    values = {
        "Ref": d.ref, "Title": d.title, "Type": d.doc_type, "Category": d.category, "Service area": d.service_area,
        "Status": STATUS_LABELS.get(d.status, d.status), "Version": d.version,
        "Responsible Officer": d.ro.name if d.ro else None, "RO email": d.ro.email if d.ro else None,
        "Responsible Strategic Manager": " / ".join(rsms) or None, "RSM email": d.rsm.email if d.rsm else None,
        "Approved": d.approved_on, "Last reviewed": d.last_reviewed_on, "Next Review To Be Completed By": d.next_review_due,
        "Review state": STATE_WORDS[state], "Manual link": d.manual_url, "Summary": d.summary,
    }
    for k, v in (extra.get(ORG_COLUMNS) or {}).items():
        values.setdefault(k, v)
    return values, state


def _sheet_title(name: str, taken: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", " ", name or "Other").strip()[:31] or "Other"
    title, n = base, 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title.lower())
    return title


def _sheet(name: str, headings: list[str], rows: list[tuple[dict[str, Any], str]]) -> Sheet:
    link_col = headings.index("Manual link")
    cells: list[tuple[Any, ...]] = [tuple(headings)]
    links, fills = {}, {}
    for values, state in rows:
        r = len(cells)
        cells.append(tuple(values.get(h) for h in headings))
        if values.get("Manual link"):
            links[(r, link_col)] = values["Manual link"]
        if state in FILLS:
            fills[r] = FILLS[state]
    return Sheet(name, tuple(cells), links=links, heading_row=0, fills=fills)


async def _documents(services: Services) -> tuple[Sequence[DocumentRow], dict[str, str]]:
    async with services.uow() as uow:
        docs = await uow.register.all_documents()
        names = {p.id: p.name for p in await uow.people.all()}
    return docs, names


async def export_register(services: Services, path: str | Path, *, like: str | Path | None = None,
                          mapping: str | Path | None = None, reader: SpreadsheetReader | None = None) -> ExportSummary:
    p = Path(path)
    if p.suffix.lower() not in (".xlsx", ".csv"):
        raise BadInput(f"{p.name}: I can write .xlsx or .csv. Name the file e.g. register.xlsx.")
    files = reader_of(services, reader)
    if like is not None:
        return await _export_like(services, p, Path(like), mapping, files)
    today = services.clock.today()
    docs, names = await _documents(services)
    rows = [(_row(d, today, names), d.doc_type) for d in docs]
    headings = list(COLUMNS)
    for (values, _state), _t in rows:
        headings += [k for k in values if k not in headings]
    overdue = sum(1 for (_v, state), _t in rows if state == "overdue")
    taken: set[str] = set()
    sheets = [_sheet(_sheet_title("All", taken), headings, [r for r, _t in rows])]
    if p.suffix.lower() == ".xlsx":
        for doc_type in sorted({t for _r, t in rows}, key=str.lower):
            sheets.append(_sheet(_sheet_title(doc_type, taken), headings, [r for r, t in rows if t == doc_type]))
    files.write(p, Workbook(p.name, tuple(sheets), p.suffix.lower().lstrip(".")))
    return ExportSummary(p, len(rows), overdue, tuple(s.name for s in sheets) if p.suffix.lower() == ".xlsx" else ())


async def _export_like(services: Services, out: Path, like: Path, mapping: str | Path | None, files: SpreadsheetReader) -> ExportSummary:
    theirs = files.read(like)
    layout = find_layout(theirs, load_mapping(mapping))
    sheet = layout.sheet
    width = max(len(sheet.cells[layout.header_row]), max((c.index for c in layout.columns), default=0) + 1)
    top = [tuple(row) + (None,) * (width - len(row)) for row in sheet.cells[: layout.header_row + 1]]
    today = services.clock.today()
    docs, names = await _documents(services)
    cells, links, fills, overdue = list(top), {}, {}, 0
    for d in docs:
        values, state = _row(d, today, names)
        row: list[Any] = [None] * width
        for col in layout.columns:
            if col.field == "ignore":
                continue
            key = FIELD_COLUMN.get(col.field) if col.field else col.heading
            row[col.index] = values.get(key) if key is not None else None
            if col.field == "manual_url" and row[col.index]:
                links[(len(cells), col.index)] = row[col.index]
        if state in FILLS:
            fills[len(cells)] = FILLS[state]
        overdue += state == "overdue"
        cells.append(tuple(row))
    written = Sheet(sheet.name, tuple(cells), links=links, heading_row=layout.header_row, fills=fills)
    files.write(out, Workbook(out.name, (written,), out.suffix.lower().lstrip(".")))
    return ExportSummary(out, len(docs), overdue, (sheet.name,) if out.suffix.lower() == ".xlsx" else ())
