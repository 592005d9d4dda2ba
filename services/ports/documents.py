"""Word documents and stored files: what a .docx is, its changes, and the file store."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Protocol


@dataclass(frozen=True, slots=True)
class DraftFacts:
    """What a .docx is, found without trusting its name or declared type."""

    sha256: str
    size: int
    title: str | None
    paragraphs: int
    words: int
    insertions: int
    deletions: int
    format_changes: int
    comments: int
    authors: tuple[str, ...]

    @property
    def has_tracked_changes(self) -> bool:
        return (self.insertions + self.deletions + self.format_changes) > 0


class ChangeKind(StrEnum):
    INSERTION = "insertion"
    DELETION = "deletion"
    COMMENT = "comment"
    CHANGED = "changed"  # a paragraph that differs between two versions


@dataclass(frozen=True, slots=True)
class Change:
    kind: ChangeKind
    section: str  # the heading it sits under ("3. Roles and responsibilities"); "" before any heading
    text: str  # the words, shortened for a card
    author: str | None = None


@dataclass(frozen=True, slots=True)
class ChangeSummary:
    changes: tuple[Change, ...]
    insertions: int
    deletions: int
    comments: int
    sections: tuple[str, ...]  # the headings touched, in document order
    changed: int = 0  # paragraphs reworded between two versions (a comparison, not tracked changes)

    @property
    def total(self) -> int:
        return self.insertions + self.deletions + self.comments + self.changed


class DocxInspector(Protocol):
    """Checks run off the event loop by the caller (a worker thread)."""

    def inspect(self, path: Path, filename: str) -> DraftFacts:
        """Raises services.errors.BadInput with one plain sentence for anything that is not a safe .docx."""
        ...

    def tracked_changes(self, path: Path) -> ChangeSummary: ...

    def paragraphs(self, content: bytes) -> list[str]:
        """The text of a stored (already checked) draft, paragraph by paragraph; [] when unreadable."""
        ...

    def tables(self, path: Path, filename: str) -> list[list[list[str]]]:
        """Every table's rows of cell text, in document order (a merged cell repeats its text across
        the columns it spans); BadInput with one plain sentence for anything that is not a safe .docx."""
        ...

    def compare(self, old: Path, new: Path) -> ChangeSummary: ...

    def redline(self, old: Path, new: Path, out: Path) -> None:
        """Write a .docx showing the differences from old to new as tracked changes."""
        ...


class FileStore(Protocol):
    """Files kept by their SHA-256 in the data folder: the same file sent twice is stored once."""

    async def put_stream(self, chunks: AsyncIterator[bytes], limit: int) -> tuple[str, int, Path]:
        """(sha256, size, path); raises services.errors.TooLarge past `limit` bytes."""
        ...

    def put_bytes(self, data: bytes) -> tuple[str, int, Path]:
        """(sha256, size, path) for bytes already in memory (stored once, like put_stream)."""
        ...

    def path(self, sha256: str) -> Path: ...

    def exists(self, sha256: str) -> bool: ...

    def discard(self, sha256: str) -> None:
        """Remove a file that was refused after it was streamed in (nothing refused is kept)."""
        ...
