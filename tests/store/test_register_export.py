"""Exporting the register as a tracker people can read, and the round trip import -> export -> import (DOR-1)."""

from __future__ import annotations

import csv
from datetime import date, datetime, timedelta

from openpyxl import load_workbook

from services.register.exporting import DUE_SOON_FILL, OVERDUE_FILL, export_register
from services.register.importing import import_tracker
from tests.support.tracker import write_messy_tracker
from tests.store.test_register_import import _org, snapshot


async def test_round_trip_import_export_import_changes_nothing_DOR_1(db_url, clock, tmp_path):
    services = await _org(db_url, clock)
    try:
        first = await import_tracker(services, write_messy_tracker(tmp_path / "messy.xlsx"), skip_bad=True)
        assert first.applied
        for name in ("register.xlsx", "register.csv"):
            summary = await export_register(services, tmp_path / name)
            assert summary.documents == 48
            before = await snapshot(services)
            again = await import_tracker(services, tmp_path / name)
            assert again.ok, again.rejected_lines()
            assert (again.count("add"), again.count("update"), again.count("unchanged")) == (0, 0, 48), name
            assert await snapshot(services) == before
    finally:
        await services.store.close()


async def test_an_edit_in_the_exported_tracker_comes_back_as_one_update(sqlite_url, clock, tmp_path):
    services = await _org(sqlite_url, clock)
    try:
        path = tmp_path / "register.xlsx"
        await export_register(services, path)
        wb = load_workbook(path)
        ws = wb["All"]
        headings = [c.value for c in ws[1]]
        row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "PP-005")
        row[headings.index("Next Review To Be Completed By")].value = "1 Feb 2028"
        row[headings.index("Responsible Officer")].value = "Charlie Vance"
        row[headings.index("RO email")].value = None
        wb.save(path)
        report = await import_tracker(services, path)
        assert [(c.ref, c.kind) for c in report.changes if c.kind != "unchanged"] == [("PP-005", "update")]
        change = next(c for c in report.changes if c.kind == "update")
        assert [d[0] for d in change.diffs] == ["Responsible Officer", "Next Review To Be Completed By"]
        async with services.uow() as uow:
            doc = await uow.documents.by_ref("PP-005")
            assert (doc.ro_id, doc.next_review_due) == ("ro-3", date(2028, 2, 1))
    finally:
        await services.store.close()


async def test_export_is_formatted_for_people(sqlite_url, clock, tmp_path):
    services = await _org(sqlite_url, clock)
    today = clock.today()
    try:
        summary = await export_register(services, tmp_path / "register.xlsx")
        wb = load_workbook(summary.path)
        assert wb.sheetnames[0] == "All"
        assert set(wb.sheetnames[1:]) == {"Procedure", "Practice Guidance", "Policy", "Strategy", "Protocol", "Pathway",
                                          "Practice Standards"}
        total = 0
        for name in wb.sheetnames:
            ws = wb[name]
            headings = [c.value for c in ws[1]]
            assert all(c.font.b for c in ws[1]), name  # bold headings
            assert ws.freeze_panes == "A2"
            assert ws.auto_filter.ref == f"A1:{ws.cell(1, len(headings)).column_letter}{ws.max_row}"
            assert ws.column_dimensions["B"].width > ws.column_dimensions["A"].width  # titles get room
            due_col = headings.index("Next Review To Be Completed By")
            type_col = headings.index("Type")
            rows = list(ws.iter_rows(min_row=2))
            if name != "All":
                assert {r[type_col].value for r in rows} == {name}
                total += len(rows)
            for r in rows:
                due = r[due_col].value
                assert isinstance(due, datetime) and r[due_col].number_format == "dd/mm/yyyy"
                colours = {c.fill.fgColor.rgb[-6:] if c.fill.fill_type == "solid" else None for c in r}
                if due.date() < today:
                    assert colours == {OVERDUE_FILL}, r[0].value  # the whole row is red
                elif due.date() <= today + timedelta(days=30):
                    assert colours == {DUE_SOON_FILL}, r[0].value
                else:
                    assert colours == {None}, r[0].value
        assert total == wb["All"].max_row - 1 == 46
        overdue = sum(1 for r in wb["All"].iter_rows(min_row=2) if r[0].fill.fill_type == "solid"
                      and r[0].fill.fgColor.rgb.endswith(OVERDUE_FILL))
        assert overdue == summary.overdue > 0
        link = next(c for c in wb["All"]["A"] if c.value == "PP-001").row
        manual = wb["All"].cell(link, [c.value for c in wb["All"][1]].index("Manual link") + 1)
        assert manual.hyperlink.target == manual.value == "https://manual.example.org/chapters/pp-001.html"

        csv_summary = await export_register(services, tmp_path / "register.csv")
        with csv_summary.path.open(encoding="utf-8-sig", newline="") as f:
            rows = list(csv.DictReader(f))
        assert len(rows) == 46
        pp7 = next(r for r in rows if r["Ref"] == "PP-007")
        # NCT-1: no RO named, so the RO cell is empty and the RSM is there.
        assert (pp7["Responsible Officer"], pp7["Responsible Strategic Manager"]) == ("", "Morgan Reyes")
        assert all(r["Next Review To Be Completed By"].count("/") == 2 for r in rows)  # dd/mm/yyyy
    finally:
        await services.store.close()


async def test_a_name_changed_without_its_email_is_refused_not_guessed(sqlite_url, clock, tmp_path):
    services = await _org(sqlite_url, clock)
    try:
        path = tmp_path / "register.xlsx"
        await export_register(services, path)
        wb = load_workbook(path)
        ws = wb["All"]
        headings = [c.value for c in ws[1]]
        row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "PP-005")
        row[headings.index("Responsible Officer")].value = "Charlie Vance"  # the RO email still says Frankie Osei
        row[headings.index("Status")].value = None  # an empty status cell leaves the status alone
        wb.save(path)
        report = await import_tracker(services, path, dry_run=True)
        assert report.rejected_lines() == [
            f"row {row[0].row}: Responsible Officer 'Charlie Vance' and RO email 'frankie.osei@example.org' are different "
            "people (Charlie Vance and Frankie Osei): correct or clear one"]
        assert report.count("update") == 0
    finally:
        await services.store.close()


async def test_export_like_their_tracker_keeps_their_columns_order_and_titles_and_reimports_unchanged(db_url, clock, tmp_path):
    from tests.support.tracker import TRACKERS
    from tests.store.test_register_import import _org_with_leaver

    tracker = TRACKERS["nct"]()
    services = await _org_with_leaver(db_url, clock)
    try:
        theirs = tracker.write_xlsx(tmp_path / "nct.xlsx")
        assert (await import_tracker(services, theirs, skip_bad=True)).applied
        summary = await export_register(services, tmp_path / "back.xlsx", like=theirs)
        ws = load_workbook(summary.path)["Procedures Manual Tracker"]
        assert ws["A1"].value == "Northamptonshire Children's Trust - Procedures Manual Tracker"
        assert [c.value for c in ws[5]] == [h for _k, h in tracker.columns]  # their headings, their order
        assert ws.freeze_panes == "A6"
        refs = [ws.cell(r, 1).value for r in range(6, ws.max_row + 1)]
        assert len(refs) == summary.documents and "NCT-0002" in refs and "PP-001" in refs
        row = refs.index("NCT-0002") + 6
        assert isinstance(ws.cell(row, 8).value, datetime) and ws.cell(row, 8).number_format == "dd/mm/yyyy"
        before = await snapshot(services)
        again = await import_tracker(services, summary.path)
        assert again.ok and not again.applied and again.count("unchanged") == summary.documents
        as_csv = await export_register(services, tmp_path / "back.csv", like=theirs)
        again = await import_tracker(services, as_csv.path)
        assert again.ok and again.count("unchanged") == summary.documents
        assert await snapshot(services) == before
    finally:
        await services.store.close()


def test_cli_dry_run_saves_the_mapping_and_the_report_and_export_like(sqlite_url, clock, tmp_path, capsys, monkeypatch):
    import asyncio

    from policybot.cli import main
    from tests.support.tracker import TRACKERS
    from tests.store.test_register_import import _org_with_leaver

    async def setup():
        services = await _org_with_leaver(sqlite_url, clock)
        await services.store.close()

    asyncio.run(setup())
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    path = TRACKERS["council"]().write_xlsx(tmp_path / "council.xlsx")
    mapping, report = tmp_path / "mapping.yaml", tmp_path / "report.xlsx"
    assert main(["import", str(path), "--dry-run", "--save-mapping", str(mapping), "--report", str(report)]) == 1
    out = capsys.readouterr().out
    assert "Tracker: council.xlsx, sheet 'Document list', headings on row 6" in out
    assert "other sheet 'Archive': 12 of the register's columns and 20 documents, fewer than 'Document list'" in out
    assert "column B 'Doc ID' -> Ref" in out
    text = mapping.read_text(encoding="utf-8")
    assert "header_row: 6" in text and "Owner email: ro_email" in text
    rows = list(load_workbook(report)["Rows"].iter_rows(values_only=True))
    assert rows[0] == ("Row", "CSV line", "Outcome", "Ref", "Title", "Why") and len(rows) > 250
    # The saved mapping is used as it was written.
    assert main(["import", str(path), "--mapping", str(mapping), "--skip-bad", "--quiet"]) == 0
    assert "Imported: " in capsys.readouterr().out
    assert main(["export", str(tmp_path / "back.xlsx"), "--like", str(path)]) == 0
    assert "in the columns of" in capsys.readouterr().out
