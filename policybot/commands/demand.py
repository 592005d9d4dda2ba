"""`policybot report demand [--days N] [--csv FILE] [--xlsx FILE]`: what staff looked for in the
manual and did not find (issue 16), by topic. Routed from `policybot report` (commands/understanding.py)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from policybot.commands._shared import open_services, run
from services.manual.demand import demand, demand_workbook, topic_line
from services.register.importing import reader_of


def demand_report(args) -> int:
    async def main() -> int:
        async with open_services() as services:
            topics = await demand(services, args.days)
            book = demand_workbook(topics, args.days)
            for path in (args.csv, args.xlsx):
                if path:
                    await asyncio.to_thread(reader_of(services).write, Path(path), book)
                    print(f"Written: {path}")
        if not topics:
            print(f"Nothing went unanswered in the last {args.days} days.")
            return 0
        print(f"What staff looked for and did not find, last {args.days} days (most asked first):")
        for t in topics:
            print(f"- {topic_line(t)}")
        return 0

    return run(main)
