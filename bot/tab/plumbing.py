"""The tab's plumbing: the app keys, the session cookie, the theme, pages and polite refusals, and
`signed_in`, which wraps every page for signed-in people (CSRF and same-origin on every form)."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable, Callable
from urllib.parse import quote, urlsplit

from aiohttp import web

from bot.app import SERVICES_KEY
from bot.tab.session import COOKIE, THEME_COOKIE, Session, Sessions, csrf_ok, set_cookie
from governance.errors import GovernanceError, MissingInformation, NotAllowed, WrongRole
from render import pages as render
from services.errors import BadInput, NotFound, NotPermitted, UnknownPerson
from services.people.signin import person_by_id
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

def session_of(request: web.Request) -> Session | None:
    return request.app[SESSIONS_KEY].decode(request.cookies.get(COOKIE))


def theme_of(request: web.Request) -> str:
    return THEME_WORDS.get(request.query.get("theme", "") or request.cookies.get(THEME_COOKIE, ""), "light")


def chrome_for(request: web.Request, session: Session | None, section: str, name: str = "", message: str = "") -> render.Chrome:
    return render.Chrome(person_name=name, csrf=session.csrf if session else "", theme=theme_of(request), section=section,
                         message=message)


def html_page(request: web.Request, body: str, status: int = 200) -> web.Response:
    resp = web.Response(text=body, status=status, content_type="text/html", charset="utf-8")
    theme = request.query.get("theme")
    if theme in THEME_WORDS:  # Teams puts {theme} in the tab's address: remember it for the next pages
        resp.headers.add("Set-Cookie", set_cookie(THEME_COOKIE, THEME_WORDS[theme], 365 * 86400))
    return resp


def problem(request: web.Request, session: Session | None, status: int, title: str, detail: str) -> web.Response:
    log.info("tab %s %s refused %d: %s", request.method, request.path, status, detail)
    chrome = chrome_for(request, session, "", "")
    if request.headers.get("Accept", "").startswith("application/json"):
        return web.json_response({"title": title, "detail": detail}, status=status)
    return html_page(request, render.problem_html(chrome, status=status, title=title, detail=detail), status)


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


def safe_next(value: str | None) -> str:
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
            session = session_of(request)
            if session is None or not session.signed_in:
                if request.method != "GET":
                    return problem(request, session, 401, "Please sign in", "Your session has ended: sign in again.")
                away = web.HTTPSeeOther(f"/tab/signin?next={quote(request.path_qs, safe='')}")
                theme = request.query.get("theme")
                if theme in THEME_WORDS:  # the sign-in page is already in the tab's theme
                    away.headers.add("Set-Cookie", set_cookie(THEME_COOKIE, THEME_WORDS[theme], 365 * 86400))
                raise away
            if request.method == "POST":
                form = await request.post()
                if not csrf_ok(session, form.get("csrf")) or not same_origin(request):
                    return problem(request, session, 403, "Form refused",
                                    "This form did not come from your policybot page. Open the page again and retry.")
            try:
                return await handler(request, session)
            except ConcurrencyConflict:
                return problem(request, session, 409, "Someone got there first",
                                "The case changed while you were deciding. Open it again to see where it stands.")
            except GovernanceError as exc:
                for kind, status, title in ERRORS:
                    if isinstance(exc, kind):
                        return problem(request, session, status, title, str(exc))
                raise
        return run
    return wrap


def same_origin(request: web.Request) -> bool:
    origin = request.headers.get("Origin")
    if not origin or origin == "null":
        return origin is None
    return urlsplit(origin).netloc == request.host


def note_of(request: web.Request, session: Session) -> str:
    """The notice a redirect carries, only when this server signed it for this session."""
    text, sig = request.query.get("done", ""), request.query.get("sig", "")
    return text if request.app[SESSIONS_KEY].note_ok(session, text, sig) else ""


async def name_of(request: web.Request, session: Session) -> str:
    return (await person_by_id(request.app[SERVICES_KEY], session.person_id)).name


def dev_secret() -> bytes:
    return secrets.token_bytes(32)
