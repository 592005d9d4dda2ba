"""One turn's context (who is speaking, what they may do) and the small helpers every handler uses."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date

from dialogs.commands import Command
from dialogs.recogniser import Reading
from dialogs.response import Response
from governance.dates import parse_date
from render import messages
from services.context import Services
from services.errors import BadInput
from services.people.identity import ChannelIdentity
from services.work import PersonRow


@dataclass
class Turn:
    services: Services
    ident: ChannelIdentity
    said: str
    value: dict = field(default_factory=dict)
    person: PersonRow | None = None  # the directory's person, resolved once per turn
    known: bool = False
    roles: frozenset[str] = frozenset()
    chair: bool = False
    pauser: bool = False
    first_time: bool = False
    answered: tuple[int, str] | None = None  # (answer id, question) when this turn answered from the manual

    @property
    def today(self) -> date:
        return self.services.clock.today()


Handler = Callable[[Turn, Reading], Awaitable[Response]]


def original(r: Reading, key: str) -> str:
    """A group of the exact form in the person's own capitals."""
    return r.match.get(f"@{key}", r.match.get(key, "")).strip()


def ask_form(command: Command | None, what: str, r: Reading | None = None) -> Response:
    """Ask for a missing argument with the command's own example (a handler's reading always names its command)."""
    if r is not None and r.slots.ambiguous:
        return Response(messages.error_reply("Which one? " + ", ".join(r.slots.ambiguous) + " all fit. Give the reference."))
    if command is None:
        return Response(messages.error_reply(what))
    example = command.examples[0]
    return Response(messages.error_reply(f"{what} For example: '{example}'."))


def command_of(r: Reading) -> Command:
    """The command a handler was called for: the router calls a handler only for a reading that has one."""
    if r.command is None:
        raise LookupError("a handler was called for a reading without a command")
    return r.command


def typed_date(words: str, today: date, what: str) -> date:
    """A date as the person typed it ('14 January', '14/01/2027'), or a polite error."""
    try:
        return parse_date(words, today)
    except ValueError as exc:
        raise BadInput(f"Sorry, I couldn't tell the date of {what}: {exc}.") from None


