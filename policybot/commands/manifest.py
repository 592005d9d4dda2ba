"""`policybot manifest --app-id GUID [--bot-id GUID] [--domain HOST] --out policybot.zip`"""

from __future__ import annotations

import sys
from pathlib import Path

from bot.settings import Settings
from policybot.teams_package import PackageError, build_manifest, build_package


def _build(args) -> int:
    settings = Settings.from_env()
    try:
        manifest = build_manifest(args.app_id, args.bot_id, args.domain, settings.organisation_name)
    except PackageError as exc:
        print(f"policybot: {exc}", file=sys.stderr)
        return 2
    out = Path(args.out)
    out.write_bytes(build_package(manifest))
    print(f"Wrote {out} (manifest {manifest['manifestVersion']}, app {manifest['id']}). Upload it in Teams: Apps > Manage your apps > Upload an app.")
    return 0


def register(sub) -> None:
    p = sub.add_parser("manifest", help="build the Teams app package (manifest.json and icons, zipped)")
    p.add_argument("--app-id", required=True, help="the Microsoft app id of the Azure Bot (a GUID)")
    p.add_argument("--bot-id", default=None, help="the bot id, if different from the app id")
    p.add_argument("--domain", default="example.org", help="the host name the bot is served from")
    p.add_argument("--out", default="policybot.zip", help="where to write the package")
    p.set_defaults(func=_build)
