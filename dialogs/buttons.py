"""Buttons and files, beside the conversation: a decision button on a case card (Action.Execute verb
'case', with the pressed action's own inputs), and a tracker spreadsheet's preview and import."""

from __future__ import annotations

import logging

from dialogs.response import Response
from governance import actions
from governance.actions import InputKind
from governance.errors import GovernanceError
from render import cases as case_render
from render import messages
from render import tracker_import as tracker_render
from render import update_plan as plan_render
from services.cases import lifecycle
from services.context import Services
from services.people.identity import ChannelIdentity
from services.register import tracker_chat
from services.updates import opening, plan

log = logging.getLogger("policybot.dialogs")

TRACKER_COMMAND = "import tracker "
PLAN_COMMAND = plan_render.APPLY + " "
TRUE_WORDS = ("true", "1", "yes", "on")


async def card_action(services: Services, ident: ChannelIdentity, data: dict) -> Response:
    """A decision button on a case card (Action.Execute verb 'case')."""
    try:
        case_id = int(data.get("case", ""))  # missing: a ValueError, as a word would be
        expected = int(data.get("case_version", ""))
    except (TypeError, ValueError):
        return Response(messages.error_reply("That button is missing its case. Type 'my tasks' to see your cases."))
    action = data.get("action")
    if not isinstance(action, str):
        return Response(messages.error_reply("That button is missing its action. Type 'my tasks' to see your cases."))
    text, extra = card_inputs(action, data)
    try:
        out = await lifecycle.act(services, ident, case_id, action, text=text, data=extra, expected_version=expected)
    except GovernanceError as exc:
        try:
            view = await lifecycle.case_view(services, ident, case_id)
        except GovernanceError:
            return Response(messages.error_reply(str(exc)))
        return Response(case_render.case_reply(view, f"Not done: {exc}"))
    return Response(case_render.case_reply(out.case, out.message), out.notices, out.case.id, out.cards)


def card_inputs(action_id: str, data: dict) -> tuple[str | None, dict]:
    """The pressed action's own inputs from a card's data, under the keys its declaration names
    (governance/actions.py); other inputs on the card are ignored."""
    declared = actions.action(action_id)
    text: str | None = None
    extra: dict = {}
    for spec in declared.inputs if declared else ():
        value = data.get(spec.id)
        if spec.carries == "text":
            text = value if isinstance(value, str) else None
        elif spec.kind is InputKind.TOGGLE:
            extra[spec.carries] = str(value or "").strip().lower() in TRUE_WORDS
        elif value is not None:
            extra[spec.carries] = value
    return text, extra


async def tracker(services: Services, ident: ChannelIdentity, filename: str, content: bytes, report_link=None) -> Response:
    """A tracker (.xlsx or .csv) attached in chat or by email: the preview, nothing changed yet.
    `report_link(preview)`: the signed address of its .xlsx report (the bot makes it)."""
    try:
        out = await tracker_chat.preview_upload(services, ident, filename, content)
    except GovernanceError as exc:
        log.info("tracker %r not previewed: %s", filename, exc)
        return Response(messages.error_reply(str(exc)))
    url = report_link(out) if report_link is not None else None
    return Response(tracker_render.preview_reply(out.report, out.token, url))


async def tracker_import(services: Services, ident: ChannelIdentity, token: str) -> Response:
    try:
        report = await tracker_chat.apply_upload(services, ident, token)
    except GovernanceError as exc:
        log.info("tracker %r not imported: %s", token, exc)
        return Response(messages.error_reply(str(exc)))
    return Response(tracker_render.imported_reply(report))


async def update_plan(services: Services, ident: ChannelIdentity, filename: str, content: bytes) -> Response:
    """NCT-3: the publisher's update plan attached in chat or by email: the preview, nothing changed yet."""
    try:
        out = await plan.preview(services, ident, filename, content)
    except GovernanceError as exc:
        log.info("update plan %r not previewed: %s", filename, exc)
        return Response(messages.error_reply(str(exc)))
    return Response(plan_render.preview_reply(out))


async def update_plan_apply(services: Services, ident: ChannelIdentity, token: str) -> Response:
    """NCT-3: 'apply update plan <token>' (the preview's button, or those words by email, quoted text below them)."""
    try:
        out = await opening.apply(services, ident, (token.split() or [""])[0].strip(".'\""))
    except GovernanceError as exc:
        log.info("update plan %r not applied: %s", token, exc)
        return Response(messages.error_reply(str(exc)))
    return Response(plan_render.applied_reply(out), out.notices)
