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
                p._p.append(_revision("w:ins", rev, author, " Return home interviews are offered within 72 hours."))
                p._p.append(_revision("w:del", rev + 1, author, " within five working days"))
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


# ---------------------------------------------------------------- files that must be refused (issue 17)


def zip_bomb_docx(paragraphs: int = 1_500_000) -> bytes:
    """A .docx whose document.xml is a flood of tiny paragraphs: a few hundred kB on the wire,
    about 70 MB once inflated. Written in pieces, never held whole in memory."""
    import zipfile

    real = zipfile.ZipFile(io.BytesIO(realistic_docx(1, tracked=False)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for item in real.infolist():
            if item.filename != "word/document.xml":
                zf.writestr(item.filename, real.read(item.filename))
        with zf.open("word/document.xml", "w", force_zip64=True) as f:
            f.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>')
            block = b"<w:p><w:r><w:t>a</w:t></w:r></w:p>" * 10_000
            for _ in range(paragraphs // 10_000):
                f.write(block)
            f.write(b"</w:body></w:document>")
    return out.getvalue()


def encrypted_docx(password: str = "secret") -> bytes:
    """A real draft protected with a password, as Word writes it (an OLE container)."""
    import msoffcrypto.format.ooxml

    plain = io.BytesIO(realistic_docx(50_000))
    out = io.BytesIO()
    msoffcrypto.format.ooxml.OOXMLFile(plain).encrypt(password, out)
    return out.getvalue()


def macro_docx() -> bytes:
    """A macro-enabled document (.docm content: a VBA project and the macroEnabled content type)."""
    import zipfile

    real = zipfile.ZipFile(io.BytesIO(realistic_docx(1, tracked=False)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for item in real.infolist():
            data = real.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml")
            zf.writestr(item.filename, data)
        zf.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b"\0" * 512)
    return out.getvalue()


def pdf_bytes() -> bytes:
    return (b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
            + b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n" * 50 + b"%%EOF\n")


class FileServer:
    """A local file store (OneDrive as Teams uses it): serves files, one that keeps growing (no
    declared length, more bytes than any limit), and takes uploads at /upload/{name} (PUT)."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.growing: dict[str, int] = {}  # name -> bytes it sends before stopping
        self.uploads: dict[str, bytes] = {}
        self.upload_headers: dict[str, dict] = {}
        self.url = ""
        self.runner = None

    async def start(self) -> FileServer:
        from aiohttp import web

        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get("/files/{name}", self._get)
        app.router.add_put("/upload/{name}", self._put)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}/"
        return self

    async def stop(self) -> None:
        if self.runner:
            await self.runner.cleanup()

    async def _get(self, request):
        import asyncio

        from aiohttp import web

        name = request.match_info["name"]
        resp = web.StreamResponse(headers={"Content-Type": "application/octet-stream"})
        if name in self.growing:
            resp.enable_chunked_encoding()
            await resp.prepare(request)
            rng = random.Random(1)
            sent = 0
            while sent < self.growing[name]:
                piece = rng.randbytes(256 * 1024)
                await resp.write(piece)
                sent += len(piece)
                await asyncio.sleep(0)
            await resp.write_eof()
            return resp
        data = self.files.get(name)
        if data is None:
            return web.Response(status=404)
        resp.content_length = len(data)
        await resp.prepare(request)
        for start in range(0, len(data), 16 * 1024):
            await resp.write(data[start:start + 16 * 1024])
        await resp.write_eof()
        return resp

    async def _put(self, request):
        from aiohttp import web

        name = request.match_info["name"]
        self.uploads[name] = await request.read()
        self.upload_headers[name] = dict(request.headers)
        return web.json_response({"id": "onedrive-item", "name": name}, status=201)


def revised_docx(data: bytes) -> bytes:
    """The next version of a draft: a paragraph of section 7 reworded and one added to section 8
    (its tracked changes from before are kept, as Word keeps them until accepted)."""
    doc = Document(io.BytesIO(data))
    paragraphs = doc.paragraphs
    for p in paragraphs:
        if p.text.startswith("7.2 "):
            for r in p.runs:
                r.text = ""
            p.runs[0].text = "7.2 Every practitioner completes the missing-children e-learning each year."
        if p.text.startswith("8.6 "):
            p.insert_paragraph_before("8.5a The Board receives a quarterly report on return home interviews.")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def kept_bytes(bot, sha256: str) -> bytes:
    """A stored draft's bytes: kept once, in the bot's data folder by its SHA-256 (not in the database)."""
    return (bot.settings.data_dir / "files" / sha256[:2] / sha256[2:4] / sha256).read_bytes()
