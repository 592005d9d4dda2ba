"""Reading Word drafts safely (implements services.ports.DocxInspector).

Nothing here trusts a file's name or declared type: the bytes say what it is. The zip's own
directory is checked before anything is inflated (entry count, total uncompressed size and the
compression ratio of each large part), so a zip bomb is refused without being opened. Every
refusal is one plain sentence (services.errors.BadInput) naming the file. Callers run these
methods in a worker thread: they read and parse megabytes.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

from connectors.word.reading import (
    _DEL,
    _INS,
    _W,
    Change,
    ChangeKind,
    ChangeSummary,
    _diff,
    _is_heading,
    _para_text,
    _shorten,
    _summary,
    _units,
    _xml,
)
from connectors.word.redline import write_redline
from services.errors import BadInput
from services.ports import DraftFacts

_FORMAT_CHANGE_TAGS = {f"{_W}rPrChange", f"{_W}pPrChange", f"{_W}sectPrChange", f"{_W}tblPrChange"}

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Zip-bomb caps, checked on the zip's directory before anything is inflated. A 25 MB draft full of
# photographs holds a few hundred parts and well under 100 MB of XML; real Word XML compresses
# about 5 to 30 times.
MAX_ENTRIES = 3000
MAX_TOTAL_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 150  # for any part bigger than RATIO_FLOOR once inflated
RATIO_FLOOR = 2 * 1024 * 1024


def _sha256(path: Path) -> tuple[str, int]:
    h = hashlib.sha256()
    size = 0
    with path.open("rb") as f:
        while chunk := f.read(1024 * 1024):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


class WordInspector:
    """python-docx and lxml over a file on disk."""

    # ------------------------------------------------------------------ reading

    def paragraphs(self, content: bytes) -> list[str]:
        """A stored draft's paragraphs (the answer index searches them, issue 16); [] when unreadable."""
        from docx import Document  # third-party, loaded on first use (issue 22 item 8)
        from docx.opc.exceptions import PackageNotFoundError
        from lxml import etree

        try:
            doc = Document(io.BytesIO(content))
        except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError):
            return []
        return [" ".join(p.text.split()) for p in doc.paragraphs if p.text.strip()]

    def tables(self, path: Path, filename: str) -> list[list[list[str]]]:
        """The tables of a Word document (NCT-3: the publisher's update plan as a Word table)."""
        from docx import Document  # third-party, loaded on first use (issue 22 item 8)
        from docx.opc.exceptions import PackageNotFoundError
        from lxml import etree

        p = Path(path)
        head = p.read_bytes()[:8]
        if head == OLE_MAGIC:
            self._refuse_ole(p, filename)
        try:
            with zipfile.ZipFile(p) as zf:
                self._refuse_bombs(zf, filename)
            doc = Document(str(p))
        except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError):
            raise BadInput(f"{filename} is not a Word document I can read. Please save it as .docx and send it again.") from None
        return [[[" ".join(c.text.split()) for c in row.cells] for row in table.rows] for table in doc.tables]

    # ------------------------------------------------------------------ checking

    def inspect(self, path: Path, filename: str) -> DraftFacts:  # noqa: C901 - one refusal after another, each with its own sentence; splitting it would scatter the order of the checks
        # python-docx and lxml are loaded on the first draft, not at start (issue 22 item 8)
        from docx import Document
        from docx.opc.exceptions import PackageNotFoundError
        from lxml import etree

        name = filename or "The file"
        sha, size = _sha256(path)
        if size == 0:
            raise BadInput(f"{name} is empty. Please attach the Word document again.")
        with path.open("rb") as f:
            head = f.read(8)
        lower = name.lower()
        if head == OLE_MAGIC:
            self._refuse_ole(path, name)
        if head.startswith(b"%PDF"):
            raise BadInput(f"{name} is a PDF, not a Word document. Please send the Word file itself (.docx), "
                           "so the changes can be read and tracked.")
        if not zipfile.is_zipfile(path):
            if lower.endswith(".docx"):
                raise BadInput(f"{name} is not a Word document I can open, although its name ends in .docx. "
                               "Please check it opens in Word, save it as a Word Document (.docx) and send it again.")
            raise BadInput(f"{name} is not a Word document. I accept Word files saved as .docx.")
        try:
            with zipfile.ZipFile(path) as zf:
                self._refuse_bombs(zf, name)
                names = set(zf.namelist())
                if "word/vbaProject.bin" in names or lower.endswith(".docm") or self._macro_enabled(zf):
                    raise BadInput(f"{name} is a macro-enabled Word document (.docm). For safety I only accept .docx: "
                                   "in Word choose File > Save As > Word Document (.docx) and send that.")
                if "word/document.xml" not in names:
                    raise BadInput(f"{name} is a zip file but not a Word document. Please send the .docx itself.")
                bad = zf.testzip()
                if bad is not None:
                    raise BadInput(f"{name} is damaged (part {bad} is corrupt). Please save it again from Word and resend.")
                comments = self._comment_count(zf)
        except BadInput:
            raise
        except (zipfile.BadZipFile, OSError, ValueError, etree.XMLSyntaxError) as exc:
            raise BadInput(f"{name} is damaged and could not be read ({type(exc).__name__}). "
                           "Please save it again from Word and resend.") from None
        if not lower.endswith(".docx"):
            raise BadInput(f"{name} is a Word document but its name does not end in .docx. "
                           "Please save it as a Word Document (.docx) and send it again.")
        try:
            doc = Document(str(path))
            body = doc.element.body
        except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
            raise BadInput(f"{name} could not be opened as a Word document ({type(exc).__name__}). "
                           "Please save it again from Word and resend.") from None
        except Exception as exc:  # noqa: BLE001 - lxml syntax errors and other corruption
            raise BadInput(f"{name} is damaged and could not be read ({type(exc).__name__}). "
                           "Please save it again from Word and resend.") from None
        insertions = deletions = format_changes = 0
        authors: set[str] = set()
        for el in body.iter(*_INS, *_DEL, *_FORMAT_CHANGE_TAGS):
            if el.tag in _INS:
                insertions += 1
            elif el.tag in _DEL:
                deletions += 1
            else:
                format_changes += 1
            if author := el.get(f"{_W}author"):
                authors.add(author)
        texts = [p.text for p in doc.paragraphs]
        title = (doc.core_properties.title or "").strip() or next((t.strip() for t in texts if t.strip()), None)
        return DraftFacts(
            sha256=sha, size=size, title=title[:300] if title else None, paragraphs=len(texts),
            words=sum(len(t.split()) for t in texts), insertions=insertions, deletions=deletions,
            format_changes=format_changes, comments=comments, authors=tuple(sorted(authors)),
        )

    @staticmethod
    def _refuse_ole(path: Path, name: str) -> None:
        """An OLE (compound file) container: a password-protected .docx, or an old .doc."""
        try:
            import olefile  # third-party, loaded on the first OLE file (issue 22 item 8)

            with olefile.OleFileIO(str(path)) as ole:
                encrypted = ole.exists("EncryptionInfo") or ole.exists("EncryptedPackage")
        except Exception:  # noqa: BLE001 - a damaged container is refused below all the same
            encrypted = False
        if encrypted:
            raise BadInput(f"{name} is protected with a password, so I can't open it. Please remove the password "
                           "(in Word: File > Info > Protect Document > Encrypt with Password, and clear it), "
                           "save, and send it again.")
        raise BadInput(f"{name} is an old-style Word file (.doc). Please open it in Word, save it as a "
                       "Word Document (.docx), and send that.")

    @staticmethod
    def _refuse_bombs(zf: zipfile.ZipFile, name: str) -> None:
        infos = zf.infolist()
        bomb = (f"{name} expands to far more than any Word document should, so I have not opened it "
                "(it looks like a zip bomb). Please send the document as saved by Word.")
        if len(infos) > MAX_ENTRIES:
            raise BadInput(bomb)
        total = 0
        for info in infos:
            total += info.file_size
            if total > MAX_TOTAL_UNCOMPRESSED:
                raise BadInput(bomb)
            if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise BadInput(bomb)

    @staticmethod
    def _macro_enabled(zf: zipfile.ZipFile) -> bool:
        try:
            types = zf.read("[Content_Types].xml")
        except KeyError:
            return False
        return b"macroEnabled" in types

    @staticmethod
    def _comments_root(zf: zipfile.ZipFile):
        try:
            return _xml(zf.read("word/comments.xml"))
        except KeyError:
            return None

    def _comment_count(self, zf: zipfile.ZipFile) -> int:
        root = self._comments_root(zf)
        return 0 if root is None else len(root.findall(f"{_W}comment"))

    # ------------------------------------------------------------------ what changed

    def tracked_changes(self, path: Path) -> ChangeSummary:
        """Insertions, deletions and comments of a tracked draft, by the heading they sit under."""
        with zipfile.ZipFile(path) as zf:
            body = _xml(zf.read("word/document.xml")).find(f"{_W}body")
            comments_root = self._comments_root(zf)
        if body is None:
            raise BadInput(f"{path.name} is damaged (its text is missing). Please save it again from Word and resend.")
        comment_text: dict[str, tuple[str, str | None]] = {}
        if comments_root is not None:
            for c in comments_root.findall(f"{_W}comment"):
                comment_text[c.get(f"{_W}id", "")] = ("".join(c.itertext()), c.get(f"{_W}author"))
        changes: list[Change] = []
        section = ""
        for p in body.iter(f"{_W}p"):
            if _is_heading(p):
                section = _para_text(p, deleted=False).strip()
                continue
            for el in p.iter(*_INS, *_DEL, f"{_W}commentRangeStart"):
                if el.tag == f"{_W}commentRangeStart":
                    text, author = comment_text.get(el.get(f"{_W}id", ""), ("", None))
                    changes.append(Change(ChangeKind.COMMENT, section, _shorten(text), author))
                    continue
                text = "".join(t for t in el.itertext() if isinstance(t, str))
                if not text.strip():
                    continue  # a paragraph mark or an empty run
                kind = ChangeKind.INSERTION if el.tag in _INS else ChangeKind.DELETION
                changes.append(Change(kind, section, _shorten(text), el.get(f"{_W}author")))
        return _summary(changes)

    def compare(self, old: Path, new: Path) -> ChangeSummary:
        """What differs between two versions, paragraph by paragraph (each read as it now reads)."""
        changes = [c for c, *_ in _diff(_units(old), _units(new))]
        return _summary(changes)

    def redline(self, old: Path, new: Path, out: Path) -> None:
        """Write `new` with the differences from `old` as tracked changes (w:ins and w:del)."""
        write_redline(old, new, out)
