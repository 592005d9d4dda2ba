"""Draft checks: a real .docx, and tracked changes for amendments (NCT-6)."""

from __future__ import annotations

import io
import zipfile

import pytest

from connectors.word.inspect import WordInspector
from connectors.word.samples import plain_docx, tracked_docx
from services.cases.drafts import require_tracked_changes
from services.errors import BadInput


@pytest.fixture
def check_docx(tmp_path):
    """The Word inspector over bytes written to a file, as the file store keeps them."""
    def check(data: bytes, name: str):
        path = tmp_path / "incoming.bin"
        path.write_bytes(data)
        return WordInspector().inspect(path, name)
    return check


def test_reads_a_real_docx(check_docx):
    check = check_docx(plain_docx(paragraphs=4), "draft.docx")
    assert check.title == "Children Missing from Home and Care"
    assert check.paragraphs == 5  # heading + 4
    assert check.words > 20
    assert not check.has_tracked_changes
    assert len(check.sha256) == 64


def test_nct_6_counts_tracked_changes_and_their_authors(check_docx):
    check = check_docx(tracked_docx(author="Alex Dunmore"), "amended.docx")
    assert (check.insertions, check.deletions) == (1, 1)
    assert check.authors == ("Alex Dunmore",)
    require_tracked_changes(check, "amended.docx")  # accepted


def test_nct_6_an_untracked_amendment_is_refused_with_the_reason(check_docx):
    check = check_docx(plain_docx(), "amended.docx")
    with pytest.raises(BadInput, match="has no tracked changes.*Track Changes"):
        require_tracked_changes(check, "amended.docx")


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "is empty"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old-style Word file"),
        (b"%PDF-1.7 not a word file", "is a PDF, not a Word document"),
        (b"PK\x03\x04garbage", "not a Word document"),
    ],
)
def test_corrupt_or_wrong_files_get_a_plain_reason(check_docx, data, reason):
    with pytest.raises(BadInput, match=reason):
        check_docx(data, "draft.docx")


def test_a_zip_that_is_not_a_word_document_is_refused(check_docx):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "hi")
    with pytest.raises(BadInput, match="not a Word document"):
        check_docx(buf.getvalue(), "draft.docx")


def test_a_truncated_docx_is_refused(check_docx):
    data = plain_docx()
    with pytest.raises(BadInput):
        check_docx(data[: len(data) // 2], "draft.docx")


def test_a_docx_with_broken_xml_is_refused(check_docx):
    src = zipfile.ZipFile(io.BytesIO(plain_docx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "word/document.xml":
                body = body[: len(body) // 2]
            zf.writestr(item, body)
    with pytest.raises(BadInput, match="damaged|could not be opened"):
        check_docx(out.getvalue(), "draft.docx")
