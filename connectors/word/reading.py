"""Reading a .docx's body as a person reads it: paragraphs with their tracked changes accepted,
the heading each sits under, and paragraph-level differences between two versions."""

from __future__ import annotations

import difflib
import re
import zipfile
from pathlib import Path


from services.ports import Change, ChangeKind, ChangeSummary

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W_NS}}}"
_INS = {f"{_W}ins", f"{_W}moveTo"}
_DEL = {f"{_W}del", f"{_W}moveFrom"}
SHORT = 140  # characters of a change shown on a card


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SHORT else text[: SHORT - 1].rstrip() + "…"


def _parser():
    # lxml is loaded when the first Word draft is read, not at start (issue 22 item 8)
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


def _xml(data: bytes):
    """A Word part parsed safely (no entities, no network)."""
    from lxml import etree  # third-party, loaded on first use (see _parser)

    return etree.fromstring(data, parser=_parser())


_HEADING_STYLE = re.compile(r"^(heading\s?\d|berschrift\s?\d|titre\s?\d)", re.IGNORECASE)


def _is_heading(p) -> bool:
    ppr = p.find(f"{_W}pPr")
    if ppr is None:
        return False
    style = ppr.find(f"{_W}pStyle")
    if style is not None and _HEADING_STYLE.match(style.get(f"{_W}val", "")):
        return True
    return ppr.find(f"{_W}outlineLvl") is not None


def _para_text(p, *, deleted: bool) -> str:
    """A paragraph's text as it reads with its tracked changes accepted (or, `deleted`, as it read before)."""
    out = []
    for el in p.iter(f"{_W}t", f"{_W}delText", f"{_W}tab"):
        inside_del = any(a.tag in _DEL for a in el.iterancestors())
        inside_ins = any(a.tag in _INS for a in el.iterancestors())
        if el.tag == f"{_W}tab":
            if not (inside_del and not deleted) and not (inside_ins and deleted):
                out.append(" ")
            continue
        if deleted:
            if not inside_ins:
                out.append(el.text or "")
        elif not inside_del and el.tag == f"{_W}t":
            out.append(el.text or "")
    return "".join(out)


class Unit:
    """One body-level block (a paragraph or a table) as it reads, with the heading above it."""

    __slots__ = ("element", "heading", "section", "text")

    def __init__(self, element, text: str, section: str, heading: bool) -> None:
        self.element, self.text, self.section, self.heading = element, text, section, heading


def _units(path: Path) -> list[Unit]:
    with zipfile.ZipFile(path) as zf:
        root = _xml(zf.read("word/document.xml"))
    return units_of(root.find(f"{_W}body"))


def units_of(body) -> list[Unit]:
    out: list[Unit] = []
    section = ""
    for child in body:
        if child.tag == f"{_W}p":
            text = _para_text(child, deleted=False)
            heading = _is_heading(child)
            if heading:
                section = text.strip()
            out.append(Unit(child, text, section, heading))
        elif child.tag == f"{_W}tbl":
            rows = [" | ".join(_para_text(p, deleted=False) for p in tc.iter(f"{_W}p"))
                    for tc in child.iter(f"{_W}tc")]
            out.append(Unit(child, "\n".join(rows), section, False))
    return out


def _diff(old: list[Unit], new: list[Unit]):
    """(Change, opcode, old slice, new slice) for each difference, in document order."""
    matcher = difflib.SequenceMatcher(None, [u.text for u in old], [u.text for u in new], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if tag == "insert":
            for u in new[j1:j2]:
                if u.text.strip():
                    yield Change(ChangeKind.INSERTION, u.section, _shorten(u.text)), tag, (i1, i2), (j1, j2)
        elif tag == "delete":
            section = new[j1 - 1].section if j1 > 0 else (old[i1].section if i1 < len(old) else "")
            for u in old[i1:i2]:
                if u.text.strip():
                    yield Change(ChangeKind.DELETION, section, _shorten(u.text)), tag, (i1, i2), (j1, j2)
        else:  # replace: name each changed paragraph by its new words
            for u in new[j1:j2]:
                if u.text.strip():
                    yield Change(ChangeKind.CHANGED, u.section, _shorten(u.text)), tag, (i1, i2), (j1, j2)


def _summary(changes: list[Change]) -> ChangeSummary:
    sections = tuple(dict.fromkeys(c.section for c in changes if c.section))

    def count(kind: ChangeKind) -> int:
        return sum(1 for c in changes if c.kind is kind)

    return ChangeSummary(changes=tuple(changes), insertions=count(ChangeKind.INSERTION), deletions=count(ChangeKind.DELETION),
                         comments=count(ChangeKind.COMMENT), sections=sections, changed=count(ChangeKind.CHANGED))
