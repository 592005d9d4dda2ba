"""drafts' bytes only in the data folder; outbox claims

1. A draft was kept twice: in the data folder by its SHA-256 and in draft_versions.content. Each
   row's bytes are written to `<data>/files/ab/cd/<sha256>` (unless the file is there already; a
   row whose bytes do not match its recorded SHA-256 is corrected to the real one), then the column
   is dropped. The data folder comes from the running bot (Store(files_dir=...)), else
   POLICYBOT_DATA_DIR, else ./data, as the bot itself finds it. Rows are read one at a time, so a
   register of many large drafts does not have to fit in memory.
2. outbox.claims counts how often a sender claimed a row: more than once means an earlier claim
   ended without a mark (a crash mid-send), so the message may already have gone and Graph's Sent
   Items is searched before sending it again; a first send is not searched (issue 21).

Revision ID: 0015_door
Revises: 0004_outbox, 0012_drafts
"""
import hashlib
import os
import tempfile
from pathlib import Path

from alembic import op
import sqlalchemy as sa


revision = "0015_door"
down_revision = ("0004_outbox", "0012_drafts")
branch_labels = None
depends_on = None

_drafts = sa.table("draft_versions", sa.column("id", sa.BigInteger), sa.column("sha256", sa.String),
                   sa.column("content", sa.LargeBinary))


def _files_dir() -> Path:
    config = op.get_context().config
    assert config is not None, "migrations run through env.py, whose context always carries the Config"
    given = config.attributes.get("files_dir")
    return Path(given) if given else Path(os.environ.get("POLICYBOT_DATA_DIR") or "data") / "files"


def _path(root: Path, sha: str) -> Path:
    return root / sha[:2] / sha[2:4] / sha  # the layout of connectors/files.py


def _keep(root: Path, data: bytes) -> str:
    sha = hashlib.sha256(data).hexdigest()
    final = _path(root, sha)
    if not final.is_file():
        final.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=final.parent, prefix="part-")
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, final)
    return sha


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("claims", sa.Integer(), nullable=False, server_default="0"))

    bind = op.get_bind()
    root = _files_dir()
    ids = list(bind.execute(sa.select(_drafts.c.id).order_by(_drafts.c.id)).scalars())
    for draft_id in ids:
        recorded, content = bind.execute(
            sa.select(_drafts.c.sha256, _drafts.c.content).where(_drafts.c.id == draft_id)).one()
        if content is None:
            continue
        sha = _keep(root, bytes(content))
        if sha != recorded:
            bind.execute(_drafts.update().where(_drafts.c.id == draft_id).values(sha256=sha))
    with op.batch_alter_table("draft_versions") as batch:
        batch.drop_column("content")


def downgrade() -> None:
    with op.batch_alter_table("draft_versions") as batch:
        batch.add_column(sa.Column("content", sa.LargeBinary(), nullable=True))
    bind = op.get_bind()
    root = _files_dir()
    for draft_id, sha in bind.execute(sa.select(_drafts.c.id, _drafts.c.sha256)).all():
        path = _path(root, sha)
        if path.is_file():
            bind.execute(_drafts.update().where(_drafts.c.id == draft_id).values(content=path.read_bytes()))
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("claims")
