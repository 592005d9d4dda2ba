"""What to offer when nothing answers a question (a new document, the PPO, help), and the markdown and
HTML helpers for quoted manual text, for every channel (pure). The answers themselves are
render/answers.py."""

from __future__ import annotations

from typing import Any
import html
import re
from dataclasses import dataclass

from render.reply import command_button

REQUEST_PHRASE = "request a new document"


@dataclass(frozen=True)
class Offer:
    """What to offer when nothing matches well: a new document on the topic, the PPO, help."""

    topic: str
    ppo: str | None = None
    officer: str = "Policy and Procedures Officer"  # the preset's policy officer (BCT: the Policy Service)

    def sentence(self) -> str:
        if self.officer != "Policy and Procedures Officer":
            who = f"{self.ppo} of the {self.officer}" if self.ppo else f"the {self.officer}"
        else:
            who = f"{self.ppo}, the {self.officer}" if self.ppo else f"your {self.officer}"
        return (f"If nothing covers it, you can ask for a new document on \"{self.topic}\" ('{REQUEST_PHRASE}'), "
                f"ask {who}, or type 'help'.")

    def buttons(self) -> list[dict[str, Any]]:
        return [command_button("Request a new document", f"{REQUEST_PHRASE} on {self.topic}"[:200]),
                command_button("Help", "help")]


def _shorten(text: str, limit: int = 220) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _md(text: str) -> str:
    """Text shown in a card's markdown, with markdown's own characters made literal."""
    return re.sub(r"([\\*_\[\]])", r"\\\1", text)


def _md_snippet(snippet: str) -> str:
    parts = _shorten(snippet, 300).split("**")
    return "".join(f"**{_md(p)}**" if i % 2 and p else _md(p) for i, p in enumerate(parts))


def _html_snippet(snippet: str) -> str:
    parts = _shorten(snippet, 300).split("**")
    return "".join(f"<b>{html.escape(p)}</b>" if i % 2 else html.escape(p) for i, p in enumerate(parts))
