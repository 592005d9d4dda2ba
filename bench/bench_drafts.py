"""Drafts (issue 17): download, check and store a 12 MB draft (time, peak memory); a change summary
for 500 tracked changes; comparing two 200-page versions (summary and redline). Prints figures.

    .venv/bin/python bench/bench_drafts.py [--size 12000000]

Each measurement runs in its own child process, so its peak RSS is its own.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from docx import Document  # noqa: E402

from connectors.word.inspect import WordInspector  # noqa: E402
from tests.support.drafts import SECTIONS, FileServer, _revision, realistic_docx  # noqa: E402


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def tracked_500() -> bytes:
    doc = Document()
    rev = 1
    for n, heading in enumerate(SECTIONS, 1):
        doc.add_heading(f"{n}. {heading}", level=1)
        for i in range(32):
            p = doc.add_paragraph(f"{n}.{i + 1} Practitioners record each episode on the child's file within one working day.")
            if rev <= 500:
                p._p.append(_revision("w:ins" if rev % 2 else "w:del", rev, "Alex Dunmore", f" change {rev}"))  # noqa: SLF001
                rev += 1
            if rev <= 500:
                p._p.append(_revision("w:del", rev, "Alex Dunmore", f" old words {rev}"))  # noqa: SLF001
                rev += 1
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def pages_200(seed: int, changed: float) -> bytes:
    """About 200 pages: 40 headed sections of 40 paragraphs of ~50 words; `changed` of them reworded."""
    rng = random.Random(seed)
    words = "practitioner child record review plan safeguarding manager placement risk meeting consent family".split()
    base = random.Random(1)
    doc = Document()
    for s in range(1, 41):
        doc.add_heading(f"{s}. Section {s}", level=1)
        for i in range(40):
            text = " ".join(base.choice(words) for _ in range(50))
            if rng.random() < changed:
                text = text.replace(rng.choice(words), "amended", 2) + " Added sentence."
            doc.add_paragraph(f"{s}.{i + 1} {text}")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


async def _download(path: Path) -> None:
    from bot import files
    from bot.bootstrap import build
    from bot.settings import Settings
    from services.cases import drafts

    data = path.read_bytes()
    server = await FileServer().start()
    server.files["draft.docx"] = data
    del data
    folder = tempfile.mkdtemp()
    settings = Settings.from_env({"DATABASE_URL": f"sqlite:///{folder}/b.db", "POLICYBOT_DATA_DIR": folder, "LOG_LEVEL": "ERROR"})
    runtime = build(settings)
    start = time.perf_counter()
    async with files.download(f"{server.url}files/draft.docx") as (declared, chunks):
        received = await drafts.receive(runtime.services, chunks, "draft.docx", declared)
    took = time.perf_counter() - start
    print(f"download+check+store {received.facts.size / 1e6:.1f} MB: {took:.2f} s, peak RSS {_peak_mb():.0f} MB "
          f"({received.facts.insertions} insertions, {received.facts.comments} comments)")
    await server.stop()
    await runtime.close()


def child(kind: str, *paths: str) -> None:
    w = WordInspector()
    if kind == "download":
        asyncio.run(_download(Path(paths[0])))
    elif kind == "summary":
        start = time.perf_counter()
        s = w.tracked_changes(Path(paths[0]))
        print(f"change summary, {s.insertions + s.deletions} tracked changes: {time.perf_counter() - start:.2f} s, "
              f"peak RSS {_peak_mb():.0f} MB")
    elif kind == "compare":
        old, new = Path(paths[0]), Path(paths[1])
        start = time.perf_counter()
        s = w.compare(old, new)
        mid = time.perf_counter()
        out = old.with_name("redline.docx")
        w.redline(old, new, out)
        end = time.perf_counter()
        print(f"compare two 200-page versions ({s.changed} reworded, {len(s.sections)} sections): {mid - start:.2f} s; "
              f"redline {end - mid:.2f} s ({out.stat().st_size / 1e6:.1f} MB); peak RSS {_peak_mb():.0f} MB")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=12_000_000)
    ap.add_argument("--child", nargs="+")
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return
    folder = Path(tempfile.mkdtemp())
    big = folder / "big.docx"
    big.write_bytes(realistic_docx(args.size))
    tracked = folder / "tracked.docx"
    tracked.write_bytes(tracked_500())
    old, new = folder / "v1.docx", folder / "v2.docx"
    old.write_bytes(pages_200(1, 0.0))
    new.write_bytes(pages_200(2, 0.05))
    for argv in (["download", str(big)], ["summary", str(tracked)], ["compare", str(old), str(new)]):
        subprocess.run([sys.executable, __file__, "--child", *argv], check=True)


if __name__ == "__main__":
    main()
