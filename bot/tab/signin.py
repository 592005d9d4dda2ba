"""Signing in to the tab: the development sign-in (no app id), Teams SSO, Microsoft's sign-in in an
ordinary browser (authorisation code with PKCE), and signing out. A new session at every sign-in."""

from __future__ import annotations

import logging

from aiohttp import web

from bot.app import SERVICES_KEY
from bot.tab.photos import graph_of
from bot.tab.browser_signin import BrowserSignIn, BrowserSignInRefused
from bot.tab.plumbing import (
    BROWSER_KEY,
    DEV_KEY,
    DOMAIN_KEY,
    SESSIONS_KEY,
    TOKENS_KEY,
    chrome_for,
    html_page,
    problem,
    safe_next,
    same_origin,
    session_of,
)
from bot.tab.session import COOKIE, FLOW_COOKIE, csrf_ok, set_cookie
from bot.tab.sso import TeamsTokens, TokenRefused
from render import pages as render
from services.errors import UnknownPerson
from services.people.signin import people_to_choose, person_by_id, person_for_token

log = logging.getLogger("policybot.tab")


async def signin_page(request: web.Request) -> web.Response:
    known = session_of(request)
    fresh = known is None
    session = request.app[SESSIONS_KEY].issue() if known is None else known
    dev = request.app[DEV_KEY]
    people = await people_to_choose(request.app[SERVICES_KEY]) if dev else []
    body = render.signin_html(chrome_for(request, session, "signin"), people=people, dev=dev,
                              next_url=safe_next(request.query.get("next")), browser=request.app[BROWSER_KEY] is not None)
    resp = html_page(request, body)
    if fresh:
        resp.headers.add("Set-Cookie", request.app[SESSIONS_KEY].cookie(session))
    return resp


def _start(request: web.Request, person_id: str, response: web.StreamResponse) -> web.StreamResponse:
    """A new session (and a new CSRF token) at every sign-in."""
    response.headers.add("Set-Cookie", request.app[SESSIONS_KEY].cookie(request.app[SESSIONS_KEY].issue(person_id)))
    return response


async def signin_dev(request: web.Request) -> web.StreamResponse:
    session = session_of(request)
    if not request.app[DEV_KEY]:
        return problem(request, session, 403, "Development sign-in is off",
                        "This server has a Microsoft app id: sign in through Microsoft Teams.")
    form = await request.post()
    if not csrf_ok(session, form.get("csrf")) or not same_origin(request):
        return problem(request, session, 403, "Form refused", "Open the sign-in page again and retry.")
    try:
        who = await person_by_id(request.app[SERVICES_KEY], str(form.get("person") or ""))
    except UnknownPerson as exc:
        return problem(request, session, 403, "Not in the directory", str(exc))
    log.info("development sign-in as %s", who.person_id)
    return _start(request, who.person_id, web.HTTPSeeOther(safe_next(str(form.get("next") or ""))))


async def signin_teams(request: web.Request) -> web.StreamResponse:
    """POST {"token": <the Teams JS SDK's token>} with the sign-in page's CSRF token in X-CSRF-Token."""
    session = session_of(request)
    tokens: TeamsTokens | None = request.app[TOKENS_KEY]
    if tokens is None:
        return web.json_response({"title": "Not configured", "detail": "Teams sign-in needs MicrosoftAppId."}, status=404)
    if not csrf_ok(session, request.headers.get("X-CSRF-Token")) or not same_origin(request):
        return web.json_response({"title": "Refused", "detail": "Open the page again and retry."}, status=403)
    try:
        body = await request.json()
        token = str(body.get("token") or "") if isinstance(body, dict) else ""
    except ValueError:
        token = ""
    try:
        facts = await tokens.check(token)
    except TokenRefused as exc:
        log.warning("tab sign-in refused: %s", exc)
        return web.json_response({"title": "Sign-in refused", "detail": "Teams' sign-in could not be checked."}, status=401)
    try:
        who = await person_for_token(request.app[SERVICES_KEY], object_id=facts.object_id, email=facts.email)
    except UnknownPerson as exc:
        return web.json_response({"title": "Not in the directory", "detail": str(exc)}, status=403)
    log.info("tab sign-in (Teams SSO) as %s", who.person_id)
    graph = graph_of(request.app)
    if graph is not None:  # Graph on their behalf (photos); the sign-in stands whatever Entra says to it
        await graph.exchange(token, facts.object_id)
    return _start(request, who.person_id, web.json_response({"signed_in": who.name}))


def _callback_url(request: web.Request) -> str:
    domain = request.app[DOMAIN_KEY]
    return f"https://{domain}/tab/auth/callback" if domain else f"{request.scheme}://{request.host}/tab/auth/callback"


async def signin_browser(request: web.Request) -> web.StreamResponse:
    """In an ordinary browser: off to Entra's sign-in (authorisation code with PKCE)."""
    browser: BrowserSignIn | None = request.app[BROWSER_KEY]
    if browser is None:
        return problem(request, session_of(request), 404, "Not configured", "Microsoft sign-in needs MicrosoftAppId.")
    where, flow = await browser.start(_callback_url(request))
    flow["next"] = safe_next(request.query.get("next"))
    resp = web.HTTPSeeOther(where)
    resp.headers.add("Set-Cookie", set_cookie(FLOW_COOKIE, request.app[SESSIONS_KEY].seal(flow), 600, "/tab/auth"))
    return resp


async def signin_callback(request: web.Request) -> web.StreamResponse:
    browser: BrowserSignIn | None = request.app[BROWSER_KEY]
    session = session_of(request)
    flow = request.app[SESSIONS_KEY].unseal(request.cookies.get(FLOW_COOKIE))
    if browser is None or flow is None:
        return problem(request, session, 400, "Sign-in expired", "Start the sign-in again from the sign-in page.")
    next_url = safe_next(flow.pop("next", ""))
    try:
        facts = await browser.finish(flow, {k: str(v) for k, v in (await request.post()).items()})
    except BrowserSignInRefused as exc:
        log.warning("browser sign-in refused: %s", exc)
        return problem(request, session, 401, "Sign-in refused", "Microsoft's sign-in could not be completed. Try again.")
    try:
        who = await person_for_token(request.app[SERVICES_KEY], object_id=facts.object_id, email=facts.email)
    except UnknownPerson as exc:
        return problem(request, session, 403, "Not in the directory", str(exc))
    log.info("tab sign-in (browser) as %s", who.person_id)
    resp = _start(request, who.person_id, web.HTTPSeeOther(next_url))
    resp.headers.add("Set-Cookie", set_cookie(FLOW_COOKIE, "", 0, "/tab/auth"))  # used once
    return resp


async def signout(request: web.Request) -> web.StreamResponse:
    session = session_of(request)
    form = await request.post()
    if not csrf_ok(session, form.get("csrf")):
        return problem(request, session, 403, "Form refused", "Open the page again and retry.")
    resp = web.HTTPSeeOther("/tab/signin")
    resp.headers.add("Set-Cookie", set_cookie(COOKIE, "", 0))
    return resp


async def root(request: web.Request) -> web.StreamResponse:
    raise web.HTTPSeeOther("/tab/mywork" + (f"?{request.query_string}" if request.query_string else ""))
