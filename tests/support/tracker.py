"""A realistic, messy tracker spreadsheet as organisations keep them, written for the tests.

Title rows above a two-row heading with merged cells, blank rows, trailing spaces, dates typed
every which way (and Excel date cells and serial numbers), a person spelt two ways, a near-miss
spelling, an unknown person, an ambiguous initial, an impossible date, a duplicate row and a row
with no RSM.
"""

from __future__ import annotations

from datetime import date, datetime
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
