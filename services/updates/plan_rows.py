"""NCT-3: the publisher's update plan as rows of (chapter, reference, link, recommended amendments).

The plan comes as a spreadsheet (.xlsx, .csv) or a table in a Word document, shaped as a person made
it: a title or two above the headings, headings worded in many ways ("Chapter Title", "Procedure",
"Recommended Amendments", "Proposed changes"), merged rows that name a section of the manual, blank
rows, the headings repeated on every page or in every table, hundreds of chapters. Each grid (a
sheet, a Word table) is read from its own heading row; a grid without one is not part of the plan.
Pure: no I/O."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from services.register.cells import is_blank, norm_heading

SCAN = 30  # the heading row is within the first rows of a grid
NO_CHANGE = frozenset({"none", "no change", "no changes", "n a", "na", "nil", "no amendment", "no amendments",
                       "no amendments recommended", "no update", "no updates", "not applicable", "none recommended"})

# Headings, normalised (services.register.cells.norm_heading), for each column the plan may have.
TITLE_WORDS = ("chapter title", "chapter name", "procedure title", "procedure name", "title", "chapter", "procedure",
               "name", "document", "topic")
REF_WORDS = ("chapter ref", "chapter reference", "chapter number", "chapter no", "reference", "ref", "no", "number",
             "section", "id", "local ref", "trust ref")
AMEND_WORDS = ("recommended amendments", "recommended amendment", "amendments recommended", "amendments",
               "amendment", "proposed amendments", "proposed changes", "summary of changes", "changes", "recommendation",
               "recommendations", "update", "updates", "details of update", "details", "description", "what has changed")
LINK_WORDS = ("link", "url", "web address", "address", "location", "hyperlink")


@dataclass(frozen=True, slots=True)
class PlanRow:
    where: str  # "Plan, row 14" or "table 2, row 5": what the person is told
    title: str
    ref: str
    link: str
    amendments: str
    section: str  # the merged title row above it ("Section 3: Children in Care"), if any

    @property
    def no_change(self) -> bool:
        return norm_heading(self.amendments) in NO_CHANGE or not self.amendments.strip()


@dataclass(frozen=True, slots=True)
class Grid:
    """A sheet or a Word table: its name (for 'row N of ...'), its cells, and each row's number as the person sees it."""

    name: str
    cells: Sequence[Sequence[Any]]
    numbers: Sequence[int] = ()

    def number(self, i: int) -> int:
        return self.numbers[i] if i < len(self.numbers) else i + 1


@dataclass(frozen=True, slots=True)
class Columns:
    title: int
    amendments: int
    ref: int | None = None
    link: int | None = None


def _text(value: Any) -> str:
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def _pick(headings: list[str], words: Sequence[str], taken: set[int]) -> int | None:
    """The column whose heading is the earliest of `words` exactly, else one that starts with or holds it."""
    for exact in (True, False):
        for w in words:
            for i, h in enumerate(headings):
                if i in taken or not h:
                    continue
                if h == w if exact else (h.startswith(w + " ") or f" {w}" in f" {h}"):
                    return i
    return None


def columns_of(row: Sequence[Any]) -> Columns | None:
    """The plan's columns if this row is its heading row: it names a chapter and its amendments."""
    headings = [norm_heading(v) if isinstance(v, str) else "" for v in row]
    if sum(1 for h in headings if h) < 2:
        return None
    taken: set[int] = set()
    amend = _pick(headings, AMEND_WORDS, taken)
    if amend is None:
        return None
    taken.add(amend)
    title = _pick(headings, TITLE_WORDS, taken)
    if title is None:
        return None
    taken.add(title)
    ref = _pick(headings, REF_WORDS, taken)
    if ref is not None:
        taken.add(ref)
    link = _pick(headings, LINK_WORDS, taken)
    return Columns(title, amend, ref, link)


def _cell(row: Sequence[Any], i: int | None) -> str:
    return _text(row[i]) if i is not None and i < len(row) else ""


def _section_title(row: Sequence[Any]) -> str | None:
    """A merged title row: one value across every non-empty cell (merged cells read as their value)."""
    values = {_text(v) for v in row if not is_blank(v)}
    return values.pop() if len(values) == 1 else None


_URL = re.compile(r"https?://\S+", re.IGNORECASE)


def rows_of(grid: Grid, label: str) -> list[PlanRow]:
    """The plan's rows in one grid, from its heading row on ([] when it has none)."""
    cells = grid.cells
    start = next((i for i, r in enumerate(cells[:SCAN]) if columns_of(r) is not None), None)
    if start is None:
        return []
    cols = columns_of(cells[start])
    assert cols is not None
    heading = [norm_heading(v) if isinstance(v, str) else "" for v in cells[start]]
    out: list[PlanRow] = []
    section = ""
    for i in range(start + 1, len(cells)):
        row = cells[i]
        if all(is_blank(v) for v in row):
            continue
        if [norm_heading(v) if isinstance(v, str) else "" for v in row] == heading:
            continue  # the headings again (every page, every table)
        title, amend = _cell(row, cols.title), _cell(row, cols.amendments)
        if title and title == amend and (section_title := _section_title(row)):
            section = section_title  # a merged row across the table: a section of the manual
            continue
        if not title and not _cell(row, cols.ref):
            continue
        link = _cell(row, cols.link)
        found = _URL.search(link) or next((m for v in row if isinstance(v, str) and (m := _URL.search(v))), None)
        out.append(PlanRow(where=f"{label}, row {grid.number(i)}", title=title, ref=_cell(row, cols.ref),
                           link=found.group(0).rstrip(").,;") if found else "", amendments=amend, section=section))
    return out


def plan_rows(grids: Sequence[Grid]) -> list[PlanRow]:
    """Every grid's plan rows, each labelled by its grid when there are several."""
    out: list[PlanRow] = []
    for grid in grids:
        out += rows_of(grid, grid.name)
    return out
