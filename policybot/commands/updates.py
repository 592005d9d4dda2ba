"""`policybot updates add 5 March 2027 and 3/9/27`, `policybot updates list`, `policybot updates plan FILE [--apply]`:
NCT's manual update schedule (NCT-2) and the publisher's update plan (NCT-3, NCT-4) from the command line."""

from __future__ import annotations

import sys
from pathlib import Path

from governance.dates import weekday_date
from policybot.commands._shared import open_services
from policybot.commands._shared import run as run_politely
from render import update_plan as plan_render
from services.reminders import update_schedule
from services.updates import opening, plan


def _updates(args) -> int:
    content = None
    if args.updates_command == "plan":
        path = Path(args.file)
        if not path.is_file():
            print(f"policybot: there is no file {path}.", file=sys.stderr)
            return 2
        content = path.read_bytes()

    async def run(services) -> int:
        if args.updates_command == "add":
            print((await update_schedule.record(services, None, " ".join(args.deadline))).message)
        elif args.updates_command == "list":
            async with services.uow() as uow:
                recorded = await plan.deadlines(uow)
            print("Update deadlines: " + (", ".join(weekday_date(d) for d in recorded) or "none recorded") + ".")
        else:
            preview = await plan.preview(services, None, Path(args.file).name, content or b"")
            print("\n".join(plan_render.preview_lines(preview, everything=True)))
            if args.apply:
                print((plan_render.applied_reply(await opening.apply(services, None, preview.token))).text)
            elif preview.deadline and preview.to_open:
                print(f"Nothing has changed yet. Run it again with --apply to open {preview.to_open} scheduled-update cases.")
        return 0

    return run_politely(lambda: _with(run))


async def _with(fn):
    async with open_services() as services:
        return await fn(services)


def register(sub) -> None:
    u = sub.add_parser("updates", help="the manual update schedule and the publisher's update plan (NCT-2, NCT-3, NCT-4)")
    usub = u.add_subparsers(dest="updates_command", metavar="ACTION", required=True)
    add = usub.add_parser("add", help="record submission deadlines and send the schedule to everyone in the process")
    add.add_argument("deadline", nargs="+", help="deadlines in any UK form: 5 March 2027 and 3/9/27, 04/01/2027, 4th Jan")
    usub.add_parser("list", help="the recorded submission deadlines")
    p = usub.add_parser("plan", help="preview the publisher's update plan (.xlsx, .csv or a Word table); --apply opens its cases")
    p.add_argument("file")
    p.add_argument("--apply", action="store_true", help="open one scheduled-update case per affected local procedure")
    u.set_defaults(func=_updates)
