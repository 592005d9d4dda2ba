"""Writes manifest/color.png (192x192) and manifest/outline.png (32x32, white on transparent).

Standard library only, so anyone can regenerate the icons: python manifest/make_icons.py
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

HERE = Path(__file__).parent
TEAL = (0, 105, 120, 255)
WHITE = (255, 255, 255, 255)
CLEAR = (0, 0, 0, 0)


def png(width: int, height: int, pixel) -> bytes:
    rows = b"".join(b"\x00" + b"".join(bytes(pixel(x, y)) for x in range(width)) for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


def document(x: float, y: float) -> bool:
    """A page with a folded corner and three lines of text, in a unit square."""
    if not (0.28 <= x <= 0.72 and 0.18 <= y <= 0.82):
        return False
    if x > 0.6 and y < 0.18 + (x - 0.6):  # folded corner
        return False
    for line in (0.42, 0.54, 0.66):
        if 0.36 <= x <= 0.64 and line <= y <= line + 0.04:
            return False
    return True


def outline(x: float, y: float) -> bool:
    inside = 0.25 <= x <= 0.75 and 0.12 <= y <= 0.88
    inner = 0.34 <= x <= 0.66 and 0.21 <= y <= 0.79
    line = 0.38 <= x <= 0.62 and any(low <= y <= low + 0.07 for low in (0.38, 0.56))
    return (inside and not inner) or line


def main() -> None:
    (HERE / "color.png").write_bytes(png(192, 192, lambda x, y: WHITE if document(x / 192, y / 192) else TEAL))
    (HERE / "outline.png").write_bytes(png(32, 32, lambda x, y: WHITE if outline(x / 32, y / 32) else CLEAR))


if __name__ == "__main__":
    main()
