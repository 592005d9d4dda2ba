"""Handlers for appointing a document's author in conversation (LBBD-3), named by the command table."""

from __future__ import annotations

from dialogs.nct_handlers import _group
from dialogs.recogniser import Reading
from dialogs.response import Response
from dialogs.turn import Turn, ask_form
from render import nct as nct_render
from services.register import authors


async def appoint_author(t: Turn, r: Reading) -> Response:
    ref, who = _group(r, "ref"), _group(r, "who")
    if not ref or not who:
        return ask_form(r.command, "Say which document and who its author is to be, e.g. 'make Sam Okafor the author of PP-047'.")
    ref = r.slots.refs[0] if r.slots.refs else ref.replace(" ", "-")
    out = await authors.appoint_author(t.services, t.ident, ref, who)
    return Response(nct_render.done_reply(out.message), out.notices)
