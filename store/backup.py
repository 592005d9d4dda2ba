"""Backups that restore (issue 22, item 11).

- SQLite: the online backup API (a consistent copy while the bot runs, WAL included), restored by
  the same API into the target file.
- PostgreSQL: `pg_dump --format=custom` and `pg_restore` (the PostgreSQL client tools must be
  installed), restored into an empty database.

Drafts' files live in the data folder by their SHA-256, not in the database (issue 17): a backup
copies them beside the database file, into `<backup>.files/`, and a restore puts them back into the
data folder, each checked against its name. Files are never changed once written, so copying them
while the bot runs is safe; one that arrives during the copy is in the next backup.

Restoring refuses a target that already holds a policybot schema unless told to replace it, so a
slip of the keyboard cannot overwrite a live register.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

from store.db import make_engine, normalise_database_url


class BackupError(Exception):
    """One sentence saying why a backup or a restore could not be made."""


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(database)


def _libpq_url(url: str) -> str:
    """The URL the PostgreSQL client tools understand (no SQLAlchemy driver name)."""
    parsed = make_url(url).set(drivername="postgresql")
    return parsed.render_as_string(hide_password=False)


async def _tool(*args: str) -> None:
    if shutil.which(args[0]) is None:
        raise BackupError(f"{args[0]} is not installed (it comes with the PostgreSQL client tools)")
    proc = await asyncio.create_subprocess_exec(*args, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    _out, err = await proc.communicate()
    if proc.returncode != 0:
        first = (err.decode("utf-8", "replace").strip().splitlines() or ["no message"])[0]
        raise BackupError(f"{args[0]} failed: {first}")


_SHA = re.compile(r"[0-9a-f]{64}")


def files_of(backup_file: Path) -> Path:
    """Where a backup keeps the drafts' files: beside it, `<backup>.files/`."""
    return backup_file.with_name(backup_file.name + ".files")


def _kept(root: Path):
    """The content-addressed files under a data folder's files/ (not incoming parts or redlines)."""
    if not root.is_dir():
        return
    for path in root.glob("??/??/*"):
        if path.is_file() and _SHA.fullmatch(path.name):
            yield path


def _copy_files(source: Path, target: Path, *, check: bool) -> int:
    copied = 0
    for path in _kept(source):
        final = target / path.name[:2] / path.name[2:4] / path.name
        if final.is_file():
            continue
        if check and hashlib.sha256(path.read_bytes()).hexdigest() != path.name:
            raise BackupError(f"the draft file {path.name[:12]}... in the backup is damaged (its content does not match its name)")
        final.parent.mkdir(parents=True, exist_ok=True)
        temp = final.with_name(final.name + ".part")
        shutil.copyfile(path, temp)
        os.replace(temp, final)
        copied += 1
    return copied


async def backup_files(files_dir: Path, dest: Path) -> int:
    """Copy the drafts' files into `<dest>.files/`; returns how many were new there."""
    return await asyncio.to_thread(_copy_files, files_dir, files_of(dest), check=False)


async def restore_files(src: Path, files_dir: Path) -> int:
    """Put a backup's drafts' files back into the data folder, each checked against its SHA-256."""
    return await asyncio.to_thread(_copy_files, files_of(src), files_dir, check=True)


async def missing_draft_files(url: str, files_dir: Path) -> tuple[int, int]:
    """(draft files the register names, how many of them are not in the data folder)."""
    engine = make_engine(normalise_database_url(url))
    try:
        async with engine.connect() as conn:
            shas = set((await conn.execute(text("SELECT DISTINCT sha256 FROM draft_versions"))).scalars())
    finally:
        await engine.dispose()
    missing = [sha for sha in shas if not (files_dir / sha[:2] / sha[2:4] / sha).is_file()]
    return len(shas), len(missing)


async def has_schema(url: str) -> bool:
    engine = make_engine(normalise_database_url(url))
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(lambda c: inspect(c).has_table("audit_log"))
    finally:
        await engine.dispose()


async def backup(url: str, dest: Path) -> Path:
    url = normalise_database_url(url)
    dest.parent.mkdir(parents=True, exist_ok=True)
    if make_url(url).get_backend_name() == "sqlite":
        source = _sqlite_path(url)
        if not source.is_file():
            raise BackupError(f"there is no database at {source}")

        def copy() -> None:
            with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(dest)) as out:
                src.backup(out)

        await asyncio.to_thread(copy)
    else:
        await _tool("pg_dump", "--format=custom", "--no-owner", f"--file={dest}", _libpq_url(url))
    return dest


async def restore(src: Path, url: str, *, replace: bool = False) -> None:
    url = normalise_database_url(url)
    if not await asyncio.to_thread(src.is_file):
        raise BackupError(f"there is no backup at {src}")
    if not replace and await has_schema(url):
        raise BackupError("the target database already holds a policybot register; "
                          "restore into an empty database (or pass --replace)")
    if make_url(url).get_backend_name() == "sqlite":
        target = _sqlite_path(url)
        target.parent.mkdir(parents=True, exist_ok=True)

        def copy() -> None:
            with closing(sqlite3.connect(src)) as backup_db:
                if backup_db.execute("SELECT 1 FROM sqlite_master WHERE name = 'audit_log'").fetchone() is None:
                    raise BackupError(f"{src} is not a policybot backup")
                with closing(sqlite3.connect(target)) as out:
                    backup_db.backup(out)

        try:
            await asyncio.to_thread(copy)
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{src} is not an SQLite backup ({exc})") from None
    else:
        args = ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={_libpq_url(url)}"]
        if replace:
            args += ["--clean", "--if-exists"]
        await _tool(*args, str(src))
