"""Fakes of the outside-world ports (services/ports.py): they keep what they were given and answer
from what the test told them, with no network, no disk and no threads of their own.

- RecordingTeamsSender, RecordingMailTransport: what was sent, in order; `fail_next` makes the next
  send raise the port's TransientSendError or PermanentSendError.
- FakeDirectorySource: the people a directory (Entra ID, a CSV) would list.
- FakeSpreadsheetReader: workbooks by path, and the ones written.
- PlainRenderer: the notice renderer as plain words.
- MemoryFileStore and FakeDocxInspector: drafts by their SHA-256, with the facts and changes the test
  says each file has (a file nobody described is refused as the real inspector refuses a non-Word file).
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from services.errors import BadInput, TooLarge
from services.ports import (
    Change,
    ChangeKind,
    ChangeSummary,
    DirectoryEntry,
    DraftFacts,
    Email,
    OutboxItem,
    SendError,
    SentActivity,
    TeamsChat,
    Workbook,
)


@dataclass
class RecordingTeamsSender:
    sent: list[tuple[str, Any]] = field(default_factory=list)
    chats: list[TeamsChat | None] = field(default_factory=list)  # the chat the caller handed each send
    fail_next: list[SendError] = field(default_factory=list)

    async def send(self, person_id: str, message: Any, chat: TeamsChat | None = None) -> SentActivity:
        if self.fail_next:
            raise self.fail_next.pop(0)
        self.sent.append((person_id, message))
        self.chats.append(chat)
        return SentActivity(conversation_id=f"a:personal-{person_id}", activity_id=f"act-{len(self.sent)}",
                            service_url="https://smba.trafficmanager.net/uk/")


@dataclass
class RecordingMailTransport:
    sent: list[Email] = field(default_factory=list)
    resends: list[bool | None] = field(default_factory=list)  # what the caller said of each send's `resend`
    fail_next: list[SendError] = field(default_factory=list)

    async def send(self, email: Email, now: datetime, *, resend: bool | None = None) -> str:
        if now.tzinfo is None:
            raise ValueError("a send time must be timezone-aware")
        if self.fail_next:
            raise self.fail_next.pop(0)
        self.sent.append(email)
        self.resends.append(resend)
        return f"<{email.key}@policybot.test>"

    def to(self, address: str) -> list[Email]:
        return [e for e in self.sent if e.to.lower() == address.lower()]


@dataclass
class FakeDirectorySource:
    entries: list[DirectoryEntry] = field(default_factory=list)
    managed_roles: frozenset[str] = frozenset()
    tenant_id: str = "00000000-0000-4000-8000-000000000001"
    reads: int = 0

    async def read(self, role_groups: Mapping[str, str]) -> tuple[list[DirectoryEntry], frozenset[str]]:
        self.reads += 1
        return list(self.entries), self.managed_roles


@dataclass
class FakeSpreadsheetReader:
    workbooks: dict[str, Workbook] = field(default_factory=dict)
    written: dict[str, Workbook] = field(default_factory=dict)

    def read(self, path: Path) -> Workbook:
        found = self.workbooks.get(str(path))
        if found is None:
            raise BadInput(f"I can't open {Path(path).name}: there is no such file.")
        return found

    def write(self, path: Path, workbook: Workbook) -> None:
        self.written[str(path)] = workbook


class MemoryFileStore:
    """Files by SHA-256, in memory; `path` is a name only (the fake inspector reads from here)."""

    ROOT = Path("/memory/drafts")

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}

    async def put_stream(self, chunks: AsyncIterator[bytes], limit: int) -> tuple[str, int, Path]:
        data = bytearray()
        async for chunk in chunks:
            data += chunk
            if len(data) > limit:
                raise TooLarge("too large")
        return self.put_bytes(bytes(data))

    def put_bytes(self, data: bytes) -> tuple[str, int, Path]:
        sha = hashlib.sha256(data).hexdigest()
        self.files[sha] = data
        return sha, len(data), self.path(sha)

    def path(self, sha256: str) -> Path:
        return self.ROOT / sha256

    def exists(self, sha256: str) -> bool:
        return sha256 in self.files

    def discard(self, sha256: str) -> None:
        self.files.pop(sha256, None)


@dataclass(frozen=True)
class Described:
    facts: DraftFacts
    changes: ChangeSummary


class FakeDocxInspector:
    """What each draft is, as the test described it with `describe` (keyed by the file's SHA-256)."""

    def __init__(self) -> None:
        self.described: dict[str, Described] = {}
        self.compared: list[tuple[str, str]] = []
        self.tabled: dict[str, list[list[list[str]]]] = {}

    def with_tables(self, content: bytes, tables: list[list[list[str]]]) -> bytes:
        """Say which tables a Word file holds (NCT-3's update plan as a Word table)."""
        self.tabled[hashlib.sha256(content).hexdigest()] = tables
        return content

    def tables(self, path: Path, filename: str) -> list[list[list[str]]]:
        found = self.tabled.get(hashlib.sha256(Path(path).read_bytes()).hexdigest())
        if found is None:
            raise BadInput(f"{filename} is not a Word document I can read. Please save it as .docx and send it again.")
        return found

    def describe(self, content: bytes, *, title: str, words: int = 2400, tracked: list[tuple[str, str]] = (),
                 comments: int = 0, authors: tuple[str, ...] = ()) -> bytes:
        """Say what a file holds: `tracked` is (section heading, inserted words) per tracked insertion."""
        sha = hashlib.sha256(content).hexdigest()
        changes = tuple(Change(ChangeKind.INSERTION, section, text, authors[0] if authors else None)
                        for section, text in tracked)
        facts = DraftFacts(sha256=sha, size=len(content), title=title, paragraphs=max(1, words // 60), words=words,
                           insertions=len(changes), deletions=0, format_changes=0, comments=comments, authors=authors)
        summary = ChangeSummary(changes, len(changes), 0, comments, tuple(dict.fromkeys(s for s, _ in tracked)))
        self.described[sha] = Described(facts, summary)
        return content

    def _of(self, path: Path, filename: str | None = None) -> Described:
        found = self.described.get(Path(path).name)
        if found is None:
            raise BadInput(f"{filename or Path(path).name} is not a Word document I can read. Please save it as .docx and send it again.")
        return found

    def inspect(self, path: Path, filename: str) -> DraftFacts:
        return self._of(path, filename).facts

    def tracked_changes(self, path: Path) -> ChangeSummary:
        return self._of(path).changes

    def compare(self, old: Path, new: Path) -> ChangeSummary:
        self.compared.append((Path(old).name, Path(new).name))
        before, after = self._of(old), self._of(new)
        changed = 0 if before.facts.sha256 == after.facts.sha256 else 1
        return ChangeSummary((), 0, 0, 0, (), changed)

    def redline(self, old: Path, new: Path, out: Path) -> None:
        raise NotImplementedError("a redline is a real .docx: tests/unit/test_drafts.py and tests/e2e test it")


class PlainRenderer:
    """The notice renderer port, as plain words: a Teams message is a dict with the text and the case
    (if any), an email its subject and body. Rendering itself is tested in tests/unit."""

    def for_teams(self, item: OutboxItem, view: Any | None) -> dict[str, Any]:
        return {"text": f"{item.subject}\n{item.body}", "case": getattr(view, "id", None),
                "version": getattr(view, "version", None)}

    def for_email(self, item: OutboxItem, view: Any | None, organisation: str) -> tuple[str, str]:
        return f"{item.body}\n\n{organisation}", f"<p>{item.body}</p>"

    def compliance_chart(self, report: Any) -> bytes:
        return b"\x89PNG chart"
