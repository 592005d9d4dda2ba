"""Word drafts the size real ones are: headers, styles, tables, comments, tracked changes and
pictures, grown to a target size with photographs' worth of incompressible image data."""

from __future__ import annotations

import io
import random

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm
from PIL import Image

SECTIONS = [
    "Purpose and scope", "Definitions", "Roles and responsibilities", "Return home interviews",
    "Recording and information sharing", "Escalation", "Training", "Review and monitoring",
]


def _picture(rng: random.Random, side: int) -> bytes:
    """A PNG of noise: it does not compress, so it weighs what a photograph does."""
    img = Image.frombytes("RGB", (side, side), rng.randbytes(side * side * 3))
    buf = io.BytesIO()
    img.save(buf, "PNG", compress_level=1)
    return buf.getvalue()


def _revision(tag: str, rev_id: int, author: str, text: str):
    el = OxmlElement(tag)
    el.set(qn("w:id"), str(rev_id))
    el.set(qn("w:author"), author)
    el.set(qn("w:date"), "2026-11-20T10:00:00Z")
    run = OxmlElement("w:r")
    t = OxmlElement("w:t" if tag == "w:ins" else "w:delText")
    t.set(qn("xml:space"), "preserve")
    t.text = text
    run.append(t)
    el.append(run)
    return el


def realistic_docx(target_bytes: int, *, title: str = "Children Missing from Home and Care",
                   tracked: bool = True, author: str = "Alex Dunmore", seed: int = 7) -> bytes:
    """A draft of about `target_bytes` (never less): eight headed sections of prose, a table, a
    header and footer, comments, and (when `tracked`) insertions and deletions in sections 3 and 5."""
    rng = random.Random(seed)
    doc = Document()
    doc.core_properties.title = title
    doc.core_properties.author = author
    doc.sections[0].header.paragraphs[0].text = f"{title} | OFFICIAL"
    doc.sections[0].footer.paragraphs[0].text = "Northamptonshire Children's Trust procedures manual"
    doc.add_heading(title, level=0)
    rev = 100
    for number, heading in enumerate(SECTIONS, start=1):
        doc.add_heading(f"{number}. {heading}", level=1)
        for i in range(6):
            p = doc.add_paragraph(
                f"{number}.{i + 1} Practitioners must record each episode on the child's file within one "
                "working day, share it with the allocated social worker and, where the child is looked "
                "after, with the Independent Reviewing Officer.", style="List Number" if i % 3 == 2 else None)
            if tracked and number in (3, 5) and i < 2:
                p._p.append(_revision("w:ins", rev, author, " Return home interviews are offered within 72 hours."))  # noqa: SLF001
                p._p.append(_revision("w:del", rev + 1, author, " within five working days"))  # noqa: SLF001
                rev += 2
        if number == 4:
            table = doc.add_table(rows=4, cols=3)
            table.style = "Table Grid"
            for r, row in enumerate(table.rows):
                for c, cell in enumerate(row.cells):
                    cell.text = ["Step", "Who", "When"][c] if r == 0 else f"Row {r} col {c + 1}"
        if number in (2, 6):
            para = doc.add_paragraph("This wording was agreed at the Review Session.")
            doc.add_comment(para.runs, text="Please check against the statutory guidance.", author="Morgan Reyes", initials="MR")
    # Pictures until the file reaches its size (a flowchart and photographs, as real drafts have).
    while True:
        buf = io.BytesIO()
        doc.save(buf)
        size = len(buf.getvalue())
        if size >= target_bytes:
            return buf.getvalue()
        missing = target_bytes - size
        side = max(16, min(900, int((missing / 3) ** 0.5) + 8))
        doc.add_picture(io.BytesIO(_picture(rng, side)), width=Cm(12))
