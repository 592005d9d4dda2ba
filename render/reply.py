"""A reply in channel-neutral form: plain text, HTML (email) and an optional Adaptive Card (Teams)."""

from __future__ import annotations

from typing import Any
import html
import re
from dataclasses import dataclass, field

CARD_VERSION = "1.5"
CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"


@dataclass(frozen=True)
class Reply:
    text: str
    card: dict[str, Any] | None = None
    html: str | None = None
    suggestions: tuple[str, ...] = field(default_factory=tuple)
    files: tuple[tuple[str, str, str], ...] = field(default_factory=tuple)  # (name, content type, signed link)

    def html_body(self) -> str:
        return self.html or "<p>" + html.escape(self.text).replace("\n", "<br>") + "</p>"


def card(body: list[dict[str, Any]], actions: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    c: dict[str, Any] = {"type": "AdaptiveCard", "$schema": CARD_SCHEMA, "version": CARD_VERSION, "body": body}
    if actions:
        c["actions"] = actions
    return c


_PLACEHOLDER = re.compile(r"<([^<>\n]{1,40})>")


def shown(text: str) -> str:
    """Card text with its `<placeholder>` words kept: Teams drops anything between < and > as if it
    were HTML, so 'status <ref>' would read 'status '. On a card they read 'status [ref]'."""
    return _PLACEHOLDER.sub(r"[\1]", text)


def heading(text: str) -> dict[str, Any]:
    return {"type": "TextBlock", "text": shown(text), "weight": "Bolder", "size": "Medium", "wrap": True}


def para(text: str, *, subtle: bool = False, color: str | None = None) -> dict[str, Any]:
    """A paragraph. "Warning" is not used as a text colour: amber on white (and on Teams' dark
    theme) is too faint to read, so a warning is bold default-coloured text on the host's warning
    background, readable in every theme."""
    block = {"type": "TextBlock", "text": shown(text), "wrap": True}
    if subtle:
        block["isSubtle"] = True
    if color == "Warning":
        block["weight"] = "Bolder"
        return {"type": "Container", "style": "warning", "items": [block]}
    if color:
        block["color"] = color
    return block


def facts(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    return {"type": "FactSet", "facts": [{"title": shown(k), "value": shown(v)} for k, v in pairs if v]}


def command_button(title: str, command: str) -> dict[str, Any]:
    """A button that says `command` on the person's behalf (works in Teams and the local chat)."""
    return {"type": "Action.Submit", "title": title, "data": {"command": command}}


def link_button(title: str, url: str) -> dict[str, Any]:
    return {"type": "Action.OpenUrl", "title": title, "url": url}


def execute_button(title: str, verb: str, data: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"type": "Action.Execute", "title": title, "verb": verb, "data": data or {}}
