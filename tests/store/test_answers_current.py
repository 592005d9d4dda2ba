"""The answer index stays current (issue 16 items 3 and 7): a sync that changes a chapter re-indexes
only that chapter's passages, a chapter the sync removed is never cited again, and a register
document's latest stored draft is searched too, labelled as our own document. Both databases."""

from __future__ import annotations

import hashlib
from io import BytesIO

import pytest
from docx import Document

from connectors.trix.crawler import CrawlConfig

from services.manual import answers
from services.manual.sync import sync_manual
from tests.support.trix_site import ADDED_IN_UPDATE, CHANGING_CHAPTER, REMOVED_IN_UPDATE, TrixSite


@pytest.fixture
async def site():
    """The test manual with a quick slow page, read with a patient timeout: a removal needs a complete crawl."""
    running = await TrixSite(slow_seconds=0.2).start()
    try:
        yield running
    finally:
        await running.stop()


PATIENT = CrawlConfig(delay=0.0, concurrency=6, timeout=15.0, retries=1)


async def _chapter_ids(services) -> dict[str, int]:
    async with services.uow() as uow:
        return {url.rsplit("/", 1)[-1].removesuffix(".html"): cid for cid, url, *_ in await uow.manual.light_rows()}


async def test_a_sync_reindexes_only_what_changed_and_removed_chapters_are_never_cited(services, site):
    assert (await sync_manual(services, site.url, config=PATIENT)).ok
    before = await answers.find(services, "pocket money and savings", fresh=True)
    assert before.cited[0].title == "Pocket Money and Savings"
    old = await answers.find(services, "return home interview within 48 hours")
    assert "48 hours" not in (old.quote or "")

    site.publish_update()  # one chapter changes, one is added, one is removed
    removed_id = (await _chapter_ids(services))[REMOVED_IN_UPDATE]
    report = await sync_manual(services, site.url, config=PATIENT)
    assert report.ok and len(report.removed) == 1
    ids = await _chapter_ids(services)

    after = await answers.find(services, "return home interview within 48 hours")
    assert after.kind == "answered" and after.cited[0].title == "Children Missing from Home and Care"
    assert "48 hours" in after.quote.replace("**", "")  # the changed chapter's new paragraph
    held = await answers.current_index(services)
    reindexed, dropped = held.last_refresh
    # Only what the sync found changed or added (the updated chapter, the new one, and the chapters whose
    # related-chapter lists lost the removed one), not the rest of the manual.
    assert reindexed == {c.id for c in report.changed + report.added}
    assert {ids[CHANGING_CHAPTER], ids[ADDED_IN_UPDATE]} <= reindexed and len(reindexed) < len(ids) // 10
    assert dropped == {removed_id}
    gone = await answers.find(services, "pocket money and savings")
    assert "Pocket Money and Savings" not in [c.title for c in gone.cited]
    assert (await answers.find(services, "children missing education")).cited[0].title == "Children Missing Education"


def _docx(paragraphs: list[str]) -> bytes:
    doc = Document()
    for p in paragraphs:
        doc.add_paragraph(p)
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


async def test_a_local_documents_latest_draft_is_searched_and_labelled(services, site):
    assert (await sync_manual(services, site.url, config=PATIENT)).ok
    text = ("Before the neglect panel meets, the social worker completes the home conditions toolkit with the family. "
            "The toolkit scores are shared with the family and recorded on the child's file.")
    content = _docx(["Neglect Strategy 2027", text])
    async with services.uow() as uow:
        doc = next(d for d in await uow.documents.all() if d.title == "Neglect Strategy")
        sha, size, _ = services.adapters["files"].put_bytes(content)  # drafts live in the data folder
        assert sha == hashlib.sha256(content).hexdigest()
        await uow.cases.add_draft(document_id=doc.id, filename="neglect-strategy-v2.docx",
                                  sha256=sha, size=size, uploaded_at=services.clock.now())
        await uow.commit()
    found = await answers.find(services, "home conditions toolkit before neglect panel", fresh=True)
    first = found.cited[0]
    assert (first.kind, first.title) == ("document", "Neglect Strategy")
    assert first.heading == "Latest draft (neglect-strategy-v2.docx)"
    assert "home conditions toolkit" in found.quote.replace("**", "")
