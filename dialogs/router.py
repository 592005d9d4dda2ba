"""Turns what a person said (or pressed) into one service call and a rendered reply.

No rule, deadline or route is computed here: this module only converses. Notices for other
people come back with the reply; the bot layer delivers them after the turn's work committed.
"""

from __future__ import annotations

import logging
import re

from dialogs import meeting_words
from dialogs.intents import MEETING_INTENT_NAMES, Intent, recognise
from dialogs.new_document import EXPIRED_NOTE, NewDocumentDialog
from dialogs.response import Response
from governance.dates import parse_date
from governance import actions
from governance.actions import ActionId, InputKind, words_table
from governance.errors import GovernanceError
from render import cases as case_render
from render import meetings as meeting_render
from render import messages
from render import requests as request_render
from render import search as search_render
from render import tracker_import as tracker_render
from render.reply import Reply
from services.cases import lifecycle
from services.meetings import agenda as meetings
from services.register import owners
from services.reminders import preferences
from services.register import documents as register
from services.register import tracker_chat
from services.manual import search
from services.context import Services
from services.errors import BadInput
from services.people.identity import ChannelIdentity, resolve_person

log = logging.getLogger("policybot.dialogs")

NUDGE_INTENTS = {"nudge_settings", "quiet_hours", "digest_on", "digest_off", "pause_nudges", "resume_nudges"}


def dialog_key(ident: ChannelIdentity) -> str:
    """Whose dialog this is, inside the conversation's state (group chats hold several people)."""
    return ident.aad_object_id or ident.user_id or "anyone"


class Router:
    def __init__(self, services: Services) -> None:
        self.services = services
        self.new_document = NewDocumentDialog(services)

    async def handle(self, ident: ChannelIdentity, text: str | None, value: dict | None = None,
                     state: dict | None = None) -> Response:
        """One turn. `state` is this conversation's dialog state (a dict the bot layer keeps between
        turns), holding at most one dialog per person; without it, dialogs cannot start."""
        value = value if isinstance(value, dict) else {}
        command = value.get("command") if isinstance(value.get("command"), str) else None
        if command is None and isinstance(value.get("answer"), str) and not (text or "").strip():
            command = value["answer"]  # a dialog's text box, sent from its card
        said = command if command is not None else text
        if (said or "").strip().lower().startswith(TRACKER_COMMAND):  # the tracker preview's Import button
            return await self.tracker_import(ident, said.strip()[len(TRACKER_COMMAND):])
        key = dialog_key(ident)
        note = None
        mine = state.get(key) if state is not None else None
        if isinstance(mine, dict) and mine.get("name") == "new_document":
            if self.new_document.expired(mine, self.services.clock.now()):
                del state[key]
                note = EXPIRED_NOTE
            else:
                try:
                    response = await self.new_document.on_text(ident, mine, said or "")
                except GovernanceError as exc:
                    response = Response(messages.error_reply(f"{exc} Say 'cancel' to stop, or answer again."))
                if mine.get("done"):
                    del state[key]
                return response
        intent = recognise(said)
        try:
            if intent.name == "new_document":
                if state is None:
                    response = Response(request_render.said("Please ask for a new document in a chat with me."))
                else:
                    state[key] = {}
                    response = await self.new_document.begin(ident, state[key], intent.arg or None, intent.detail or None)
            else:
                response = await self._dispatch(ident, intent, value)
        except GovernanceError as exc:
            response = Response(messages.error_reply(str(exc)))
        if note:
            response = Response(request_render.with_note(response.reply, note), response.notices, response.changed_case)
        return response

    async def card_action(self, ident: ChannelIdentity, data: dict) -> Response:
        """A decision button on a case card (Action.Execute verb 'case')."""
        try:
            case_id = int(data.get("case"))
            expected = int(data.get("case_version"))
        except (TypeError, ValueError):
            return Response(messages.error_reply("That button is missing its case. Type 'my tasks' to see your cases."))
        action = data.get("action")
        if not isinstance(action, str):
            return Response(messages.error_reply("That button is missing its action. Type 'my tasks' to see your cases."))
        text, extra = card_inputs(action, data)
        try:
            out = await lifecycle.act(self.services, ident, case_id, action, text=text, data=extra, expected_version=expected)
        except GovernanceError as exc:
            try:
                view = await lifecycle.case_view(self.services, ident, case_id)
            except GovernanceError:
                return Response(messages.error_reply(str(exc)))
            return Response(case_render.case_reply(view, f"Not done: {exc}"))
        return Response(case_render.case_reply(out.case, out.message), out.notices, out.case.id)

    async def draft(self, ident: ChannelIdentity, filename: str, content: bytes, text: str | None) -> Response:
        intent = recognise(text)
        case_id = int(intent.arg) if intent.name == "case" else None
        try:
            out = await lifecycle.submit_draft(self.services, ident, filename, content, case_id)
        except GovernanceError as exc:
            return Response(messages.error_reply(str(exc)))
        return Response(case_render.case_reply(out.case, out.message), out.notices, out.case.id)

    async def tracker(self, ident: ChannelIdentity, filename: str, content: bytes) -> Response:
        """A tracker (.xlsx or .csv) attached in chat or by email: the preview, nothing changed yet."""
        try:
            out = await tracker_chat.preview_upload(self.services, ident, filename, content)
        except GovernanceError as exc:
            log.info("tracker %r not previewed: %s", filename, exc)
            return Response(messages.error_reply(str(exc)))
        return Response(tracker_render.preview_reply(out.report, out.token))

    async def tracker_import(self, ident: ChannelIdentity, token: str) -> Response:
        try:
            report = await tracker_chat.apply_upload(self.services, ident, token)
        except GovernanceError as exc:
            log.info("tracker %r not imported: %s", token, exc)
            return Response(messages.error_reply(str(exc)))
        return Response(tracker_render.imported_reply(report))

    async def _decide(self, ident: ChannelIdentity, intent: Intent) -> Response:
        verb, _, words = intent.detail.partition("|")
        action, carried = DECISION_WORDS[verb]
        data = {"version": words} if action == ActionId.PUBLISH else {}
        data.update(carried)
        out = await lifecycle.act(self.services, ident, int(intent.arg), action, text=words or None, data=data)
        return Response(case_render.case_reply(out.case, out.message), out.notices, out.case.id)

    async def _nudges(self, ident: ChannelIdentity, intent: Intent) -> str:
        s = self.services
        if intent.name == "nudge_settings":
            return await preferences.show(s, ident)
        if intent.name == "quiet_hours":
            return await preferences.set_quiet_hours(s, ident, intent.arg or None)
        if intent.name in ("digest_on", "digest_off"):
            return await preferences.set_digest(s, ident, intent.name == "digest_on")
        if intent.name == "resume_nudges":
            return await preferences.resume_nudges(s, ident)
        until = None
        if intent.arg:
            try:
                until = parse_date(intent.arg, s.clock.today())
            except ValueError as exc:
                raise BadInput(f"Sorry, {exc}.") from None
        return await preferences.pause_nudges(s, ident, until, "paused in conversation")

    async def _meeting(self, ident: ChannelIdentity, intent: Intent, value: dict) -> Response:
        body, _, words = intent.detail.partition("|")
        body = body or (value.get("body") if isinstance(value.get("body"), str) else "") or None
        s = self.services
        if intent.name == "next_agenda":
            return Response(meeting_render.agenda_reply(await meetings.next_agenda(s, ident, body)))
        if intent.name == "missing_papers":
            return Response(meeting_render.missing_papers_reply(await meetings.missing_papers(s, ident, body)))
        if intent.name == "move_item":
            out = await meetings.move_item(s, ident, int(intent.arg), body)
            return Response(meeting_render.agenda_reply(out.agenda, out.message), out.notices)
        if intent.name == "action_done":
            out = await meetings.complete_action(s, ident, int(intent.arg))
            return Response(Reply(text=out.message))
        if intent.name in ("add_meeting", "cancel_meeting"):
            on = _typed_date(words, s.clock.today(), "the meeting")
            if intent.name == "add_meeting":
                out = await meetings.add_meeting(s, ident, on, body)
            else:
                out = await meetings.cancel_meeting(s, ident, on, body)
            return Response(meeting_render.meeting_changed_reply(out.message, out.body_id or "", "Meetings"), out.notices)
        if intent.name == "reorder_item":
            to_number = 2 if words.lower() == "first" else int(words)  # item 1 is always the progress report
            out = await meetings.reorder_item(s, ident, int(intent.arg), to_number, body)
            return Response(meeting_render.agenda_reply(out.agenda, out.message), out.notices)
        if intent.name == "add_item":
            title, section = meeting_words.item_and_section(words)
            out = await meetings.add_item(s, ident, title, section, body)
            return Response(meeting_render.agenda_reply(out.agenda, out.message), out.notices)
        if intent.name == "attendance":
            out = await meetings.record_attendance(s, ident, meeting_words.parse_attendance(words), body)
            return Response(meeting_render.meeting_changed_reply(out.message, out.body_id or "", "Attendance"), out.notices)
        if intent.name == "issue_minutes":
            actions = [meetings.NewAction(text, owner, due)
                       for text, owner, due in meeting_words.parse_actions(words, s.clock.today())]
            out, minutes = await meetings.issue_minutes(s, ident, actions, body_name=body)
            return Response(meeting_render.minutes_reply(minutes, out.message), out.notices)
        if intent.name == "forward_plan":
            return Response(meeting_render.forward_plan_reply(await meetings.forward_plan_view(s, ident, body)))
        outcome, note, votes = _outcome_from(words, value)
        if intent.name == "outcome_card" or outcome is None:
            view, item, choices = await meetings.outcome_choices(s, ident, int(intent.arg), body)
            return Response(meeting_render.outcome_card(view, item, choices))
        out = await meetings.record_outcome(s, ident, int(intent.arg), outcome, note, votes=votes, body_name=body)
        item = out.agenda.item(int(intent.arg)) if out.agenda else None
        reply = meeting_render.outcome_reply(out.agenda, item, out.message) if item else Reply(text=out.message)
        return Response(reply, out.notices)

    async def _report(self, ident: ChannelIdentity, intent: Intent) -> Response:
        from render import reports as report_render
        from services.register.reports import register_report

        async with self.services.uow() as uow:
            if await resolve_person(uow, ident) is None:
                return Response(messages.unknown_person_reply())
        report = await register_report(self.services)
        if intent.name == "overdue_reviews":
            return Response(report_render.overdue_reply(report))
        if intent.name == "reviews_due":
            days = int(intent.arg)
            if not 1 <= days <= 366:
                return Response(messages.error_reply("Ask for reviews due within 1 to 366 days, e.g. 'reviews due in 60 days'."))
            return Response(report_render.due_reply(report, days))
        return Response(report_render.report_reply(report, report_render.compliance_chart_png(report)))

    async def _dispatch(self, ident: ChannelIdentity, intent: Intent, value: dict) -> Response:
        org = self.services.config.organisation_name
        today = self.services.clock.today()
        if intent.name in MEETING_INTENTS:
            return await self._meeting(ident, intent, value)
        if intent.name == "decide":
            return await self._decide(ident, intent)
        if intent.name in NUDGE_INTENTS:
            return Response(Reply(text=await self._nudges(ident, intent)))
        if intent.name == "add_rsm":
            out = await owners.add_rsm(self.services, ident, intent.arg, intent.detail)
            return Response(Reply(text=out.message), out.notices, out.changed_case)
        if intent.name == "my_tasks":
            views = await lifecycle.my_tasks(self.services, ident)
            async with self.services.uow() as uow:
                person = await resolve_person(uow, ident)
            return Response(case_render.tasks_reply(person.name if person else "You", views))
        if intent.name == "case":
            return Response(case_render.case_reply(await lifecycle.case_view(self.services, ident, int(intent.arg))))
        if intent.name in ("report", "overdue_reviews", "reviews_due"):
            return await self._report(ident, intent)
        if intent.name == "scheduled_review":
            out = await lifecycle.start_case(self.services, ident, intent.arg, "scheduled_review")
            return Response(case_render.case_reply(out.case, out.message), out.notices)
        if intent.name == "unscheduled_review":
            preset = self.services.preset
            said = str(value.get("trigger") or intent.detail or "").strip().lower()
            trigger = next((t for t in preset.review_triggers if t.lower() == said or (said.isdigit() and preset.review_triggers.index(t) == int(said) - 1)), None)
            if trigger is None:
                return Response(case_render.triggers_reply(intent.arg, preset.review_triggers))
            out = await lifecycle.start_case(self.services, ident, intent.arg, "unscheduled_review", trigger=trigger)
            return Response(case_render.case_reply(out.case, out.message), out.notices)
        if intent.name == "find":
            if not intent.arg:
                return Response(Reply(text="What should I look for? For example: 'find missing children'."))
            outcome = await search.search(self.services, intent.arg)
            return Response(search_render.search_reply(outcome, today))
        async with self.services.uow() as uow:
            person = await resolve_person(uow, ident)
            if intent.name in ("help", "empty"):
                return Response(messages.help_reply(person.name if person else None, org))
            if intent.name == "cancel":
                return Response(Reply(text="OK, nothing is in progress. Type 'help' to see what I can do."))
            if intent.name == "status":
                return Response(messages.detail_reply(await register.document_detail(uow, intent.arg), today))
            if intent.name == "history":
                return Response(messages.history_reply(await register.document_detail(uow, intent.arg)))
            if intent.name == "my_documents":
                if person is None:
                    return Response(messages.unknown_person_reply())
                docs = await register.my_documents(uow, person.id, today)
                return Response(messages.my_documents_reply(person.name, docs, today))
            return Response(messages.not_understood_reply(intent.arg))


MEETING_INTENTS = MEETING_INTENT_NAMES
TRACKER_COMMAND = "import tracker "
DECISION_WORDS = words_table()
TRUE_WORDS = ("true", "1", "yes", "on")


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


def _typed_date(words: str, today, what: str):
    """A date as the person typed it ('14 January', '14/01/2027'), or a polite error."""
    try:
        return parse_date(words, today)
    except ValueError as exc:
        raise BadInput(f"Sorry, I couldn't tell the date of {what}: {exc}.") from None


def _outcome_from(words: str, value: dict) -> tuple[str | None, str | None, tuple[int, int] | None]:
    """The outcome, note and votes from the card's inputs, or from typed words such as
    'approved with amendments: add the LADO details' or 'approved by vote 6-2'."""
    chosen = value.get(meeting_render.OUTCOME_INPUT)
    if isinstance(chosen, str) and chosen.strip():
        note = value.get(meeting_render.NOTE_INPUT)
        votes = None
        try:
            f, a = value.get(meeting_render.VOTES_FOR_INPUT), value.get(meeting_render.VOTES_AGAINST_INPUT)
            if f not in (None, "") and a not in (None, ""):
                votes = (int(float(f)), int(float(a)))
        except (TypeError, ValueError):
            votes = None
        return chosen.strip(), note if isinstance(note, str) else None, votes
    words = (words or "").strip()
    if not words:
        return None, None, None
    head, _, note = words.partition(":")
    votes = meetings.parse_votes(head)
    if votes:
        head = re.sub(r"\s*\(?\d+\s*(-|to|for,?|:)\s*\d+\)?\s*(against)?", "", head)
    return head.strip(), note.strip() or None, votes
