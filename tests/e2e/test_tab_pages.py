"""The register's pages over real HTTP, on SQLite and PostgreSQL (issue 23): what each person sees,
the register's filters and exports exactly as filtered, the drafts kept for the people involved,
acting from the page through the same use case (and forged forms refused with nothing changed),
the session and CSRF rules, and the security headers."""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pytest
from yarl import URL

from bot.app import RUNTIME_KEY
from tests.support.cases import buttons, case_version
from tests.support.channel import readable
from tests.support.tab import PageClient, review_waiting_for_rsm


@pytest.fixture
async def pages(bot):
    clients: list[PageClient] = []

    def make() -> PageClient:
        c = PageClient(bot)
        clients.append(c)
        return c

    yield make
    for c in clients:
        await c.close()


def refs(html: str) -> list[str]:
    return re.findall(r'href="/tab/documents/(PP-\d+)"', html)


async def test_signed_out_people_are_sent_to_sign_in_and_a_tampered_cookie_is_no_session(bot, pages):
    c = pages()
    resp = await c.get("/tab/register?area=Adults", allow_redirects=False)
    assert resp.status == 303
    where = urlsplit(resp.headers["Location"])
    assert where.path == "/tab/signin" and parse_qs(where.query)["next"] == ["/tab/register?area=Adults"]
    await c.sign_in("ro-2")
    assert (await c.get("/tab/register")).status == 200
    jar = c.http.cookie_jar
    (cookie,) = [m for m in jar if m.key == "pb_session"]
    payload, mac = cookie.value.split(".")
    forged = payload.replace(payload[5], "A" if payload[5] != "A" else "B", 1) + "." + mac
    jar.update_cookies({"pb_session": forged}, response_url=URL(bot.url + "/tab/"))
    resp = await c.get("/tab/register", allow_redirects=False)
    assert resp.status == 303 and resp.headers["Location"].startswith("/tab/signin")


async def test_every_page_carries_the_session_rules_and_a_strict_content_security_policy(bot, pages):
    c = pages()
    resp = await c.get("/tab/signin")
    cookie = resp.headers["Set-Cookie"]
    for part in ("HttpOnly", "Secure", "SameSite=None", "Partitioned", "Path=/tab"):
        assert part in cookie
    await c.sign_in("ppo")
    for path in ("/tab/mywork", "/tab/register", "/tab/documents/PP-001", "/tab/reports", "/tab/configure"):
        resp = await c.get(path)
        html = await resp.text()
        assert resp.status == 200, path
        csp = resp.headers["Content-Security-Policy"]
        assert "frame-ancestors 'self' https://teams.microsoft.com" in csp and "*.cloud.microsoft" in csp
        assert "script-src 'self' https://res.cdn.office.net" in csp and "unsafe-inline" not in csp
        assert resp.headers["X-Content-Type-Options"] == "nosniff"
        assert "<script>" not in html and " style=" not in html and "onclick" not in html  # nothing inline
    # the chat endpoint is untouched by the pages' headers
    assert "Content-Security-Policy" not in (await c.http.get(bot.url + "/healthz")).headers


async def test_the_register_filters_searches_sorts_and_pages(bot, pages):
    c = pages()
    await c.sign_in("ro-1")
    html = await (await c.get("/tab/register?area=Adults&sort=title")).text()
    adults = refs(html)
    assert len(adults) == 6 and "Showing 1 to 6 of 6 documents" in html
    titles = re.findall(r'href="/tab/documents/PP-\d+">PP-\d+ ([^<]+)</a>', html)
    assert titles == sorted(titles, key=str.lower)
    html = await (await c.get("/tab/register?owner=ro-1")).text()
    assert set(refs(html)) == {"PP-001", "PP-002", "PP-003", "PP-006", "PP-036"}
    html = await (await c.get("/tab/register?q=foster&type=Procedure")).text()
    assert set(refs(html)) == {"PP-017", "PP-018", "PP-019", "PP-044"}
    html = await (await c.get("/tab/register?review=overdue&size=25")).text()
    assert "Overdue:" in html and "Due soon:" not in html
    first = refs(await (await c.get("/tab/register?size=25&sort=ref")).text())
    second = refs(await (await c.get("/tab/register?size=25&sort=ref&page=2")).text())
    assert first[0] == "PP-001" and len(first) == 25 and second[0] == "PP-026" and len(second) == 21
    desc = refs(await (await c.get("/tab/register?size=25&sort=ref&desc=1")).text())
    assert desc[0] == "PP-046"
    for bad in ("sort=colour", "size=7", "page=0", "page=9", "review=soonish"):
        resp = await c.get(f"/tab/register?{bad}")
        assert resp.status == 400, bad
        assert "<h1>Please check what was asked</h1>" in await resp.text()


async def test_the_exports_hold_exactly_what_the_page_shows_across_all_its_pages(bot, pages, tmp_path):
    c = pages()
    await c.sign_in("head-qa")
    query = "status=published&q=e&sort=next_review&size=25"
    page1 = refs(await (await c.get(f"/tab/register?{query}")).text())
    page2 = refs(await (await c.get(f"/tab/register?{query}&page=2")).text())
    shown = page1 + page2
    assert len(shown) > 25
    resp = await c.get(f"/tab/register.xlsx?{query}")
    assert resp.status == 200 and "attachment" in resp.headers["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(await resp.read()))
    sheet = book["Register"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Ref", "Title", "Type")
    assert [r[0] for r in rows[1:]] == shown and {r[5] for r in rows[1:]} == {"Published"}
    overdue = [r for r in rows[1:] if r[11] == "Overdue"]
    assert overdue and all(r[12] < 0 for r in overdue)
    assert sheet.cell(row=2, column=11).number_format == "dd/mm/yyyy"
    assert "status: published" in book["About"]["B2"].value and "q: e" in book["About"]["B2"].value
    text = (await (await c.get(f"/tab/register.csv?{query}")).read()).decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert [r[0] for r in lines[1:]] == shown
    narrow = "q=foster&sort=title"
    shown = refs(await (await c.get(f"/tab/register?{narrow}")).text())
    text = (await (await c.get(f"/tab/register.csv?{narrow}")).read()).decode("utf-8-sig")
    assert [r[0] for r in list(csv.reader(io.StringIO(text)))[1:]] == shown and 0 < len(shown) < 10


async def test_my_work_shows_each_person_only_their_own(bot, pages, demo_aad):
    case_id = await review_waiting_for_rsm(bot, demo_aad)
    rsm, ro, legal = pages(), pages(), pages()
    await rsm.sign_in("rsm-cla")
    await ro.sign_in("ro-2")
    await legal.sign_in("legal-1")
    mine = await (await rsm.get("/tab/mywork")).text()
    assert "Waiting for me (1)" in mine and f'action="/tab/cases/{case_id}/act"' in mine
    assert '<button type="submit">Approve</button>' in mine
    html = await (await ro.get("/tab/mywork")).text()
    assert "Waiting for me (0)" in html and "/act" not in html
    assert "My documents (" in html and "PP-017 Placement with Foster Carers" in html
    assert re.search(r"working days? (left|overdue)", html)
    html = await (await legal.get("/tab/mywork")).text()
    assert "Waiting for me (0)" in html and "You do not own or sign off any document." in html
    # on the document page, only the RSM is offered the decision
    assert '<button type="submit">Approve</button>' in await (await rsm.get("/tab/documents/PP-017")).text()
    html = await (await ro.get("/tab/documents/PP-017")).text()
    assert "<dt>Waiting for</dt><dd>Jordan Whitfield</dd>" in html and "Draft 1: foster.docx" in html
    assert re.findall(r'name="action" value="(\w+)"', html) == ["withdraw"]  # the RO may withdraw, not approve


async def test_drafts_are_for_the_people_involved_only(bot, pages, demo_aad):
    await review_waiting_for_rsm(bot, demo_aad)
    ro, ppo, legal = pages(), pages(), pages()
    await ro.sign_in("ro-2")
    await ppo.sign_in("ppo")
    await legal.sign_in("legal-1")
    for c in (ro, ppo):
        resp = await c.get("/tab/documents/PP-017/drafts/1")
        body = await resp.read()
        assert resp.status == 200 and body[:2] == b"PK" and "foster.docx" in resp.headers["Content-Disposition"]
    html = await (await legal.get("/tab/documents/PP-017")).text()
    assert "/drafts/1" not in html and "The drafts are for the document" in html
    resp = await legal.get("/tab/documents/PP-017/drafts/1")
    refused = await resp.read()  # a refusal page, not the .docx (a zip starts PK\x03\x04; a nonce may hold "PK")
    assert resp.status == 403 and not refused.startswith(b"PK\x03\x04") and "Content-Disposition" not in resp.headers
    assert (await ro.get("/tab/documents/PP-017/drafts/9")).status == 404
    assert (await ro.get("/tab/documents/PP-999")).status == 404


async def test_an_approval_from_the_page_goes_through_the_use_case_and_refreshes_the_chat_card(bot, pages, demo_aad):
    case_id = await review_waiting_for_rsm(bot, demo_aad)
    version, stage, _step = await case_version(bot, case_id)
    rsm = pages()
    await rsm.sign_in("rsm-cla")
    await rsm.get("/tab/documents/PP-017")
    updates_before = [r for r in bot.channel.received if r.method == "PUT" and r.conversation_id == "a:rsm-cla"]
    resp = await rsm.post(f"/tab/cases/{case_id}/act", {"action": "approve", "version": str(version)})
    html = await resp.text()
    assert resp.status == 200 and "Done:" in html, html
    new_version, new_stage, _ = await case_version(bot, case_id)
    assert new_version == version + 1 and new_stage != stage
    async with bot.app[RUNTIME_KEY].store.uow() as uow:
        doc = await uow.documents.by_ref("PP-017")
        history = [(e.actor_id, e.action) for e in await uow.audit.for_entity("document", doc.id)]
    assert ("rsm-cla", "approve") in history
    updated = [r for r in bot.channel.received if r.method == "PUT" and r.conversation_id == "a:rsm-cla"]
    assert len(updated) == len(updates_before) + 1  # the RSM's chat card no longer offers Approve
    assert "approve" not in buttons(updated[-1].activity) and "Approved at 'RSM approval'" in readable(updated[-1].activity)
    # the reports count it in this month's approvals
    html = await (await rsm.get("/tab/reports")).text()
    months = re.findall(r'data-label="Month">([^<]+)</th><td data-label="Approved">(\d+)</td>', html)
    assert len(months) == 12 and months[-1] == ("November 2026", "1") and months[0][0] == "December 2025"
    assert all(n == "0" for _m, n in months[:-1])
    # the same form again (a second click, or a stale page) changes nothing
    resp = await rsm.post(f"/tab/cases/{case_id}/act", {"action": "approve", "version": str(version)})
    assert resp.status in (403, 409)
    assert (await case_version(bot, case_id))[0] == new_version


async def test_a_forged_form_for_another_persons_case_is_refused_and_changes_nothing(bot, pages, demo_aad):
    case_id = await review_waiting_for_rsm(bot, demo_aad)
    version, _stage, _ = await case_version(bot, case_id)
    ro, legal, other_rsm = pages(), pages(), pages()
    await ro.sign_in("ro-2")
    await legal.sign_in("legal-1")
    await other_rsm.sign_in("rsm-safeguarding")
    for c in (ro, legal, other_rsm):
        resp = await c.post(f"/tab/cases/{case_id}/act", {"action": "approve", "version": str(version),
                                                          "person": "rsm-cla", "as": "rsm-cla"})
        assert resp.status == 403, await resp.text()
    # the RSM's own session without its CSRF token, or with someone else's, is refused too
    rsm = pages()
    await rsm.sign_in("rsm-cla")
    resp = await rsm.post(f"/tab/cases/{case_id}/act", {"action": "approve", "version": str(version)}, csrf=False)
    assert resp.status == 403
    resp = await rsm.post(f"/tab/cases/{case_id}/act", {"action": "approve", "version": str(version), "csrf": ro.csrf},
                          csrf=False)
    assert resp.status == 403
    resp = await rsm.post(f"/tab/cases/{case_id}/act", {"action": "approve", "version": str(version)},
                          headers={"Origin": "https://evil.example.com"})
    assert resp.status == 403
    assert (await case_version(bot, case_id))[0] == version  # nothing changed


async def test_a_decision_that_needs_words_asks_for_them(bot, pages, demo_aad):
    case_id = await review_waiting_for_rsm(bot, demo_aad)
    version, _stage, _ = await case_version(bot, case_id)
    rsm = pages()
    await rsm.sign_in("rsm-cla")
    resp = await rsm.post(f"/tab/cases/{case_id}/act", {"action": "approve_with_conditions", "version": str(version),
                                                        "approve_with_conditions_text": "  "})
    assert resp.status == 400 and "Please fill in" in await resp.text()
    resp = await rsm.post(f"/tab/cases/{case_id}/act", {"action": "approve_with_conditions", "version": str(version),
                                                        "approve_with_conditions_text": "Add the out-of-hours contact",
                                                        "return_to_me": "true"})
    assert resp.status == 200 and "Done:" in await resp.text()
    async with bot.app[RUNTIME_KEY].store.uow() as uow:
        row = await uow.cases.get(case_id)
        assert [c["text"] for c in row.state["conditions"]] == ["Add the out-of-hours contact"]


async def test_a_crafted_link_cannot_put_words_on_the_page(bot, pages):
    c = pages()
    await c.sign_in("ppo")
    html = await (await c.get("/tab/documents/PP-001?done=Your+account+is+locked%2C+call+0800&sig=abc")).text()
    assert "Your account is locked" not in html


@pytest.fixture
async def dorset_bot(db_url, clock):
    from tests.support.bot import RunningBot, settings_for

    running = await RunningBot(settings_for(db_url, POLICYBOT_PRESET="dorset"), clock=clock).start()
    yield running
    await running.stop()


async def test_dor_7_the_meetings_page_shows_the_groups_calendar_next_agenda_and_plan(dorset_bot):
    c = PageClient(dorset_bot)
    try:
        await c.sign_in("head-qa")
        resp = await c.get("/tab/meetings")
        html = await resp.text()
        assert resp.status == 200, html
        assert "Practice, Policy and Procedures Group: next meeting" in html
        # DOR-7: the second Tuesday of the month, none in December or August
        assert "<strong>12 January 2027</strong>" in html, html[html.find("<main"):]
        coming = re.findall(r"<li>(\d+ \w+ 20\d\d)</li>", html[html.find('id="calendar"'):])
        assert coming[:6] == ["12 January 2027", "9 February 2027", "9 March 2027", "13 April 2027", "11 May 2027",
                              "8 June 2027"]
        # DOR-8: items 10 working days before (over Christmas and New Year), papers 3 working days before
        assert "Items by 24 Dec 2026. Papers go out 7 Jan 2027." in html
        assert (await c.get("/tab/meetings?body=nonesuch")).status == 404
    finally:
        await c.close()


async def test_without_a_meeting_calendar_the_meetings_page_says_so(bot, pages):
    c = pages()
    await c.sign_in("ppo")
    html = await (await c.get("/tab/meetings")).text()
    assert "has no group or board with a meeting calendar" in html


async def test_nct_14_the_documents_a_change_would_affect_are_found_on_request(bot, pages):
    c = pages()
    await c.sign_in("ppo")
    html = await (await c.get("/tab/documents/PP-001")).text()
    assert "/tab/documents/PP-001?related=1#related" in html  # not computed until asked (it reads the manual)
    html = await (await c.get("/tab/documents/PP-001?related=1")).text()
    related = html[html.find('id="related"'):html.find('id="history"')]
    assert "?related=1" not in related
    # the demo has no manual index to compare with, so nothing is claimed to be related
    assert "<h2 id=\"related\">Related documents</h2>" in html and "No related documents found." in related


async def test_dor_10_my_work_lists_my_meeting_actions_with_working_days(dorset_bot, clock):
    from datetime import date, timedelta

    async with dorset_bot.app[RUNTIME_KEY].store.uow() as uow:
        meeting = await uow.meetings.create(body="ppp_group", starts_at=clock.now() - timedelta(days=13), status="held",
                                            one_off=False, created_at=clock.now())
        for owner, text, due in (("ro-1", "Add the LADO contact to the MASH procedure", date(2026, 12, 4)),
                                 ("ro-2", "Check the fostering panel dates", date(2026, 12, 1))):
            await uow.meetings.add_action(meeting_id=meeting.id, body="ppp_group", agenda_item_id=None, text=text,
                                          owner_id=owner, due_on=due, done_at=None, last_chased_on=None,
                                          created_at=clock.now())
        await uow.commit()
    c = PageClient(dorset_bot)
    try:
        await c.sign_in("ro-1")
        html = await (await c.get("/tab/mywork")).text()
        assert "My meeting actions (1)" in html and "Add the LADO contact to the MASH procedure" in html
        assert "by 4 Dec 2026 (9 working days left)" in html  # Monday 23 November to Friday 4 December
        assert "fostering panel" not in html  # someone else's action
    finally:
        await c.close()
