"""The pages' HTTP handlers: sign-in, the register and its exports, a document and its drafts, my
work, reports, acting on a case. Each handler reads the session, calls one use case and renders.

Who someone is comes only from the signed session cookie; what they may see and do is decided by
the use cases from that person (the URL and the form say only what they ask for).
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable, Callable
from urllib.parse import quote, urlsplit

from aiohttp import web

from bot.app import BOT_KEY, SERVICES_KEY
from bot.tab.refresh import refresh_cards
from bot.tab.browser_signin import BrowserSignIn, BrowserSignInRefused
from bot.tab.session import COOKIE, FLOW_COOKIE, THEME_COOKIE, Session, Sessions, csrf_ok, set_cookie
from bot.tab.sso import TeamsTokens, TokenRefused
from governance import actions as declared
from governance.actions import InputKind
from governance.errors import GovernanceError, MissingInformation, NotAllowed, WrongRole
from render import pages as render
from render.pages.export import register_csv, register_xlsx
from services.cases import lifecycle
from services.cases.mywork import my_work
from services.errors import BadInput, NotFound, NotPermitted, UnknownPerson
from services.meetings.page import meetings_page as meetings_view
from services.people.signin import identity_of, people_to_choose, person_by_id, person_for_token
from services.register import listing
from services.register.reports import register_report
from services.ports import ConcurrencyConflict

log = logging.getLogger("policybot.tab")

SESSIONS_KEY = web.AppKey("tab_sessions", Sessions)
TOKENS_KEY: web.AppKey = web.AppKey("tab_tokens", object)
DEV_KEY = web.AppKey("tab_dev", bool)
BROWSER_KEY: web.AppKey = web.AppKey("tab_browser", object)
DOMAIN_KEY = web.AppKey("tab_domain", str)
THEME_WORDS = {"default": "light", "light": "light", "dark": "dark", "contrast": "contrast"}
MAX_FORM_TEXT = 4000

Handler = Callable[[web.Request, Session], Awaitable[web.StreamResponse]]


# ------------------------------------------------------------------ plumbing

def _session(request: web.Request) -> Session | None:
    return request.app[SESSIONS_KEY].decode(request.cookies.get(COOKIE))


def _theme(request: web.Request) -> str:
    return THEME_WORDS.get(request.query.get("theme", "") or request.cookies.get(THEME_COOKIE, ""), "light")


def _chrome(request: web.Request, session: Session | None, section: str, name: str = "", message: str = "") -> render.Chrome:
    return render.Chrome(person_name=name, csrf=session.csrf if session else "", theme=_theme(request), section=section,
                         message=message)


def _html(request: web.Request, body: str, status: int = 200) -> web.Response:
    resp = web.Response(text=body, status=status, content_type="text/html", charset="utf-8")
    theme = request.query.get("theme")
    if theme in THEME_WORDS:  # Teams puts {theme} in the tab's address: remember it for the next pages
        resp.headers.add("Set-Cookie", set_cookie(THEME_COOKIE, THEME_WORDS[theme], 365 * 86400))
    return resp


def _problem(request: web.Request, session: Session | None, status: int, title: str, detail: str) -> web.Response:
    log.info("tab %s %s refused %d: %s", request.method, request.path, status, detail)
    chrome = _chrome(request, session, "", "")
    if request.headers.get("Accept", "").startswith("application/json"):
        return web.json_response({"title": title, "detail": detail}, status=status)
    return _html(request, render.problem_html(chrome, status=status, title=title, detail=detail), status)


ERRORS: tuple[tuple[type[Exception], int, str], ...] = (
    (UnknownPerson, 403, "Not in the directory"),
    (NotPermitted, 403, "Not yours to see or do"),
    (WrongRole, 403, "Not yours to decide"),
    (NotFound, 404, "Not found"),
    (NotAllowed, 409, "Not possible now"),
    (BadInput, 400, "Please check what was asked"),
    (MissingInformation, 400, "Something is missing"),
    (GovernanceError, 400, "That cannot be done"),
)


def _safe_next(value: str | None) -> str:
    """Only our own pages are a place to go after sign-in (never another site)."""
    value = value or ""
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not value.startswith("/tab/") or "\\" in value:
        return "/tab/mywork"
    return value


def signed_in(section: str) -> Callable[[Handler], Callable[[web.Request], Awaitable[web.StreamResponse]]]:
    """A page for signed-in people: others are sent to sign in; refusals become polite pages."""
    def wrap(handler: Handler):
        async def run(request: web.Request) -> web.StreamResponse:
            session = _session(request)
            if session is None or not session.signed_in:
                if request.method != "GET":
                    return _problem(request, session, 401, "Please sign in", "Your session has ended: sign in again.")
                away = web.HTTPSeeOther(f"/tab/signin?next={quote(request.path_qs, safe='')}")
                theme = request.query.get("theme")
                if theme in THEME_WORDS:  # the sign-in page is already in the tab's theme
                    away.headers.add("Set-Cookie", set_cookie(THEME_COOKIE, THEME_WORDS[theme], 365 * 86400))
                raise away
            if request.method == "POST":
                form = await request.post()
                if not csrf_ok(session, form.get("csrf")) or not _same_origin(request):
                    return _problem(request, session, 403, "Form refused",
                                    "This form did not come from your policybot page. Open the page again and retry.")
            try:
                return await handler(request, session)
            except ConcurrencyConflict:
                return _problem(request, session, 409, "Someone got there first",
                                "The case changed while you were deciding. Open it again to see where it stands.")
            except GovernanceError as exc:
                for kind, status, title in ERRORS:
                    if isinstance(exc, kind):
                        return _problem(request, session, status, title, str(exc))
                raise
        return run
    return wrap


def _same_origin(request: web.Request) -> bool:
    origin = request.headers.get("Origin")
    if not origin or origin == "null":
        return origin is None
    return urlsplit(origin).netloc == request.host


def _note(request: web.Request, session: Session) -> str:
    """The notice a redirect carries, only when this server signed it for this session."""
    text, sig = request.query.get("done", ""), request.query.get("sig", "")
    return text if request.app[SESSIONS_KEY].note_ok(session, text, sig) else ""


async def _name(request: web.Request, session: Session) -> str:
    return (await person_by_id(request.app[SERVICES_KEY], session.person_id)).name


# ------------------------------------------------------------------ sign-in

async def signin_page(request: web.Request) -> web.Response:
    session = _session(request)
    fresh = session is None
    if fresh:
        session = request.app[SESSIONS_KEY].issue()
    dev = request.app[DEV_KEY]
    people = await people_to_choose(request.app[SERVICES_KEY]) if dev else []
    body = render.signin_html(_chrome(request, session, "signin"), people=people, dev=dev,
                              next_url=_safe_next(request.query.get("next")), browser=request.app[BROWSER_KEY] is not None)
    resp = _html(request, body)
    if fresh:
        resp.headers.add("Set-Cookie", request.app[SESSIONS_KEY].cookie(session))
    return resp


def _start(request: web.Request, person_id: str, response: web.StreamResponse) -> web.StreamResponse:
    """A new session (and a new CSRF token) at every sign-in."""
    response.headers.add("Set-Cookie", request.app[SESSIONS_KEY].cookie(request.app[SESSIONS_KEY].issue(person_id)))
    return response


async def signin_dev(request: web.Request) -> web.StreamResponse:
    session = _session(request)
    if not request.app[DEV_KEY]:
        return _problem(request, session, 403, "Development sign-in is off",
                        "This server has a Microsoft app id: sign in through Microsoft Teams.")
    form = await request.post()
    if not csrf_ok(session, form.get("csrf")) or not _same_origin(request):
        return _problem(request, session, 403, "Form refused", "Open the sign-in page again and retry.")
    try:
        who = await person_by_id(request.app[SERVICES_KEY], str(form.get("person") or ""))
    except UnknownPerson as exc:
        return _problem(request, session, 403, "Not in the directory", str(exc))
    log.info("development sign-in as %s", who.person_id)
    return _start(request, who.person_id, web.HTTPSeeOther(_safe_next(str(form.get("next") or ""))))


async def signin_teams(request: web.Request) -> web.StreamResponse:
    """POST {"token": <the Teams JS SDK's token>} with the sign-in page's CSRF token in X-CSRF-Token."""
    session = _session(request)
    tokens: TeamsTokens | None = request.app[TOKENS_KEY]
    if tokens is None:
        return web.json_response({"title": "Not configured", "detail": "Teams sign-in needs MicrosoftAppId."}, status=404)
    if not csrf_ok(session, request.headers.get("X-CSRF-Token")) or not _same_origin(request):
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
    return _start(request, who.person_id, web.json_response({"signed_in": who.name}))


def _callback_url(request: web.Request) -> str:
    domain = request.app[DOMAIN_KEY]
    return f"https://{domain}/tab/auth/callback" if domain else f"{request.scheme}://{request.host}/tab/auth/callback"


async def signin_browser(request: web.Request) -> web.StreamResponse:
    """In an ordinary browser: off to Entra's sign-in (authorisation code with PKCE)."""
    browser: BrowserSignIn | None = request.app[BROWSER_KEY]
    if browser is None:
        return _problem(request, _session(request), 404, "Not configured", "Microsoft sign-in needs MicrosoftAppId.")
    where, flow = await browser.start(_callback_url(request))
    flow["next"] = _safe_next(request.query.get("next"))
    resp = web.HTTPSeeOther(where)
    resp.headers.add("Set-Cookie", set_cookie(FLOW_COOKIE, request.app[SESSIONS_KEY].seal(flow), 600, "/tab/auth"))
    return resp


async def signin_callback(request: web.Request) -> web.StreamResponse:
    browser: BrowserSignIn | None = request.app[BROWSER_KEY]
    session = _session(request)
    flow = request.app[SESSIONS_KEY].unseal(request.cookies.get(FLOW_COOKIE))
    if browser is None or flow is None:
        return _problem(request, session, 400, "Sign-in expired", "Start the sign-in again from the sign-in page.")
    next_url = _safe_next(flow.pop("next", ""))
    try:
        facts = await browser.finish(flow, {k: str(v) for k, v in (await request.post()).items()})
    except BrowserSignInRefused as exc:
        log.warning("browser sign-in refused: %s", exc)
        return _problem(request, session, 401, "Sign-in refused", "Microsoft's sign-in could not be completed. Try again.")
    try:
        who = await person_for_token(request.app[SERVICES_KEY], object_id=facts.object_id, email=facts.email)
    except UnknownPerson as exc:
        return _problem(request, session, 403, "Not in the directory", str(exc))
    log.info("tab sign-in (browser) as %s", who.person_id)
    resp = _start(request, who.person_id, web.HTTPSeeOther(next_url))
    resp.headers.add("Set-Cookie", set_cookie(FLOW_COOKIE, "", 0, "/tab/auth"))  # used once
    return resp


async def signout(request: web.Request) -> web.StreamResponse:
    session = _session(request)
    form = await request.post()
    if not csrf_ok(session, form.get("csrf")):
        return _problem(request, session, 403, "Form refused", "Open the page again and retry.")
    resp = web.HTTPSeeOther("/tab/signin")
    resp.headers.add("Set-Cookie", set_cookie(COOKIE, "", 0))
    return resp


async def root(request: web.Request) -> web.StreamResponse:
    raise web.HTTPSeeOther("/tab/mywork" + (f"?{request.query_string}" if request.query_string else ""))


# ------------------------------------------------------------------ pages

@signed_in("register")
async def register_page(request: web.Request, session: Session) -> web.Response:
    services = request.app[SERVICES_KEY]
    view = await listing.register_page(services, session.person_id, listing.read_query(request.query))
    return _html(request, render.register_html(view, _chrome(request, session, "register", await _name(request, session))))


def _describe(q: listing.RegisterQuery) -> str:
    said = [f"{k}: {v}" for k, v in q.params(page=1, size=50, sort="next_review", descending=False).items()]
    return "; ".join(said)


@signed_in("register")
async def register_export(request: web.Request, session: Session) -> web.Response:
    services = request.app[SERVICES_KEY]
    query = listing.read_query(request.query)
    today, rows = await listing.register_rows(services, session.person_id, query)
    name = f"policybot-register-{today.isoformat()}"
    if request.match_info["fmt"] == "csv":
        body, kind, name = register_csv(rows), "text/csv; charset=utf-8", name + ".csv"
    else:
        body = register_xlsx(rows, today=today, description=_describe(query))
        kind, name = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name + ".xlsx"
    return web.Response(body=body, headers={"Content-Type": kind, "Content-Disposition": f'attachment; filename="{name}"'})


@signed_in("register")
async def document_page(request: web.Request, session: Session) -> web.Response:
    services = request.app[SERVICES_KEY]
    view = await listing.document_page(services, session.person_id, request.match_info["ref"],
                                       related=request.query.get("related") == "1")
    chrome = _chrome(request, session, "register", view.viewer.name, message=_note(request, session))
    return _html(request, render.document_html(view, chrome))


@signed_in("register")
async def draft_download(request: web.Request, session: Session) -> web.Response:
    try:
        number = int(request.match_info["number"])
    except ValueError:
        raise BadInput("A draft version is a number.") from None
    filename, content = await listing.draft_download(request.app[SERVICES_KEY], session.person_id,
                                                     request.match_info["ref"], number)
    safe = "".join(c for c in filename if c.isalnum() or c in " ._-()")[:150] or f"draft-{number}.docx"
    return web.Response(body=content, headers={
        "Content-Type": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Content-Disposition": f"attachment; filename=\"{safe}\"; filename*=UTF-8''{quote(filename)}"})


@signed_in("mywork")
async def my_work_page(request: web.Request, session: Session) -> web.Response:
    view = await my_work(request.app[SERVICES_KEY], session.person_id)
    return _html(request, render.my_work_html(view, _chrome(request, session, "mywork", view.person.name, _note(request, session))))


@signed_in("meetings")
async def meetings_page(request: web.Request, session: Session) -> web.Response:
    services = request.app[SERVICES_KEY]
    view = await meetings_view(services, session.person_id, request.query.get("body") or None)
    name = await _name(request, session)
    return _html(request, render.meetings_html(view, _chrome(request, session, "meetings", name)))


@signed_in("reports")
async def reports_page(request: web.Request, session: Session) -> web.Response:
    services = request.app[SERVICES_KEY]
    name = await _name(request, session)  # also refuses anyone not (or no longer) in the directory
    view = await register_report(services)
    months = await listing.decisions_by_month(services, session.person_id)
    return _html(request, render.reports_html(view, _chrome(request, session, "reports", name), months=months))


@signed_in("register")
async def configure_page(request: web.Request, session: Session) -> web.Response:
    services = request.app[SERVICES_KEY]
    view = await listing.register_page(services, session.person_id, listing.RegisterQuery(size=25))
    return _html(request, render.configure_html(_chrome(request, session, "register", await _name(request, session)),
                                                areas=list(view.areas)))


# ------------------------------------------------------------------ acting

def read_action(case_id: int, form) -> listing.PageAction:
    """The decision a page's form asks for, with only that action's own inputs (governance/actions.py)."""
    action_id = str(form.get("action") or "")
    spec = declared.action(action_id)
    try:
        version = int(str(form.get("version") or ""))
    except ValueError:
        raise BadInput("The form is missing the case's version: open the page again.") from None
    text: str | None = None
    data: dict = {}
    for i in spec.inputs if spec else ():
        value = str(form.get(i.id) or "").strip()
        if len(value) > MAX_FORM_TEXT:
            raise BadInput(f"'{i.label}' is too long (at most {MAX_FORM_TEXT} characters).")
        if i.carries == "text":
            text = value or None
        elif i.kind is InputKind.TOGGLE:
            data[i.carries] = value.lower() in ("true", "1", "yes", "on")
        elif value:
            data[i.carries] = value
    if spec and spec.needs_text and not text:
        raise BadInput(f"Please fill in '{spec.text_label}' before pressing {spec.label}.")
    return listing.PageAction(case_id, action_id, version, text, data)


@signed_in("mywork")
async def act(request: web.Request, session: Session) -> web.StreamResponse:
    services = request.app[SERVICES_KEY]
    try:
        case_id = int(request.match_info["case_id"])
    except ValueError:
        raise NotFound("There is no such case.") from None
    form = await request.post()
    wanted = read_action(case_id, form)
    view = await listing.check_page_action(services, session.person_id, wanted)
    async with services.uow() as uow:
        person = await listing.signed_in(uow, session.person_id)
        ident = identity_of(person)  # from the session's person, never from the form
    outcome = await lifecycle.act(services, ident, case_id, wanted.action, text=wanted.text, data=wanted.data,
                                  expected_version=wanted.version)
    bot = request.app[BOT_KEY]
    await bot.deliver(None, outcome.notices)
    await refresh_cards(request.app, case_id)
    note = outcome.message[:300]
    sig = request.app[SESSIONS_KEY].sign_note(session, note)
    return web.HTTPSeeOther(f"/tab/documents/{quote(view.document.ref)}?done={quote(note)}&sig={sig}")


async def static(request: web.Request) -> web.StreamResponse:
    name = request.match_info["name"]
    if name not in ("pages.css", "tab.js"):
        raise web.HTTPNotFound()
    resp = web.FileResponse(render.STATIC_DIR / name)
    resp.headers["Cache-Control"] = "public, max-age=3600"
    return resp


def dev_secret() -> bytes:
    return secrets.token_bytes(32)
