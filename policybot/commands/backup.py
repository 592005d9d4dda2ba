"""`policybot backup FILE` and `policybot restore FILE` (into DATABASE_URL, which must be empty)."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from bot.settings import Settings
from store.audit import verify
from store.backup import BackupError, backup, backup_files, missing_draft_files, restore, restore_files
from store.db import mask_url
from store.uow import Store


def _backup(args) -> int:
    settings = Settings.from_env()

    async def go() -> tuple[Path, int]:
        dest = await backup(settings.database_url, Path(args.file))
        return dest, await backup_files(settings.data_dir / "files", dest)

    try:
        dest, copied = asyncio.run(go())
    except BackupError as exc:
        print(f"policybot: could not back up: {exc}.", file=sys.stderr)
        return 1
    print(f"Backed up {mask_url(settings.database_url)} to {dest} ({dest.stat().st_size:,} bytes), "
          f"and the drafts' files to {dest.name}.files ({copied} new).")
    return 0


def _restore(args) -> int:
    settings = Settings.from_env()

    async def go() -> str:
        files_dir = settings.data_dir / "files"
        await restore_files(Path(args.file), files_dir)  # first: a damaged file stops the restore before the database
        await restore(Path(args.file), settings.database_url, replace=args.replace)
        store = Store(settings.database_url, files_dir=files_dir)
        try:
            await store.migrate()  # a backup from an older version is brought up to date
            verdict = await verify(store.sessionmaker)
        finally:
            await store.close()
        named, missing = await missing_draft_files(settings.database_url, files_dir)
        drafts = (f"; {named} draft file{'s' if named != 1 else ''} in place" if not missing else
                  f"; WARNING: {missing} of {named} draft files are missing (was {Path(args.file).name}.files copied too?)")
        return (f"the audit log is intact ({verdict.entries} entries)" if verdict.intact
                else f"WARNING: the audit log does not verify: {verdict.problems[0]}") + drafts

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
