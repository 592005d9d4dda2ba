"""The publisher's update plan as NCT's PPO receives it (NCT-3): a few title lines, a heading row worded
the publisher's way, a merged row naming each section of the manual, blank rows, the headings repeated
part-way down, 'No change' rows, and hundreds of chapters, most of which no local procedure adapts.
Built as rows, then as a real .xlsx (openpyxl, merged cells) or a real Word table (python-docx)."""

from __future__ import annotations

import io

HEADING = ["Chapter Ref.", "Chapter Title", "Link", "Recommended Amendments"]

# (ref, title, link, amendments): the rows that touch the demo register's local procedures
MATCHING = [
    ("1.2.1", "Children Missing from Home and Care", "",
     "Updated to reflect the revised statutory guidance on children who run away or go missing (2026): return home "
     "interviews within 72 hours."),
    ("1.2.1", "Children Missing from Home and Care", "",
     "New section on the National Referral Mechanism where exploitation is suspected."),
    ("PP 21", "Leaving Care Services", "", "Personal adviser support extended to 25 for all care leavers."),
    ("3.1.4", "Early Help Assessments", "https://manual.example.org/chapters/pp-026.html",
     "Family Help reforms: the lead practitioner replaces the lead professional."),
    ("4.2", "Private Fostering (Chapter 4.2)", "", "Notification timescales clarified; link to the new national leaflet."),
    ("2.7", "Allegations Against Staff and Volunteers (LADO)", "", "Working Together 2026: LADO thresholds amended."),
    ("4.1.3", "Placements in Foster Care", "", "Foster carers' delegated authority set out in the placement plan."),
]
CHAPTER = ("Placements in Foster Care", "https://manual.example.org/chapters/pp-017.html")  # PP-017 adapts it (synced manual)
SECTIONS = ["Section 1: Contacts, Referrals and Assessments", "Section 2: Child Protection", "Section 3: Early Help",
            "Section 4: Children in Care", "Section 5: Care Leavers", "Section 6: Adoption and Permanence"]
TOPICS = ["Remand to Local Authority Accommodation", "Secure Accommodation", "Children and Families Court Advisory Service",
          "Delegated Authority", "Placement Stability", "Sibling Placements", "Health Assessments for Looked After Children",
          "Education of Looked After Children", "Independent Visitors", "Advocacy Services", "Contact Arrangements",
          "Adoption Panel", "Special Guardianship", "Fostering for Adoption", "Life Story Work", "Missing Education",
          "Young Carers", "Disabled Children Assessments", "Pre-Birth Assessment", "Female Genital Mutilation",
          "Forced Marriage", "Honour Based Abuse", "Online Safety", "Bullying", "Neglect Toolkit", "Parental Mental Health",
          "Parents with Learning Disabilities", "Substance Misuse", "Gangs and Youth Violence", "Trafficking"]


def plan_rows(chapters: int = 320) -> list[list[str | None]]:
    """The plan's rows: `chapters` chapters over six merged section rows, the matching rows among them."""
    rows: list[list[str | None]] = [["Tri.x Update Plan: Northamptonshire Children's Trust Procedures Manual", None, None, None],
                                    ["Update due: March 2027. Please return by the submission deadline.", None, None, None],
                                    [None, None, None, None], list(HEADING)]
    per = chapters // len(SECTIONS)
    matching = iter(MATCHING)
    n = 0
    for s, section in enumerate(SECTIONS, start=1):
        rows.append([section] * 4)  # a merged title row
        for i in range(1, per + 1):
            n += 1
            topic = TOPICS[n % len(TOPICS)]
            amend = "No change" if n % 7 == 0 else f"Minor amendments to {topic.lower()} (paragraph {i % 9 + 1}); links updated."
            rows.append([f"{s}.{i}", f"{topic} ({s}.{i})", f"https://trixonline.example/nct/ch{s}_{i}.html", amend])
            if i == per // 2:
                m = next(matching, None)
                if m:
                    rows.append(list(m))
                rows.append([None, None, None, None])  # a blank row
            if s == 3 and i == 1:
                rows.append(list(HEADING))  # the headings again (a page break)
    for m in matching:
        rows.append(list(m))
    return rows


def plan_xlsx(rows: list[list[str | None]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Update Plan"
    for r, row in enumerate(rows, start=1):
        if row[0] and row.count(row[0]) == len(row) and row[0].startswith("Section"):
            ws.cell(r, 1, row[0])
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=len(row))
            continue
        for c, v in enumerate(row, start=1):
            if v is not None:
                ws.cell(r, c, v)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def plan_docx(rows: list[list[str | None]]) -> bytes:
    """A Word document: a heading, a paragraph, then the plan as one table from its heading row, with
    each section's row merged across the table."""
    from docx import Document

    doc = Document()
    doc.add_heading("Tri.x Update Plan: March 2027", level=1)
    doc.add_paragraph("The recommended amendments for each chapter of the manual are listed below.")
    body = rows[rows.index(HEADING):]
    table = doc.add_table(rows=len(body), cols=len(HEADING))
    for r, row in enumerate(body):
        cells = table.rows[r].cells
        if row[0] and row.count(row[0]) == len(row) and str(row[0]).startswith("Section"):
            merged = cells[0].merge(cells[-1])
            merged.text = row[0]
            continue
        for c, v in enumerate(row):
            cells[c].text = v or ""
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
