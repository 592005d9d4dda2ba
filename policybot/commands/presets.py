"""`policybot presets` and `policybot preset show KEY [--mermaid]`."""

from __future__ import annotations

import sys

from bot.bootstrap import organisation_preset
from bot.settings import Settings
from governance.describe import describe_preset, mermaid
from governance.errors import PresetError
from governance.preset import list_presets, load_preset


def _list(_args) -> int:
    for key, name in list_presets():
        print(f"{key:8} {name}")
    return 0


def _show(args) -> int:
    try:
        if args.key == "mine":
            preset = organisation_preset(Settings.from_env())
        else:
            preset = load_preset(args.key)
    except PresetError as exc:
        print(f"policybot: {exc}", file=sys.stderr)
        return 2
    print(describe_preset(preset))
    for route_id, route in preset.routes.items():
        print(f"Diagram: {route.label}")
        print("```mermaid")
        print(mermaid(preset, route_id), end="")
        print("```")
        print()
    return 0


def register(sub) -> None:
    p = sub.add_parser("presets", help="list the governance processes shipped as presets")
    p.set_defaults(func=_list)
    show = sub.add_parser("preset", help="show one preset")
    ssub = show.add_subparsers(dest="preset_command", metavar="ACTION")
    s = ssub.add_parser("show", help="print each route as text and as a Mermaid diagram")
    s.add_argument("key", help="bct, nct, lbbd or dorset; or 'mine' for this organisation's (POLICYBOT_PRESET with POLICYBOT_PRESET_OVERRIDES)")
    s.set_defaults(func=_show)
