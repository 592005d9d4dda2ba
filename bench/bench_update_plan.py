"""The publisher's update plan read and matched at size (NCT-3).

    python bench/bench_update_plan.py [--chapters 1200] [--documents 5000]

Builds a plan of `--chapters` chapters (title lines, merged section rows, blank rows, repeated headings)
as a real .xlsx and as a real Word table, reads each through the real connectors, and matches the rows
against a register of `--documents` local procedures. Prints the time of each step. Not a test:
nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's code, not the installed one

from connectors.spreadsheets import SpreadsheetFiles  # noqa: E402
from connectors.word.inspect import WordInspector  # noqa: E402
from services.updates.plan_match import match_plan  # noqa: E402
from services.updates.plan_rows import Grid, plan_rows  # noqa: E402
from tests.support.update_plan import plan_docx, plan_rows as built, plan_xlsx  # noqa: E402


def _timed(label: str, fn):
    start = time.perf_counter()
    out = fn()
    print(f"{label:<44} {1000 * (time.perf_counter() - start):8.1f} ms")
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--chapters", type=int, default=1200)
    ap.add_argument("--documents", type=int, default=5000)
    args = ap.parse_args()
    rows = built(args.chapters)
    docs = [SimpleNamespace(id=i, ref=f"PP-{i:04d}", title=f"Local procedure {i}", status="published",
                            manual_url=f"https://manual.example.org/chapters/pp-{i:04d}.html") for i in range(1, args.documents + 1)]
    docs.append(SimpleNamespace(id=0, ref="PP-0000", title="Children Missing from Home and Care", status="published", manual_url=None))
    with tempfile.TemporaryDirectory() as tmp:
        xlsx, docx = Path(tmp) / "plan.xlsx", Path(tmp) / "plan.docx"
        xlsx.write_bytes(_timed(f"build the .xlsx ({len(rows)} rows)", lambda: plan_xlsx(rows)))
        docx.write_bytes(_timed("build the Word table", lambda: plan_docx(rows)))
        book = _timed("read the .xlsx (openpyxl)", lambda: SpreadsheetFiles().read(xlsx))
        tables = _timed("read the Word table (python-docx)", lambda: WordInspector().tables(docx, docx.name))
        sheet_rows = _timed("plan rows from the sheet", lambda: plan_rows([Grid(s.name, s.cells, s.row_numbers) for s in book.sheets]))
        word_rows = _timed("plan rows from the Word table", lambda: plan_rows([Grid("the table", t) for t in tables]))
        found = _timed(f"match against {args.documents} documents", lambda: match_plan(sheet_rows, docs))
    print(f"plan rows: {len(sheet_rows)} (sheet), {len(word_rows)} (Word); matched {len(found.matches)}, "
          f"unmatched {len(found.unmatched)}, no change {found.no_change}")


if __name__ == "__main__":
    main()
