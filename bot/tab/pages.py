"""The pages' HTTP handlers: the register and its exports, a document and its drafts, my
work, reports, acting on a case. Each handler reads the session, calls one use case and renders.

Who someone is comes only from the signed session cookie; what they may see and do is decided by
the use cases from that person (the URL and the form say only what they ask for).
"""

from __future__ import annotations

import asyncio
import logging
from urllib.parse import quote

from aiohttp import web

from bot.app import BOT_KEY, SERVICES_KEY
from bot.tab.plumbing import MAX_FORM_TEXT, SESSIONS_KEY, chrome_for, html_page, name_of, note_of, signed_in
from bot.tab.refresh import refresh_cards
from bot.tab.session import Session
from governance import actions as declared
from governance.actions import InputKind
from render import pages as render
from render.pages.export import register_csv, register_xlsx
from services.cases import lifecycle
from services.cases.mywork import my_work
from services.errors import BadInput, NotFound
from services.meetings.page import meetings_page as meetings_view
from services.people.signin import identity_of
from services.register import compare_page as compare_page_view
from services.register import listing
from services.register.report_page import reports_page as reports_view

log = logging.getLogger("policybot.tab")


# ------------------------------------------------------------------ pages

@signed_in("register")
async def register_page(request: web.Request, session: Session) -> web.Response:
    services = request.app[SERVICES_KEY]
    view = await listing.register_page(services, session.person_id, listing.read_query(request.query))
    return html_page(request, render.register_html(view, chrome_for(request, session, "register", await name_of(request, session))))


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
    chrome = chrome_for(request, session, "register", view.viewer.name, message=note_of(request, session))
    return html_page(request, render.document_html(view, chrome))


@signed_in("register")
async def draft_download(request: web.Request, session: Session) -> web.Response:
    try:
        number = int(request.match_info["number"])
    except ValueError:
        raise BadInput("A draft version is a number.") from None
    filename, content = await listing.draft_download(request.app[SERVICES_KEY], session.person_id,
                                                     request.match_info["ref"], number)
    return _docx(filename, content, f"draft-{number}.docx")


def _docx(filename: str, content: bytes, fallback: str) -> web.Response:
    safe = "".join(c for c in filename if c.isalnum() or c in " ._-()")[:150] or fallback
    return web.Response(body=content, headers={
        "Content-Type": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Content-Disposition": f"attachment; filename=\"{safe}\"; filename*=UTF-8''{quote(filename)}"})


@signed_in("register")
async def compare_page(request: web.Request, session: Session) -> web.Response:
    old, new = compare_page_view.read_versions(request.query.get("old"), request.query.get("new"))
    view = await compare_page_view.compare_page(request.app[SERVICES_KEY], session.person_id, request.match_info["ref"], old, new)
    chrome = chrome_for(request, session, "register", await name_of(request, session))
    return html_page(request, render.compare_html(view, chrome))


@signed_in("register")
async def redline_download(request: web.Request, session: Session) -> web.Response:
    old, new = compare_page_view.read_versions(request.query.get("old"), request.query.get("new"))
    view = await compare_page_view.compare_page(request.app[SERVICES_KEY], session.person_id, request.match_info["ref"], old, new)
    content = await asyncio.to_thread(view.comparison.redline.read_bytes)
    return _docx(view.comparison.redline_name, content, f"redline-{old}-{new}.docx")


@signed_in("mywork")
async def my_work_page(request: web.Request, session: Session) -> web.Response:
    view = await my_work(request.app[SERVICES_KEY], session.person_id)
    return html_page(request, render.my_work_html(view, chrome_for(request, session, "mywork", view.person.name, note_of(request, session))))


@signed_in("meetings")
async def meetings_page(request: web.Request, session: Session) -> web.Response:
    services = request.app[SERVICES_KEY]
    view = await meetings_view(services, session.person_id, request.query.get("body") or None)
    name = await name_of(request, session)
    return html_page(request, render.meetings_html(view, chrome_for(request, session, "meetings", name)))


@signed_in("reports")
async def reports_page(request: web.Request, session: Session) -> web.Response:
    services = request.app[SERVICES_KEY]
    name = await name_of(request, session)  # also refuses anyone not (or no longer) in the directory
    view = await reports_view(services, session.person_id)
    return html_page(request, render.reports_html(view, chrome_for(request, session, "reports", name)))


@signed_in("register")
async def configure_page(request: web.Request, session: Session) -> web.Response:
    services = request.app[SERVICES_KEY]
    view = await listing.register_page(services, session.person_id, listing.RegisterQuery(size=25))
    return html_page(request, render.configure_html(chrome_for(request, session, "register", await name_of(request, session)),
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
    await refresh_cards(request.app, case_id, outcome.cards)  # read with the decision
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
