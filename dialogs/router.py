"""One turn: read what the person said (dialogs/recogniser.py, built from the command table in
dialogs/commands.py) and dispatch it to the command's handler (dialogs/handlers.py), or carry on
the dialog they are in.

- A state-changing command read by a guess or a correction is never acted on: "Did you mean: ...?"
  with Yes / No (buttons in Teams, numbered choices by email).
- Close readings: the best two or three are offered.
- Anything else is a question: a definition from the preset's glossary (MA-1, MA-2) or the manual
  and register search; when nothing matches well, the person is offered a new document on the
  topic, the PPO's name and help.
- Dialogs (the new-document request, a confirmation, a choice) lapse after 24 hours, with a note
  the next time the person speaks.

No rule, deadline or route is computed here. Notices for other people come back with the reply.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta

from dialogs import buttons, handlers
from dialogs.commands import BY_ID, Command
from dialogs.email_text import quoted_case, said_in_email, subject_case, subject_words
from dialogs.handlers import Turn
from dialogs.turn import command_of
from dialogs.new_document import NewDocumentDialog
from dialogs.normalise import mixed_scripts
from dialogs.recogniser import (
    Reading,
    Recogniser,
    TitleIndex,
    default,
)
from dialogs.response import Response
from dialogs.slots import ref_index
from governance import glossary
from governance.errors import GovernanceError
from governance.reminders import may_pause_nudges
from render import messages
from render import requests as request_render
from services.context import Services
from services.people.identity import ChannelIdentity, resolve_person
from services.register.references import ReferenceHolder, References
from services.understanding import misunderstood
from dialogs import answer_turns

log = logging.getLogger("policybot.dialogs")

EXPIRES_AFTER = timedelta(hours=24)
YES = frozenset({"y", "yes", "yep", "yeah", "yup", "ok", "okay", "sure", "go ahead", "send it", "do it", "confirm",
                 "correct", "that's right", "thats right", "please do", "yes please", "go on", "right", "indeed"})
NO = frozenset({"n", "no", "nope", "nah", "not yet", "no thanks", "wrong", "neither", "none", "none of them",
                "none of these", "no thank you", "not that"})
STOP = frozenset({"cancel", "stop", "quit", "never mind", "nevermind", "forget it", "abort", "leave it"})
_CASE_TAG = re.compile(r"\[?\s*case\s*\d+\s*\]?", re.IGNORECASE)
LONGEST = 25_000  # longer than this is not read at all


def dialog_key(ident: ChannelIdentity) -> str:
    """Whose dialog this is, inside the conversation's state (group chats hold several people)."""
    return ident.aad_object_id or ident.user_id or "anyone"


def _plain(text: str) -> str:
    return " ".join((text or "").lower().replace("\u2019", "'").strip(" .!?").split())


class Router:
    def __init__(self, services: Services, recogniser: Recogniser | None = None) -> None:
        self.services = services
        self.recogniser = recogniser or default()
        self.new_document = NewDocumentDialog(services)
        self.references = ReferenceHolder(services)
        self._titles: tuple[References, TitleIndex, dict] | None = None

    # ------------------------------------------------------------------ the turn

    async def handle(self, ident: ChannelIdentity, text: str | None, value: dict | None = None,
                     state: dict | None = None, *, subject: str | None = None) -> Response:
        """One turn. `state` is this conversation's dialog state (a dict the bot layer keeps between
        turns), holding at most one dialog per person; without it, dialogs cannot start. `subject`
        is an email's subject (the email channel only)."""
        value = value if isinstance(value, dict) else {}
        command = value.get("command") if isinstance(value.get("command"), str) else None
        if command is None and isinstance(value.get("answer"), str) and not (text or "").strip():
            command = value["answer"]  # a dialog's text box, sent from its card
        said = (command if command is not None else text) or ""
        if said.strip().lower().startswith(buttons.TRACKER_COMMAND):  # the tracker preview's Import button
            return await buttons.tracker_import(self.services, ident, said.strip()[len(buttons.TRACKER_COMMAND):])
        if said.strip().lower().startswith(buttons.PLAN_COMMAND):  # the update plan preview's Apply button (NCT-3)
            return await buttons.update_plan_apply(self.services, ident, said.strip()[len(buttons.PLAN_COMMAND):])
        if ident.channel_id == "email" and command is None:
            case = quoted_case(said)
            if case is None:
                case = subject_case(subject)  # 'RE: PP-014 review [case 3]'
            if case is not None and "case" not in value:
                value = {**value, "case": case}  # replying to a case's email: its reply words need no number
            said = self._email_words(said_in_email(said), subject)  # the new part of the reply, without quotes and signature
        turn = await self._turn(ident, said, value, state)
        key = dialog_key(ident)
        followed = await answer_turns.follow_up(turn, said, state, key, text if ident.channel_id == "email" else None)
        if followed is not None:  # 'more', or Helpful / Not what I needed after an answer (issue 16)
            return followed
        response = await self._handle(turn, said, value, state, key)
        answer_turns.remember(turn, state, key)
        return response

    async def answer_button(self, ident: ChannelIdentity, data: dict) -> Response:
        """Helpful / Not what I needed on an answer card (Action.Execute verb 'answer')."""
        return await answer_turns.button(await self._turn(ident, "", {}, None), data)

    async def _handle(self, turn: Turn, said: str, value: dict, state: dict | None, key: str) -> Response:
        note = None
        mine = state.get(key) if state is not None else None
        if state is not None and isinstance(mine, dict) and mine.get("name"):
            if self._expired(mine):
                del state[key]
                note = self._expired_note(mine)
                await misunderstood.record(self.services, turn.person, "abandoned", mine.get("said") or mine.get("name"))
            else:
                response = await self._in_dialog(turn, mine, said, state, key)
                if response is not None:
                    return response
        try:
            response = await self._understand(turn, said, value, state, key)
        except GovernanceError as exc:
            response = Response(messages.error_reply(str(exc)))
        if note:
            response = Response(request_render.with_note(response.reply, note), response.notices, response.changed_case)
        if turn.first_time and (response.reply.card is not None or response.reply.text):
            response = Response(messages.first_contact(response.reply, self._intro(turn), handlers.examples_for(turn)),
                                response.notices, response.changed_case)
        return response

    def _email_words(self, body: str, subject: str | None) -> str:
        """What an email asks: its new body; its subject when the body is empty ('my tasks' with
        nothing under it); a fresh email's subject when it is a command and the body is not (the
        body is then the command's words: subject 'approve case 3', body 'the timescales are right')."""
        topic, reply = subject_words(subject)
        if not topic or _CASE_TAG.fullmatch(topic):
            return body
        if not body:
            return "" if reply and not self._is_command(topic) else topic
        if reply or self._is_command(body) or not self._is_command(topic):
            return body
        return f"{topic}: {body}" if ":" not in topic else f"{topic} {body}"

    def _is_command(self, words: str) -> bool:
        r = self.recogniser.read(words)
        return r.kind in ("act", "confirm", "choose") and r.command is not None and r.command.id not in ("smalltalk", "find", "define")

    async def _turn(self, ident: ChannelIdentity, said: str, value: dict, state: dict | None) -> Turn:
        async with self.services.uow() as uow:
            person = await resolve_person(uow, ident)
        roles = frozenset(person.role_names) if person is not None else frozenset()
        chair_roles = {b.chair_role for b in self.services.preset.bodies.values()}
        chair_roles |= {r for b in self.services.preset.bodies.values() if (r := getattr(b, "vice_chair_role", None)) is not None}
        turn = Turn(self.services, ident, said, value, person, person is not None, roles,
                    bool(roles & chair_roles), may_pause_nudges(roles))
        if state is not None:
            seen = f"seen:{dialog_key(ident)}"
            turn.first_time = seen not in state
            state[seen] = True
        return turn

    def _intro(self, turn: Turn) -> list[str]:
        lines = ["I find procedures and documents in the manual and the register, and explain the words they use."]
        if turn.known:
            lines.append("I show your tasks and your documents, and take your decisions on cases.")
            lines.append("For chairs: agendas, outcomes, attendance and minutes." if turn.chair
                         else "I ask for new documents and reviews for you, and keep your reminders as you like them.")
        else:
            lines.append("Ask your Policy and Procedures Officer to add you to my directory to do more.")
            lines.append("You can ask in your own words; 'help' shows the rest.")
        return lines[:3]

    # ------------------------------------------------------------------ reading

    async def _read(self, turn: Turn, said: str) -> Reading:
        refs = await self.references.get()
        if self._titles is None or self._titles[0] is not refs:
            self._titles = (refs, TitleIndex(refs.refs), ref_index(r for r, _ in refs.refs))
        card_case = turn.value.get("case") if isinstance(turn.value.get("case"), int) else None
        return self.recogniser.read(said, prefixes=refs.prefixes, known_refs=self._titles[2], card_case=card_case,
                                    titles=self._titles[1])

    async def _understand(self, turn: Turn, said: str, value: dict, state: dict | None, key: str) -> Response:
        if len(said) > LONGEST:
            return Response(messages.error_reply(
                f"That message is too long for me to read ({len(said):,} characters). Please send a sentence or two "
                "saying what you need, or 'help'."))
        if said.strip() and mixed_scripts(said):
            return Response(messages.error_reply(
                "Sorry, I can only read English. Please say what you need in English, or type 'help'."))
        if glossary.is_question(said):  # definitions anywhere (MA-1, MA-2)
            answer = glossary.answer(self.services.preset, said)
            if answer is not None:
                return Response(messages.definition_reply(answer))
        reading = await self._read(turn, said)
        if reading.kind == "empty":
            return await handlers.help(turn, reading)
        if reading.kind == "bad":
            return Response(messages.error_reply(
                "Sorry, I can't read a message made only of symbols or emoji. Tell me in words what you need, or type 'help'."))
        if reading.kind == "question":
            return await self._question(turn, reading)
        if reading.kind == "choose":
            return self._offer_choice(turn, reading, state, key)
        if reading.kind == "confirm":
            return self._confirm(turn, reading, state, key)
        return await self._run(turn, command_of(reading), reading, state, key)

    async def _run(self, turn: Turn, command: Command, reading: Reading, state: dict | None, key: str) -> Response:
        if command.id == "new_document":
            if state is None:
                return Response(request_render.said("Please ask for a new document in a chat with me."))
            state[key] = {}
            subject, kind = self._new_document_words(reading)
            response = await self.new_document.begin(turn.ident, state[key], subject, kind)
        else:
            response = await handlers.HANDLERS[command.handler](turn, reading)
        if reading.also:
            response = Response(request_render.with_note(
                response.reply, f"You asked for two things; I did the first. For the other, send '{reading.also}' on its own."),
                response.notices, response.changed_case)
        return response

    # ------------------------------------------------------------------ questions

    async def _question(self, turn: Turn, reading: Reading) -> Response:
        answer = glossary.answer(self.services.preset, reading.slots.original)
        if answer is not None:
            return Response(messages.definition_reply(answer))
        response, good = await handlers.searched(turn, reading)
        if not good:
            await misunderstood.record(self.services, turn.person, "fallback", reading.slots.original)
        return response

    # ------------------------------------------------------------------ confirm and choose

    def _say(self, command: Command, reading: Reading) -> str:
        s = reading.slots
        return command.say.format(doc=s.refs[0] if s.refs else "<ref>", case=s.case if s.case is not None else "<number>",
                                  item=s.item if s.item is not None else "<number>",
                                  action=s.action if s.action is not None else "<number>",
                                  date=s.dates[0] if s.dates else "<date>", days=s.days or 30,
                                  payload=s.payload or "...")

    def _now(self) -> str:
        return self.services.clock.now().isoformat()

    def _confirm(self, turn: Turn, reading: Reading, state: dict | None, key: str) -> Response:
        command = command_of(reading)
        said = self._say(command, reading)
        if state is None:
            return Response(messages.did_you_mean([said], confirm=False))
        state[key] = {"name": "confirm", "command": command.id, "said": reading.slots.original,
                      "touched": self._now(), "case": reading.slots.case}
        return Response(messages.did_you_mean([said], confirm=True))

    def _offer_choice(self, turn: Turn, reading: Reading, state: dict | None, key: str) -> Response:
        options = []
        for cand in reading.candidates[:3]:
            options.append((cand.command.id, self._say(cand.command, reading)))
        if state is not None:
            state[key] = {"name": "choose", "options": options, "said": reading.slots.original, "touched": self._now(),
                          "case": reading.slots.case}
        return Response(messages.did_you_mean([s for _, s in options], confirm=False))

    async def _in_dialog(self, turn: Turn, mine: dict, said: str, state: dict, key: str) -> Response | None:
        """The answer to the dialog in progress, or None when the person moved on (the dialog is dropped)."""
        name = mine.get("name")
        plain = _plain(said)
        if name == "new_document":
            answer = glossary.answer(self.services.preset, said) if glossary.is_question(said) else None
            try:
                if answer is not None:  # a question mid-dialog: answered, and the dialog goes on
                    response = await self.new_document.answer_and_ask(turn.ident, mine, messages.definition_text(answer))
                else:
                    response = await self.new_document.on_text(turn.ident, mine, said)
            except GovernanceError as exc:
                response = Response(messages.error_reply(f"{exc} Say 'cancel' to stop, or answer again."))
            if mine.get("done"):
                if mine.get("cancelled"):
                    await misunderstood.record(self.services, turn.person, "abandoned", "new_document")
                del state[key]
            return response
        if name in ("confirm", "choose"):
            del state[key]
            card_case = mine.get("case") if isinstance(mine.get("case"), int) else None
            if name == "confirm" and plain in ("1", "2"):  # the numbered choices of an email
                plain = "yes" if plain == "1" else "no"
            if name == "confirm" and plain in YES:
                return await self._chosen(turn, BY_ID.get(mine.get("command", "")), mine.get("said", ""), card_case, state, key)
            if name == "choose":
                options = [tuple(o) for o in mine.get("options") or []]
                picked = None
                if plain.isdigit() and 1 <= int(plain) <= len(options):
                    picked = options[int(plain) - 1]
                else:
                    picked = next((o for o in options if _plain(o[1]) == plain), None)
                if picked is not None:
                    return await self._chosen(turn, BY_ID.get(picked[0]), mine.get("said", ""), card_case, state, key)
            if plain in NO or plain in STOP:
                await misunderstood.record(self.services, turn.person, "said_no", mine.get("said", ""))
                return Response(messages.error_reply("OK, I haven't done anything. Say it another way, or type 'help'."))
            return None
        del state[key]
        return None

    async def _chosen(self, turn: Turn, command: Command | None, said: str, card_case: int | None,
                      state: dict, key: str) -> Response:
        if command is None:
            return Response(messages.error_reply("Sorry, I lost track of that. Please say it again."))
        refs = await self.references.get()
        reading = self.recogniser.reading_for(command, said, prefixes=refs.prefixes,
                                              known_refs=ref_index(r for r, _ in refs.refs), card_case=card_case)
        try:
            return await self._run(turn, command, reading, state, key)
        except GovernanceError as exc:
            return Response(messages.error_reply(str(exc)))

    def _expired(self, mine: dict) -> bool:
        try:
            touched = datetime.fromisoformat(mine.get("touched", ""))
        except (TypeError, ValueError):
            return True
        return self.services.clock.now() - touched > EXPIRES_AFTER

    @staticmethod
    def _expired_note(mine: dict) -> str:
        if mine.get("name") == "new_document":
            return ("Your request for a new document was left unanswered for more than a day, so I set it aside "
                    "and sent nothing. Say 'request a new document' to start again.")
        return "I set aside the question I asked you yesterday; nothing was done."

    @staticmethod
    def _new_document_words(reading: Reading) -> tuple[str | None, str | None]:
        g = reading.match
        if g:
            kind: str | None = (g.get("type") or g.get("type2") or g.get("type3") or "").strip()
            what = (g.get("@what") or g.get("@what2") or "").strip().rstrip(".!")
            return what or None, (None if kind in ("", "document") else kind)
        m = NEW_DOCUMENT_WORDS.search(reading.slots.original)
        kind = None
        subject = None
        if m:
            kind = m.group("type").lower()
            kind = None if kind == "document" else kind
            subject = (m.group("what") or "").strip().rstrip(".!") or None
        return subject, kind


_TYPES = (r"document|procedure|policy|strategy|protocol|practice guidance|guidance|pathway|practice standards?|standards?|form")
NEW_DOCUMENT_WORDS = re.compile(
    r"\bnew (?P<type>" + _TYPES + r")\b(?:\s+request)?(?:\s+(?:on|about|for|covering|to cover|regarding|re|that covers)\s+"
    r"(?P<what>.+?))?[.!]*$", re.IGNORECASE)
