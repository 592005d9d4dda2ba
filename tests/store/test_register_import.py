"""Importing the organisation's tracker spreadsheet into the register (DOR-1, NCT-1)."""

from __future__ import annotations

import csv
from datetime import date, datetime
from types import SimpleNamespace

import pytest

from tests.support.runtime import services_for
from services.demo import ensure_demo
from services.errors import BadInput
from services.people.matching import Directory, PersonProblem
from governance.dates import DateProblem, read_date
from services.register.importing import import_tracker
from store.register_repo import RegisterRepo
from store.uow import Store
from tests.support.bot import settings_for
from tests.support.tracker import EXPECTED_REJECTED, ROWS, TAYLORS, write_messy_tracker


# ------------------------------------------------------------------ dates and names (pure)

@pytest.mark.parametrize("typed, expected", [
    ("14/03/2025", date(2025, 3, 14)),
    ("14-3-25", date(2025, 3, 14)),
    ("14.03.2025", date(2025, 3, 14)),
    (" 14 March 2025 ", date(2025, 3, 14)),
    ("14th Mar 2025", date(2025, 3, 14)),
    ("14-Mar-25", date(2025, 3, 14)),
    ("March 14, 2025", date(2025, 3, 14)),
    ("2025-03-14", date(2025, 3, 14)),
    ("2025-03-14 00:00:00", date(2025, 3, 14)),
    ("Mar 2025", date(2025, 3, 1)),
    ("03/2025", date(2025, 3, 1)),
    ("1/2/2025", date(2025, 2, 1)),  # day first, never American
    (45730, date(2025, 3, 14)),  # an Excel serial number
    ("45730", date(2025, 3, 14)),
    (datetime(2025, 3, 14, 0, 0), date(2025, 3, 14)),  # an Excel date cell
    (date(2025, 3, 14), date(2025, 3, 14)),
    ("", None), ("TBC", None), ("n/a", None), (None, None),
])
def test_uk_dates_as_people_type_them(typed, expected):
    assert read_date(typed) == expected


def test_a_month_alone_is_its_last_day_for_a_review_due_by_it():
    assert read_date("Mar 2027", month_end=True) == date(2027, 3, 31)
    assert read_date("Feb 2028", month_end=True) == date(2028, 2, 29)


@pytest.mark.parametrize("typed, reason", [
    ("31/02/2025", "'31/02/2025' is not a real date: February 2025 has 28 days"),
    ("29/02/2025", "'29/02/2025' is not a real date: February 2025 has 28 days"),
    ("31/04/2026", "'31/04/2026' is not a real date: April 2026 has 30 days"),
    ("03/14/2025", "'03/14/2025' is not a real date: there is no month 14"),
    ("next spring", "'next spring' is not a date I can read"),
    ("14 Smarch 2025", "'14 Smarch 2025' is not a date I can read"),
    ("01/01/1066", "'01/01/1066' is not a plausible date (year 1066)"),
])
def test_impossible_dates_are_refused_with_the_reason(typed, reason):
    with pytest.raises(DateProblem) as exc:
        read_date(typed)
    hint = "" if "real date:" in reason and "month" not in reason else " (dates are read day first: day/month/year, e.g. 14/03/2025)"
    assert str(exc.value) == reason + hint


def _people(*rows):
    return [SimpleNamespace(id=i, name=n, email=e, active=a) for i, n, e, a in rows]


def test_people_are_matched_however_their_names_are_written():
    d = Directory(_people(("js", "Jane Smith", "jane.smith@example.org", True),
                          ("ao", "Amara O'Neill-Brown", "amara@example.org", True),
                          ("pk", "Jordan Kaur", "jordan.kaur@example.org", True),
                          ("px", "Jordan Kaul", "jordan.kaul@example.org", True),
                          ("gone", "Lee Left", "lee@example.org", False)))
    for typed in ("Jane Smith", "jane  SMITH ", "Smith, Jane", "Dr Jane Smith", "Jane Smith (interim)",
                  "JANE.SMITH@example.org", "J. Smith", "J Smith", "Jane Smyth"):
        assert d.match(typed).person.id == "js", typed
    assert d.match("Amara O'Neill Brown").person.id == "ao"
    assert d.match("amara oneill-brown").person.id == "ao"
    assert d.match("Jane Smyth").how == "near"
    with pytest.raises(PersonProblem, match="could be Jordan Kaur .* or Jordan Kaul"):
        d.match("Jordan Kaus")  # equally close to two people: never guessed
    with pytest.raises(PersonProblem, match="is not in the directory"):
        d.match("Nobody Atall")
    with pytest.raises(PersonProblem, match="has left"):
        d.match("Lee Left")
    with pytest.raises(PersonProblem, match="is not in the directory"):
        d.match("someone@example.org")


# ------------------------------------------------------------------ the messy tracker, end to end

async def _org(db_url, clock):
    store = Store(db_url)
    await store.migrate()
    services = services_for(settings_for(db_url), clock=clock, store=store)
    await ensure_demo(services)
    async with store.uow() as uow:
        for pid, name, email in TAYLORS:
            await uow.people.create(id=pid, name=name, email=email, active=True, preferences={}, roles=["ro"])
        await uow.commit()
    return services


async def snapshot(services) -> tuple:
    """Everything an import may touch, to prove that nothing changed."""
    async with services.uow() as uow:
        docs = await RegisterRepo(uow.session).all_documents()
        rows = tuple((d.ref, d.doc_type, d.title, d.category, d.service_area, d.ro_id, d.rsm_id, d.status, d.version,
                      d.approved_on, d.last_reviewed_on, d.next_review_due, d.manual_url, repr(d.extra), d.updated_at)
                     for d in docs)
        audit = len(await uow.audit.for_entity("register", 1)) + sum(
            [len(await uow.audit.for_entity("document", d.id)) for d in docs])
        runs = len(await RegisterRepo(uow.session).import_runs())
    return rows, audit, runs


async def test_messy_tracker_rejected_rows_are_reported_line_by_line_and_nothing_half_imports_DOR_1(db_url, clock, tmp_path):
    services = await _org(db_url, clock)
    try:
        path = write_messy_tracker(tmp_path / "tracker.xlsx")
        before = await snapshot(services)

        dry = await import_tracker(services, path, dry_run=True)
        assert dry.header_row == 5  # found below the title rows, through the merged two-row heading
        assert dry.rejected_lines() == EXPECTED_REJECTED
        assert (dry.rows_read, dry.count("add"), dry.count("update"), dry.count("unchanged")) == (10, 2, 3, 0)
        assert await snapshot(services) == before  # a dry run changes nothing

        real = await import_tracker(services, path)  # no --skip-bad: one bad row stops everything
        assert not real.applied and real.rejected_lines() == EXPECTED_REJECTED
        assert await snapshot(services) == before
        text = "\n".join(real.lines())
        assert "nothing was imported" in text
        for line in EXPECTED_REJECTED:
            assert f"  {line}" in text
    finally:
        await services.store.close()


async def test_skip_bad_imports_the_good_rows_in_one_transaction_and_reimport_changes_nothing_NCT_1(db_url, clock, tmp_path):
    services = await _org(db_url, clock)
    try:
        path = write_messy_tracker(tmp_path / "tracker.xlsx")
        report = await import_tracker(services, path, skip_bad=True, actor_email="priya.patelowens@example.org")
        assert report.applied and report.rejected_lines() == EXPECTED_REJECTED
        assert any("'Drew Ashbey' taken as Drew Ashby" in n for c in report.changes for n in c.notes)
        async with services.uow() as uow:
            pp1, pp2, pp10 = [await uow.documents.by_ref(r) for r in ("PP-001", "PP-002", "PP-010")]
            assert (pp1.last_reviewed_on, pp1.next_review_due) == (date(2025, 3, 14), date(2026, 3, 14))
            assert pp1.extra["columns"] == {"Comments": "Chapter 1"}  # trailing space trimmed
            # "Dunmore,  Alex" is Alex Dunmore; the RSM was given by email.
            assert (pp2.ro_id, pp2.rsm_id, pp2.next_review_due) == ("ro-1", "rsm-safeguarding", date(2027, 3, 14))
            assert (pp10.ro_id, pp10.next_review_due, pp10.doc_type) == ("ro-4", date(2026, 6, 30), "Practice Guidance")
            kinship = await uow.documents.by_ref("PP-047")
            assert kinship.title == "Kinship Care Assessments"
            assert (kinship.last_reviewed_on, kinship.next_review_due) == (date(2025, 3, 1), date(2026, 3, 19))
            assert kinship.manual_url == "https://www.manual.example.org/chapters/kinship.html"
            assert (kinship.ro_id, kinship.rsm_id, kinship.status) == ("ro-2", "rsm-cla", "published")
            placements = await uow.documents.by_ref("PP-048")
            # NCT-1: no RO named, so the RSM stands in.
            assert (placements.ro_id, placements.rsm_id, placements.status) == (None, "rsm-cla", "draft")
            assert placements.next_review_due == date(2027, 3, 31)
            # Rejected rows changed nothing.
            assert (await uow.documents.by_ref("PP-003")).ro_id == "ro-1"
            assert await uow.documents.count() == 48
            repo = RegisterRepo(uow.session)
            runs = await repo.import_runs()
            assert [(r.added, r.updated, r.unchanged, r.rejected, r.actor_id) for r in runs] == [(2, 3, 0, 5, "ppo")]
            history = await uow.audit.for_entity("document", pp2.id)
            assert history[-1].action == "updated_from_tracker" and "row 8" in history[-1].summary
            assert history[-1].actor_name == "Priya Patel-Owens"
            assert [e.action for e in await uow.audit.for_entity("register", runs[0].id)] == ["tracker_import"]

        before = await snapshot(services)
        again = await import_tracker(services, path, skip_bad=True)
        assert (again.count("add"), again.count("update"), again.count("unchanged")) == (0, 0, 5)
        assert not again.applied
        assert await snapshot(services) == before  # idempotent: not even a run record
    finally:
        await services.store.close()


async def test_clean_tracker_imports_without_skip_bad_and_matches_by_title_when_there_is_no_ref(sqlite_url, clock, tmp_path):
    services = await _org(sqlite_url, clock)
    try:
        good = {r: v for r, v in ROWS.items() if r in (7, 8, 10, 14, 15)}
        good[10] = list(good[10])
        path = write_messy_tracker(tmp_path / "clean.xlsx", good)
        first = await import_tracker(services, path)
        assert first.ok and first.applied and first.count("add") == 2
        # The new rows had no Ref: the second time they are found by title and type.
        second = await import_tracker(services, path)
        assert (second.count("add"), second.count("update"), second.count("unchanged")) == (0, 0, 5)
    finally:
        await services.store.close()


async def test_csv_tracker_with_semicolons_and_an_american_date(sqlite_url, clock, tmp_path):
    services = await _org(sqlite_url, clock)
    try:
        path = tmp_path / "tracker.csv"
        with path.open("w", encoding="utf-8-sig", newline="") as f:
            w = csv.writer(f, delimiter=";")
            w.writerow(["Procedures tracker"])
            w.writerow([])
            w.writerow(["Ref", "Document Title", "Owner", "R.S.M.", "Review due", "Team"])
            w.writerow(["PP-001", "Children Missing from Home and Care ", "alex dunmore", "Morgan Reyes", "14/03/2027", "MASH"])
            w.writerow(["", "", "", "", "", ""])
            w.writerow(["PP-002", "Section 47 Enquiries", "Alex Dunmore", "Morgan Reyes", "03/14/2027", "MASH"])
        report = await import_tracker(services, path, dry_run=True)
        assert report.header_row == 3
        assert report.rejected_lines() == [
            "row 6: Review due '03/14/2027' is not a real date: there is no month 14 (dates are read day first: day/month/year, e.g. 14/03/2025)"]
        assert [c.row for c in report.changes] == [4]
        assert ("Service area", "Safeguarding", "MASH") in report.changes[0].diffs
        assert [c.field for c in report.columns] == ["ref", "title", "ro", "rsm", "next_review_due", "service_area"]
    finally:
        await services.store.close()


async def test_a_mapping_file_names_unusual_headings(sqlite_url, clock, tmp_path):
    services = await _org(sqlite_url, clock)
    try:
        path = tmp_path / "odd.csv"
        path.write_text("Chapter heading,Lead for this,Signs it off,Internal notes,Review by\n"
                        "Section 47 Enquiries,Frankie Osei,Morgan Reyes,ignore me,01/01/2028\n", encoding="utf-8")
        mapping = tmp_path / "mapping.yaml"
        mapping.write_text('columns:\n  "Chapter heading": title\n  "Lead for this": ro\n  "Signs it off": rsm\n'
                           '  "Internal notes": ignore\n', encoding="utf-8")
        report = await import_tracker(services, path, mapping=mapping)
        assert report.applied and report.count("update") == 1
        async with services.uow() as uow:
            doc = await uow.documents.by_ref("PP-002")
            assert (doc.ro_id, doc.next_review_due, doc.extra.get("columns")) == ("ro-6", date(2028, 1, 1), None)
        mapping.write_text("columns:\n  Chapter heading: titel\n", encoding="utf-8")
        with pytest.raises(BadInput, match="'titel', which is not a field"):
            await import_tracker(services, path, mapping=mapping)
        mapping.write_text("columns: [unclosed\n", encoding="utf-8")
        with pytest.raises(BadInput, match="not valid YAML at line"):
            await import_tracker(services, path, mapping=mapping)
    finally:
        await services.store.close()


async def test_files_that_are_not_trackers_get_a_polite_error(sqlite_url, clock, tmp_path):
    services = await _org(sqlite_url, clock)
    try:
        (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
        with pytest.raises(BadInput, match="I can read .xlsx and .csv"):
            await import_tracker(services, tmp_path / "notes.txt")
        (tmp_path / "broken.xlsx").write_bytes(b"not a zip")
        with pytest.raises(BadInput, match="not a spreadsheet I can open"):
            await import_tracker(services, tmp_path / "broken.xlsx")
        (tmp_path / "nohead.csv").write_text("a,b\n1,2\n", encoding="utf-8")
        with pytest.raises(BadInput, match="couldn't find the heading row"):
            await import_tracker(services, tmp_path / "nohead.csv")
    finally:
        await services.store.close()


def test_cli_import_dry_run_and_exit_codes(sqlite_url, clock, tmp_path, monkeypatch, capsys):
    import asyncio

    from policybot.cli import main

    async def setup():
        services = await _org(sqlite_url, clock)
        await services.store.close()

    asyncio.run(setup())
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    path = write_messy_tracker(tmp_path / "tracker.xlsx")
    assert main(["import", str(path), "--dry-run"]) == 1
    out = capsys.readouterr().out
    assert "10 rows read: 2 to add, 3 to update, 0 unchanged, 5 rejected." in out
    assert all(f"  {line}" in out for line in EXPECTED_REJECTED)
    assert main(["import", str(path), "--skip-bad", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "Imported: 2 added, 3 updated, 0 unchanged." in out and "+ row" not in out
    assert main(["import", str(tmp_path / "missing.xlsx")]) == 2
    assert "There is no file" in capsys.readouterr().err


# ------------------------------------------------------------------ four real shapes, 150-400 rows each

from tests.support.tracker import LEAVER, TRACKERS  # noqa: E402


async def _org_with_leaver(db_url, clock):
    services = await _org(db_url, clock)
    async with services.store.uow() as uow:
        await uow.people.create(id=LEAVER[0], name=LEAVER[1], email=LEAVER[2], active=False, preferences={}, roles=["ro"])
        await uow.commit()
    return services


def _outcomes(report):
    return [(o.row, o.outcome, o.reason) for o in report.outcomes()]


def _check_against(tracker, report):
    got = _outcomes(report)
    want = tracker.expected()
    assert [(r, o) for r, o, _ in got] == [(r, o) for r, o, _ in want], tracker.name
    for (row, _o, reason), (_r, _o2, why) in zip(got, want, strict=True):
        assert why in reason, (tracker.name, row, reason, why)


@pytest.mark.parametrize("shape", sorted(TRACKERS))
async def test_real_tracker_shapes_row_by_row_xlsx_and_csv_alike_DOR_1_NCT_1(shape, db_url, clock, tmp_path):
    tracker = TRACKERS[shape]()
    assert 150 <= len(tracker.rows) <= 400
    services = await _org_with_leaver(db_url, clock)
    try:
        xlsx = tracker.write_xlsx(tmp_path / f"{shape}.xlsx")
        csv_path = tracker.write_csv(tmp_path / f"{shape}.csv")
        before = await snapshot(services)
        dry = await import_tracker(services, xlsx, dry_run=True)
        dry_csv = await import_tracker(services, csv_path, dry_run=True)
        assert dry.header_row == dry_csv.header_row == tracker.header_row
        _check_against(tracker, dry)
        assert _outcomes(dry_csv) == _outcomes(dry)  # the .xlsx and its CSV export: the same result
        assert [(c.field, c.heading) for c in dry_csv.columns] == [(c.field, c.heading) for c in dry.columns]
        assert await snapshot(services) == before

        real = await import_tracker(services, csv_path if shape == "csv" else xlsx, skip_bad=True,
                                    actor_email="priya.patelowens@example.org")
        assert real.applied and _outcomes(real) == [(r, o, x.replace("to be ", "")) for r, o, x in _outcomes(dry)]
        again = await import_tracker(services, xlsx, skip_bad=True)
        assert not again.applied and again.count("add") == again.count("update") == 0
        assert "Nothing to change: the register already matches the tracker." in again.lines()
        after = await snapshot(services)
        assert await import_tracker(services, csv_path, skip_bad=True) and await snapshot(services) == after
    finally:
        await services.store.close()


async def test_nct_tracker_values_vacant_ro_leaver_joint_rsms_and_own_columns_NCT_1_NCT_7(db_url, clock, tmp_path):
    tracker = TRACKERS["nct"]()
    services = await _org_with_leaver(db_url, clock)
    try:
        report = await import_tracker(services, tracker.write_xlsx(tmp_path / "nct.xlsx"), skip_bad=True)
        assert report.applied
        by_row = {c.row: c for c in report.changes}
        rows = {tracker.row_number(i): r for i, r in enumerate(tracker.rows)}

        def ref_where(pred):
            return next(by_row[n].ref for n, r in rows.items() if pred(r.cells) and n in by_row)

        async with services.uow() as uow:
            vacant = await uow.documents.by_ref(ref_where(lambda c: c.get("ro") == "Vacant"))
            assert vacant.ro_id is None and vacant.rsm_id  # NCT-1: the RSM stands in as RO
            joint = await uow.documents.by_ref(ref_where(lambda c: c.get("rsm") == "Morgan Reyes / Jordan Whitfield"))
            assert (joint.rsm_id, joint.extra["other_rsm_ids"]) == ("rsm-safeguarding", ["rsm-cla"])  # NCT-7
            gone = await uow.documents.by_ref(ref_where(lambda c: c.get("ro") == "Lee Gone"))
            assert gone.ro_id == LEAVER[0]
            flags = await RegisterRepo(uow.session).open_flags(gone.id)
            assert [(f.person_id, f.role, f.reason) for f in flags] == [(LEAVER[0], "ro", "left")]
            assert (await uow.audit.for_entity("document", gone.id))[-1].action == "orphaned"
            noted = await uow.documents.by_ref(ref_where(lambda c: "Awaiting RSM" in str(c.get("notes"))))
            assert noted.extra["columns"]["Comments"] == "Chased 01/10/2026 Awaiting RSM sign off then publish"
            pg = await uow.documents.by_ref(ref_where(lambda c: c.get("type") == "PG"))
            assert pg.doc_type == "Practice Guidance"
            pp1 = await uow.documents.by_ref("PP-001")
            assert "columns" not in pp1.extra  # an empty Comments cell keeps nothing
    finally:
        await services.store.close()


async def test_a_failure_part_way_leaves_the_register_as_it_was(db_url, clock, tmp_path, monkeypatch):
    tracker = TRACKERS["council"]()
    services = await _org_with_leaver(db_url, clock)
    try:
        path = tracker.write_xlsx(tmp_path / "council.xlsx")
        before = await snapshot(services)

        async def broken(self, **kwargs):
            raise RuntimeError("the database went away")

        monkeypatch.setattr(RegisterRepo, "add_import_run", broken)  # after documents, audit and flags are written
        with pytest.raises(RuntimeError):
            await import_tracker(services, path, skip_bad=True)
        assert await snapshot(services) == before
        async with services.uow() as uow:
            assert await uow.documents.by_ref("ABC-0001") is None
            assert await RegisterRepo(uow.session).open_flags() == []
    finally:
        await services.store.close()


async def test_an_edited_tracker_updates_exactly_the_changed_rows_and_shows_the_differences_first(db_url, clock, tmp_path):
    tracker = TRACKERS["minimal"]()
    services = await _org_with_leaver(db_url, clock)
    try:
        await import_tracker(services, tracker.write_xlsx(tmp_path / "v1.xlsx"), skip_bad=True)
        taken = [i for i, r in enumerate(tracker.rows) if r.outcome == "taken" and r.why == "added"]
        a, b = taken[10], taken[20]
        tracker.rows[a].cells["next"] = "01/09/2028"
        new_rsm = "Casey Lindqvist" if "achebe" in str(tracker.rows[b].cells["rsm"]).lower() else "Robin Achebe"
        tracker.rows[b].cells["rsm"] = new_rsm
        path = tracker.write_csv(tmp_path / "v2.csv")
        before = await snapshot(services)
        preview = await import_tracker(services, path, dry_run=True)
        assert await snapshot(services) == before
        updates = [c for c in preview.changes if c.kind == "update"]
        assert [c.row for c in updates] == [tracker.row_number(a), tracker.row_number(b)]
        assert updates[0].diffs[0][0] == "Next Review To Be Completed By" and updates[0].diffs[0][2] == "01/09/2028"
        assert updates[1].diffs == [("Responsible Strategic Manager", updates[1].diffs[0][1], new_rsm)]
        real = await import_tracker(services, path, skip_bad=True)
        assert real.applied and (real.count("add"), real.count("update")) == (0, 2)
    finally:
        await services.store.close()


# ------------------------------------------------------------------ in Teams and by email, over HTTP

async def test_the_ppo_attaches_the_tracker_in_teams_previews_it_and_imports_it(db_url, tmp_path):
    from services.clock import LONDON, FixedClock
    from services.demo import _aad
    from bot.app import RUNTIME_KEY
    from tests.support.bot import RunningBot
    from tests.support.channel import card_of, card_text, readable

    clock = FixedClock(datetime(2026, 11, 23, 10, 0, tzinfo=LONDON))
    bot = await RunningBot(settings_for(db_url, POLICYBOT_DATA_DIR=str(tmp_path / "data")), clock=clock).start()
    try:
        store = bot.app[RUNTIME_KEY].store
        async with store.uow() as uow:
            for pid, name, email in [*TAYLORS, LEAVER]:
                await uow.people.create(id=pid, name=name, email=email, active=pid != LEAVER[0], preferences={}, roles=["ro"])
            await uow.commit()
        tracker = TRACKERS["nct"]()
        data = tracker.write_xlsx(tmp_path / "nct.xlsx").read_bytes()
        attachment = bot.channel.attach("Procedures Manual Tracker.xlsx", data)
        said = await bot.send(bot.activity("our tracker", aad=_aad("ppo"), attachments=[attachment]))
        card = card_of(said.replies[0])
        shown = card_text(card)
        want = tracker.expected()
        rejected = sum(1 for _r, o, _w in want if o == "rejected")
        assert "Tracker preview: Procedures Manual Tracker.xlsx" in shown and f"Rejected {rejected}" in shown.replace(":", "")
        assert "column E 'Responsible Officer (RO)' -> Responsible Officer (95% sure)" in shown
        assert "is not a document type I know" in shown and "RSM stands in as RO (NCT-1)" in shown
        button = card["actions"][0]
        adds = sum(1 for _r, o, w in want if o in ("taken", "flagged") and w != "updated")
        assert button["title"] == f"Import {adds + 1} rows"
        async with store.uow() as uow:
            assert await uow.documents.count() == 46  # nothing changed yet

        # Someone else pressing the same button (or typing its words) is refused: the channel says who they are.
        said = await bot.send(bot.activity(None, aad=_aad("ro-1"), value=button["data"]))
        assert "Only the Policy and Procedures Officer can import the tracker" in readable(said.replies[0])
        said = await bot.send(bot.activity(None, aad=_aad("ppo"), value=button["data"]))
        text = card_text(card_of(said.replies[0]))
        assert f"{adds} added, 1 updated, 0 unchanged, {rejected} rejected rows left out" in text
        async with store.uow() as uow:
            assert await uow.documents.count() == 46 + adds
        said = await bot.send(bot.activity("status NCT-0004", aad=_aad("ppo")))
        assert "Comments" in readable(said.replies[0]) and "Chapter 4" in readable(said.replies[0])  # their own column
        said = await bot.send(bot.activity(None, aad=_aad("ppo"), value=button["data"]))  # pressed twice
        assert "Nothing to change: the register already matches the tracker." in card_text(card_of(said.replies[0]))

        # By email: the CSV export of the same tracker, then the words the preview gives.
        bot.channel.files["tracker.csv"] = tracker.write_csv(tmp_path / "nct.csv").read_bytes()
        mail = {"contentType": "text/csv", "name": "tracker.csv", "contentUrl": f"{bot.channel.url}files/tracker.csv"}
        said = await bot.send(bot.activity("tracker attached", channel_id="email", user_id="priya.patelowens@example.org",
                                           conversation="email-ppo", attachments=[mail]))
        reply = readable(said.replies[0])
        assert "The register already matches this tracker: there is nothing to import." in reply
        assert "Responsible Officer (RO) 'S. Taylor' could be Sam Taylor" in reply and "(line " in reply  # CSV: its line too
        # An edited CSV by email: the preview shows the one difference, the reply words import it.
        first = next(i for i, r in enumerate(tracker.rows) if r.outcome == "taken" and r.why == "added")
        tracker.rows[first].cells["next"] = "30/09/2028"
        bot.channel.files["tracker.csv"] = tracker.write_csv(tmp_path / "nct2.csv").read_bytes()
        said = await bot.send(bot.activity("edited", channel_id="email", user_id="priya.patelowens@example.org",
                                           conversation="email-ppo", attachments=[mail]))
        reply = said.replies[0]["text"]
        assert "0 to add, 1 to update" in reply
        assert "-> '30/09/2028'" in reply.split("Changes to the register:")[1]  # the difference, before importing
        words = next(line for line in reply.splitlines() if "Reply 'IMPORT TRACKER" in line).split("'")[1]
        said = await bot.send(bot.activity(words, channel_id="email", user_id="priya.patelowens@example.org",
                                           conversation="email-ppo"))
        assert "0 added, 1 updated" in said.replies[0]["text"]
        async with store.uow() as uow:
            doc = await uow.documents.by_ref(tracker.rows[first].cells["ref"])
            assert doc.next_review_due == date(2028, 9, 30)
        said = await bot.send(bot.activity("our tracker", aad=_aad("ro-2"), attachments=[attachment]))
        assert "Only the Policy and Procedures Officer" in readable(said.replies[0])
        broken = bot.channel.attach("tracker.xlsx", b"PK\x03\x04 not really a workbook")
        said = await bot.send(bot.activity(None, aad=_aad("ppo"), attachments=[broken]))
        assert "tracker.xlsx is not a spreadsheet I can open" in readable(said.replies[0])
        notes = bot.channel.attach("notes.csv", b"Minutes of the meeting\nNothing else\n")
        said = await bot.send(bot.activity(None, aad=_aad("ppo"), attachments=[notes]))
        assert "I couldn't find the heading row in notes.csv" in readable(said.replies[0])
    finally:
        await bot.stop()


async def test_the_preview_offers_every_rows_outcome_as_xlsx_by_a_signed_link_for_the_ppo_alone(db_url, tmp_path):
    """Issue 20 item 6: the preview card's "Download the report (.xlsx)" link (Teams) and the attached
    report (email) give every row's outcome, matching the preview's counts; a link that was altered,
    made for someone else, of another kind, or expired is refused."""
    import io
    import re
    from collections import Counter

    from openpyxl import load_workbook

    from bot.app import RUNTIME_KEY
    from bot.files import SIGNER_KEY
    from services.clock import LONDON, FixedClock
    from services.demo import _aad
    from services.register.tracker_chat import REPORT_LINK
    from tests.support.bot import RunningBot
    from tests.support.channel import card_of, card_text

    def here(url: str) -> str:  # the test bot's own port (POLICYBOT_PUBLIC_URL in real life)
        return bot.url + re.search(r"https?://[^/]+(/\S+)", url).group(1)

    def counts_on(card: dict) -> dict[str, int]:
        facts = next(b for b in card["body"] if b["type"] == "FactSet")["facts"]
        return {f["title"]: int(f["value"]) for f in facts if f["value"].isdigit() and f["title"] != "Headings on row"}

    clock = FixedClock(datetime(2026, 11, 23, 10, 0, tzinfo=LONDON))
    bot = await RunningBot(settings_for(db_url, POLICYBOT_DATA_DIR=str(tmp_path / "data")), clock=clock).start()
    try:
        store = bot.app[RUNTIME_KEY].store
        async with store.uow() as uow:
            for pid, name, email in [*TAYLORS, LEAVER]:
                await uow.people.create(id=pid, name=name, email=email, active=pid != LEAVER[0], preferences={}, roles=["ro"])
            await uow.commit()
        tracker = TRACKERS["nct"]()
        data = tracker.write_xlsx(tmp_path / "nct.xlsx").read_bytes()
        said = await bot.send(bot.activity("our tracker", aad=_aad("ppo"),
                                           attachments=[bot.channel.attach("Procedures Manual Tracker.xlsx", data)]))
        card = card_of(said.replies[0])
        [download] = [a for a in card["actions"] if a["type"] == "Action.OpenUrl"]
        assert download["title"] == "Download the report (.xlsx)"
        resp = await bot.http.get(here(download["url"]))
        assert resp.status == 200
        assert resp.headers["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        assert "Procedures Manual Tracker.xlsx import report.xlsx" in resp.headers["Content-Disposition"]
        book = load_workbook(io.BytesIO(await resp.read()), read_only=True)
        rows = list(book["Rows"].iter_rows(values_only=True))
        assert rows[0][:3] == ("Row", "CSV line", "Outcome")
        outcomes = Counter(r[2] for r in rows[1:])
        shown = counts_on(card)
        assert outcomes["Rejected"] == shown["Rejected"] > 0 and outcomes["Flagged"] == shown["Flagged"] > 0
        assert len(rows) - 1 == sum(outcomes.values()) >= len(tracker.rows) - shown["Skipped"]
        assert "Rejected" in card_text(card) and rows[1][0] is not None

        link = here(download["url"])
        payload, mac = link.rsplit("/", 1)[1].split(".")
        altered = link.replace(payload, payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB"))
        assert (await bot.http.get(altered)).status == 403
        signer = bot.app[SIGNER_KEY]
        claims = signer.opened(f"{payload}.{mac}", clock.now())
        assert claims["k"] == REPORT_LINK and claims["p"] == "ppo"
        for person in ("ro-1", "rsm-safeguarding"):  # genuinely signed, but for someone who did not send it
            other = signer.sign({"k": REPORT_LINK, "t": claims["t"], "p": person}, clock.now())
            resp = await bot.http.get(f"{bot.url}/tracker-reports/{other}")
            assert resp.status == 403 and "Policy and Procedures Officer who sent the tracker" in await resp.text()
        resp = await bot.http.get(f"{bot.url}/drafts/{payload}.{mac}")  # a report link opens no draft
        assert resp.status == 403
        clock.advance(hours=3)
        resp = await bot.http.get(link)
        assert resp.status == 403 and "expired" in await resp.text()
        clock.advance(hours=-3)
        assert (await bot.http.get(link)).status == 200

        # By email: the report goes with the preview as an attachment (the email channel fetches it).
        bot.channel.files["tracker.csv"] = tracker.write_csv(tmp_path / "nct.csv").read_bytes()
        mail = {"contentType": "text/csv", "name": "tracker.csv", "contentUrl": f"{bot.channel.url}files/tracker.csv"}
        said = await bot.send(bot.activity("tracker attached", channel_id="email", user_id="priya.patelowens@example.org",
                                           conversation="email-ppo", attachments=[mail]))
        [att] = said.replies[0]["attachments"]
        assert att["name"] == "tracker.csv import report.xlsx"
        assert att["contentType"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        resp = await bot.http.get(here(att["contentUrl"]))
        assert resp.status == 200
        book = load_workbook(io.BytesIO(await resp.read()), read_only=True)
        emailed = Counter(r[2] for r in list(book["Rows"].iter_rows(values_only=True))[1:])
        assert emailed["Rejected"] == outcomes["Rejected"]  # the same tracker as CSV: the same rejections
    finally:
        await bot.stop()


async def test_a_title_linked_to_the_manual_and_formatted_empty_rows_below(sqlite_url, clock, tmp_path):
    from openpyxl import Workbook
    from openpyxl.styles import PatternFill

    wb = Workbook()
    ws = wb.active
    ws.append(["Procedures Manual Tracker"])
    ws.append(["Procedure", "RSM", "Next Review To Be Completed By"])
    ws.append(["Section 47 Enquiries", "Morgan Reyes", "01/05/2027"])
    ws["A3"].hyperlink = "https://manual.example.org/chapters/s47.html"
    grey = PatternFill(fill_type="solid", start_color="DDDDDD", end_color="DDDDDD")
    for r in range(4, 3000):  # a whole block formatted, nothing typed
        ws.cell(r, 1).fill = grey
    path = tmp_path / "linked.xlsx"
    wb.save(path)
    services = await _org(sqlite_url, clock)
    try:
        report = await import_tracker(services, path, dry_run=True)
        assert report.counts() == {"taken": 1, "flagged": 0, "rejected": 0, "skipped": 0}
        assert report.changes[0].ref == "PP-002" and report.rows_read == 1  # no thousands of blank rows
        assert ("Manual link", "https://manual.example.org/chapters/pp-002.html",
                "https://manual.example.org/chapters/s47.html") in report.changes[0].diffs
    finally:
        await services.store.close()
