"""Sample Word drafts for the demo (and the tests): one with tracked changes, one without."""

from __future__ import annotations

from typing import Any
import io

# python-docx (~7 MB with lxml's parts) is loaded when a sample is written (`policybot chat`, the demo,
# tests), not by every command: `policybot serve` imports this module through the command list.


def plain_docx(title: str = "Children Missing from Home and Care", paragraphs: int = 3) -> bytes:
    from docx import Document  # when a sample is written (see the top of this module)

    doc = Document()
    doc.core_properties.title = title
    doc.add_heading(title, level=1)
    for i in range(paragraphs):
        doc.add_paragraph(f"Paragraph {i + 1}: practitioners must record every episode on the child's file.")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _revision(tag: str, rev_id: str, author: str, text_tag: str, text: str):
    """A tracked insertion (w:ins) or deletion (w:del) as Word writes it."""
    from docx.oxml import OxmlElement  # when a sample is written
    from docx.oxml.ns import qn

    el = OxmlElement(tag)
    el.set(qn("w:id"), rev_id)
    el.set(qn("w:author"), author)
    el.set(qn("w:date"), "2026-11-20T10:00:00Z")
    run = OxmlElement("w:r")
    t = OxmlElement(text_tag)
    t.text = text
    run.append(t)
    el.append(run)
    return el


def tracked_docx(title: str = "Children Missing from Home and Care", author: str = "Alex Dunmore") -> bytes:
    """A document with one tracked insertion and one tracked deletion, as Word writes them."""
    from docx import Document  # when a sample is written

    doc = Document()
    doc.core_properties.title = title
    doc.add_heading(title, level=1)
    p = doc.add_paragraph("Return home interviews are offered within ")
    p._p.append(_revision("w:ins", "1", author, "w:t", "72 hours"))  # noqa: SLF001
    p._p.append(_revision("w:del", "2", author, "w:delText", "five working days"))  # noqa: SLF001
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def write_samples(folder) -> list[Any]:
    """Write the sample drafts a newcomer can attach in the demo chat; returns their paths."""
    from pathlib import Path

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "PP-001-amended-with-tracked-changes.docx": tracked_docx(),
        "PP-001-amended-without-tracked-changes.docx": plain_docx(),
    }
    paths = []
    for name, data in files.items():
        path = folder / name
        if not path.exists():
            path.write_bytes(data)
        paths.append(path)
    return paths
