"""The reports page's counts, made by the database (issue 23), on SQLite and PostgreSQL: reviews by
service area in the same windows as the register report (overdue; due in 0-30, 31-60, 61-90 days,
each edge day counted once), retired documents and documents with no review date left out, a
document with no service area under its own heading; documents by status, retired included."""

from __future__ import annotations

from datetime import datetime, timedelta

from services.clock import LONDON
from services.register.reports import WINDOWS
from store.listing_repo import ListingRepo
from store.seeding import bulk_insert
from store.uow import Store

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=LONDON)
TODAY = NOW.date()


def _doc(i: int, area: str | None, due_in: int | None, status: str = "published") -> dict:
    due = TODAY + timedelta(days=due_in) if due_in is not None else None
    return dict(ref=f"RP-{i:03d}", doc_type="Procedure", service_area=area, title=f"Procedure {i}", category=None,
                summary=None, ro_id=None, rsm_id=None, status=status, version="1.0", approved_on=None,
                last_reviewed_on=None, next_review_due=due, manual_url=None, extra={}, created_at=NOW, updated_at=NOW)


async def test_nct_11_reviews_by_area_fall_in_the_register_reports_windows_edge_days_included(db_url):
    store = Store(db_url)
    try:
        rows = [_doc(1, "Adults", -1), _doc(2, "Adults", 0), _doc(3, "Adults", 30), _doc(4, "Adults", 31),
                _doc(5, "Adults", 60), _doc(6, "Adults", 61), _doc(7, "Adults", 90), _doc(8, "Adults", 91),
                _doc(9, "Adults", -400, status="retired"), _doc(10, "Adults", None),
                _doc(11, None, -3), _doc(12, "Early Help", 200, status="draft")]
        await bulk_insert(store.engine, "documents", rows)
        async with store.uow() as uow:
            repo = ListingRepo(uow.session)
            areas = dict(await repo.review_windows_by_area(TODAY, WINDOWS))
            statuses = dict(await repo.status_counts())
            names = await repo.refs_of([])
    finally:
        await store.close()
    assert areas["Adults"] == (1, 2, 2, 2)  # -1 | 0 and 30 | 31 and 60 | 61 and 90; 91 is beyond; retired and undated left out
    assert areas[None] == (1, 0, 0, 0)
    assert areas["Early Help"] == (0, 0, 0, 0)  # counted, with nothing in the windows (the page leaves it out)
    assert statuses == {"published": 10, "retired": 1, "draft": 1}
    assert names == {}
