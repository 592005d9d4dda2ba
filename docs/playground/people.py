"""Write an Agents Playground configuration for each demo person, so you can act as them.

    .venv/bin/python docs/playground/people.py            # writes playground-people/<id>/.m365agentsplayground.yml
    .venv/bin/python docs/playground/people.py --list     # prints the demo people and their ids

Then start the Playground from that person's folder (it reads the file in its working directory):

    cd playground-people/rsm-safeguarding && npx @microsoft/m365agentsplayground start \
        --app-endpoint http://127.0.0.1:3978/api/messages --channel-id msteams --port 56150

policybot knows a Teams user by their Entra object id (`from.aadObjectId`), which the file gives
as the demo directory's id for that person.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from services.demo import DEMO_TENANT, PEOPLE, _aad


def config_for(key: str, name: str) -> str:
    others = [(k, n) for k, n, *_ in PEOPLE if k != key][:5]  # some Playground versions want exactly five users
    email = name.lower().replace(" ", ".").replace("-", "") + "@example.org"
    lines = [
        'version: "0.1.1"',
        f"tenantId: {DEMO_TENANT}",
        "bot:",
        "  id: 00000000-0000-0000-0000-00000000000011",
        "  name: policybot",
        "currentUser:",
        f"  id: 29:{_aad(key)}",
        f"  name: {name}",
        f"  aadObjectId: {_aad(key)}",
        f"  email: {email}",
        "users:",
    ]
    for k, n in others:
        lines += [f"  - id: 29:{_aad(k)}", f"    name: {n}", f"    aadObjectId: {_aad(k)}"]
    lines += ["personalChat:", f"  id: a:playground-{key}", "groupChat:", "  id: 19:playground-group@thread.v2"]
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--out", default="playground-people")
    args = ap.parse_args()
    for key, name, title, *_ in PEOPLE:
        if args.list:
            print(f"{key:20} {name:24} {title:45} aadObjectId {_aad(key)}")
            continue
        folder = Path(args.out) / key
        folder.mkdir(parents=True, exist_ok=True)
        (folder / ".m365agentsplayground.yml").write_text(config_for(key, name))
    if not args.list:
        print(f"wrote {len(PEOPLE)} configurations under {os.path.abspath(args.out)}")


if __name__ == "__main__":
    main()
