"""Handlers for NCT's own process (issue 18), named by the command table (dialogs/commands.py)."""

from __future__ import annotations

from dialogs.recogniser import Reading
from dialogs.response import Response
from dialogs.turn import Turn, ask_form, original
from render import cases as case_render
from render import nct as nct_render
from render.reply import Reply
from services.cases import lifecycle, review_sessions, session_changes, signoff
from services.cases.review_sessions import open_case_of
from services.manual import related
from services.register import ro_change
from services.reminders import update_schedule


def _group(r: Reading, name: str) -> str:
    """The first of a reader's numbered alternatives (name0, name1 ...) that matched, in the person's capitals."""
    for i in range(8):
        found = original(r, f"{name}{i}")
        if found:
            return found
    return ""


async def change_ro(t: Turn, r: Reading) -> Response:
    ref, who = _group(r, "ref"), _group(r, "who")
    if not ref or not who:
        return ask_form(r.command, "Say which document and who its new Responsible Officer is.")
    ref = r.slots.refs[0] if r.slots.refs else ref.replace(" ", "-")  # 'pp 14' is the register's PP-014
    out = await ro_change.propose(t.services, t.ident, ref, who, _group(r, "when") or None)
    return Response(nct_render.confirm_reply(out.message, "Yes, change the RO", f"confirm RO change {out.token}"))


async def confirm_ro_change(t: Turn, r: Reading) -> Response:
    out = await ro_change.confirm(t.services, t.ident, r.match.get("token", ""))
    return Response(nct_render.done_reply(out.message), out.notices)


async def who_signs_off(t: Turn, r: Reading) -> Response:
    if not r.slots.refs:
        return ask_form(r.command, "Which document? Give its reference.", r)
    return Response(nct_render.sign_off_reply(await signoff.who_signs_off(t.services, r.slots.refs[0])))


async def related_procedures(t: Turn, r: Reading) -> Response:
    if not r.slots.refs:
        return ask_form(r.command, "Which document? Give its reference.", r)
    return Response(nct_render.related_reply(await related.related_to(t.services, r.slots.refs[0])))


async def set_update_deadlines(t: Turn, r: Reading) -> Response:
    dates = _group(r, "dates")
    if not dates:
        return ask_form(r.command, "Say the deadlines.")
    out = await update_schedule.record(t.services, t.ident, dates)
    return Response(Reply(text=out.message), out.notices)


async def next_update_deadline(t: Turn, r: Reading) -> Response:
    return Response(Reply(text=(await update_schedule.next_deadline(t.services)).message))


async def update_plan(t: Turn, r: Reading) -> Response:
    return Response(Reply(text=(
        "Attach the publisher's update plan here (a spreadsheet, .xlsx or .csv, or a Word document with the plan as a "
        "table) with the words 'update plan'. I show you which local procedures it touches and which rows match none; "
        "nothing changes until you press Apply. Then each procedure gets a scheduled-update case: its RO gets the "
        "recommended amendments when the six-week window opens, and its RSM is told (NCT-3, NCT-4). Only the Policy "
        "and Procedures Officer can apply a plan; on the server, 'policybot updates plan FILE' does the same.")))


# ---------------------------------------------------------------- Review Sessions (NCT-5, NCT-7)


async def arrange_review_session(t: Turn, r: Reading) -> Response:
    when = original(r, "when")
    if not r.slots.refs or not when:
        return ask_form(r.command, "Say which procedures, and the date and time of the Review Session.")
    out = await review_sessions.arrange(t.services, t.ident, list(r.slots.refs), when)
    return Response(nct_render.done_reply(out.message), out.notices)


async def review_session_outcome(t: Turn, r: Reading) -> Response:
    text = original(r, "text")
    out = await review_sessions.record_outcome(t.services, t.ident, text, r.slots.refs[0] if r.slots.refs else None)
    return Response(nct_render.done_reply(out.message), out.notices)


async def review_session_decision(t: Turn, r: Reading) -> Response:
    """NCT-5 in words: "we'll hold a review session for PP-014" on the document's open case."""
    if not r.slots.refs:
        return ask_form(r.command, "Which document? Give its reference.", r)
    case_id = await open_case_of(t.services, r.slots.refs[0])
    held = not (r.match.get("no") or r.command is not None and r.command.id == "review_session_not_needed")
    data = {"held": "yes" if held else "no", "ppo_help": bool(held and r.match.get("help"))}
    out = await lifecycle.act(t.services, t.ident, case_id, "review_session", text=None, data=data)
    return Response(case_render.case_reply(out.case, out.message), out.notices, out.case.id, out.cards)


async def review_sessions_coming(t: Turn, r: Reading) -> Response:
    return Response(Reply(text=await session_changes.upcoming(t.services, t.ident)))


async def cancel_review_session(t: Turn, r: Reading) -> Response:
    if not r.slots.refs:
        return ask_form(r.command, "Which procedure's Review Session? Give its reference.", r)
    out = await session_changes.cancel(t.services, t.ident, r.slots.refs[0])
    return Response(nct_render.done_reply(out.message), out.notices)


async def move_review_session(t: Turn, r: Reading) -> Response:
    when = original(r, "when")
    if not r.slots.refs or not when:
        return ask_form(r.command, "Say which procedure's Review Session, and its new date and time.", r)
    out = await session_changes.move(t.services, t.ident, r.slots.refs[0], when)
    return Response(nct_render.done_reply(out.message), out.notices)


# ---------------------------------------------------------------- a new procedure's arrangements (NCT-17)


async def record_arrangements(t: Turn, r: Reading) -> Response:
    """NCT-17 in words: "arrangements for PP-031: Sam drafts by 12/2/27, RSM reviews" on the document's open case."""
    text = original(r, "text")
    if not r.slots.refs or not text:
        return ask_form(r.command, "Say which new procedure, and the arrangements: who writes it, and by when.", r)
    case_id = await open_case_of(t.services, r.slots.refs[0])
    out = await lifecycle.act(t.services, t.ident, case_id, "record_arrangements", text=text)
    return Response(case_render.case_reply(out.case, out.message), out.notices, out.case.id, out.cards)


async def record_template(t: Turn, r: Reading) -> Response:
    """NCT-17 in words: "PP-047: the publisher has a template": the new procedure follows Route 1 from now."""
    if not r.slots.refs:
        return ask_form(r.command, "Which new procedure? Give its reference.", r)
    case_id = await open_case_of(t.services, r.slots.refs[0])
    out = await lifecycle.act(t.services, t.ident, case_id, "template_available")
    return Response(case_render.case_reply(out.case, out.message), out.notices, out.case.id, out.cards)
