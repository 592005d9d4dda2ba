"""A realistic, messy tracker spreadsheet as organisations keep them, written for the tests.

Title rows above a two-row heading with merged cells, blank rows, trailing spaces, dates typed
every which way (and Excel date cells and serial numbers), a person spelt two ways, a near-miss
spelling, an unknown person, an ambiguous initial, an impossible date, a duplicate row and a row
with no RSM.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from openpyxl import Workbook

URL = "https://manual.example.org/chapters/"

# (row number, values A..K); None leaves the row blank.
HEADINGS_4 = ["Ref", "Title ", "Type", "Service Area", "Owners", None, "Review", None, "Manual link", "Status", "Comments"]
HEADINGS_5 = [None, None, None, None, "Responsible Officer", "RSM", "Last", "Next Review To Be Completed By", None, None, None]

ROWS: dict[int, list] = {
    7: ["PP-001", "Children Missing from Home and Care", "Procedure", "Safeguarding", "Alex Dunmore ", "Morgan Reyes",
        "14/03/2025", datetime(2026, 3, 14), URL + "pp-001.html", "Published", "Chapter 1 "],
    8: ["PP-002", "Section 47 Enquiries", "procedure", "Safeguarding", "Dunmore,  Alex", "morgan.reyes@example.org",
        "14-3-25", "14 March 2027", URL + "pp-002.html", "current", None],
    10: [None, "Kinship Care Assessments  ", "Procedure", "Children in Care", "Jamie Castellan", "Jordan Whitfield",
         "Mar 2025", 46100, "www.manual.example.org/chapters/kinship.html", "Live", "New in 2025"],
    11: ["PP-003", "Strategy Discussions and Meetings", "Procedure", "Safeguarding", "Pat Nobody", "Morgan Reyes",
         "01/02/2025", "01/02/2027", URL + "pp-003.html", "Published", None],
    12: ["PP-004", "Initial Child Protection Conferences", "Procedure", "Safeguarding", "Frankie Osei", "Morgan Reyes",
         "01/02/2025", "31/02/2025", URL + "pp-004.html", "Published", None],
    13: ["PP-001", "Children Missing from Home and Care", "Procedure", "Safeguarding", "Alex Dunmore ", "Morgan Reyes",
         "14/03/2025", datetime(2026, 3, 14), URL + "pp-001.html", "Published", "Chapter 1 "],
    14: [None, "Privately Arranged Placements", "Practice Guidance", "Children in Care", None, "Jordan Whitfield",
         "2025-03-14", "Mar 2027", None, "Draft", None],
    15: ["PP-010", "Domestic Abuse", "Practice guidance", "Safeguarding", "Drew Ashbey", "Casey Lindqvist",
         date(2025, 6, 30), "30th June 2026", URL + "pp-010.html", "Published", "Due: chase"],
    16: [None, "Young Carers", "Procedure", "Early Help", "Drew Ashby", None, None, "01/09/2027", None, "Draft", None],
    17: ["PP-011", "Safeguarding Policy", "Policy", "Directorate", "S. Taylor", "Avery Holm", "01/01/2026",
         "01/01/2027", URL + "pp-011.html", "Published", None],
}

EXPECTED_REJECTED = [
    "row 11: Responsible Officer 'Pat Nobody' is not in the directory",
    "row 12: Next Review To Be Completed By '31/02/2025' is not a real date: February 2025 has 28 days",
    "row 13: duplicate of row 7 (same reference PP-001)",
    "row 16: no Responsible Strategic Manager: every document needs one, who stands in as RO when none is named (NCT-1)",
    "row 17: Responsible Officer 'S. Taylor' could be Sam Taylor (sam.taylor@example.org) or "
    "Sian Taylor (sian.taylor@example.org): use their email address",
]
GOOD_ROWS = (7, 8, 10, 14, 15)

# Two people whose initials collide, added to the demo directory by the tests.
TAYLORS = [("sam-taylor", "Sam Taylor", "sam.taylor@example.org"), ("sian-taylor", "Sian Taylor", "sian.taylor@example.org")]


def write_messy_tracker(path: Path, rows: dict[int, list] | None = None) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Procedures Manual Tracker"
    ws["A1"] = "Demo Children's Trust - Procedures Manual Tracker"
    ws.merge_cells("A1:K1")
    ws["A2"] = "Maintained by the Policy and Procedures Officer. Last updated 01/11/2026"
    ws.merge_cells("A2:K2")
    for c, text in enumerate(HEADINGS_4, start=1):
        if text is not None:
            ws.cell(4, c, text)
    for c, text in enumerate(HEADINGS_5, start=1):
        if text is not None:
            ws.cell(5, c, text)
    for col in "ABCDIJK":
        ws.merge_cells(f"{col}4:{col}5")
    ws.merge_cells("E4:F4")
    ws.merge_cells("G4:H4")
    for r, values in (rows or ROWS).items():
        for c, v in enumerate(values, start=1):
            if v is not None:
                cell = ws.cell(r, c, v)
                if isinstance(v, (date, datetime)):
                    cell.number_format = "dd/mm/yyyy"
    wb.save(path)
    return path


# ====================================================================== real shapes, 150-400 rows
#
# Four trackers as organisations keep them, each written as .xlsx and as the "CSV UTF-8" Excel
# would export from it (dates as displayed, a merged cell's value once, BOM, CRLF, line breaks
# inside quoted cells). Every row knows what the import must do with it: the tests compare.

import csv as _csv  # noqa: E402
import random  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402

from openpyxl.styles import Font  # noqa: E402
from openpyxl.utils import get_column_letter  # noqa: E402

LEAVER = ("lee-gone", "Lee Gone", "lee.gone@example.org")  # in the directory, account disabled
ROS = [("ro-1", "Alex Dunmore"), ("ro-2", "Jamie Castellan"), ("ro-3", "Charlie Vance"), ("ro-4", "Drew Ashby"),
       ("ro-5", "Elliot Marr"), ("ro-6", "Frankie Osei")]
RSMS = [("rsm-safeguarding", "Morgan Reyes"), ("rsm-cla", "Jordan Whitfield"), ("rsm-early-help", "Casey Lindqvist"),
        ("rsm-adults", "Robin Achebe")]
TOPICS = ["Visits", "Referrals", "Care Plans", "Panels", "Transitions", "Assessments", "Supervision", "Recording",
          "Complaints", "Consent", "Escalation", "Information Sharing"]
SECTIONS = ["SAFEGUARDING", "Children in Care", "Early Help", "Adults", "Corporate"]


def email_of(name: str) -> str:
    return name.lower().replace(" ", ".").replace("-", "") + "@example.org"


@dataclass(frozen=True)
class Shown:
    """An Excel date cell and the format it is displayed in (what its CSV export says)."""

    value: date
    fmt: str  # openpyxl number format

    def text(self) -> str:
        return {"dd/mm/yyyy": self.value.strftime("%d/%m/%Y"), "d mmm yyyy": f"{self.value.day} {self.value:%b %Y}",
                "dd/mm/yy": self.value.strftime("%d/%m/%y"), "yyyy-mm-dd": self.value.isoformat()}[self.fmt]


@dataclass
class Row:
    cells: dict[str, object]
    outcome: str = "taken"  # taken | flagged | rejected | skipped
    why: str = ""  # a phrase the reason must contain
    hidden: bool = False
    merged: bool = False  # a section heading merged across the table


@dataclass
class Tracker:
    name: str
    sheet: str
    columns: list[tuple[str, str]]  # (field key, heading as written)
    rows: list[Row]
    above: list[list] = field(default_factory=list)  # title, subtitle, banner rows (values by table column)
    merged_above: list[tuple[int, int, int]] = field(default_factory=list)  # (row in `above`, first col, last col)
    start_col: int = 0  # 0-based: the table may start in a column other than A
    notes: list[str] = field(default_factory=list)  # a legend or notes below the table
    other_sheets: list[tuple[str, list[list]]] = field(default_factory=list)  # (name, rows), written before
    hidden_columns: tuple[int, ...] = ()  # table column indexes hidden in Excel

    @property
    def header_row(self) -> int:  # 1-based, as Excel shows it
        return len(self.above) + 1

    def row_number(self, i: int) -> int:
        return self.header_row + 1 + i

    def expected(self) -> list[tuple[int, str, str]]:
        out = [(self.row_number(i), r.outcome, r.why) for i, r in enumerate(self.rows)]
        first = self.row_number(len(self.rows))
        out += [(first + k, "skipped", "below the table") for k in range(len(self.notes))]
        return out

    def grid(self, *, for_csv: bool) -> list[list]:
        width = self.start_col + len(self.columns)
        lines = []
        for r, values in enumerate(self.above):
            line = [None] * self.start_col + list(values) + [None] * (len(self.columns) - len(values))
            if not for_csv:  # merged: Excel shows the value across the range
                for (mr, c1, c2) in self.merged_above:
                    if mr == r:
                        for c in range(c1 + 1, c2 + 1):
                            line[self.start_col + c] = None
            lines.append(line)
        lines.append([None] * self.start_col + [h for _k, h in self.columns])
        for row in self.rows:
            line = [None] * width
            for c, (key, _h) in enumerate(self.columns):
                v = row.cells.get(key)
                line[self.start_col + c] = (v.text() if isinstance(v, Shown) else v) if for_csv else v
            if row.merged:  # a section heading typed in the first column, merged across
                line = [None] * self.start_col + [row.cells["_section"]] + [None] * (len(self.columns) - 1)
            lines.append(line)
        for note in self.notes:
            lines.append([None] * self.start_col + [note] + [None] * (len(self.columns) - 1))
        return lines

    def write_xlsx(self, path: Path) -> Path:
        wb = Workbook()
        wb.remove(wb.active)
        for name, rows in self.other_sheets:
            ws = wb.create_sheet(name)
            for row in rows:
                ws.append(row)
        ws = wb.create_sheet(self.sheet)
        grid = self.grid(for_csv=False)
        for r, line in enumerate(grid, start=1):
            for c, v in enumerate(line, start=1):
                if v is None:
                    continue
                if isinstance(v, Shown):
                    cell = ws.cell(r, c, v.value)
                    cell.number_format = v.fmt
                else:
                    ws.cell(r, c, v)
        for (mr, c1, c2) in self.merged_above:
            ws.merge_cells(start_row=mr + 1, start_column=self.start_col + c1 + 1, end_row=mr + 1,
                           end_column=self.start_col + c2 + 1)
        for i, row in enumerate(self.rows):
            r = self.row_number(i)
            if row.merged:
                ws.merge_cells(start_row=r, start_column=self.start_col + 1, end_row=r,
                               end_column=self.start_col + len(self.columns))
            if row.hidden:
                ws.row_dimensions[r].hidden = True
        for c in self.hidden_columns:
            ws.column_dimensions[get_column_letter(self.start_col + c + 1)].hidden = True
        for c in range(len(self.columns)):
            ws.cell(self.header_row, self.start_col + c + 1).font = Font(bold=True)
        ws.freeze_panes = ws.cell(self.header_row + 1, self.start_col + 1).coordinate
        ws.auto_filter.ref = (f"{ws.cell(self.header_row, self.start_col + 1).coordinate}:"
                              f"{ws.cell(len(grid), self.start_col + len(self.columns)).coordinate}")
        wb.active = wb.sheetnames.index(self.sheet)
        wb.save(path)
        return path

    def write_csv(self, path: Path) -> Path:
        """As Excel's "CSV UTF-8 (Comma delimited)" writes the tracker's sheet."""
        with path.open("w", encoding="utf-8-sig", newline="") as f:
            w = _csv.writer(f, lineterminator="\r\n")
            for line in self.grid(for_csv=True):
                w.writerow(["" if v is None else v for v in line])
        return path


def _spell(name: str, k: int) -> str:
    first, last = name.split(" ", 1)
    return [name, name.upper(), f"{last}, {first}", f"  {name.lower()} ", email_of(name), f"{last.upper()},  {first}"][k % 6]


def _date(d: date, k: int) -> object:
    forms = [lambda: Shown(d, "dd/mm/yyyy"), lambda: Shown(d, "d mmm yyyy"), lambda: d.strftime("%d/%m/%y"),
             lambda: f"{d.day} {d:%b %Y}", lambda: d.isoformat(), lambda: Shown(d, "dd/mm/yy"),
             lambda: f"{d.day}{'st' if d.day in (1, 21, 31) else 'nd' if d.day in (2, 22) else 'rd' if d.day in (3, 23) else 'th'} {d:%B %Y}"]
    return forms[k % len(forms)]()


TYPE_SPELLINGS = ["Procedure", "procedure ", "Practice Guidance", "PG", "Policy", "PROCEDURE", "Practice guidance"]
STATUS_SPELLINGS = ["Published", "current", "Live", "Draft", "Under review", "In date", "published "]


def _good(i: int, prefix: str, rng: random.Random) -> dict[str, object]:
    ro_id, ro = ROS[i % len(ROS)]
    _rsm_id, rsm = RSMS[i % len(RSMS)]
    last = date(2025, 1, 1) + timedelta(days=rng.randint(0, 300))
    nxt = last + timedelta(days=365)
    return {
        "ref": f"{prefix}-{i:04d}", "title": f"{TOPICS[i % len(TOPICS)]} procedure number {i}",
        "type": TYPE_SPELLINGS[i % len(TYPE_SPELLINGS)], "area": SECTIONS[i % len(SECTIONS)].title(),
        "ro": _spell(ro, i), "ro_email": email_of(ro), "rsm": _spell(rsm, i // 3), "rsm_email": email_of(rsm),
        "last": _date(last, i), "next": _date(nxt, i + 3), "link": f"https://manual.example.org/{prefix.lower()}/{i}",
        "status": STATUS_SPELLINGS[i % len(STATUS_SPELLINGS)], "notes": None if i % 4 else f"Chapter {i}",
        "version": f"{1 + i % 3}.{i % 2}",
    }


# The problems every tracker carries: (what to change in a good row, outcome, phrase of the reason).
# Each is applied only when the tracker has the columns it needs.
PROBLEMS: list[tuple[dict, str, str, tuple[str, ...]]] = [
    ({"ro": "Vacant", "ro_email": None}, "flagged", "RSM stands in as RO (NCT-1)", ("ro",)),
    ({"ro": "TBC", "ro_email": None}, "flagged", "RSM stands in as RO (NCT-1)", ("ro",)),
    ({"ro": "post advertised", "ro_email": None}, "flagged", "RSM stands in as RO (NCT-1)", ("ro",)),
    ({"ro": "Lee Gone", "ro_email": LEAVER[2]}, "flagged", "Lee Gone has left", ("ro",)),
    ({"rsm": "Morgan Reyes / Jordan Whitfield", "rsm_email": None}, "taken", "added", ("rsm",)),
    ({"rsm": "Casey Lindqvist & Robin Achebe", "rsm_email": None}, "taken", "added", ("rsm",)),
    ({"ro": "Alex Dunmore; Drew Ashby", "ro_email": None}, "rejected", "names 2 people", ("ro",)),
    ({"ro": "S. Taylor", "ro_email": None}, "rejected", "could be Sam Taylor", ("ro",)),
    ({"rsm": "Pat Nobody", "rsm_email": None}, "rejected", "'Pat Nobody' is not in the directory", ("rsm",)),
    ({"type": "Leaflet"}, "rejected", "'Leaflet' is not a document type I know", ("type",)),
    ({"status": "Parked"}, "rejected", "'Parked' is not a status I know", ("status",)),
    ({"next": "12/25/2026"}, "rejected", "'12/25/2026' is not a real date: there is no month 25", ("next",)),
    ({"next": "31/02/2026"}, "rejected", "February 2026 has 28 days", ("next",)),
    ({"last": "01/06/2026", "next": "01/01/2026"}, "flagged", "is before the last review", ("last", "next")),
    ({"next": "TBC"}, "taken", "added", ("next",)),
    ({"last": "n/a", "next": "never"}, "taken", "added", ("last", "next")),
    ({"rsm": "", "rsm_email": None, "ro": "", "ro_email": None}, "rejected", "no Responsible Strategic Manager", ("rsm",)),
    ({"title": ""}, "rejected", "no title", ("title",)),
    ({"notes": "Chased 01/10/2026\nAwaiting RSM sign off\r\nthen publish"}, "taken", "added", ("notes",)),
    ({"summary": "What to do.\nWho does it.\nBy when."}, "taken", "added", ("summary",)),
]


def build_rows(n: int, prefix: str, keys: set[str], seed: int, *, sections: bool = True) -> list[Row]:
    """n rows: good ones, every problem above (where the columns allow), a duplicate, an update of a
    demo document, section headings, blank and all-space rows, and hidden rows."""
    rng = random.Random(seed)
    rows: list[Row] = []
    pending = [p for p in PROBLEMS if set(p[3]) <= keys]
    i = 0
    while len(rows) < n:
        i += 1
        if sections and i % 45 == 1:
            rows.append(Row({"_section": SECTIONS[(i // 45) % len(SECTIONS)]}, "skipped", "a section heading", merged=True))
            continue
        if i % 37 == 0:
            rows.append(Row({}, "skipped", "blank row"))
            continue
        if i % 53 == 0:
            rows.append(Row({k: "   " for k in keys}, "skipped", "blank row"))
            continue
        cells = _good(i, prefix, rng)
        row = Row(cells, "taken", "added", hidden=(i % 61 == 0))
        if i % 7 == 0 and pending:
            change, outcome, why, _needs = pending.pop(0)
            cells.update(change)
            row.outcome, row.why = outcome, why
        rows.append(row)
    # An update of a demo document by its reference or title, and a duplicate of an earlier row.
    first_good = next(j for j, r in enumerate(rows) if r.outcome == "taken" and r.cells.get("title"))
    dup = dict(rows[first_good].cells)
    rows.insert(len(rows) // 2, Row(dup, "rejected", "duplicate of row"))
    demo = dict(_good(999, prefix, rng))
    demo.update({"ref": "PP-001", "title": "Children Missing from Home and Care", "type": "Procedure",
                 "ro": "Alex Dunmore", "ro_email": email_of("Alex Dunmore"), "rsm": "Morgan Reyes",
                 "rsm_email": email_of("Morgan Reyes")})
    rows.insert(3, Row(demo, "taken", "updated"))
    rows = rows[:n]
    while rows[-1].outcome != "taken":
        rows.pop()
    return rows


def nct_tracker(n: int = 300) -> Tracker:
    """NCT's "Procedures Manual Tracker": title and subtitle merged above, a banner row grouping the
    columns, the heading split over two lines in a cell, a hidden column, section headings merged
    across, a key below."""
    columns = [("ref", "Ref"), ("title", "Procedure Title"), ("type", "Type"), ("area", "Service Area"),
               ("ro", "Responsible Officer (RO)"), ("rsm", "Responsible Strategic Manager (RSM)"),
               ("last", "Last Review"), ("next", "Next Review\nTo Be Completed By"), ("link", "Tri.x link"),
               ("status", "Status"), ("notes", "Comments")]
    keys = {k for k, _h in columns}
    return Tracker(
        "nct", "Procedures Manual Tracker", columns, build_rows(n, "NCT", keys, 1),
        above=[["Northamptonshire Children's Trust - Procedures Manual Tracker"],
               ["Maintained by the Policy and Procedures Officer. Last updated 01/11/2026"], [],
               ["Document", None, None, None, "Ownership", None, "Review"]],
        merged_above=[(0, 0, 10), (1, 0, 10), (3, 0, 3), (3, 4, 5), (3, 6, 7)],
        hidden_columns=(8,),
        notes=["Key: red = overdue, amber = due within 30 days",
               "RO = Responsible Officer; RSM = Responsible Strategic Manager (NCT-1)"],
    )


def council_tracker(n: int = 250) -> Tracker:
    """A council's document list: a cover sheet, a lookups sheet and an archive beside the register,
    the table starting in column B under five rows of titles, owners with their email addresses."""
    columns = [("ref", "Doc ID"), ("title", "Document name"), ("type", "Document type"), ("area", "Directorate"),
               ("ro", "Owner"), ("ro_email", "Owner email"), ("rsm", "Approver"), ("rsm_email", "Approver e-mail"),
               ("last", "Last reviewed"), ("next", "Review date"), ("version", "Version"), ("status", "Status"),
               ("notes", "Notes")]
    keys = {k for k, _h in columns}
    archive = [[h for _k, h in columns]] + [[f"ARC-{i:03d}", f"Old document {i}", "Policy", "Adults", "Elliot Marr",
                                             None, "Robin Achebe", None, "01/01/2019", "01/01/2020", "1.0", "Withdrawn",
                                             None] for i in range(1, 21)]
    return Tracker(
        "council", "Document list", columns, build_rows(n, "ABC", keys, 2),
        above=[["Anytown Borough Council"], ["Adult Social Care and Children's Services: policy and procedure documents"],
               [], ["Please do not sort this sheet"], []],
        start_col=1,
        other_sheets=[("Cover", [["Anytown Borough Council"], ["Document register"], ["Owner: Governance team"]]),
                      ("Lookups", [["Type", "Status"], ["Policy", "Current"], ["Procedure", "Draft"]]),
                      ("Archive", archive)],
        notes=["Total documents listed above are reviewed by the Governance Board"],
    )


def csv_tracker(n: int = 200) -> Tracker:
    """A list exported from SharePoint as CSV: one line above the headings, summaries with line breaks."""
    columns = [("title", "Title"), ("ro", "Lead officer"), ("rsm", "Sign off"), ("next", "Review due"),
               ("summary", "Summary"), ("ref", "Ref"), ("type", "Doc type"), ("status", "Status")]
    keys = {k for k, _h in columns}
    rows = build_rows(n, "SP", keys, 3, sections=False)
    for i, r in enumerate(rows):
        if r.outcome != "skipped" and i % 5 == 0 and not r.cells.get("summary"):
            r.cells["summary"] = f"First line of the summary.\nSecond line {i}."
    return Tracker("csv", "Policies", columns, rows, above=[["Exported from the SharePoint list 'Policies' on 02/12/2026"]])


def minimal_tracker(n: int = 160) -> Tracker:
    """Three columns and nothing else."""
    columns = [("title", "Title"), ("rsm", "RSM"), ("next", "Next review")]
    return Tracker("minimal", "Sheet1", columns, build_rows(n, "MIN", {k for k, _h in columns}, 4),
                   notes=["Notes: ask Priya before adding rows"])


TRACKERS = {"nct": nct_tracker, "council": council_tracker, "csv": csv_tracker, "minimal": minimal_tracker}
