"""Write the register back out as a tracker people can read (.xlsx) or load anywhere (.csv).

The .xlsx has an "All" sheet and one sheet per document type; bold frozen headings with filters
on; dates as UK dates; overdue rows in red and reviews due within 30 days in amber. Its columns are
the importer's own headings, so exporting and importing again changes nothing.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from governance.calendar import review_state
from governance.dates import numeric_date
from services.context import Services
from services.errors import BadInput
from services.register.importing import ORG_COLUMNS, STATUS_LABELS
from services.views import DUE_SOON_DAYS

# (heading, how to get the value from a document)
COLUMNS: list[str] = [
    "Ref", "Title", "Type", "Category", "Service area", "Status", "Version", "Responsible Officer", "RO email",
    "Responsible Strategic Manager", "RSM email", "Approved", "Last reviewed", "Next Review To Be Completed By",
    "Review state", "Manual link", "Summary",
]
DATE_COLUMNS = {"Approved", "Last reviewed", "Next Review To Be Completed By"}
STATE_WORDS = {"overdue": "Overdue", "due_soon": f"Due within {DUE_SOON_DAYS} days", "ok": "In date", "none": "No review date"}
OVERDUE_FILL = "FFC7CE"  # Excel's own "bad" red
DUE_SOON_FILL = "FFEB9C"  # and its "neutral" amber
HEADER_FILL = "D9E1F2"
UK_DATE_FORMAT = "dd/mm/yyyy"


@dataclass(frozen=True)
class ExportSummary:
    path: Path
    documents: int
    overdue: int
    sheets: tuple[str, ...]


def _row(d, today: date) -> tuple[dict[str, Any], str]:
    state = "none" if d.status == "retired" else review_state(d.next_review_due, today, DUE_SOON_DAYS)
    values = {
        "Ref": d.ref, "Title": d.title, "Type": d.doc_type, "Category": d.category, "Service area": d.service_area,
        "Status": STATUS_LABELS.get(d.status, d.status), "Version": d.version,
        "Responsible Officer": d.ro.name if d.ro else None, "RO email": d.ro.email if d.ro else None,
        "Responsible Strategic Manager": d.rsm.name if d.rsm else None, "RSM email": d.rsm.email if d.rsm else None,
        "Approved": d.approved_on, "Last reviewed": d.last_reviewed_on, "Next Review To Be Completed By": d.next_review_due,
        "Review state": STATE_WORDS[state], "Manual link": d.manual_url, "Summary": d.summary,
    }
    for k, v in ((d.extra or {}).get(ORG_COLUMNS) or {}).items():
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


def _write_sheet(ws, headings: list[str], rows: list[tuple[dict, str]]) -> None:
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    header_fill = PatternFill(fill_type="solid", start_color=HEADER_FILL, end_color=HEADER_FILL)
    fills = {"overdue": PatternFill(fill_type="solid", start_color=OVERDUE_FILL, end_color=OVERDUE_FILL),
             "due_soon": PatternFill(fill_type="solid", start_color=DUE_SOON_FILL, end_color=DUE_SOON_FILL)}
    widths = [len(h) for h in headings]
    for c, h in enumerate(headings, start=1):
        cell = ws.cell(1, c, h)
        cell.font, cell.fill = bold, header_fill
    for r, (values, state) in enumerate(rows, start=2):
        for c, h in enumerate(headings, start=1):
            v = values.get(h)
            cell = ws.cell(r, c, v)
            if isinstance(v, date):
                cell.number_format = UK_DATE_FORMAT
                widths[c - 1] = max(widths[c - 1], 10)
            elif v is not None:
                widths[c - 1] = max(widths[c - 1], len(str(v)))
            if h == "Manual link" and v:
                cell.hyperlink = v
                cell.style = "Hyperlink"
            if state in fills:
                cell.fill = fills[state]
    for c, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = min(max(w + 2, 8), 60)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headings))}{max(len(rows) + 1, 2)}"


async def export_register(services: Services, path: str | Path) -> ExportSummary:
    from store.register_repo import RegisterRepo

    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise BadInput(f"{p.name}: I can write .xlsx or .csv. Name the file e.g. register.xlsx.")
    today = services.clock.today()
    async with services.uow() as uow:
        docs = await RegisterRepo(uow.session).all_documents()
        rows = [(_row(d, today), d.doc_type) for d in docs]
    headings = list(COLUMNS)
    for (values, _state), _t in rows:
        headings += [k for k in values if k not in headings]
    overdue = sum(1 for (_v, state), _t in rows if state == "overdue")
    p.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        with p.open("w", encoding="utf-8-sig", newline="") as f:  # the BOM makes Excel read UTF-8
            w = csv.writer(f)
            w.writerow(headings)
            for (values, _state), _t in rows:
                w.writerow([numeric_date(v) if isinstance(v, date) else ("" if v is None else v) for v in (values.get(h) for h in headings)])
        return ExportSummary(p, len(rows), overdue, ())
    from openpyxl import Workbook

    wb = Workbook()
    taken: set[str] = set()
    ws = wb.active
    ws.title = _sheet_title("All", taken)
    _write_sheet(ws, headings, [r for r, _t in rows])
    sheets = [ws.title]
    for doc_type in sorted({t for _r, t in rows}, key=str.lower):
        ws = wb.create_sheet(_sheet_title(doc_type, taken))
        _write_sheet(ws, headings, [r for r, t in rows if t == doc_type])
        sheets.append(ws.title)
    wb.save(p)
    return ExportSummary(p, len(rows), overdue, tuple(sheets))
