"""Comparing two versions of a draft from the document's page, over real HTTP on SQLite and
PostgreSQL (issue 23 with issue 17 item 4): the RO sends a draft in chat, the RSM approves it with
conditions from the page (NCT-8), the RO sends version 2 in chat; on the page the RSM chooses the
two versions, reads what changed under each heading and downloads the redline (Word tracked
changes). Someone with no part in the document is refused both, with nothing shown."""

from __future__ import annotations

import html as html_lib
import io
import re
import zipfile

import pytest

from bot.app import RUNTIME_KEY
from tests.support.cases import case_version
from tests.support.channel import readable
from tests.support.drafts import realistic_docx, revised_docx
from tests.support.tab import PageClient, hello


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


def _text(fragment: str) -> str:
    return html_lib.unescape(re.sub(r"<[^>]+>", "", fragment))


async def _two_versions(bot, demo_aad, rsm: PageClient) -> int:
    """Draft 1 from the RO in chat, approved with conditions by the RSM from the page, then draft 2
    (a paragraph of section 7 reworded, one added to section 8) from the RO in chat."""
    ro = demo_aad["ro-2"]
    await hello(bot, demo_aad, "ppo", "rsm-cla", "ro-2")
    assert (await bot.say("review PP-017", aad=ro, conversation="a:ro-2")).status < 300
    first = realistic_docx(40_000, title="Placement with Foster Carers")
    said = await bot.send(bot.activity("Amended draft attached, substantive", aad=ro, conversation="a:ro-2",
                                       attachments=[bot.channel.attach("PP-017 v1.docx", first)]))
    assert "stored as draft version 1" in readable(said.replies[0])
    async with bot.app[RUNTIME_KEY].store.uow() as uow:
        (row,) = await uow.cases.open_for_document((await uow.documents.by_ref("PP-017")).id)
    version, _stage, _ = await case_version(bot, row.id)
    page = await (await rsm.get("/tab/documents/PP-017")).text()
    field = re.search(r'name="(approve_with_conditions[^"]*)"', page).group(1)
    resp = await rsm.post(f"/tab/cases/{row.id}/act", {"action": "approve_with_conditions", "version": str(version),
                                                      field: "Add the annual training requirement to section 7."})
    assert resp.status == 200 and "Done:" in await resp.text()
    said = await bot.send(bot.activity(f"case {row.id}, editorial", aad=ro, conversation="a:ro-2",
                                       attachments=[bot.channel.attach("PP-017 v2.docx", revised_docx(first))]))
    assert "stored as draft version 2" in readable(said.replies[0])
    return row.id


async def test_nct_8_the_rsm_compares_two_versions_by_heading_and_downloads_the_redline(bot, pages, demo_aad):
    rsm, legal = pages(), pages()
    await rsm.sign_in("rsm-cla")
    await legal.sign_in("legal-1")
    await _two_versions(bot, demo_aad, rsm)

    page = await (await rsm.get("/tab/documents/PP-017")).text()
    form = re.search(r'<form class="compare" method="get" action="/tab/documents/PP-017/compare">.*?</form>', page, re.S).group(0)
    assert re.search(r'<option value="1" selected>Draft 1</option>', form.split('id="compare-new"')[0])
    assert re.search(r'<option value="2" selected>Draft 2</option>', form.split('id="compare-new"')[1])
    assert '<label for="compare-old">' in form and '<label for="compare-new">' in form

    resp = await rsm.get("/tab/documents/PP-017/compare?old=1&new=2")
    html = await resp.text()
    assert resp.status == 200, html
    summary = _text(re.search(r'<p id="compare-summary">(.*?)</p>', html).group(1))
    assert "in sections 7 and 8" in summary and "insertion" in summary, summary
    headings = [_text(h) for h in re.findall(r"<h3>(.*?)</h3>", html)]
    assert len(headings) == 2 and headings[0].startswith("7.") and headings[1].startswith("8."), headings
    under_7 = html[html.index("<h3>"):html.rindex("<h3>")]
    assert "e-learning" in under_7 and "Reworded" in under_7
    assert "quarterly report on return home interviews" in html[html.rindex("<h3>"):]
    link = re.search(r'href="(/tab/documents/PP-017/compare\.docx\?old=1&amp;new=2)"', html).group(1)

    resp = await rsm.get(html_lib.unescape(link))
    body = await resp.read()
    assert resp.status == 200 and body[:2] == b"PK" and "PP-017 changes v1 to v2.docx" in resp.headers["Content-Disposition"]
    xml = zipfile.ZipFile(io.BytesIO(body)).read("word/document.xml").decode()
    assert "<w:ins " in xml and "<w:del " in xml and "e-learning" in xml and "quarterly report" in xml

    # Someone with no part in PP-017 sees no form and is refused the comparison and the redline.
    assert 'class="compare"' not in await (await legal.get("/tab/documents/PP-017")).text()
    resp = await legal.get("/tab/documents/PP-017/compare?old=1&new=2")
    assert resp.status == 403 and "e-learning" not in await resp.text()
    resp = await legal.get("/tab/documents/PP-017/compare.docx?old=1&new=2")
    assert resp.status == 403 and (await resp.read())[:2] != b"PK"
    # Asking for the same version twice, or one never sent, is answered politely.
    resp = await rsm.get("/tab/documents/PP-017/compare?old=2&new=2")
    assert resp.status == 400 and "choose two different ones" in await resp.text()
    resp = await rsm.get("/tab/documents/PP-017/compare?old=1&new=9")
    assert resp.status == 404 and "no draft version 9" in await resp.text()
