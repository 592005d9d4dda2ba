"""NCT-3: the publisher's update plan read as people make it: a real .xlsx (title lines, headings worded the
publisher's way, merged section rows, blank rows, the headings repeated, 'No change' rows, 320 chapters) and
the same plan as a real Word table, read through the real connectors, give the same rows."""

from __future__ import annotations

from connectors.spreadsheets import SpreadsheetFiles
from connectors.word.inspect import WordInspector
from services.updates.plan_match import match_plan, ref_key, title_keys
from services.updates.plan_rows import Grid, columns_of, plan_rows
from tests.support.update_plan import plan_docx, plan_rows as built, plan_xlsx


def test_nct_3_a_plan_of_hundreds_of_rows_reads_the_same_from_a_spreadsheet_and_a_word_table(tmp_path):
    rows = built()
    xlsx, docx = tmp_path / "Tri.x Update Plan March 2027.xlsx", tmp_path / "update plan.docx"
    xlsx.write_bytes(plan_xlsx(rows))
    docx.write_bytes(plan_docx(rows))
    book = SpreadsheetFiles().read(xlsx)
    from_sheet = plan_rows([Grid(s.name, s.cells, s.row_numbers) for s in book.sheets])
    from_word = plan_rows([Grid("the table", t) for t in WordInspector().tables(docx, docx.name)])
    chapters = [r for r in rows if r[0] and r[1] and r[0] != "Chapter Ref." and not str(r[0]).startswith("Section")]
    assert len(from_sheet) == len(chapters) == len(from_word)  # no title line, heading, section or blank row read as a chapter
    assert [(r.title, r.amendments) for r in from_sheet] == [(r.title, r.amendments) for r in from_word]
    first = from_sheet[0]
    assert (first.where, first.section) == ("Update Plan, row 6", "Section 1: Contacts, Referrals and Assessments")
    assert sum(r.no_change for r in from_sheet) == sum(1 for r in chapters if r[3] == "No change")


def test_nct_3_headings_are_read_in_their_many_wordings():
    assert columns_of(["Ref", "Procedure", "Proposed changes"]) is not None
    cols = columns_of(["No.", "Chapter Name", "Web address", "Summary of Changes"])
    assert cols is not None and (cols.ref, cols.title, cols.link, cols.amendments) == (0, 1, 2, 3)
    assert columns_of(["Tri.x Update Plan", None, None]) is None  # a title line is not the headings
    assert columns_of(["Title", "Owner", "Next review"]) is None  # a tracker is not a plan


def test_nct_3_rows_match_local_procedures_by_reference_link_and_title():
    class Doc:
        def __init__(self, i, ref, title, url):
            self.id, self.ref, self.title, self.manual_url, self.status = i, ref, title, url, "published"

    docs = [Doc(1, "PP-014", "Private Fostering", None), Doc(2, "PP-026", "Early Help", "https://m.example/pp-026.html"),
            Doc(3, "PP-030", "Old", None)]
    docs[2].status = "retired"
    grid = Grid("Plan", [["Ref", "Chapter", "Link", "Recommended amendments"],
                         ["pp 14", "Something else", None, "A"], [None, "Early Help Assessments", "http://m.example/pp-026.html/", "B"],
                         [None, "PRIVATE FOSTERING (Chapter 4.2)", None, "C"], [None, "Old", None, "D"], [None, "Nothing", None, "n/a"]])
    found = match_plan(plan_rows([grid]), docs)
    assert [(m.document.ref, m.how, len(m.rows)) for m in found.matches] == [("PP-014", "by reference", 2), ("PP-026", "by link", 1)]
    assert [r.title for r in found.unmatched] == ["Old"] and found.no_change == 1
    assert ref_key("PP-014") == ref_key("pp14") == ["PP14"] and title_keys("A & B (draft)") == ["a and b draft", "a and b"]
    assert title_keys("3.4.2 Private Fostering")[-1] == title_keys("Chapter 12: Private Fostering")[-1] == "private fostering"
    assert title_keys("Section 47 Enquiries") == ["section 47 enquiries"]


def test_nct_3_a_csv_plan_saved_from_excel_and_a_word_plan_in_several_tables(tmp_path):
    """NCT-3: a .csv saved from Excel (semicolons, Windows-1252, a title line) and a plan whose rows are
    spread over one Word table per section, each with its headings, are read row for row."""
    csv = tmp_path / "update plan.csv"
    csv.write_bytes("Tri.x update plan – March 2027;;\n;;\nProcedure;Ref;Proposed changes\n"
                    "Private Fostering;4.2;Notification timescales clarified\n;;\n"
                    "Staying Put;;No change\n".encode("cp1252"))
    book = SpreadsheetFiles().read(csv)
    rows = plan_rows([Grid(s.name, s.cells, s.row_numbers) for s in book.sheets])
    assert [(r.where, r.title, r.ref, r.no_change) for r in rows] == [
        ("update plan, row 4", "Private Fostering", "4.2", False), ("update plan, row 6", "Staying Put", "", True)]
    heading = ["Chapter", "Recommended amendments"]
    tables = [Grid("table 1", [heading, ["Secure Accommodation", "A"]]), Grid("table 2", [heading, ["Remand", "B"], ["", ""]])]
    assert [(r.where, r.title) for r in plan_rows(tables)] == [("table 1, row 2", "Secure Accommodation"), ("table 2, row 2", "Remand")]


def test_nct_3_a_row_naming_the_publishers_chapter_finds_the_procedure_that_links_to_it():
    """NCT-3: the plan says 'Placements in Foster Care' (the publisher's chapter); the register's PP-017 has
    another title but links to that chapter in the synced manual."""
    class Doc:
        id, ref, title, status = 17, "PP-017", "Placement with Foster Carers", "published"
        manual_url = "https://manual.example.org/chapters/pp-017.html"

    grid = Grid("Plan", [["Chapter", "Recommended amendments"], ["4.1.3 Placements in Foster Care", "Delegated authority"]])
    assert match_plan(plan_rows([grid]), [Doc()]).matches == ()  # the manual never synced: no way to know
    found = match_plan(plan_rows([grid]), [Doc()], [("Placements in Foster Care", "http://manual.example.org/chapters/pp-017.html")])
    assert [(m.document.ref, m.how) for m in found.matches] == [("PP-017", "by the manual's chapter")]
