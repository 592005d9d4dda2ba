"""Finding the register inside a workbook: which sheet, which row holds the headings, which column
is which, and which rows below are documents.

The heading row is the row, among the first 20 of a sheet, whose cells name the most of our
fields (a Title among them); a heading over two rows (a banner such as "Review" merged over
"Last" and "Next") is read as one. The table may start in any column. With several sheets the
register is the one with the most of our columns, then the most documents; the others are named
in the report. Below the headings, rows that are blank, that hold one value alone (a section
heading such as "SAFEGUARDING") and rows after the last document (a legend, notes, a total) are
skipped and said so.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from services.errors import BadInput
from services.ports import Sheet, Workbook
from governance.dates import collapse
from services.register.cells import is_blank, norm_heading
from services.register.tracker_mapping import ImportMapping
from services.register.tracker_words import heading_field

HEADER_SCAN_ROWS = 20


def column_letter(index: int) -> str:
    s, n = "", index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        s = chr(65 + rem) + s
    return s


@dataclass(frozen=True)
class Column:
    index: int  # 0-based
    heading: str  # as written (a group heading joined on for a two-row heading)
    field: str | None  # a field, "ignore", or None: kept as the organisation's own column
    confidence: int = 100  # how sure the heading means the field, out of 100
    hidden: bool = False

    @property
    def letter(self) -> str:
        return column_letter(self.index)


@dataclass(frozen=True)
class Layout:
    sheet: Sheet
    header_row: int  # 0-based index of the heading row (the lower one of a two-row heading)
    columns: tuple[Column, ...]
    others: tuple[str, ...] = ()  # the other sheets, each with why it was not read

    @property
    def header_number(self) -> int:
        return self.sheet.number(self.header_row)

    def field_column(self, field: str) -> Column | None:
        return next((c for c in self.columns if c.field == field), None)


def text(v: Any) -> str:
    return collapse(v) if isinstance(v, str) else ("" if v is None else collapse(str(v)))


@lru_cache(maxsize=4096)
def _meaning(heading: str) -> tuple[str | None, int]:
    return heading_field(heading)


def _field_for(heading: str, mapping: ImportMapping) -> tuple[str | None, int]:
    key = norm_heading(heading)
    if not key:
        return None, 0
    if key in mapping.columns:
        return mapping.columns[key], 100
    return _meaning(heading)


def columns_for(sheet: Sheet, r: int, mapping: ImportMapping) -> list[Column]:
    row = sheet.cells[r]
    above = sheet.cells[r - 1] if r > 0 else ()
    found: list[Column] = []
    for c, value in enumerate(row):
        child = text(value)
        parent = text(above[c]) if c < len(above) else ""
        if not child and not parent:
            continue
        if not child:  # a heading merged over two rows, written once (a CSV export)
            candidates = [parent]
        elif parent and norm_heading(parent) != norm_heading(child):
            candidates = [child, f"{parent} {child}", f"{child} {parent}"]
        else:
            candidates = [child]
        chosen, heading, sure = None, candidates[0], 0
        for cand in candidates:
            f, conf = _field_for(cand, mapping)
            if f and conf > sure:
                chosen, heading, sure = f, cand, conf
                if conf == 100:
                    break
        if not child and chosen is None:
            continue  # a banner over columns whose own headings are blank: not a column
        found.append(Column(c, heading, chosen, sure if chosen else 0, c in sheet.hidden_columns))
    # One column per field: the surest keeps it, the other is kept as the organisation's own column.
    best: dict[str, Column] = {}
    for col in found:
        if col.field and col.field != "ignore" and (col.field not in best or col.confidence > best[col.field].confidence):
            best[col.field] = col
    return [col if not col.field or col.field == "ignore" or best[col.field] is col
            else Column(col.index, col.heading, None, 0, col.hidden) for col in found]


def _score(cols: list[Column]) -> int:
    return len({c.field for c in cols if c.field and c.field != "ignore"})


def is_document(row: tuple[Any, ...], layout_columns: tuple[Column, ...]) -> bool:
    """A title and at least one more of our fields filled in (not one value merged across the row)."""
    has_title = other = False
    seen: set[Any] = set()
    for col in layout_columns:
        if col.field in (None, "ignore") or col.index >= len(row) or is_blank(row[col.index]):
            continue
        v = row[col.index]
        seen.add(v.strip() if isinstance(v, str) else v)
        if col.field == "title":
            has_title = True
        else:
            other = True
    return has_title and other and len(seen) > 1


def _documents(sheet: Sheet, header_row: int, cols: tuple[Column, ...]) -> int:
    return sum(1 for row in sheet.cells[header_row + 1:] if is_document(row, cols))


def _best_row(sheet: Sheet, mapping: ImportMapping) -> tuple[int, list[Column], int]:
    if mapping.header_row:
        r = mapping.header_row - 1
        if r >= len(sheet.cells):
            raise BadInput(f"Sheet '{sheet.name}' has no row {mapping.header_row} for the headings.")
        cols = columns_for(sheet, r, mapping)
        return r, cols, _score(cols)
    best, at, chosen = 0, -1, []
    for i in range(min(len(sheet.cells), HEADER_SCAN_ROWS)):
        found = columns_for(sheet, i, mapping)
        s = _score(found)
        if s > best and any(c.field == "title" for c in found):
            best, at, chosen = s, i, found
    return at, chosen, best


def find_layout(workbook: Workbook, mapping: ImportMapping) -> Layout:
    sheets = list(workbook.sheets)
    if mapping.sheet:
        match = [s for s in sheets if s.name.strip().lower() == str(mapping.sheet).strip().lower()]
        if not match:
            raise BadInput(f"{workbook.filename} has no sheet called '{mapping.sheet}'. "
                           f"Its sheets: {', '.join(s.name for s in sheets)}.")
        sheets = match
    candidates = []
    why_not: dict[str, str] = {}
    for sheet in sheets:
        r, cols, score = _best_row(sheet, mapping)
        if r < 0 or score < 2 or not any(c.field == "title" for c in cols):
            why_not[sheet.name] = "no heading row with a Title column and another of the register's columns"
            continue
        docs = _documents(sheet, r, tuple(cols))
        candidates.append(((score, docs, sheet.visible), sheet, r, tuple(cols)))
    if not candidates:
        where = workbook.filename if len(workbook.sheets) == 1 else f"any sheet of {workbook.filename}"
        raise BadInput(f"I couldn't find the heading row in {where}: I look in the first {HEADER_SCAN_ROWS} rows for "
                       "a row with a Title column and at least one other I know (Type, Responsible Officer, RSM, "
                       "Next review...). Name the headings in a mapping file (--mapping) if they are unusual.")
    candidates.sort(key=lambda c: c[0], reverse=True)
    _key, sheet, r, best = candidates[0]
    rest = candidates[1:]
    for (score, docs, _v), other, _r, _c in rest:
        why_not[other.name] = f"{score} of the register's columns and {docs} documents, fewer than '{sheet.name}'"
    others = tuple(f"'{s.name}'" + ("" if s.visible else " (hidden)") + f": {why_not[s.name]}"
                   for s in workbook.sheets if s.name in why_not)
    return Layout(sheet, r, best, others)


def classify_rows(layout: Layout) -> list[tuple[int, str | None]]:
    """(0-based row, why it is skipped or None for a document row) for every row below the headings."""
    sheet, cols = layout.sheet, layout.columns
    first = layout.columns[0].index if layout.columns else 0
    rows = sheet.cells
    last_doc = next((r for r in range(len(rows) - 1, layout.header_row, -1) if is_document(rows[r], cols)), -1)
    out: list[tuple[int, str | None]] = []
    for r in range(layout.header_row + 1, len(rows)):
        row = rows[r]
        filled = [(c, v) for c, v in enumerate(row) if v is not None and (not isinstance(v, str) or v.strip())]
        if not filled:
            out.append((r, "blank row"))
            continue
        if r > last_doc:
            out.append((r, f"below the table (a legend or notes): '{_short(filled[0][1])}'"))
            continue
        if len(filled) > 1 and len({v.strip() if isinstance(v, str) else v for _c, v in filled}) > 1:
            out.append((r, None))
            continue
        distinct = {text(v) for _c, v in filled}
        if len(distinct) == 1 and (filled[0][0] <= first or len(filled) > 1):
            out.append((r, f"a section heading ('{_short(filled[0][1])}'), not a document"))
            continue
        out.append((r, None))
    return out


def _short(v: Any, n: int = 40) -> str:
    t = text(v)
    return t if len(t) <= n else t[: n - 1] + "…"
