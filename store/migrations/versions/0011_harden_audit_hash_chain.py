"""audit log: append-only and hash-chained

Revision ID: 0011_harden
Revises: 0001
Create Date: 2026-12-03

Adds each entry's position and hashes, the chain's head, chains the entries already there (in the
order they were written), and makes the database refuse UPDATE, DELETE (and on PostgreSQL
TRUNCATE) of audit_log.
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy import select

from store.audit import GENESIS, entry_hash
from store.models import AuditEntry

revision = "0011_harden"
down_revision = "0001"
branch_labels = None
depends_on = None

REFUSE = "the audit log is append-only"


def upgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("seq", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("entry_hash", sa.String(length=64), nullable=True))
        batch.create_unique_constraint("uq_audit_log_seq", ["seq"])
    op.create_table(
        "audit_chain",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("head", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    bind = op.get_bind()
    table = AuditEntry.__table__
    if not isinstance(table, sa.Table):  # a mapped class's __table__ is typed as any FromClause
        raise TypeError("the audit entries are mapped to a table")
    seq, prev = 0, GENESIS
    rows = bind.execute(select(table).order_by(table.c.id)).mappings().all()
    for row in rows:
        seq += 1
        digest = entry_hash(seq, prev, row["at"], row["actor_id"], row["actor_name"], row["entity"], row["entity_id"],
                            row["action"], row["summary"], row["reason"], row["details"])
        bind.execute(table.update().where(table.c.id == row["id"]).values(seq=seq, prev_hash=prev, entry_hash=digest))
        prev = digest
    bind.execute(sa.text("INSERT INTO audit_chain (id, seq, head) VALUES (1, :seq, :head)"),
                 {"seq": seq, "head": prev if seq else None})
    if bind.dialect.name == "postgresql":
        op.execute(f"""CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION '{REFUSE}'; END $$ LANGUAGE plpgsql""")
        op.execute("CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log "
                   "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()")
        op.execute("CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
                   "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()")
    else:
        op.execute(f"CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, '{REFUSE}'); END")
        op.execute(f"CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, '{REFUSE}'); END")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log")
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_change ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    op.drop_table("audit_chain")
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_constraint("uq_audit_log_seq", type_="unique")
        batch.drop_column("entry_hash")
        batch.drop_column("prev_hash")
        batch.drop_column("seq")
