"""The directory and spreadsheets: people as an outside source describes them, and sheets as a
person sees them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class DirectoryEntry:
    """One person as a directory source (a CSV file, Microsoft Entra ID) describes them."""

    name: str
    email: str | None
    aad_object_id: str | None = None
    person_id: str | None = None
    job_title: str | None = None
    service_area: str | None = None
    active: bool = True
    manager: str | None = None  # an Entra object id (Graph) or an email or name (CSV)
    roles: frozenset[str] | None = None  # None: this source does not give roles


class DirectorySource(Protocol):
    tenant_id: str

    async def read(self, role_groups: Mapping[str, str]) -> tuple[list[DirectoryEntry], frozenset[str]]:
        """(entries, the roles this source manages: those follow its groups, others are left alone)."""
        ...


class PeopleFileReader(Protocol):
    def read(self, path: Path) -> tuple[list[DirectoryEntry], list[str]]:
        """(entries, rejected rows as 'row N: why'); BadInput for a file it cannot read."""
        ...


@dataclass(frozen=True, slots=True)
class Sheet:
    """One sheet as a person sees it: values (Excel date cells as dates), merged ranges filled with
    their value, hidden rows and columns named, and links kept. Row and column numbers are 0-based.

    `row_numbers[i]` is the number a person is told for row i: the row as Excel shows it, or for a
    CSV file the line on which the record starts (a quoted cell may hold line breaks); empty means
    i + 1. When written, `heading_row` is set bold with filters and the panes frozen below it, and
    `fills` colours whole rows (RGB, e.g. "FFC7CE")."""

    name: str
    cells: tuple[tuple[Any, ...], ...]
    hidden_rows: frozenset[int] = frozenset()
    hidden_columns: frozenset[int] = frozenset()
    links: Mapping[tuple[int, int], str] = field(default_factory=dict)
    visible: bool = True
    row_numbers: tuple[int, ...] = ()
    heading_row: int | None = None
    fills: Mapping[int, str] = field(default_factory=dict)

    def number(self, row: int) -> int:
        return self.row_numbers[row] if row < len(self.row_numbers) else row + 1


@dataclass(frozen=True, slots=True)
class Workbook:
    filename: str
    sheets: tuple[Sheet, ...]
    kind: str  # "xlsx" or "csv"


class SpreadsheetReader(Protocol):
    """.xlsx and .csv files (connectors/spreadsheets.py). The use cases see only these records."""

    def read(self, path: Path) -> Workbook:
        """Raises services.errors.BadInput with a plain reason for a file it cannot open."""
        ...

    def write(self, path: Path, workbook: Workbook) -> None:
        """Write .xlsx (every sheet) or .csv (the first sheet, UTF-8 with a BOM), by the path's suffix."""
        ...
