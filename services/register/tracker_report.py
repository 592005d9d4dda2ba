"""What an import did or would do, row by row, in plain words: on the command line, on the chat
card, and as a spreadsheet the person can open beside their tracker.

Every row below the headings has one outcome: taken (added, updated or unchanged), flagged (taken,
but someone should look at it), rejected (not taken, and why) or skipped (blank, a section
heading, a note below the table). Rows are numbered as Excel shows them; for a CSV file the line
the record starts on is given too (a cell with line breaks spans several lines).
"""

from __future__ import annotations

from typing import Any
from dataclasses import dataclass, field

from services.ports import Sheet, Workbook
from services.register.tracker_plan import Change
from services.register.tracker_rows import Rejected
from services.register.tracker_table import Column
from services.register.tracker_words import FIELD_LABELS

KIND_WORDS = {"add": "added", "update": "updated", "unchanged": "unchanged"}


@dataclass(frozen=True)
class RowOutcome:
    row: int
    line: int | None
    outcome: str  # taken | flagged | rejected | skipped
    reason: str
    ref: str = ""
    title: str = ""

    @property
    def where(self) -> str:
        return f"row {self.row}" + (f" (line {self.line})" if self.line and self.line != self.row else "")


@dataclass(frozen=True)
class Skipped:
    row: int
    reason: str
    line: int | None = None


REPORT_LINK_HOURS = 2  # how long a preview's link to its .xlsx report opens


@dataclass
class ImportReport:
    filename: str
    sheet: str | None
    header_row: int  # as Excel shows it
    columns: tuple[Column, ...]
    rows_read: int
    changes: list[Change]
    rejected: list[Rejected]
    dry_run: bool
    skip_bad: bool
    skipped: list[Skipped] = field(default_factory=list)
    other_sheets: tuple[str, ...] = ()
    hidden_rows: tuple[int, ...] = ()
    kind: str = "xlsx"
    mapping_text: str = ""
    applied: bool = False
    run_id: int | None = None
    directory_empty: bool = False

    def count(self, kind: str) -> int:
        return sum(1 for c in self.changes if c.kind == kind)

    @property
    def flagged(self) -> list[Change]:
        return [c for c in self.changes if c.flags]

    @property
    def ok(self) -> bool:
        return not self.rejected

    @property
    def changes_anything(self) -> bool:
        return any(c.kind != "unchanged" for c in self.changes)

    def rejected_lines(self) -> list[str]:
        return [f"row {r.row}: {r.reason}" for r in self.rejected]

    def outcomes(self) -> list[RowOutcome]:
        out = [RowOutcome(r.row, r.line, "rejected", r.reason) for r in self.rejected]
        out += [RowOutcome(s.row, s.line, "skipped", s.reason) for s in self.skipped]
        for c in self.changes:
            what = KIND_WORDS[c.kind] if not self.dry_run or c.kind == "unchanged" else f"to be {KIND_WORDS[c.kind]}"
            reason = "; ".join([what, *c.flags]) if c.flags else what
            out.append(RowOutcome(c.row, c.line, "flagged" if c.flags else "taken", reason, c.ref, c.title))
        return sorted(out, key=lambda o: o.row)

    def counts(self) -> dict[str, int]:
        out = {"taken": 0, "flagged": 0, "rejected": 0, "skipped": 0}
        for o in self.outcomes():
            out[o.outcome] += 1
        return out

    def column_lines(self) -> list[str]:
        out = []
        for c in self.columns:
            if c.field == "ignore":
                target = "ignored"
            elif c.field:
                target = FIELD_LABELS.get(c.field, c.field) + ("" if c.confidence >= 100 else f" ({c.confidence}% sure)")
            else:
                target = "kept as the organisation's own column"
            out.append(f"column {c.letter} '{c.heading}' -> {target}" + (" (hidden in Excel)" if c.hidden else ""))
        return out

    def summary(self) -> str:
        n = self.counts()
        return (f"{self.rows_read} rows read: {self.count('add')} to add, {self.count('update')} to update, "
                f"{self.count('unchanged')} unchanged, {len(self.rejected)} rejected. "
                f"Row by row: {n['taken']} taken, {n['flagged']} flagged, {n['rejected']} rejected, {n['skipped']} skipped.")

    def lines(self, *, verbose: bool = True) -> list[str]:  # noqa: C901 - one paragraph per part of the report
        out = [f"Tracker: {self.filename}" + (f", sheet '{self.sheet}'" if self.sheet and self.kind != "csv" else "")
               + f", headings on row {self.header_row}"]
        out += [f"  {x}" for x in self.column_lines()]
        for other in self.other_sheets:
            out.append(f"  other sheet {other}: not read")
        if self.hidden_rows:
            out.append(f"  rows hidden in Excel (read like the others): {', '.join(map(str, self.hidden_rows))}")
        out.append(self.summary().split(" Row by row")[0])
        out.append("Row by row:" + self.summary().split("Row by row:")[1])
        if self.rejected:
            if self.skip_bad and not self.dry_run:
                out.append("Rejected rows (left out; the other rows were imported):")
            else:
                out.append("Rejected rows (nothing was imported; correct them and run again, or use --skip-bad "
                           "to import the other rows):")
            out += [f"  {line}" for line in self.rejected_lines()]
            if self.directory_empty:
                out.append("The directory is empty: load it first ('policybot directory load people.csv' or "
                           "'policybot directory sync').")
        if self.flagged:
            out.append("Flagged rows (taken; please check):")
            out += [f"  row {c.row}: {c.ref} {c.title}: {'; '.join(c.flags)}" for c in self.flagged]
        if verbose:
            for c in self.changes:
                if c.kind == "add":
                    out.append(f"  + row {c.row}: {c.ref} {c.title} (new)")
                elif c.kind == "update":
                    what = "; ".join(f"{w} '{b}' -> '{a}'" for w, b, a in c.diffs)
                    out.append(f"  ~ row {c.row}: {c.ref} {c.title}: {what}")
                for note in c.notes:
                    out.append(f"    note: {note}")
            for s in self.skipped:
                if s.reason != "blank row":
                    out.append(f"  - row {s.row}: skipped, {s.reason}")
        if not self.dry_run and (self.ok or self.skip_bad) and not self.applied:
            out.append("Nothing to change: the register already matches the tracker.")
        if self.applied:
            out.append(f"Imported: {self.count('add')} added, {self.count('update')} updated, {self.count('unchanged')} unchanged.")
        elif self.dry_run and self.ok:
            out.append("Dry run: nothing was changed. Run again without --dry-run to import.")
        elif self.dry_run:
            out.append("Dry run: nothing was changed.")
        return out

    @property
    def report_name(self) -> str:
        return f"{self.filename} import report.xlsx"

    def workbook(self) -> Workbook:
        """The report as a spreadsheet: every row's outcome, the columns as read, the differences."""
        fills = {"flagged": "FFEB9C", "rejected": "FFC7CE"}
        rows: list[tuple[Any, ...]] = [("Row", "CSV line", "Outcome", "Ref", "Title", "Why")]
        row_fills: dict[int, str] = {}
        for o in self.outcomes():
            if o.outcome in fills:
                row_fills[len(rows)] = fills[o.outcome]
            rows.append((o.row, o.line, o.outcome.capitalize(), o.ref, o.title, o.reason))
        diffs: list[tuple[Any, ...]] = [("Row", "Ref", "Title", "What", "Before", "After")]
        for c in self.changes:
            for what, before, after in c.diffs:
                diffs.append((c.row, c.ref, c.title, what, before, after))
        cols: list[tuple[Any, ...]] = [("Column", "Heading", "Read as", "Confidence")]
        for col in self.columns:
            cols.append((col.letter, col.heading, FIELD_LABELS.get(col.field or "", col.field or "kept as your own column"),
                         col.confidence or None))
        return Workbook(self.report_name, (
            Sheet("Rows", tuple(rows), heading_row=0, fills=row_fills),
            Sheet("Changes", tuple(diffs), heading_row=0),
            Sheet("Columns", tuple(cols), heading_row=0),
        ), "xlsx")
