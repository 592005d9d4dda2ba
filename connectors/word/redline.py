"""A redline: the newer version of a draft with the differences from an older one written as
Word tracked changes (w:ins and w:del), so a reader sees them in Word's Review pane and can
accept or reject them. Our own comparison: body paragraphs matched with difflib, changed
paragraphs compared word by word. Pictures and tables of the newer version are kept as they are.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
import difflib
import itertools
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # lxml and python-docx load on the first comparison (issue 22 item 8)
    from lxml import etree

from connectors.word.reading import _W, _para_text, _units, units_of

AUTHOR = "policybot comparison"
_WORDS = re.compile(r"\s+|[^\s]+")


class _Marks:
    def __init__(self) -> None:
        self.ids = itertools.count(90000)
        self.date = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    def wrap(self, tag: str, runs: Iterable[etree._Element]) -> etree._Element:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        el = OxmlElement(tag)
        el.set(qn("w:id"), str(next(self.ids)))
        el.set(qn("w:author"), AUTHOR)
        el.set(qn("w:date"), self.date)
        for r in runs:
            el.append(r)
        return el


def _run(text: str, deleted: bool, rpr=None):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    r = OxmlElement("w:r")
    if rpr is not None:
        r.append(copy.deepcopy(rpr))
    t = OxmlElement("w:delText" if deleted else "w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = text
    r.append(t)
    return r


def _mark_paragraph(p, marks: _Marks, *, deleted: bool) -> None:
    """Every run of a paragraph as one tracked insertion or deletion (the paragraph mark too)."""
    for drawing in list(p.iter(f"{_W}drawing")) if deleted else ():
        drawing.getparent().remove(drawing)  # an old picture's relationship is not in the new file
    if deleted:
        for t in list(p.iter(f"{_W}t")):
            t.tag = f"{_W}delText"
    runs = [r for r in p if r.tag == f"{_W}r"]
    if runs:
        wrapper = marks.wrap("w:del" if deleted else "w:ins", [])
        runs[0].addprevious(wrapper)
        for r in runs:
            wrapper.append(r)
    ppr = p.find(f"{_W}pPr")
    if ppr is None:
        from docx.oxml import OxmlElement

        ppr = OxmlElement("w:pPr")
        p.insert(0, ppr)
    rpr = ppr.find(f"{_W}rPr")
    if rpr is None:
        from docx.oxml import OxmlElement

        rpr = OxmlElement("w:rPr")
        ppr.append(rpr)
    rpr.append(marks.wrap("w:del" if deleted else "w:ins", []))


def _word_diff(old_text: str, new_p, marks: _Marks):
    """The new paragraph rebuilt with its words compared to the old paragraph's words."""
    first_run = new_p.find(f"{_W}r")
    rpr = first_run.find(f"{_W}rPr") if first_run is not None else None
    new_text = _para_text(new_p, deleted=False)
    old_words, new_words = _WORDS.findall(old_text), _WORDS.findall(new_text)
    keep = [c for c in new_p if c.tag == f"{_W}pPr"]
    for c in list(new_p):
        new_p.remove(c)
    for c in keep:
        new_p.append(c)
    matcher = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            new_p.append(_run("".join(new_words[j1:j2]), False, rpr))
            continue
        if i2 > i1:
            new_p.append(marks.wrap("w:del", [_run("".join(old_words[i1:i2]), True, rpr)]))
        if j2 > j1:
            new_p.append(marks.wrap("w:ins", [_run("".join(new_words[j1:j2]), False, rpr)]))


def write_redline(old: Path, new: Path, out: Path) -> None:  # noqa: C901 - one walk over the paired paragraphs with a branch per kind of difference
    from docx import Document  # python-docx is loaded on the first comparison, not at start (issue 22 item 8)

    doc = Document(str(new))
    body = doc.element.body
    old_units = _units(old)
    new_units = units_of(body)
    marks = _Marks()
    ordered = []
    matcher = difflib.SequenceMatcher(None, [u.text for u in old_units], [u.text for u in new_units], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            ordered += [u.element for u in new_units[j1:j2]]
        elif tag == "insert":
            for u in new_units[j1:j2]:
                if u.element.tag == f"{_W}p":
                    _mark_paragraph(u.element, marks, deleted=False)
                ordered.append(u.element)
        elif tag == "delete":
            for u in old_units[i1:i2]:
                if u.element.tag == f"{_W}p":
                    el = copy.deepcopy(u.element)
                    _mark_paragraph(el, marks, deleted=True)
                    ordered.append(el)
        else:
            olds, news = old_units[i1:i2], new_units[j1:j2]
            for k in range(max(len(olds), len(news))):
                o = olds[k] if k < len(olds) else None
                n = news[k] if k < len(news) else None
                if o is not None and n is not None and o.element.tag == n.element.tag == f"{_W}p" \
                        and n.element.find(f".//{_W}drawing") is None:
                    _word_diff(o.text, n.element, marks)
                    ordered.append(n.element)
                    continue
                if o is not None and o.element.tag == f"{_W}p":
                    el = copy.deepcopy(o.element)
                    _mark_paragraph(el, marks, deleted=True)
                    ordered.append(el)
                if n is not None:
                    if n.element.tag == f"{_W}p":
                        _mark_paragraph(n.element, marks, deleted=False)
                    ordered.append(n.element)
    sect = body.find(f"{_W}sectPr")
    for u in new_units:
        if u.element.getparent() is body:
            body.remove(u.element)
    for el in ordered:
        if sect is not None:
            sect.addprevious(el)
        else:
            body.append(el)
    doc.save(str(out))

