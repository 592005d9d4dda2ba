"""What one turn produces: the reply, the notices for other people, and the case it changed."""

from __future__ import annotations

from dataclasses import dataclass, field

from render.reply import Reply
from services.cases import lifecycle


@dataclass(frozen=True)
class Response:
    reply: Reply
    notices: tuple[lifecycle.Notice, ...] = field(default_factory=tuple)
    changed_case: int | None = None  # a case this turn changed: its cards elsewhere need refreshing
    cards: tuple[lifecycle.CardToRefresh, ...] | None = None  # those cards, when the change already read them
