"""Checking a draft Word document before it is stored (NCT-6: amendments must be tracked changes).

Pure: bytes in, a DraftCheck out. Never trusts the file name or the declared content type alone.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass

from services.errors import BadInput

MAX_DRAFT_BYTES = 25 * 1024 * 1024
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_REVISION_TAGS = {f"{_W}ins", f"{_W}del", f"{_W}moveFrom", f"{_W}moveTo"}
_FORMAT_CHANGE_TAGS = {f"{_W}rPrChange", f"{_W}pPrChange", f"{_W}sectPrChange", f"{_W}tblPrChange"}


@dataclass(frozen=True)
class DraftCheck:
    sha256: str
    size: int
    title: str | None
    paragraphs: int
    words: int
    insertions: int
    deletions: int
    format_changes: int
    authors: tuple[str, ...]

    @property
    def has_tracked_changes(self) -> bool:
        return (self.insertions + self.deletions + self.format_changes) > 0


def check_docx(data: bytes, filename: str = "draft.docx") -> DraftCheck:
    """Open the file as a real .docx and count its tracked changes; BadInput with a plain reason otherwise."""
    name = filename or "the file"
    if not data:
        raise BadInput(f"{name} is empty. Please attach the Word document again.")
    if len(data) > MAX_DRAFT_BYTES:
        raise BadInput(f"{name} is larger than {MAX_DRAFT_BYTES // (1024 * 1024)} MB. Please reduce it (for example, compress the pictures) and try again.")
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise BadInput(f"{name} is an old-style Word file (.doc). Please open it in Word, save it as .docx, and send that.")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise BadInput(f"{name} is not a Word document (.docx) I can open. Please check it opens in Word and send it again.")
    try:
        from docx import Document  # python-docx
        from docx.opc.exceptions import PackageNotFoundError
    except ImportError as exc:  # pragma: no cover - a packaging error
        raise RuntimeError("python-docx is not installed") from exc
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            if "word/document.xml" not in zf.namelist():
                raise BadInput(f"{name} is a zip file but not a Word document. Please send the .docx itself.")
            bad = zf.testzip()
            if bad is not None:
                raise BadInput(f"{name} is damaged (part {bad} is corrupt). Please save it again from Word and resend.")
        doc = Document(io.BytesIO(data))
        body = doc.element.body
    except BadInput:
        raise
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise BadInput(f"{name} could not be opened as a Word document ({type(exc).__name__}). Please save it again from Word and resend.") from None
    except Exception as exc:  # noqa: BLE001 - lxml syntax errors and other corruption
        raise BadInput(f"{name} is damaged and could not be read ({type(exc).__name__}). Please save it again from Word and resend.") from None

    insertions = deletions = format_changes = 0
    authors: set[str] = set()
    for el in body.iter():
        tag = el.tag
        if tag in _REVISION_TAGS:
            if tag in (f"{_W}ins", f"{_W}moveTo"):
                insertions += 1
            else:
                deletions += 1
        elif tag in _FORMAT_CHANGE_TAGS:
            format_changes += 1
        else:
            continue
        author = el.get(f"{_W}author")
        if author:
            authors.add(author)
    paragraphs = [p.text for p in doc.paragraphs]
    words = sum(len(t.split()) for t in paragraphs)
    title = (doc.core_properties.title or "").strip() or next((t.strip() for t in paragraphs if t.strip()), None)
    return DraftCheck(
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        title=title[:300] if title else None,
        paragraphs=len(paragraphs),
        words=words,
        insertions=insertions,
        deletions=deletions,
        format_changes=format_changes,
        authors=tuple(sorted(authors)),
    )


def require_tracked_changes(check: DraftCheck, filename: str) -> None:
    """NCT-6: an amended draft of a published procedure must show its amendments as tracked changes."""
    if not check.has_tracked_changes:
        raise BadInput(
            f"{filename} has no tracked changes, so I can't accept it as an amendment. "
            "Please turn on Track Changes in Word (Review > Track Changes), make the amendments again, "
            "and send the document with the changes showing."
        )
