"""The answer index kept in the database (issue 16 item 6), so a restart reads it in seconds instead of
indexing every passage again (about 100 s at 60,000 passages).

What is kept is the index as built: every chapter's and register document's passages with their
content hash, and both BM25s' arrays. After reading it, services/manual/answers.current_index
compares each chapter's content hash with the database's and re-indexes only the chapters a sync
changed, added or removed since (and the register documents that changed), then the new build is
kept in its place. The format names the indexing code that made it (a hash of answer_index.py,
bm25.py and words.py): a change to how passages become terms makes the kept index unusable, and
it is built again from the database.

Plain data only (JSON and raw arrays of numbers, compressed), never pickled objects: reading it
runs no code from the database.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import struct
import zlib
from functools import lru_cache
from pathlib import Path
from typing import Any

from services.context import Services
from services.manual import answer_index, bm25, words
from services.manual.answer_index import AnswerIndex

log = logging.getLogger(__name__)
MAGIC = b"PBANSIX1"
Drafts = dict[int, tuple[str, str, list[str]]]  # {document id: (draft SHA-256, file name, paragraphs)}


@lru_cache(maxsize=1)
def index_format() -> str:
    """Names the indexing that builds the index: its code, hashed."""
    digest = hashlib.sha256()
    for module in (answer_index, bm25, words):
        digest.update(Path(str(module.__file__)).read_bytes())
    return f"answers:{digest.hexdigest()[:24]}"


def pack(index: AnswerIndex, drafts: Drafts) -> bytes:
    return encode(index.state(), drafts)


def encode(state: tuple[dict[str, Any], dict[str, bytes]], drafts: Drafts) -> bytes:
    """The index's state (AnswerIndex.state, taken where the index is changed) as bytes."""
    meta, arrays = state
    names = sorted(arrays)
    header = json.dumps({"index": meta, "drafts": {str(k): list(v) for k, v in drafts.items()},
                         "arrays": [[n, len(arrays[n])] for n in names]}, separators=(",", ":")).encode()
    body = b"".join([struct.pack("<Q", len(header)), header, *(arrays[n] for n in names)])
    return MAGIC + zlib.compress(body, 1)


def unpack(data: bytes) -> tuple[AnswerIndex, Drafts]:
    """The index and the drafts' paragraphs it was built with. ValueError when the data is not a whole index."""
    if not data.startswith(MAGIC):
        raise ValueError("not a kept answer index")
    try:
        body = memoryview(zlib.decompress(data[len(MAGIC):]))
    except zlib.error as exc:
        raise ValueError(f"the kept answer index is damaged: {exc}") from exc
    (size,) = struct.unpack_from("<Q", body)
    header: dict[str, Any] = json.loads(bytes(body[8:8 + size]))
    at = 8 + size
    arrays: dict[str, bytes] = {}
    for name, length in header["arrays"]:
        arrays[str(name)] = bytes(body[at:at + int(length)])
        at += int(length)
    if at != len(body):
        raise ValueError("the kept answer index is not whole")
    drafts = {int(k): (str(v[0]), str(v[1]), [str(p) for p in v[2]]) for k, v in header["drafts"].items()}
    try:
        return AnswerIndex.from_state(header["index"], arrays), drafts
    except (KeyError, TypeError, IndexError) as exc:
        raise ValueError(f"the kept answer index is not whole: {exc}") from exc


async def read_kept(services: Services) -> tuple[AnswerIndex, Drafts] | None:
    """The kept index, when the same indexing made it and it reads back whole."""
    async with services.uow() as uow:
        data = await uow.answers.kept_index(index_format())
    if data is None:
        return None
    try:
        return await asyncio.to_thread(unpack, data)
    except ValueError:
        log.warning("the kept answer index could not be read: building it again", exc_info=True)
        return None


async def keep(services: Services, index: AnswerIndex, drafts: Drafts) -> int:
    """Keep this build in place of the last (one unit of work); its size in bytes."""
    data = await asyncio.to_thread(encode, index.state(), dict(drafts))  # the state is taken here, the work done aside
    async with services.uow() as uow:
        await uow.answers.keep_index(index_format(), data, at=services.clock.now(), passages=index.passage_count())
        await uow.commit()
    return len(data)
