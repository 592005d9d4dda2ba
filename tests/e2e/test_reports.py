"""Reports: documents by status, reviews overdue and due in 30/60/90 days by service area and owner,
decisions this month from the audit trail, and a PNG chart of review compliance over time
(NCT-1 owners, NCT-11 review dates, DOR-13 reporting)."""

from __future__ import annotations

import io
import json
from datetime import datetime, timedelta

import jsonschema
from PIL import Image

from bot.app import SERVICES_KEY
from render.reports import compliance_chart_png, due_reply, overdue_reply, report_reply
from services.clock import LONDON
from services.register.reports import record_compliance_snapshot, register_report
from tests.support.channel import card_of, readable
from tests.support.schemas import adaptive_card_schema
from tests.store.test_ownership import _demo

TEAMS_MAX_BYTES = 80 * 1024


async def _arrange(services, today):
    """A register whose review dates the test chooses: everything in date except a few."""
    async with services.uow() as uow:
        docs = {d.ref: d for d in await uow.documents.all(include_retired=True)}
        plan = {"PP-001": -10, "PP-007": -3, "PP-016": 10, "PP-026": 45, "PP-037": 75, "PP-041": -40}
        for d in docs.values():
            await uow.documents.update(d.id, next_review_due=today + timedelta(days=plan.get(d.ref, 200)))
        await uow.documents.update(docs["PP-040"].id, next_review_due=None)
        await uow.documents.update(docs["PP-041"].id, status="retired")  # overdue but retired: not counted
        await uow.documents.update(docs["PP-042"].id, status="draft")
        await uow.commit()


async def test_report_counts_reviews_by_service_area_and_owner_and_decisions_this_month(db_url, clock):
    services = await _demo(db_url, clock)
    today = clock.today()
    try:
        await _arrange(services, today)
        async with services.uow() as uow:
            pp1 = await uow.documents.by_ref("PP-001")
            rsm = await uow.people.get("rsm-safeguarding")
            now = clock.now()
            for at, action, summary in [
                (now - timedelta(days=2), "approve", "Approved (case 3)"),
                (datetime(2026, 11, 1, 0, 5, tzinfo=LONDON), "not_approved", "Returned to the author (case 2)"),
                (datetime(2026, 10, 31, 23, 55, tzinfo=LONDON), "approve", "Approved last month (case 1)"),
                (now - timedelta(days=1), "submit_draft", "Draft 2 submitted (case 3)"),  # not a decision
            ]:
                await uow.audit.record(at=at, actor=rsm, entity="document", entity_id=pp1.id, action=action, summary=summary)
            await uow.commit()

        report = await register_report(services)
        assert dict(report.by_status) == {"Published": 44, "Draft": 1, "Retired": 1}
        assert [(r.ref, r.days, r.owner) for r in report.overdue] == [
            ("PP-001", -10, "Alex Dunmore"), ("PP-007", -3, "Morgan Reyes")]  # PP-007 has no RO: the RSM stands in (NCT-1)
        assert [r.ref for r in report.due_within(30)] == ["PP-016"]
        assert [r.ref for r in report.due_within(60)] == ["PP-016", "PP-026"]
        assert [r.ref for r in report.due_within(90)] == ["PP-016", "PP-026", "PP-037"]
        areas = {t.name: (t.overdue, t.within) for t in report.by_area}
        assert areas == {"Safeguarding": (2, (0, 0, 0)), "Children in Care": (0, (1, 0, 0)),
                         "Early Help": (0, (0, 1, 0)), "Adults": (0, (0, 0, 1))}
        owners = {t.name: (t.overdue, t.within) for t in report.by_owner}
        assert owners == {"Alex Dunmore": (1, (0, 0, 0)), "Morgan Reyes": (1, (0, 0, 0)),
                          "Jamie Castellan": (0, (1, 0, 0)), "Drew Ashby": (0, (0, 1, 0)), "Elliot Marr": (0, (0, 0, 1))}
        assert [(d.decision, d.ref, d.who) for d in report.decisions] == [
            ("Not approved", "PP-001", "Morgan Reyes"), ("Approved", "PP-001", "Morgan Reyes")]
        c = report.compliance
        assert (c.total, c.overdue, c.no_date, c.in_date, c.due_soon, c.percent) == (45, 2, 1, 42, 1, 93.3)

        text = report_reply(report).text
        assert "45 live documents, 93.3% in date for review (2 overdue, 1 with no review date)" in text
        assert "Reviews overdue: 2; due in 0-30 days: 1; 31-60: 1; 61-90: 1." in text
        assert "- Safeguarding: 2 overdue" in text and "- Early Help: 0 overdue; 1 in 31-60 days" in text
        assert "Decisions taken in November 2026: 2" in text
        overdue = overdue_reply(report).text
        assert "2 reviews are overdue on 23 November 2026" in overdue
        assert "- PP-001 Children Missing from Home and Care - Alex Dunmore - 13 November 2026 (10 days overdue)" in overdue
        assert "PP-016" in due_reply(report, 30).text and "PP-026" not in due_reply(report, 30).text
    finally:
        await services.store.close()


async def test_review_compliance_over_time_is_kept_daily_and_drawn_as_a_png(db_url, clock):
    services = await _demo(db_url, clock)
    today = clock.today()
    try:
        await _arrange(services, today)
        # Three months ago five others were overdue (PP-001 and PP-007 were not due yet); a month ago two
        # others; today as arranged.
        start = clock.now()
        for months_ago, extra_overdue in ((3, ["PP-010", "PP-011", "PP-012", "PP-013", "PP-014"]), (1, ["PP-010", "PP-011"]), (0, [])):
            clock.set(start - timedelta(days=30 * months_ago))
            async with services.uow() as uow:
                for ref in ("PP-010", "PP-011", "PP-012", "PP-013", "PP-014"):
                    d = await uow.documents.by_ref(ref)
                    await uow.documents.update(
                        d.id, next_review_due=clock.today() + (timedelta(days=-5) if ref in extra_overdue else timedelta(days=200)))
                await uow.commit()
            await record_compliance_snapshot(services)
        await record_compliance_snapshot(services)  # twice in a day keeps one point
        clock.set(start)
        report = await register_report(services)
        assert [(p.on, p.overdue) for p in report.history] == [
            (today - timedelta(days=90), 5), (today - timedelta(days=30), 2), (today, 2)]
        assert [p.percent for p in report.history] == [86.7, 93.3, 93.3]

        png = compliance_chart_png(report)
        image = Image.open(io.BytesIO(png))
        assert image.format == "PNG" and image.size == (480, 208)
        pixels = {colour for _n, colour in image.convert("RGB").getcolors(maxcolors=1 << 20)}
        assert (0x2E, 0x7D, 0x32) in pixels  # the compliance line is drawn
    finally:
        await services.store.close()


async def test_reports_in_conversation(bot, demo_aad):
    services = bot.app[SERVICES_KEY]
    await record_compliance_snapshot(services)
    said = await bot.say("report", aad=demo_aad["head-qa"])
    reply = said.replies[0]
    text = readable(reply)
    assert "Register report" in text and "Decisions taken in November 2026" in text
    card = card_of(reply)
    jsonschema.validate(card, adaptive_card_schema("1.5"))
    image = next(b for b in card["body"] if b["type"] == "Image")
    assert image["url"].startswith("data:image/png;base64,")
    assert len(json.dumps(reply).encode()) < TEAMS_MAX_BYTES

    said = await bot.say("overdue reviews", aad=demo_aad["ppo"])
    text = readable(said.replies[0])
    report = await register_report(services)
    assert f"{len(report.overdue)} reviews are overdue" in text and len(report.overdue) > 0
    assert all(r.ref in text for r in report.overdue)
    jsonschema.validate(card_of(said.replies[0]), adaptive_card_schema("1.5"))

    said = await bot.say("reviews due in 60 days", aad=demo_aad["ppo"])
    text = readable(said.replies[0])
    assert "due in the next 60 days" in text
    assert all(r.ref in text for r in report.due_within(60))

    said = await bot.say("report", aad="00000000-0000-0000-0000-00000000dead")
    assert "I don't know who you are yet" in readable(said.replies[0])


def test_cli_report_writes_the_chart(sqlite_url, clock, tmp_path, monkeypatch, capsys):
    import asyncio

    from policybot.cli import main

    async def setup():
        services = await _demo(sqlite_url, clock)
        await services.store.close()

    asyncio.run(setup())
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    assert main(["report", "--chart", str(tmp_path / "compliance.png"), "--detail"]) == 0
    out = capsys.readouterr().out
    assert "46 live documents" in out and "reviews are overdue" in out
    with Image.open(tmp_path / "compliance.png") as image:
        assert image.size == (800, 350)
