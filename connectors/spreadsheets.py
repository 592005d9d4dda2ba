"""Spreadsheet files (.xlsx with openpyxl, .csv with the standard library) as `services.ports.Workbook`
records, and written back from them.

Reading gives what a person sees: merged ranges filled with their value (a banner over several
columns, a heading over two rows), Excel date cells as dates (a time of midnight dropped), links
kept, hidden rows and columns and hidden sheets named. A CSV file is read as UTF-8 (with or
without the BOM Excel writes for "CSV UTF-8"), else Windows-1252; CRLF or LF; line breaks inside
quoted cells; the delimiter (comma, semicolon or tab) is the one that splits the first rows into
the most columns. Each CSV record's number is the line it starts on.
"""

from __future__ import annotations

import csv
import io
import zipfile
from copy import copy
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # openpyxl loads on the first read or write (see read): it is large and most turns never need it
    from openpyxl.worksheet.worksheet import Worksheet

from governance.dates import numeric_date
from services.errors import BadInput
from services.ports import Sheet, Workbook

XLSX = (".xlsx", ".xlsm")
SCAN_LINES = 30  # lines looked at to choose a CSV file's delimiter
UK_DATE_FORMAT = "dd/mm/yyyy"
HEADING_FILL = "D9E1F2"


def _value(v: Any) -> Any:
    if isinstance(v, datetime):
        return v.date() if v.time() == time(0) else v
    if isinstance(v, str) and not v.strip():
        return None
    return v


class SpreadsheetFiles:
    """Implements services.ports.SpreadsheetReader."""

    def read(self, path: Path) -> Workbook:
        p = Path(path)
        if not p.exists():
            raise BadInput(f"There is no file {p}.")
        suffix = p.suffix.lower()
        if suffix == ".csv":
            return Workbook(p.name, (self._csv(p.read_bytes(), p.stem),), "csv")
        if suffix not in XLSX:
            raise BadInput(f"{p.name}: I can read .xlsx and .csv trackers. Save it as one of those (File > Save As).")
        # openpyxl (with numpy and Pillow, ~40 MB) is loaded when a spreadsheet is first read or written,
        # not at start (issue 22 item 8)
        from openpyxl import load_workbook
        from openpyxl.utils.exceptions import InvalidFileException

        try:
            wb = load_workbook(p, data_only=True)
        except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
            raise BadInput(f"{p.name} is not a spreadsheet I can open ({type(exc).__name__}).") from None
        try:
            return Workbook(p.name, tuple(self._sheet(ws) for ws in wb.worksheets), "xlsx")
        finally:
            wb.close()

    # ------------------------------------------------------------------ .xlsx

    @staticmethod
    def _sheet(ws) -> Sheet:
        from openpyxl.utils import column_index_from_string  # third-party, loaded with the workbook (see read)

        rows = [[_value(v) for v in row] for row in ws.iter_rows(values_only=True)]
        links: dict[tuple[int, int], str] = {}
        for row in ws.iter_rows():
            for c in row:
                h = getattr(c, "hyperlink", None)
                if h is not None and h.target:
                    links[(c.row - 1, c.column - 1)] = h.target
        for rng in ws.merged_cells.ranges:
            value = _value(ws.cell(rng.min_row, rng.min_col).value)
            link = links.get((rng.min_row - 1, rng.min_col - 1))
            for r in range(rng.min_row - 1, rng.max_row):
                while len(rows) <= r:
                    rows.append([])
                for c in range(rng.min_col - 1, rng.max_col):
                    while len(rows[r]) <= c:
                        rows[r].append(None)
                    rows[r][c] = value
                    if link:
                        links[(r, c)] = link
        while rows and all(v is None for v in rows[-1]):  # formatted but empty rows at the bottom
            rows.pop()
        width = max((c + 1 for r in rows for c, v in enumerate(r) if v is not None), default=0)
        rows = [r[:width] for r in rows]
        hidden_rows = frozenset(r - 1 for r, d in ws.row_dimensions.items() if d.hidden)
        hidden_cols: set[int] = set()
        for key, d in ws.column_dimensions.items():
            if d.hidden:
                lo, hi = (d.min or 0), (d.max or 0)
                if not lo:
                    lo = hi = column_index_from_string(key)
                hidden_cols.update(range(lo - 1, hi))
        cells = tuple(tuple(r) + (None,) * (width - len(r)) for r in rows)
        return Sheet(ws.title, cells, hidden_rows, frozenset(hidden_cols), links, visible=ws.sheet_state == "visible")

    # ------------------------------------------------------------------ .csv

    @staticmethod
    def _csv(raw: bytes, name: str) -> Sheet:
        text = None
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        if text is None:
            text = raw.decode("latin-1")
        head = text.splitlines()[:SCAN_LINES]
        delimiter = max(",;\t", key=lambda d: max((len(r) for r in csv.reader(head, delimiter=d)), default=0))
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        rows, numbers, line = [], [], 1
        try:
            for record in reader:
                rows.append([v if v.strip() else None for v in record])
                numbers.append(line)
                line = reader.line_num + 1
        except csv.Error as exc:
            raise BadInput(f"{name}.csv cannot be read past line {reader.line_num}: {exc}.") from None
        width = max((len(r) for r in rows), default=0)
        cells = tuple(tuple(r) + (None,) * (width - len(r)) for r in rows)
        return Sheet(name, cells, row_numbers=tuple(numbers))

    # ------------------------------------------------------------------ writing

    def write(self, path: Path, workbook: Workbook) -> None:
        p = Path(path)
        p.parent.mkdir(parents=True, exist_ok=True)
        if p.suffix.lower() == ".csv":
            sheet = workbook.sheets[0]
            with p.open("w", encoding="utf-8-sig", newline="") as f:  # the BOM makes Excel read UTF-8
                w = csv.writer(f)
                for row in sheet.cells:
                    w.writerow(["" if v is None else numeric_date(v) if isinstance(v, date) else v for v in row])
            return
        if p.suffix.lower() not in XLSX:
            raise BadInput(f"{p.name}: I can write .xlsx or .csv. Name the file e.g. register.xlsx.")
        from openpyxl import Workbook as OpenpyxlWorkbook  # third-party, loaded on the first write (see read)
        from openpyxl.worksheet.worksheet import Worksheet

        wb = OpenpyxlWorkbook()
        if isinstance(wb.active, Worksheet):  # a new workbook starts with one empty sheet
            wb.remove(wb.active)
        for sheet in workbook.sheets:
            ws = wb.create_sheet(sheet.name[:31])
            self._write_sheet(ws, sheet)
            if sheet.bar_chart and len(sheet.cells) > 1:
                self._bar_chart(ws, sheet, sheet.bar_chart)
        wb.save(p)

    @staticmethod
    def _bar_chart(ws: Worksheet, sheet: Sheet, bar_chart: tuple[int, int, str]) -> None:
        from openpyxl.chart import BarChart, Reference  # third-party, loaded on the first chart (see read)

        label_col, value_col, title = bar_chart
        first = (sheet.heading_row or 0) + 2
        last = len(sheet.cells)
        chart = BarChart()
        chart.type, chart.title, chart.legend = "bar", title, None
        chart.add_data(Reference(ws, min_col=value_col + 1, min_row=first - 1, max_row=last), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=label_col + 1, min_row=first, max_row=last))
        # openpyxl takes centimetres as floats; its type stubs declare the attributes int
        chart.height, chart.width = max(6.0, 0.8 * (last - first + 1)), 16.0  # type: ignore[assignment]
        ws.add_chart(chart, ws.cell(1, len(sheet.cells[0]) + 2).coordinate)

    @staticmethod
    def _write_sheet(ws, sheet: Sheet) -> None:
        from openpyxl.styles import Font, PatternFill  # third-party, loaded on the first write (see read)
        from openpyxl.utils import get_column_letter

        bold = Font(bold=True)
        fills = {rgb: PatternFill(fill_type="solid", start_color=rgb, end_color=rgb) for rgb in set(sheet.fills.values())}
        heading_fill = PatternFill(fill_type="solid", start_color=HEADING_FILL, end_color=HEADING_FILL)
        width = max((len(r) for r in sheet.cells), default=0)
        widths = [0] * width
        # Styling a cell through openpyxl's proxies hashes every style part: style one cell of each
        # kind that way, then give the others a copy of its style array (ten times faster on big sheets).
        protos: dict[tuple[Any, ...], object] = {}
        for r, row in enumerate(sheet.cells):
            rgb = sheet.fills.get(r)
            heading = r == sheet.heading_row
            for c, v in enumerate(row):
                if v is None and rgb is None:
                    continue
                cell = ws.cell(r + 1, c + 1, v)
                link = sheet.links.get((r, c))
                if link:
                    cell.hyperlink = link
                is_date = isinstance(v, date)
                if is_date:
                    widths[c] = max(widths[c], 10)
                elif v is not None:
                    widths[c] = max(widths[c], len(str(v)) if heading else max(len(x) for x in str(v).split("\n")))
                key = (rgb, is_date, bool(link), heading)
                if key == (None, False, False, False):
                    continue
                proto = protos.get(key)
                if proto is not None:
                    cell._style = copy(proto)  # noqa: SLF001 - see above
                    continue
                if link:
                    cell.style = "Hyperlink"
                if is_date:
                    cell.number_format = UK_DATE_FORMAT
                if heading:
                    cell.font, cell.fill = bold, heading_fill
                elif rgb is not None:
                    cell.fill = fills[rgb]
                protos[key] = copy(cell._style)  # noqa: SLF001
        for c, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(c)].width = min(max(w + 2, 8), 60)
        if sheet.heading_row is not None and width:
            top = sheet.heading_row + 1
            ws.freeze_panes = f"A{top + 1}"
            ws.auto_filter.ref = f"A{top}:{get_column_letter(width)}{max(len(sheet.cells), top + 1)}"
