"""The repository contract for the manual index (`uow.manual`, services.ports.ManualRepository) and the
key-values (`uow.kv`): the same behaviour on the service tier's fake and on the real store over SQLite
and PostgreSQL (NCT-14 reads chapters, amendments and sync runs through these methods)."""

from __future__ import annotations

from datetime import date, timedelta

from tests.store.test_repository_contract import NOW, _org


def _chapter(n: int, **values):
    row = {"url": f"https://manual.example.org/ch{n}.html", "title": f"Chapter {n}", "section": "Assessment",
           "text": f"The words of chapter {n}.", "updated_on": date(2026, 10, n), "etag": f'"e{n}"',
           "last_modified": None, "content_hash": f"hash-{n}", "links": [], "passages": [["p", f"Passage {n}", None, None]],
           "first_seen_at": NOW, "changed_at": NOW, "fetched_at": NOW}
    return {**row, **values}


def _run(status: str, **values):
    row = {"base_url": "https://manual.example.org/", "started_at": NOW, "finished_at": NOW, "status": status,
           "requests": 3, "chapters_seen": 3, "chapters_added": 3, "chapters_changed": 0, "chapters_unchanged": 0,
           "chapters_removed": 0, "amendments_new": 0, "message": status, "errors": []}
    return {**row, **values}


async def test_nct_14_the_manual_index_keeps_chapters_as_the_use_cases_read_them(uow_factory):
    await _org(uow_factory)
    async with uow_factory() as uow:
        before = await uow.manual.generation()
        added = await uow.manual.add_many([
            _chapter(1, links=["https://manual.example.org/ch2.html"]), _chapter(2),
            _chapter(3, title="Procedure PP-002")])
        assert [c.url for c in added] == [f"https://manual.example.org/ch{n}.html" for n in (1, 2, 3)]
        await uow.commit()
    one, two, three = (c.id for c in added)
    async with uow_factory() as uow:
        assert await uow.manual.count() == 3
        assert sorted(r[0] for r in await uow.manual.light_rows()) == [one, two, three]  # in no promised order
        assert (await uow.manual.by_url("https://manual.example.org/ch1.html")).links == ["https://manual.example.org/ch2.html"]
        assert await uow.manual.by_url("https://manual.example.org/none.html") is None
        assert [c.id for c in await uow.manual.by_title("  chapter 2 ")] == [two]  # whatever the case and spaces
        assert [c.id for c in await uow.manual.by_ids([three, 999, one])] == [three, one]  # in the order asked
        index_rows = {r[0]: r for r in await uow.manual.for_index()}
        assert index_rows[one][6] == [["p", "Passage 1", None, None]] and index_rows[one][7] is None
        assert [r[0] for r in await uow.manual.for_index([two])] == [two]
        assert await uow.manual.versions() == {one: "hash-1", two: "hash-2", three: "hash-3"}
        assert sorted(await uow.manual.texts())[0] == ("Chapter 1", "Assessment", "The words of chapter 1.")
        # The register documents a chapter is about: by the manual link or the same title; retired ones never.
        await uow.documents.update((await uow.documents.by_ref("PP-001")).id,
                                   manual_url="https://manual.example.org/ch1.html")
        found = await uow.manual.documents_for(["https://manual.example.org/ch1.html"], ["PROCEDURE PP-002", "Procedure PP-009"])
        assert [d.ref for d in found] == ["PP-001", "PP-002"]
        rows = {r[1]: r for r in await uow.manual.register_rows()}
        assert sorted(rows) == ["PP-001", "PP-002", "PP-003"]
        assert rows["PP-001"][7] == "https://manual.example.org/ch1.html"
        assert rows["PP-001"][9:] == ("ro-1", "Alex Dunmore", "rsm-1", "Morgan Reyes")
        await uow.manual.change(two, title="Chapter two", content_hash="hash-2b")
        await uow.manual.touch([one, three], NOW + timedelta(days=1))
        await uow.manual.remove([three])
        await uow.commit()
    async with uow_factory() as uow:
        assert sorted(r[2] for r in await uow.manual.light_rows()) == ["Chapter 1", "Chapter two"]
        assert (await uow.manual.by_url("https://manual.example.org/ch1.html")).fetched_at == NOW + timedelta(days=1)
        assert (await uow.manual.by_url("https://manual.example.org/ch2.html")).fetched_at == NOW
        assert await uow.manual.generation() != before


async def test_nct_14_amendments_and_sync_runs_come_back_in_order(uow_factory):
    async with uow_factory() as uow:
        assert await uow.manual.last_good_run() is None and await uow.manual.latest_update_label() is None
        good = await uow.manual.add_run(**_run("ok"))
        await uow.manual.add_run(**_run("failed", errors=[{"url": "https://manual.example.org/x", "reason": "timeout"}]))
        for label, on, kind, title in (("March 2026 Update", date(2026, 3, 1), "updated", "Chapter 1"),
                                       ("Undated Update", None, "new", "Chapter 4"),
                                       ("September 2026 Update", date(2026, 9, 1), "removed", "Chapter 3"),
                                       ("September 2026 Update", date(2026, 9, 1), "updated", "Chapter 2")):
            await uow.manual.add_amendment(update_label=label, published_on=on, kind=kind, title=title, url=None,
                                           note="", first_seen_at=NOW, sync_run_id=good.id)
        await uow.commit()
    async with uow_factory() as uow:
        runs = await uow.manual.runs()
        assert [r.status for r in runs] == ["failed", "ok"]  # newest first
        assert runs[0].errors == [{"url": "https://manual.example.org/x", "reason": "timeout"}]
        assert (await uow.manual.last_good_run()).id == good.id
        assert [r.status for r in await uow.manual.runs(1)] == ["failed"]
        assert await uow.manual.latest_update_label() == "September 2026 Update"  # the latest dated one
        assert [a.title for a in await uow.manual.amendments("September 2026 Update")] == ["Chapter 3", "Chapter 2"]
        assert len(await uow.manual.amendments()) == 4
        assert ("March 2026 Update", "updated", "Chapter 1") in await uow.manual.amendment_keys()


async def test_the_key_values_keep_a_document_per_key(uow_factory):
    async with uow_factory() as uow:
        assert await uow.kv.get("updates") is None
        await uow.kv.put("updates", {"deadlines": ["2026-12-01"]})
        await uow.kv.put("pause", {})
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.kv.get("updates") == {"deadlines": ["2026-12-01"]}
        await uow.kv.put("updates", {"deadlines": []})
        # not committed: gone
    async with uow_factory() as uow:
        assert await uow.kv.get("updates") == {"deadlines": ["2026-12-01"]} and await uow.kv.get("pause") == {}
