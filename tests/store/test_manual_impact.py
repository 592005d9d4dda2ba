"""NCT-14: all procedures affected by a change are identified. For a changed chapter or local
document, the documents most likely affected; for a manual update, a notice to each owner."""

from __future__ import annotations

import pytest
import pytest_asyncio

from services.errors import NotFound
from services.manual.impact import affected_by_chapter, affected_by_document, amendment_notices
from services.cases.lifecycle import Notice
from services.manual.sync import sync_manual
from connectors.trix.crawler import CrawlConfig

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def updated(indexed):
    """The synced manual, two register documents pointed at chapters, then the December update."""
    services, site = indexed
    async with services.uow() as uow:
        strategy = await uow.documents.by_ref("PP-003")  # "Strategy Discussions and Meetings", RO Alex Dunmore
        await uow.documents.update(strategy.id, manual_url=site.origin + site.chapters["strategy-discussions"].path)
        transitions = await uow.documents.by_ref("PP-040")  # no RO: the RSM Robin Achebe stands in (NCT-1)
        await uow.documents.update(transitions.id, manual_url=site.origin + "/manual/chapters/children-missing-education.html")
        await uow.commit()
    site.publish_update()
    report = await sync_manual(services, site.url, config=CrawlConfig(delay=0.0, concurrency=6, timeout=2.0, retries=0))
    assert report.ok
    return services, site


async def test_a_changed_chapter_lists_its_local_document_and_linked_chapters_nct_14(updated):
    services, _site = updated
    report = await affected_by_chapter(services, "Children Missing from Home and Care")
    assert "missing" in report.key_terms
    first = report.items[0]
    assert (first.ref, first.owner) == ("PP-001", "Alex Dunmore")
    assert "it is the local document for the changed chapter" in first.reasons
    by_title = {i.title: i for i in report.items if i.kind == "chapter"}
    assert "Children Missing from Home and Care" not in by_title  # the changed chapter is the subject
    strategy = by_title["Strategy Discussions"]
    assert {"the changed chapter links to it", "it links to the changed chapter"} <= set(strategy.reasons)
    assert strategy.ref == "PP-003" and strategy.owner == "Alex Dunmore"
    assert "it links to the changed chapter" in by_title["Children Missing Education"].reasons
    assert all(i.reasons for i in report.items)
    # Ranked: both links and shared terms beat a single link.
    assert report.items.index(strategy) < report.items.index(by_title["Section 47 Enquiries"])


async def test_a_changed_local_document_lists_the_chapters_on_its_subject_nct_14(updated):
    services, _site = updated
    report = await affected_by_document(services, "PP-023")  # Unaccompanied Asylum Seeking Children (UASC)
    titles = [i.title for i in report.items]
    assert titles[0] == "Age Assessments"
    assert "Unaccompanied Asylum Seeking Children" not in titles  # its own chapter is the subject
    assert any(r.startswith("shares key terms") for r in report.items[0].reasons)


async def test_an_update_tells_each_owner_which_local_documents_are_affected_nct_14(updated):
    services, site = updated
    notices = await amendment_notices(services)
    assert [(n.person_id, n.update) for n in notices] == [("ro-1", "December 2026 Update"), ("rsm-adults", "December 2026 Update")]
    alex, robin = notices
    assert [(i.ref, i.how, i.chapter_title) for i in alex.items] == [
        ("PP-001", "is the local document for", "Children Missing from Home and Care"),
        ("PP-003", "depends on", "Children Missing from Home and Care"),
    ]
    assert {(i.ref, i.how, i.chapter_title, i.change) for i in robin.items} == {
        ("PP-040", "is the local document for", "Children Missing Education", "new"),
        ("PP-040", "depends on", "Children Missing from Home and Care", "updated"),
    }
    notice = alex.as_notice()
    assert isinstance(notice, Notice) and notice.person_id == "ro-1"
    assert "PP-003" in notice.body and "48 hours" in notice.body and "December 2026 Update" in notice.subject
    # An earlier update can be asked for by name: September changed chapters no register document is for.
    september = await amendment_notices(services, "September 2026 Update")
    assert all(i.chapter_title in {"Looked After Reviews", "Pathway Planning for Care Leavers", "Staying Close",
                                   "Children's Guardians (Old Guidance)"} for n in september for i in n.items)


async def test_unknown_subjects_get_a_polite_answer(updated):
    services, _site = updated
    with pytest.raises(NotFound, match="no chapter"):
        await affected_by_chapter(services, "Underwater Basket Weaving")
    with pytest.raises(NotFound, match="PP-999"):
        await affected_by_document(services, "PP-999")
    with pytest.raises(NotFound, match="no update called"):
        await amendment_notices(services, "Spring 1999 Update")
