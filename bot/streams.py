"""Reading a whole HTTP body, never only its first network chunk.

`aiohttp.StreamReader.read(n)` returns *up to* n bytes: whatever one chunk holds. A caller that
reads once keeps a fraction of any body bigger than a socket read (tens to hundreds of kB), which
refused real Word drafts as "not a Word document" and cut activity bodies into "not valid JSON".
"""

from __future__ import annotations

from aiohttp import StreamReader

CHUNK = 64 * 1024


class TooLarge(Exception):
    """The body went past its limit (it may have grown mid-stream past a declared length)."""

    def __init__(self, limit: int, seen: int) -> None:
        super().__init__(f"over {limit} bytes")
        self.limit = limit
        self.seen = seen


async def read_whole(stream: StreamReader, limit: int) -> bytes:
    """Every byte of the stream up to `limit`; raise TooLarge as soon as it passes the limit."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in stream.iter_chunked(CHUNK):
        size += len(chunk)
        if size > limit:
            raise TooLarge(limit, size)
        chunks.append(chunk)
    return b"".join(chunks)
