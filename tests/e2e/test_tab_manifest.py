"""The Teams app package carries the pages (issue 23): a personal My work and Register tab, a
configurable channel tab for one service area, single sign-on's webApplicationInfo; it still
validates against Microsoft's schema, and every tab address is served by the app."""

from __future__ import annotations

from urllib.parse import urlsplit

import jsonschema

from policybot.teams_package import build_manifest
from tests.support.schemas import teams_manifest_schema
from tests.support.tab import PageClient

APP = "6f1c0a52-3c1e-4b7e-9d0f-2a7d5e0c9b11"
DOMAIN = "policybot.example.org"


def test_the_manifest_has_the_tabs_and_sso_and_still_validates():
    manifest = build_manifest(APP, domain=DOMAIN)
    jsonschema.validate(manifest, teams_manifest_schema(manifest["manifestVersion"]))
    tabs = {t["entityId"]: t for t in manifest["staticTabs"]}
    assert set(tabs) == {"conversations", "mywork", "register"}  # the bot's chat stays the first tab
    for key, path in (("mywork", "/tab/mywork"), ("register", "/tab/register")):
        url = urlsplit(tabs[key]["contentUrl"])
        assert (url.scheme, url.netloc, url.path, url.query) == ("https", DOMAIN, path, "theme={theme}")
        assert tabs[key]["scopes"] == ["personal"]
    (channel,) = manifest["configurableTabs"]
    assert channel["configurationUrl"] == f"https://{DOMAIN}/tab/configure?theme={{theme}}"
    assert "team" in channel["scopes"] and "channelTab" in channel["context"]
    assert manifest["validDomains"] == [DOMAIN]
    assert manifest["webApplicationInfo"] == {"id": APP, "resource": f"api://{DOMAIN}/{APP}"}


async def test_every_tab_address_in_the_manifest_is_a_page_the_app_serves(bot):
    manifest = build_manifest(APP, domain=DOMAIN)
    urls = [t["contentUrl"] for t in manifest["staticTabs"] if "contentUrl" in t]
    urls.append(manifest["configurableTabs"][0]["configurationUrl"])
    c = PageClient(bot)
    try:
        await c.sign_in("ppo")
        for url in urls:
            parts = urlsplit(url.replace("{theme}", "dark"))
            resp = await c.get(f"{parts.path}?{parts.query}")
            html = await resp.text()
            assert resp.status == 200, url
            assert '<html lang="en-GB" data-theme="dark">' in html  # the theme from the first paint
    finally:
        await c.close()
