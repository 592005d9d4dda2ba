"""What changed in a new version (issue 17, item 3): an untracked version is compared with the
previous stored version; the summary is kept with the draft and shown on the card. Real store,
real file store, real Word reading, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio

from services.cases import drafts, lifecycle
from services.cases.draft_changes import latest_draft_view, record_changes, summary_line
from services.demo import _aad, ensure_demo
from services.people.identity import ChannelIdentity
from store.uow import Store
from tests.support.bot import settings_for
from tests.support.drafts import realistic_docx, revised_docx
from tests.support.runtime import services_for


async def test_an_untracked_new_version_lists_what_differs_from_the_previous_version(db_url, clock):
    store = Store(db_url)
    await store.migrate()
    services = services_for(settings_for(db_url), clock=clock, store=store)
    await ensure_demo(services)
    try:
        ro = ChannelIdentity("msteams", "29:ro-1", aad_object_id=_aad("ro-1"), name="Alex Dunmore")
        opened = await lifecycle.start_case(services, ro, "PP-001", "scheduled_review")
        first = realistic_docx(300_000, tracked=False, seed=3)  # two untracked versions, as a new document's drafts are
        second = revised_docx(first)
        for number, data in ((1, first), (2, second)):
            facts = await drafts.check_draft(services, data, f"v{number}.docx")
            assert not facts.has_tracked_changes
            async with services.uow() as uow:
                row = await uow.cases.get(opened.case.id)
                draft = await uow.cases.add_draft(document_id=row.document_id, case_id=row.id, filename=f"v{number}.docx",
                                                  sha256=facts.sha256, size=facts.size, tracked_insertions=0,
                                                  tracked_deletions=0, uploaded_by="ro-1", uploaded_at=clock.now(), note=None)
                summary = await record_changes(services, uow, draft, facts, "editorial")
                await uow.commit()
        assert summary is not None and summary.changed == 1 and summary.insertions == 1
        assert "1 insertion, 1 changed paragraph, 2 comments in sections 7, 8, 2 and 6" == summary_line(summary)
        async with services.uow() as uow:
            view = await latest_draft_view(uow, await uow.cases.get(opened.case.id))
        assert (view.number, view.compared_with, view.change_kind) == (2, 1, "editorial")
        texts = [c.text for c in view.changes.changes]
        assert any("e-learning" in t for t in texts) and any("quarterly report" in t for t in texts)
        assert services.adapters["files"].path(facts.sha256).read_bytes() == second
    finally:
        await asyncio.sleep(0)
        await store.close()
