"""The register's references and titles, for reading what people type ('pp 1', 'the county lines
procedure'). Held for a minute by whoever reads (one holder per app): a reference typed in the
same minute its document was added is still read in its usual form (PP-020)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from services.context import Services

KEEP_SECONDS = 60.0


@dataclass(frozen=True)
class References:
    refs: tuple[tuple[str, str], ...]  # (ref, title)
    prefixes: frozenset[str]


class ReferenceHolder:
    def __init__(self, services: Services) -> None:
        self.services = services
        self._held: tuple[float, References] | None = None

    async def get(self) -> References:
        now = time.monotonic()
        if self._held is not None and now - self._held[0] < KEEP_SECONDS:
            return self._held[1]
        async with self.services.uow() as uow:
            docs = await uow.documents.all()
        refs = tuple((d.ref, d.title) for d in docs if d.ref)
        found = References(refs, frozenset({"pp"} | {r.split("-", 1)[0].lower() for r, _ in refs if "-" in r}))
        self._held = (now, found)
        return found

    def forget(self) -> None:
        self._held = None
