"""The register page's rows, exactly as filtered and sorted, as CSV or an Excel workbook (openpyxl).

Cells that a spreadsheet would read as a formula (=, +, -, @ first) are written as text, so a
title typed as "=HYPERLINK(...)" cannot run when someone opens the export.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import TYPE_CHECKING, Any

from render.pages import STATE_WORDS
from services.register.listing import RegisterRow

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet
    from openpyxl.worksheet.worksheet import Worksheet

HEADINGS = ["Ref", "Title", "Type", "Category", "Service area", "Status", "Version", "Responsible Officer",
            "Responsible Strategic Manager", "Last reviewed", "Next review due", "Review state",
            "Working days to review"]
DATE_COLUMNS = {"Last reviewed", "Next review due"}
OVERDUE_FILL = "FFC7CE"
DUE_SOON_FILL = "FFEB9C"


def _safe(value: object) -> object:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _values(row: RegisterRow) -> list[object]:
    d = row.document
    return [d.ref, d.title, d.doc_type, d.category or "", d.service_area or "",
            d.status.replace("_", " ").capitalize(), d.version or "", d.ro.name if d.ro else "",
            d.rsm.name if d.rsm else "", d.last_reviewed_on, d.next_review_due, STATE_WORDS[row.state],
            row.working_days]


def register_csv(rows: tuple[RegisterRow, ...]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADINGS)
    for row in rows:
        writer.writerow([v.strftime("%d/%m/%Y") if isinstance(v, date) else ("" if v is None else _safe(v))
                         for v in _values(row)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM lets Excel read it as UTF-8


def register_xlsx(rows: tuple[RegisterRow, ...], *, today: date, description: str) -> bytes:
    """Streamed (openpyxl's write-only mode), so a whole register of thousands of rows is quick."""
    # openpyxl (with numpy and Pillow, ~40 MB) is loaded on the first export, not at start (issue 22 item 8)
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Register")
    for i, heading in enumerate(HEADINGS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = 45 if heading == "Title" else 18
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(HEADINGS))}{len(rows) + 1}"
    bold = Font(bold=True)
    ws.append([_cell(ws, h, font=bold) for h in HEADINGS])
    fills = {"overdue": PatternFill("solid", fgColor=OVERDUE_FILL), "due_soon": PatternFill("solid", fgColor=DUE_SOON_FILL)}
    for row in rows:
        fill = fills.get(row.state)
        ws.append([_cell(ws, _safe(v), fill=fill, date_format=isinstance(v, date)) if fill or isinstance(v, date)
                   else _safe(v) for v in _values(row)])
    about = wb.create_sheet("About")
    about.append(["Exported from policybot's register on", _cell(about, today, date_format=True)])
    about.append(["Filter", description or "every live document"])
    about.append(["Documents", len(rows)])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _cell(ws: Worksheet | WriteOnlyWorksheet, value: Any, *, font: Font | None = None, fill: PatternFill | None = None,
          date_format: bool = False) -> Cell:
    from openpyxl.cell import WriteOnlyCell  # third-party, loaded on the first export (see register_xlsx)

    cell = WriteOnlyCell(ws, value=value)
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    if date_format:
        cell.number_format = "dd/mm/yyyy"
    return cell
