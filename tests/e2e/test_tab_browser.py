"""The pages in headless Chromium (Playwright) against the real app over HTTP, on SQLite and
PostgreSQL (issue 23): each page as three people, each seeing only what their roles allow; axe-core
finds no WCAG 2.2 AA violation on any page, in a desktop window and a 320 px Teams side panel; an
approval made with the keyboard alone; forged addresses and forms refused; the .xlsx export
downloaded and opened; the page inside a Teams-hosted iframe following light, dark and high
contrast from Teams' context and its theme-change event."""

from __future__ import annotations

import asyncio
import io
import json
import re
import shutil
from pathlib import Path

import openpyxl
import pytest

from services.demo import PEOPLE
from tests.support.cases import buttons, case_version
from tests.support.tab import review_waiting_for_rsm

playwright_api = pytest.importorskip("playwright.async_api", reason="the playwright package is not installed")

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
AXE = ROOT / ".cache/npm/node_modules/axe-core/axe.min.js"
AXE = AXE if AXE.exists() else None
pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="no Chromium at /usr/bin/chromium (.ci/install-playground.sh installs it)"),
]
IDS = {name: key for key, name, *_ in PEOPLE}
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
TEAMS_HOST = "https://teams.microsoft.com/_tab_host"
SDK = "https://res.cdn.office.net/**"


@pytest.fixture
async def browser():
    async with playwright_api.async_playwright() as p:
        # The test's app listens on loopback while the Teams host page is public (teams.microsoft.com):
        # Chromium's Local Network Access check would block that frame, which a real deployment (a
        # public https host) never meets, so it is switched off for these tests only.
        b = await p.chromium.launch(executable_path=CHROMIUM,
                                    args=["--no-sandbox", "--disable-features=LocalNetworkAccessChecks"])
        try:
            yield b
        finally:
            await b.close()


async def no_teams(route) -> None:
    """Outside Teams the SDK's CDN is unreachable here: the pages must work without it."""
    await route.abort()


async def new_page(browser, *, width: int = 1280):
    context = await browser.new_context(viewport={"width": width, "height": 900}, accept_downloads=True)
    await context.route(SDK, no_teams)
    page = await context.new_page()
    return context, page


async def sign_in(page, bot, person_name: str) -> None:
    await page.goto(bot.url + "/tab/mywork")
    assert page.url.startswith(bot.url + "/tab/signin")
    await page.get_by_label("Person").select_option(value=IDS[person_name])
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_url(bot.url + "/tab/mywork")


async def axe_violations(page) -> list[dict]:
    if AXE is None:
        pytest.skip("axe-core is not installed (.ci/install-playground.sh installs it into .cache/npm)")
    if not await page.evaluate("typeof window.axe !== 'undefined'"):
        await page.evaluate(AXE.read_text(encoding="utf-8"))  # over DevTools, so the page's CSP still holds
    result = await page.evaluate("opts => axe.run(document, opts)", {"runOnly": {"type": "tag", "values": WCAG}})
    return [{"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result["violations"]]


async def test_the_accessibility_check_does_find_faults(browser):
    """The axe harness is not blind: an unlabelled field and grey-on-white text are reported."""
    context, page = await new_page(browser)
    try:
        await page.set_content('<!doctype html><html lang="en"><title>t</title><main><input id="x">'
                               '<p style="color:#bbb">faint</p></main></html>')
        assert {"label", "color-contrast"} <= {v["id"] for v in await axe_violations(page)}
    finally:
        await context.close()


async def check_page(page, url: str) -> str:
    resp = await page.goto(url)
    assert resp.status == 200, url
    found = await axe_violations(page)
    assert not found, f"{url}: {json.dumps(found, indent=1)}"
    return await page.content()


async def test_each_page_as_three_people_each_sees_only_their_part_and_axe_finds_nothing(bot, browser, demo_aad):
    case_id = await review_waiting_for_rsm(bot, demo_aad)
    pages = ("/tab/mywork", "/tab/register", "/tab/register?area=Children+in+Care&sort=owner&size=25",
             "/tab/documents/PP-017", "/tab/meetings", "/tab/reports", "/tab/configure")
    seen: dict[str, dict[str, str]] = {}
    for who, name, width in (("rsm-cla", "Jordan Whitfield", 1280), ("ro-2", "Jamie Castellan", 320),
                             ("legal-1", "Harper Quayle", 1280)):
        context, page = await new_page(browser, width=width)
        try:
            await sign_in(page, bot, name)
            seen[who] = {}
            for path in pages:
                html = await check_page(page, bot.url + path)
                seen[who][path] = html
                assert name in html
                if width == 320:  # a Teams side panel: nothing wider than the panel
                    assert await page.evaluate("document.documentElement.scrollWidth") <= 320, path
        finally:
            await context.close()
    act = f'action="/tab/cases/{case_id}/act"'
    assert act in seen["rsm-cla"]["/tab/mywork"] and ">Approve</button>" in seen["rsm-cla"]["/tab/documents/PP-017"]
    assert act not in seen["ro-2"]["/tab/mywork"] and ">Withdraw</button>" in seen["ro-2"]["/tab/documents/PP-017"]
    assert ">Approve</button>" not in seen["ro-2"]["/tab/documents/PP-017"]
    assert act not in seen["legal-1"]["/tab/documents/PP-017"] and act not in seen["legal-1"]["/tab/mywork"]
    assert "/drafts/1" in seen["ro-2"]["/tab/documents/PP-017"] and "/drafts/1" in seen["rsm-cla"]["/tab/documents/PP-017"]
    assert "/drafts/1" not in seen["legal-1"]["/tab/documents/PP-017"]
    assert "PP-017 Placement with Foster Carers" in seen["ro-2"]["/tab/mywork"]
    assert "PP-017 Placement" not in seen["legal-1"]["/tab/mywork"]


async def test_an_approval_made_with_the_keyboard_alone_refreshes_the_chat_card(bot, browser, demo_aad):
    case_id = await review_waiting_for_rsm(bot, demo_aad)
    version, _stage, _ = await case_version(bot, case_id)
    context, page = await new_page(browser)
    try:
        await sign_in(page, bot, "Jordan Whitfield")
        await page.goto(bot.url + "/tab/mywork")
        order = []
        for _ in range(40):  # Tab through the page, in order, until the Approve button has the focus
            await page.keyboard.press("Tab")
            focused = await page.evaluate("(document.activeElement.innerText || document.activeElement.name || '').trim()")
            order.append(focused)
            if focused == "Approve":
                break
        assert order[0] == "Skip to the content" and order[-1] == "Approve", order
        assert order.index("My work") < order.index("Register") < order.index("Approve")
        await page.keyboard.press("Enter")
        await page.wait_for_url(re.compile(r"/tab/documents/PP-017"))
        assert "Done:" in await page.get_by_role("status").first.inner_text()
        assert (await case_version(bot, case_id))[0] == version + 1
        found = await axe_violations(page)
        assert not found, found
    finally:
        await context.close()
    updated = [r for r in bot.channel.received if r.method == "PUT" and r.conversation_id == "a:rsm-cla"]
    assert updated and "approve" not in buttons(updated[-1].activity)


async def test_forged_addresses_and_forms_are_refused_in_the_browser(bot, browser, demo_aad):
    case_id = await review_waiting_for_rsm(bot, demo_aad)
    version, _stage, _ = await case_version(bot, case_id)
    context, page = await new_page(browser)
    try:
        await sign_in(page, bot, "Harper Quayle")
        resp = await page.goto(bot.url + "/tab/documents/PP-017/drafts/1")
        assert resp.status == 403 and "Not yours to see or do" in await page.content()
        await page.goto(bot.url + "/tab/mywork")
        token = await page.get_attribute('meta[name="csrf-token"]', "content")
        # a form for the RSM's decision, posted from Harper's own signed-in browser with her own token
        resp = await page.request.post(bot.url + f"/tab/cases/{case_id}/act", form={
            "csrf": token, "action": "approve", "version": str(version), "person": "rsm-cla"})
        assert resp.status == 403
        resp = await page.request.post(bot.url + f"/tab/cases/{case_id}/act", form={
            "csrf": "forged", "action": "approve", "version": str(version)})
        assert resp.status == 403
        assert (await case_version(bot, case_id))[0] == version
        resp = await page.goto(bot.url + "/tab/register?sort=%3Cscript%3E")
        assert resp.status == 400 and "<script>" not in await page.content()
    finally:
        await context.close()


async def test_the_xlsx_export_downloaded_from_the_page_holds_what_it_shows(bot, browser):
    context, page = await new_page(browser)
    try:
        await sign_in(page, bot, "Priya Patel-Owens")
        await page.goto(bot.url + "/tab/register")
        await page.get_by_label("Service area").select_option("Children in Care")
        await page.get_by_label("Sort by").select_option(label="Title")
        await page.get_by_role("button", name="Show").click()
        await page.wait_for_url(re.compile(r"area=Children"))
        shown = await page.locator("table.register tbody th a").all_inner_texts()
        async with page.expect_download() as info:
            await page.get_by_role("link", name="Excel (.xlsx)").click()
        download = await info.value
        assert download.suggested_filename.endswith(".xlsx")
        saved = await download.path()
        book = openpyxl.load_workbook(io.BytesIO(await asyncio.to_thread(Path(saved).read_bytes)))
        rows = list(book["Register"].iter_rows(values_only=True))[1:]
        assert [f"{r[0]} {r[1]}" for r in rows] == shown and len(shown) > 5
        assert {r[4] for r in rows} == {"Children in Care"}
    finally:
        await context.close()


def teams_sdk_stub(theme: str, sso_token: str = "") -> str:
    """The parts of the Teams JS SDK the pages use, answering with this theme in the app context."""
    return """
window.microsoftTeams = (function () {
  var handlers = [];
  window.__teamsTheme = function (t) { handlers.forEach(function (h) { h(t); }); };
  return {
    app: {
      initialize: function () { return Promise.resolve(); },
      getContext: function () { return Promise.resolve({ app: { theme: __THEME__, host: { name: "Teams" } } }); },
      registerOnThemeChangeHandler: function (h) { handlers.push(h); }
    },
    authentication: { getAuthToken: function () {
      return __TOKEN__ ? Promise.resolve(__TOKEN__) : Promise.reject(new Error("no token here")); } },
    pages: { config: {
      registerOnSaveHandler: function (h) { window.__teamsSave = h; },
      setValidityState: function (v) { window.__teamsValid = v; },
      setConfig: function (c) { window.__teamsConfig = c; return Promise.resolve(); } } }
  };
}());
""".replace("__THEME__", json.dumps(theme)).replace("__TOKEN__", json.dumps(sso_token))


async def test_nct_8_two_versions_chosen_with_the_keyboard_compare_and_pass_axe_in_every_theme(bot, browser, demo_aad):
    """The RSM picks two versions on the document page with the keyboard alone, reads the
    comparison by heading; the document and comparison pages pass axe in a 320 px panel in light,
    dark and high contrast."""
    from tests.e2e.test_tab_compare import _two_versions
    from tests.support.tab import PageClient

    helper = PageClient(bot)
    try:
        await helper.sign_in("rsm-cla")
        await _two_versions(bot, demo_aad, helper)
    finally:
        await helper.close()
    context, page = await new_page(browser, width=320)
    try:
        await sign_in(page, bot, "Jordan Whitfield")
        await check_page(page, bot.url + "/tab/documents/PP-017")
        await page.get_by_label("Version", exact=True).focus()
        await page.keyboard.press("Home")  # Draft 1 (already chosen), then on to "with version" and Compare
        await page.keyboard.press("Tab")
        await page.keyboard.press("End")
        await page.keyboard.press("Tab")
        await page.keyboard.press("Enter")
        await page.wait_for_url(re.compile(r".*/tab/documents/PP-017/compare\?old=1&new=2$"))
        assert "sections 7 and 8" in await page.locator("#compare-summary").inner_text()
        for theme in ("light", "dark", "contrast"):
            await check_page(page, bot.url + f"/tab/documents/PP-017/compare?old=1&new=2&theme={theme}")
            assert await page.evaluate("document.documentElement.scrollWidth") <= 320, theme
            await check_page(page, bot.url + f"/tab/documents/PP-017?theme={theme}")
    finally:
        await context.close()


BACKGROUNDS = {"light": "rgb(255, 255, 255)", "dark": "rgb(41, 41, 41)", "contrast": "rgb(0, 0, 0)"}  # Teams' colorNeutralBackground1


@pytest.mark.parametrize("teams_theme, ours", [("default", "light"), ("dark", "dark"), ("contrast", "contrast")])
async def test_inside_a_teams_iframe_the_page_follows_teams_theme(bot, browser, teams_theme, ours):
    context = await browser.new_context(viewport={"width": 1024, "height": 800})
    try:
        async def sdk(route) -> None:
            await route.fulfill(status=200, content_type="application/javascript", body=teams_sdk_stub(teams_theme))

        async def host(route) -> None:
            await route.fulfill(status=200, content_type="text/html", body=(
                '<!doctype html><html lang="en"><title>Teams</title><body>'
                f'<iframe id="tab" title="policybot" src="{bot.url}/tab/signin?next=%2Ftab%2Fmywork" '
                'width="1000" height="760"></iframe></body></html>'))

        await context.route(SDK, sdk)
        await context.route(TEAMS_HOST, host)
        page = await context.new_page()
        await page.goto(TEAMS_HOST)
        frame = page.frame_locator("#tab")
        await frame.get_by_label("Person").select_option(value="rsm-cla")
        await frame.get_by_role("button", name="Sign in").click()
        await frame.get_by_role("heading", name="My work").wait_for()  # signed in inside Teams' frame
        inner = next(f for f in page.frames if f.url.startswith(bot.url))
        await inner.wait_for_function(f"document.documentElement.dataset.theme === {json.dumps(ours)}")
        background = await inner.evaluate("getComputedStyle(document.documentElement).backgroundColor")
        assert background == BACKGROUNDS[ours]
        found = await axe_violations(inner)
        assert not found, found
        await inner.evaluate("window.__teamsTheme('contrast')")  # the person switches Teams to high contrast
        assert await inner.evaluate("document.documentElement.dataset.theme") == "contrast"
        assert await inner.evaluate("getComputedStyle(document.documentElement).backgroundColor") == BACKGROUNDS["contrast"]
    finally:
        await context.close()


async def test_the_theme_in_the_tab_address_holds_from_the_first_paint_without_teams(bot, browser):
    context, page = await new_page(browser)
    try:
        await sign_in(page, bot, "Quinn Marsh")
        resp = await page.goto(bot.url + "/tab/register?theme=dark")
        assert '<html lang="en-GB" data-theme="dark">' in await resp.text()  # before any script runs
        await page.goto(bot.url + "/tab/reports")  # remembered for the next pages
        assert await page.evaluate("document.documentElement.dataset.theme") == "dark"
        found = await axe_violations(page)
        assert not found, found
    finally:
        await context.close()


async def test_the_meetings_page_of_a_process_with_a_calendar_passes_axe(db_url, clock, browser):
    from tests.support.bot import RunningBot, settings_for

    bot = await RunningBot(settings_for(db_url, POLICYBOT_PRESET="dorset"), clock=clock).start()
    context, page = await new_page(browser, width=320)
    try:
        await sign_in(page, bot, "Quinn Marsh")
        html = await check_page(page, bot.url + "/tab/meetings")
        assert "Practice, Policy and Procedures Group: next meeting" in html
        assert await page.evaluate("document.documentElement.scrollWidth") <= 320
    finally:
        await context.close()
        await bot.stop()


async def test_in_teams_the_tab_signs_in_by_sso_and_sets_up_a_channel_tab(db_url, clock, browser, demo_aad):
    """The page's own script: Teams gives it a token (SSO), the server checks it against the Entra
    stand-in's keys and the person lands on the page they opened; then the channel tab's set-up
    page saves a register filtered to the chosen service area."""
    from tests.support.bot import RunningBot, settings_for
    from tests.support.tab import APP_ID, DOMAIN, TENANT, EntraKeys, token

    entra = await EntraKeys().start()
    settings = settings_for(db_url, MicrosoftAppId=APP_ID, MicrosoftAppPassword="not-used", MicrosoftAppTenantId=TENANT,
                            POLICYBOT_TAB_DOMAIN=DOMAIN, POLICYBOT_TAB_KEYS_URL=entra.url)
    bot = await RunningBot(settings, clock=clock).start()
    context = await browser.new_context(viewport={"width": 1024, "height": 800})
    try:
        sso = token(entra.keys[0], demo_aad["rsm-early-help"])

        async def sdk(route) -> None:
            await route.fulfill(status=200, content_type="application/javascript", body=teams_sdk_stub("dark", sso))

        async def host(route) -> None:
            await route.fulfill(status=200, content_type="text/html", body=(
                '<!doctype html><html lang="en"><title>Teams</title><body>'
                f'<iframe id="tab" title="policybot" src="{bot.url}/tab/configure?theme=dark" width="1000" height="760">'
                '</iframe></body></html>'))

        await context.route(SDK, sdk)
        await context.route(TEAMS_HOST, host)
        page = await context.new_page()
        await page.goto(TEAMS_HOST)
        frame = page.frame_locator("#tab")
        # not signed in: the sign-in page's script asks Teams for the token and comes back here
        await frame.get_by_role("heading", name="The register for this channel").wait_for()
        inner = next(f for f in page.frames if f.url.startswith(bot.url))
        assert "Casey Lindqvist" in await inner.content()
        assert await inner.evaluate("document.documentElement.dataset.theme") == "dark"
        await frame.get_by_label("Show the documents of this service area").select_option("Early Help")
        await inner.wait_for_function("typeof window.__teamsSave === 'function' && window.__teamsValid === true")
        await inner.evaluate("new Promise(done => window.__teamsSave({ notifySuccess: done, notifyFailure: done }))")
        saved = await inner.evaluate("window.__teamsConfig")
        assert saved["contentUrl"] == f"{bot.url}/tab/register?area=Early%20Help&theme={{theme}}"
        assert saved["suggestedDisplayName"] == "Register: Early Help" and saved["entityId"] == "register-Early Help"
        found = await axe_violations(inner)
        assert not found, found
    finally:
        await context.close()
        await bot.stop()
        await entra.stop()
