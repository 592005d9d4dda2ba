"""Recognition speed and accuracy (issue 15). Prints figures; asserts nothing.

- the first message after start: building the recogniser from the command table, then reading one message
- recognition time per message (p50, p99) with the full command table and 5,000 register titles
  loaded (the search itself is not included), over the phrase bank's messages
- the phrase bank's accuracy: the development half (tuned on) and the held-out half

Run: python bench/bench_recognise.py
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dialogs.commands import TABLE
from dialogs.recogniser import Recogniser, TitleIndex
from dialogs.slots import ref_index
from governance.preset import load_preset
from tests.unit.phrases import bank

WORDS = ["children", "missing", "home", "care", "county", "lines", "exploitation", "section", "47", "enquiries", "fostering", "panel", "kinship", "private", "allegations", "lado", "neglect", "early", "help", "assessment", "transitions", "adults", "safeguarding", "restraint", "residential", "supervision", "contact", "education", "health", "disabled", "short", "breaks", "youth", "justice", "leaving", "care", "placement"]


def titles(n: int) -> list[tuple[str, str]]:
    rnd = random.Random(15)
    return [(f"PP-{i:04d}", " ".join(rnd.choice(WORDS).title() for _ in range(rnd.randint(3, 7)))) for i in range(1, n + 1)]


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main() -> None:
    start = time.perf_counter()
    recogniser = Recogniser()
    built = time.perf_counter() - start
    register = titles(5000)
    index_start = time.perf_counter()
    index = TitleIndex(register)
    known = ref_index(r for r, _ in register)
    indexed = time.perf_counter() - index_start
    first_start = time.perf_counter()
    recogniser.read("status of the county lines procedure", prefixes=("pp",), known_refs=known, titles=index)
    first = time.perf_counter() - first_start
    print(f"command table: {len(TABLE)} commands, {sum(len(c.examples) for c in TABLE)} example phrasings")
    print(f"first message after start: build {built * 1000:.1f} ms + title index of 5,000 {indexed * 1000:.1f} ms "
          f"+ first read {first * 1000:.2f} ms")

    messages = [t for _, t in bank.load("dev") + bank.load("test")]
    messages += ["status of the county lines procedure", "history of the kinship fostering panel procedure",
                 "x" * 2000, "approve case 3 and show me my tasks"]
    times: list[float] = []
    cpu: list[float] = []
    for _ in range(5):
        for text in messages:
            t0, c0 = time.perf_counter(), time.thread_time()
            recogniser.read(text, prefixes=("pp",), known_refs=known, titles=index)
            cpu.append((time.thread_time() - c0) * 1000)
            times.append((time.perf_counter() - t0) * 1000)
    print(f"recognition per message ({len(times)} reads, 5,000 titles): wall p50 {statistics.median(times):.2f} ms, "
          f"p99 {percentile(times, 99):.2f} ms; CPU p50 {statistics.median(cpu):.2f} ms, p99 {percentile(cpu, 99):.2f} ms "
          "(target p99 < 5 ms; wall time includes waiting for a core on a shared machine)")

    preset = load_preset("nct")
    for half in ("dev", "test"):
        accuracy, by_label, per, misses = bank.score(recogniser, preset, bank.load(half))
        low = sorted((v, k) for k, v in by_label.items() if v < 0.85)
        print(f"phrase bank {half}: {accuracy:.1%} of {sum(v[1] for v in per.values())}"
              + ("; below 85%: " + ", ".join(f"{k} {v:.0%}" for v, k in low) if low else ""))


if __name__ == "__main__":
    main()
