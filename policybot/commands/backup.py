"""`policybot backup FILE` and `policybot restore FILE` (into DATABASE_URL, which must be empty)."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from bot.settings import Settings
from store.audit import verify
from store.backup import BackupError, backup, restore
from store.db import mask_url
from store.uow import Store


def _backup(args) -> int:
    settings = Settings.from_env()
    try:
        dest = asyncio.run(backup(settings.database_url, Path(args.file)))
    except BackupError as exc:
        print(f"policybot: could not back up: {exc}.", file=sys.stderr)
        return 1
    print(f"Backed up {mask_url(settings.database_url)} to {dest} ({dest.stat().st_size:,} bytes).")
    return 0


def _restore(args) -> int:
    settings = Settings.from_env()

    async def go() -> str:
        await restore(Path(args.file), settings.database_url, replace=args.replace)
        store = Store(settings.database_url, files_dir=settings.data_dir / "files")
        try:
            await store.migrate()  # a backup from an older version is brought up to date
            verdict = await verify(store.sessionmaker)
        finally:
            await store.close()
        return (f"the audit log is intact ({verdict.entries} entries)" if verdict.intact
                else f"WARNING: the audit log does not verify: {verdict.problems[0]}")

    try:
        checked = asyncio.run(go())
    except BackupError as exc:
        print(f"policybot: could not restore: {exc}.", file=sys.stderr)
        return 1
    print(f"Restored {args.file} into {mask_url(settings.database_url)}; {checked}.")
    return 0


def register(sub) -> None:
    b = sub.add_parser("backup", help="copy the whole database to a file (SQLite online backup, or pg_dump)")
    b.add_argument("file")
    b.set_defaults(func=_backup)
    r = sub.add_parser("restore", help="restore a backup into DATABASE_URL (an empty database)")
    r.add_argument("file")
    r.add_argument("--replace", action="store_true", help="replace what the target database holds")
    r.set_defaults(func=_restore)
