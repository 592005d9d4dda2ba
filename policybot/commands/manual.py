"""`policybot manual sync [URL]`, `manual search "words"`, `manual status`, `manual impact CHAPTER`,
`manual notices [--update LABEL]`: keep and use the index of the online procedures manual."""

from __future__ import annotations

import sys
import time

from governance.dates import short_date, time_of_day
from policybot.commands._shared import open_services, run
from render.answers import answer_reply
from services.manual.impact import (
    affected_by_chapter,
    affected_by_document,
    amendment_notices,
)
from services.manual.answers import find
from services.manual.sync import crawl_config, sync_history, sync_manual


class ProgressLine:
    """A one-line progress bar on stderr: 'Reading chapters [#####-----] 57/180'."""

    def __init__(self, stream=None, width: int = 30) -> None:
        self.stream = stream or sys.stderr
        self.width = width
        self.last = 0.0
        self.shown = False

    def __call__(self, done: int, total: int, _url: str) -> None:
        now = time.monotonic()
        if done < total and now - self.last < 0.1:
            return
        self.last = now
        filled = int(self.width * done / total) if total else self.width
        self.stream.write(f"\rReading chapters [{'#' * filled}{'-' * (self.width - filled)}] {done}/{total}")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()
        self.shown = True


def _sync(args) -> int:
    async def main() -> int:
        async with open_services() as services:
            overrides = {"delay": args.delay} if args.delay is not None else {}
            config = crawl_config(services, **overrides)
            report = await sync_manual(services, args.url, config=config,
                                       progress=None if args.quiet else ProgressLine())
        print(f"Manual sync {report.status}: {report.message}")
        print(f"{report.chapters_in_index} chapters in the index; {report.requests} requests "
              f"({report.not_modified} unchanged pages answered 304); {report.new_amendments} new amendments.")
        for url, reason in report.failures:
            print(f"  failed: {url}: {reason}")
        for url in report.skipped_by_robots:
            print(f"  not read (robots.txt): {url}")
        return 0 if report.ok else 1

    return run(main)


def _search(args) -> int:
    async def main() -> int:
        async with open_services() as services:
            outcome = await find(services, args.query, limit=args.limit, fresh=True)
        print(answer_reply(outcome).text)
        return 0 if outcome.good else 1

    return run(main)


def _status(_args) -> int:
    async def main() -> int:
        async with open_services() as services:
            runs = await sync_history(services)
        if not runs:
            print("The manual has not been synced yet: run 'policybot manual sync URL'.")
        for r in runs:
            print(f"{short_date(r.finished_at)} {time_of_day(r.finished_at)} {r.status:8} {r.message}")
        return 0

    return run(main)


def _impact(args) -> int:
    async def main() -> int:
        async with open_services() as services:
            if args.document:
                report = await affected_by_document(services, args.subject)
            else:
                report = await affected_by_chapter(services, args.subject)
        print(f"Likely affected by a change to \"{report.subject}\" (key terms: {', '.join(report.key_terms)}):")
        for i in report.items:
            owner = f", owner {i.owner}" if i.owner else ""
            ref = f"{i.ref} " if i.ref else ""
            print(f"- {ref}{i.title}{owner}: {'; '.join(i.reasons)}")
        return 0

    return run(main)


def _notices(args) -> int:
    async def main() -> int:
        async with open_services() as services:
            notices = await amendment_notices(services, args.update)
        if not notices:
            print("No local documents are affected by the manual's update.")
        for n in notices:
            print(f"To {n.name} <{n.email or 'no email'}>: {n.subject}\n{n.body}\n")
        return 0

    return run(main)


def register(sub) -> None:
    p = sub.add_parser("manual", help="the online procedures manual: sync its index and search it")
    msub = p.add_subparsers(dest="manual_command", metavar="ACTION")
    s = msub.add_parser("sync", help="read the manual (politely) and update the index")
    s.add_argument("url", nargs="?", default=None, help="the manual's contents page (default: POLICYBOT_MANUAL_URL)")
    s.add_argument("--delay", type=float, default=None, help="seconds between requests (default 1, or POLICYBOT_MANUAL_DELAY)")
    s.add_argument("--quiet", action="store_true", help="no progress bar")
    s.set_defaults(func=_sync)
    q = msub.add_parser("search", help="ask the manual and the register: the answering passage and its chapters")
    q.add_argument("query")
    q.add_argument("--limit", type=int, default=8)
    q.set_defaults(func=_search)
    st = msub.add_parser("status", help="how the last syncs went")
    st.set_defaults(func=_status)
    i = msub.add_parser("impact", help="what else a change to a chapter (or --document REF) may affect (NCT-14)")
    i.add_argument("subject", help="a chapter's title or address, or a register reference with --document")
    i.add_argument("--document", action="store_true", help="the subject is a register document's reference")
    i.set_defaults(func=_impact)
    n = msub.add_parser("notices", help="tell each owner which of their documents an update of the manual affects")
    n.add_argument("--update", default=None, help="the update's heading on the amendments page (default: the latest)")
    n.set_defaults(func=_notices)
    p.set_defaults(func=lambda _a: (p.print_help(), 2)[1])
