"""The reports page over real HTTP, on SQLite and PostgreSQL (issue 23, with issue 16's demand
report): every figure counted by the database agrees with the register it counts, and what staff
asked and did not find shows as a chart with its figures in a table beneath it; the questions
themselves are shown to the policy team only (LBBD-1: what staff could not find is seen by the
people who can write it)."""

from __future__ import annotations

import html as html_lib
import re

import pytest

from bot.app import RUNTIME_KEY
from tests.e2e.test_manual_conversation import _sync
from tests.support.channel import card_of, readable
from tests.support.manual import fast, trix_site  # noqa: F401 - the test manual on loopback
from tests.support.tab import PageClient


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


def _section(html: str, heading_id: str) -> str:
    start = html.index(f'aria-labelledby="{heading_id}"')
    return html[start:html.index("</section>", start)]


def _cells(row_html: str) -> dict[str, str]:
    return {k: html_lib.unescape(re.sub(r"<[^>]+>", "", v)).strip() for k, v in re.findall(r'data-label="([^"]+)">(.*?)</t[hd]>', row_html)}


async def test_nct_11_the_reports_figures_are_the_registers_own_counts(bot, pages, clock):
    """NCT-11 (each procedure's "Next Review To Be Completed By"): compliance, the reviews by service area and the documents by status, as counted by the
    database, match the documents themselves (read one by one here) for the demo register."""
    c = pages()
    await c.sign_in("ro-1")
    resp = await c.get("/tab/reports")
    html = await resp.text()
    assert resp.status == 200
    today = clock.today()
    async with bot.app[RUNTIME_KEY].store.uow() as uow:
        docs = await uow.documents.all(include_retired=True)
    live = [d for d in docs if d.status != "retired"]
    overdue = [d for d in live if d.next_review_due and d.next_review_due < today]
    assert f"{len(overdue)} overdue" in _section(html, "compliance")
    assert f"of {len(live)} live documents" in _section(html, "compliance")
    areas = {}
    for row in re.findall(r"<tr><th scope=\"row\" data-label=\"Service area\">.*?</tr>", _section(html, "areas")):
        cells = _cells(row)
        areas[cells["Service area"]] = (int(cells["Overdue"]), int(cells["Due in 30 days"]), int(cells["31 to 60 days"]),
                                        int(cells["61 to 90 days"]))
    expected: dict[str, list[int]] = {}
    for d in live:
        if d.next_review_due is None:
            continue
        days = (d.next_review_due - today).days
        slot = 0 if days < 0 else 1 if days <= 30 else 2 if days <= 60 else 3 if days <= 90 else None
        if slot is not None:
            expected.setdefault(d.service_area or "No service area", [0, 0, 0, 0])[slot] += 1
    assert areas == {k: tuple(v) for k, v in expected.items()} and areas
    statuses = dict(re.findall(r"<dt>([^<]+)</dt><dd>(\d+)</dd>", _section(html, "status")))
    assert sum(int(n) for n in statuses.values()) == len(docs)
    assert "Nothing went unanswered in the last 30 days." in _section(html, "demand")


async def test_lbbd_1_what_nobody_found_is_charted_and_tabled_with_the_questions_for_the_policy_team_only(
        bot, pages, demo_aad, db_url, clock, trix_site, fast):  # noqa: F811
    """A practitioner's question that the manual answers only weakly, and an answer marked 'Not
    what I needed' with what they were looking for, appear on the reports page under their topic:
    in the chart and in the table beneath it. The PPO sees what was asked; a practitioner sees the
    topic and its counts only."""
    await _sync(db_url, clock, trix_site, fast)
    me = demo_aad["ro-2"]
    said = await bot.say("what do i do when a child goes missing from care", aad=me, conversation="a:ro2")
    card = card_of(said.replies[0])
    not_needed = next(a for a in card["actions"] if a.get("title") == "Not what I needed")
    press = bot.activity(None, kind="invoke", aad=me, activity_name="adaptiveCard/action", conversation="a:ro2",
                         value={"action": {"type": "Action.Execute", "verb": "answer", "data": not_needed["data"]}})
    asked = (await bot.send(press)).body["value"]
    send = next(a for a in asked["actions"] if a.get("title") == "Send")
    line = "the out of hours phone number for the police missing persons unit"
    await bot.send(bot.activity(None, kind="invoke", aad=me, activity_name="adaptiveCard/action", conversation="a:ro2",
                                value={"action": {"type": "Action.Execute", "verb": "answer",
                                                  "data": {**send["data"], "looking_for": line}}}))
    weak = await bot.say("missing giraffes", aad=me, conversation="a:ro2")
    assert "These chapters may help" in readable(weak.replies[0])

    ppo, ro = pages(), pages()
    await ppo.sign_in("ppo")
    await ro.sign_in("ro-1")
    html = await (await ppo.get("/tab/reports")).text()
    section = _section(html, "demand")
    assert "2 questions in the last 30 days" in section and "in 1 topic," in section
    title = re.search(r'<title id="demand-title">([^<]+)</title>', section).group(1)
    assert title.endswith("by topic: missing 2")  # the chart says its figures too
    (row,) = re.findall(r'<tr><th scope="row" data-label="Topic">.*?</tr>', section)
    cells = _cells(row)
    assert (cells["Topic"], cells["Times asked"], cells["People"]) == ("missing", "2", "1")
    assert (cells["Weak match"], cells["Not what I needed"], cells["Found nothing"]) == ("1", "1", "0")
    assert "Children Missing from Home and Care" in cells["Closest chapters"]
    assert "missing giraffes" in cells["What they asked"] and line in cells["What they asked"]

    html = await (await ro.get("/tab/reports")).text()
    section = _section(html, "demand")
    (row,) = re.findall(r'<tr><th scope="row" data-label="Topic">.*?</tr>', section)
    assert _cells(row)["Times asked"] == "2" and "What they asked" not in section
    assert "giraffes" not in html and line not in html and "shown to the policy team only" in section
