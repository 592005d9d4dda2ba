"""The register as a Teams tab and as pages in a browser, served by the bot's own aiohttp app.

`setup(app, runtime)` (one call from `bot.bootstrap.create_app`) adds the routes under /tab, the
session keys, Teams SSO when an app id is set (the development sign-in when it is not), and the
security headers every page carries: a strict Content-Security-Policy (no inline script or style;
framed only by Teams and Microsoft 365), no sniffing, no referrer beyond our origin.
"""

from __future__ import annotations

import logging

from aiohttp import web

from bot.tab import pages, photos, plumbing, signin
from bot.tab.browser_signin import BrowserSignIn
from bot.tab.session import Sessions
from bot.tab.sso import TeamsTokens
from connectors.graph_people import GraphOnBehalf
from render.pages import TEAMS_SDK
from services.register.listing import LISTING
from store.listing_repo import ListingRepo

log = logging.getLogger("policybot.tab")

# Where Teams, Outlook and the Microsoft 365 app host tabs (Microsoft's list for frame-ancestors).
TEAMS_HOSTS = (
    "https://teams.microsoft.com", "https://*.teams.microsoft.com", "https://teams.cloud.microsoft",
    "https://*.cloud.microsoft", "https://*.office.com", "https://outlook.office.com", "https://*.office365.com",
    "https://*.microsoft365.com", "https://local.teams.office.com",
)
SDK_ORIGIN = "https://res.cdn.office.net"


def content_security_policy() -> str:
    return "; ".join([
        "default-src 'none'",
        f"script-src 'self' {SDK_ORIGIN}",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "object-src 'none'",
        "frame-ancestors 'self' " + " ".join(TEAMS_HOSTS),
    ])


CSP = content_security_policy()
assert TEAMS_SDK.startswith(SDK_ORIGIN + "/")


async def _headers(request: web.Request, response: web.StreamResponse) -> None:
    if not request.path.startswith("/tab"):
        return
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    if "Cache-Control" not in response.headers:
        response.headers["Cache-Control"] = "no-store"


async def _close_graph(app: web.Application) -> None:
    graph = photos.graph_of(app)
    if graph is not None:
        await graph.close()


def setup(app: web.Application, runtime) -> None:
    settings = runtime.settings
    runtime.services.adapters[LISTING] = lambda uow: ListingRepo(uow.session)
    secret = settings.tab_session_secret.encode()
    if not secret:
        if settings.app_id:
            log.warning("POLICYBOT_TAB_SESSION_SECRET is not set: page sessions end when the bot restarts")
        secret = plumbing.dev_secret()
    app[plumbing.SESSIONS_KEY] = Sessions(secret)
    app[plumbing.DEV_KEY] = not settings.app_id
    app[plumbing.TOKENS_KEY] = TeamsTokens(
        app_id=settings.app_id, tenant_id=settings.app_tenant_id, domain=settings.tab_domain,
        keys_url=settings.tab_keys_url or f"{settings.authority_host.rstrip('/')}/common/discovery/v2.0/keys",
        authority_host=settings.authority_host, ca_file=str(settings.ca_bundle) if settings.ca_bundle else None,
    ) if settings.app_id else None
    app[plumbing.BROWSER_KEY] = BrowserSignIn(
        app_id=settings.app_id, secret=settings.app_password, tenant_id=settings.app_tenant_id,
        authority_host=settings.authority_host) if settings.app_id and settings.app_password else None
    app[plumbing.DOMAIN_KEY] = settings.tab_domain
    # Graph on behalf of the person signed in through Teams (their SSO token exchanged through msal).
    app[photos.GRAPH_KEY] = GraphOnBehalf(
        client_id=settings.app_id, secret=settings.app_password, tenant_id=settings.app_tenant_id,
        authority_host=settings.authority_host, graph_base_url=settings.graph_base_url,
        ca_file=settings.ca_bundle) if settings.tab_graph_photos and settings.app_id and settings.app_password else None
    app.on_cleanup.append(_close_graph)
    r = app.router
    r.add_get("/tab", signin.root)
    r.add_get("/tab/", signin.root)
    r.add_get("/tab/signin", signin.signin_page)
    r.add_post("/tab/signin/dev", signin.signin_dev)
    r.add_post("/tab/auth/teams", signin.signin_teams)
    r.add_get("/tab/signin/microsoft", signin.signin_browser)
    r.add_post("/tab/auth/callback", signin.signin_callback)  # Entra's form post: the state is its CSRF check
    r.add_post("/tab/signout", signin.signout)
    r.add_get("/tab/mywork", pages.my_work_page)
    r.add_get("/tab/register", pages.register_page)
    r.add_get(r"/tab/register.{fmt:(xlsx|csv)}", pages.register_export)
    r.add_get("/tab/documents/{ref}", pages.document_page)
    r.add_get(r"/tab/documents/{ref}/drafts/{number}", pages.draft_download)
    r.add_get("/tab/documents/{ref}/compare", pages.compare_page)
    r.add_get("/tab/documents/{ref}/compare.docx", pages.redline_download)
    r.add_post(r"/tab/cases/{case_id}/act", pages.act)
    r.add_get("/tab/reports", pages.reports_page)
    r.add_get("/tab/meetings", pages.meetings_page)
    r.add_get("/tab/configure", pages.configure_page)
    r.add_get("/tab/people/{person_id}/photo", photos.person_photo)
    r.add_get("/tab/static/{name}", pages.static)
    app.on_response_prepare.append(_headers)
