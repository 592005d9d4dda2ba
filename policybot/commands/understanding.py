"""`policybot report misunderstood [--days N]`: what people said that the bot could not read,
grouped, so the PPO can add phrasings to the organisation's overrides (issue 15 item 9).

Attached to the `report` command (policybot/commands/register.py); this module's name sorts after
it, so the CLI has built `report` when this registers."""

from __future__ import annotations

from governance.dates import short_date
from policybot.commands._shared import open_services, run
from policybot.commands.demand import demand_report
from services.understanding.report import misunderstood

KIND_LABEL = {"fallback": "nothing matched", "said_no": "'Did you mean' answered No", "abandoned": "dialog abandoned"}


def _misunderstood(args) -> int:
    async def main() -> int:
        async with open_services() as services:
            rows = await misunderstood(services, args.days)
        if not rows:
            print(f"Nothing misunderstood in the last {args.days} days.")
            return 0
        print(f"What people said that I could not read, last {args.days} days (most frequent first):")
        print(f"{'times':>5} {'people':>6}  {'last':<10}  {'what happened':<28}  said")
        for r in rows:
            print(f"{r.times:>5} {r.people:>6}  {short_date(r.last):<10}  {KIND_LABEL.get(r.kind, r.kind):<28}  {r.text}")
        return 0

    return run(main)


def register(sub) -> None:
    report = sub.choices.get("report")
    if report is None:
        report = sub.add_parser("report", help="reports")
    report.add_argument("what", nargs="?", choices=["misunderstood", "demand"],
                        help="'misunderstood': what people said that I could not read, grouped; "
                             "'demand': what staff looked for in the manual and did not find, by topic")
    report.add_argument("--days", type=int, default=30, help="with 'misunderstood' or 'demand': how far back (default 30)")
    report.add_argument("--csv", help="with 'demand': also write it to this .csv file")
    report.add_argument("--xlsx", help="with 'demand': also write it to this .xlsx file (with a chart)")
    register_report = report.get_default("func")

    def route(args) -> int:
        if getattr(args, "what", None) == "misunderstood":
            return _misunderstood(args)
        if getattr(args, "what", None) == "demand":
            return demand_report(args)
        return register_report(args) if register_report else 2

    report.set_defaults(func=route)
