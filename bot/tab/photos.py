"""People's photos on the pages (issue 23): from Microsoft Graph on behalf of the viewer (their tab
SSO token exchanged through msal, connectors/graph_people.py), else their initials. The picture is
from our own origin, so the Content-Security-Policy keeps `img-src 'self'`."""

from __future__ import annotations

from aiohttp import web

from bot.app import SERVICES_KEY
from bot.tab.plumbing import signed_in
from bot.tab.session import Session
from connectors.graph_people import GraphOnBehalf
from render.pages.charts import initials_svg
from services.people.faces import faces

GRAPH_KEY: web.AppKey = web.AppKey("tab_graph", object)
CACHE = "private, max-age=3600"


def graph_of(app: web.Application) -> GraphOnBehalf | None:
    return app.get(GRAPH_KEY)


@signed_in("register")
async def person_photo(request: web.Request, session: Session) -> web.Response:
    who = await faces(request.app[SERVICES_KEY], session.person_id, request.match_info["person_id"])
    graph = graph_of(request.app)
    found = None
    if graph is not None and who.viewer_object_id and who.object_id:
        found = await graph.photo(who.viewer_object_id, who.object_id)
    if found is not None:
        body, kind = found
        return web.Response(body=body, content_type=kind, headers={"Cache-Control": CACHE})
    return web.Response(text=initials_svg(who.name), content_type="image/svg+xml", headers={"Cache-Control": CACHE})
