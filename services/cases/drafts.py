"""Receiving and checking draft Word documents (issue 17, item 1; NCT-6 amendments are tracked).

A draft arrives as a stream: it is written to the data folder by its SHA-256 (the FileStore port)
and refused the moment it passes 25 MB; the Word checks (the DocxInspector port: zip-bomb caps,
password protection, macros, the real format) run in a worker thread, never on the event loop.
Anything refused is removed again, so nothing refused is kept. The ports come from
`services.adapters` ("files", "docx"), wired by bot/bootstrap.py.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
from collections import OrderedDict
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from services.context import Services
from services.errors import BadInput, TooLarge
from services.ports import DocxInspector, DraftFacts, FileStore

MAX_DRAFT_BYTES = 25 * 1024 * 1024
ACCEPTED_SUFFIX = ".docx"

_facts_cache: OrderedDict[str, DraftFacts] = OrderedDict()  # sha256 -> facts: a file is read once


def size_text(size: int) -> str:
    """31 MB, 740 kB: as a person says a file's size."""
    if size >= 1024 * 1024:
        mb = size / (1024 * 1024)
        return f"{mb:.0f} MB" if mb >= 10 else f"{mb:.1f} MB".replace(".0 MB", " MB")
    return f"{max(1, round(size / 1024))} kB"


def _limit_text() -> str:
    return size_text(MAX_DRAFT_BYTES)


def too_large(filename: str, size: int | None) -> TooLarge:
    if size is None:
        return TooLarge(f"{filename} is more than {_limit_text()}; the limit is {_limit_text()}. "
                        "Please reduce it (for example, compress the pictures in Word) and send it again.")
    return TooLarge(f"{filename} is {size_text(size)}; the limit is {_limit_text()}. "
                    "Please reduce it (for example, compress the pictures in Word) and send it again.")


PICTURES = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp", ".heic", ".tif", ".tiff")


def refuse_by_name(filename: str) -> None:
    """Refuse before downloading what its name already says we cannot take (.doc, .docm, a PDF...)."""
    lower = filename.lower()
    if lower.endswith(ACCEPTED_SUFFIX):
        return
    if lower.endswith(".docm"):
        raise BadInput(f"{filename} is a macro-enabled Word document (.docm). For safety I only accept .docx: "
                       "in Word choose File > Save As > Word Document (.docx) and send that.")
    if lower.endswith(".doc"):
        raise BadInput(f"{filename} is an old-style Word file (.doc). Please open it in Word, save it as a "
                       "Word Document (.docx), and send that.")
    if lower.endswith(PICTURES):
        raise BadInput(f"{filename} is a picture, not a draft. To send a draft, attach the Word document itself "
                       "(.docx) with the paperclip; pictures pasted into the chat are not kept.")
    if lower.endswith(".pdf"):
        raise BadInput(f"{filename} is a PDF, not a Word document. Please send the Word file itself (.docx), "
                       "so the changes can be read and tracked.")
    raise BadInput(f"{filename} is not a Word document. I accept drafts as Word files saved as .docx.")


def _ports(services: Services) -> tuple[FileStore, DocxInspector]:
    files, docx = services.adapters.get("files"), services.adapters.get("docx")
    if files is None or docx is None:
        raise RuntimeError("the file store and the Word inspector are not wired (bot/bootstrap.py)")
    return files, docx


@dataclass(frozen=True)
class ReceivedDraft:
    filename: str
    facts: DraftFacts
    path: Path
    was_new: bool = True  # False: the same file was stored before (then it is not removed on a refusal)

    def read(self) -> bytes:
        return self.path.read_bytes()


def _remember(facts: DraftFacts) -> None:
    _facts_cache[facts.sha256] = facts
    _facts_cache.move_to_end(facts.sha256)
    while len(_facts_cache) > 256:
        _facts_cache.popitem(last=False)


async def _inspect(services: Services, sha: str, path: Path, filename: str, was_new: bool) -> DraftFacts:
    files, docx = _ports(services)
    cached = _facts_cache.get(sha)
    if cached is not None:
        return cached
    try:
        facts = await asyncio.to_thread(docx.inspect, path, filename)
    except BadInput:
        if was_new:
            files.discard(sha)  # nothing refused is kept
        raise
    _remember(facts)
    return facts


async def receive(services: Services, chunks: AsyncIterator[bytes], filename: str,
                  declared_size: int | None = None) -> ReceivedDraft:
    """Stream a draft into the data folder and check it; BadInput (TooLarge) with one plain sentence."""
    files, _ = _ports(services)
    refuse_by_name(filename)
    if declared_size is not None and declared_size > MAX_DRAFT_BYTES:
        raise too_large(filename, declared_size)
    try:
        sha, _size, path = await files.put_stream(chunks, MAX_DRAFT_BYTES)
    except TooLarge:
        raise too_large(filename, None) from None
    existed = sha in _facts_cache  # put_stream keeps one copy per content; a known file was accepted before
    facts = await _inspect(services, sha, path, filename, was_new=not existed)
    return ReceivedDraft(filename, facts, path, was_new=not existed)


async def check_draft(services: Services, content: bytes, filename: str) -> DraftFacts:
    """The facts of a draft already in memory (the lifecycle's submit): stored by its SHA-256 and
    checked in a worker thread; a draft received by `receive` is not read again."""
    files, _ = _ports(services)
    if len(content) > MAX_DRAFT_BYTES:
        raise too_large(filename, len(content))
    refuse_by_name(filename)
    sha = hashlib.sha256(content).hexdigest()
    if sha in _facts_cache and files.exists(sha):
        return _facts_cache[sha]
    existed = files.exists(sha)
    sha, _size, path = await asyncio.to_thread(files.put_bytes, content)
    return await _inspect(services, sha, path, filename, was_new=not existed)


def require_tracked_changes(check: DraftFacts, filename: str) -> None:
    """NCT-6: an amended draft of a published procedure must show its amendments as tracked changes."""
    if not check.has_tracked_changes:
        raise BadInput(
            f"{filename} has no tracked changes, so I can't accept it as an amendment. "
            "Please turn on Track Changes in Word (Review > Track Changes), make the amendments again, "
            "and send the document with the changes showing."
        )


_KIND_WORDS = re.compile(r"\b(editorial|substantive)\b", re.IGNORECASE)


def change_kind_in(text: str | None) -> str | None:
    """'editorial' or 'substantive' when the author said which, in the message with the draft."""
    m = _KIND_WORDS.search(text or "")
    return m.group(1).lower() if m else None


async def forget_unless_kept(services: Services, sha256: str) -> None:
    """A checked draft the case then refused (nothing waits for it, an untracked amendment): its file
    goes again, unless a stored draft version already uses the same file."""
    files, _ = _ports(services)
    async with services.uow() as uow:
        if await uow.cases.has_draft_file(sha256):
            return
    files.discard(sha256)
