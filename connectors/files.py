"""Files kept in the data folder by their SHA-256 (implements services.ports.FileStore).

A file arrives as a stream and is written to a temporary file while it is hashed and counted; the
moment it passes its limit the stream is abandoned and the partial file removed (a file that grows
past the limit mid-download is refused like one that declared its size). A complete file is moved
to `files/ab/cd/<sha256>`: the same file sent twice is stored once.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

from services.errors import TooLarge


class DataFolderFileStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root) / "files"
        self._incoming = self.root / "incoming"

    def path(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError("not a SHA-256")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def _temp(self):
        self._incoming.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=self._incoming, prefix="part-")
        return os.fdopen(fd, "wb"), Path(name)

    def _keep(self, temp: Path, sha: str) -> Path:
        final = self.path(sha)
        if final.is_file():
            temp.unlink(missing_ok=True)  # stored already: keep one copy
            return final
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(temp, final)
        return final

    async def put_stream(self, chunks: AsyncIterator[bytes], limit: int) -> tuple[str, int, Path]:
        h = hashlib.sha256()
        size = 0
        out, temp = self._temp()
        try:
            with out:
                async for chunk in chunks:
                    size += len(chunk)
                    if size > limit:
                        raise TooLarge(f"over {limit} bytes")
                    h.update(chunk)
                    out.write(chunk)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        sha = h.hexdigest()
        return sha, size, self._keep(temp, sha)

    def put_bytes(self, data: bytes) -> tuple[str, int, Path]:
        sha = hashlib.sha256(data).hexdigest()
        if self.exists(sha):
            return sha, len(data), self.path(sha)
        out, temp = self._temp()
        with out:
            out.write(data)
        return sha, len(data), self._keep(temp, sha)

    def discard(self, sha256: str) -> None:
        self.path(sha256).unlink(missing_ok=True)

    def read(self, sha256: str) -> bytes:
        return self.path(sha256).read_bytes()
