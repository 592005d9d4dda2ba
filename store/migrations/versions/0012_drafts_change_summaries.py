"""draft versions: what changed (tracked changes or a comparison), its kind, and the comment count

Revision ID: 0012_drafts
Revises: 0005_cases
"""
from alembic import op
import sqlalchemy as sa


revision = "0012_drafts"
down_revision = "0005_cases"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("draft_versions") as batch:
        batch.add_column(sa.Column("comments", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("changes", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("change_kind", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("draft_versions") as batch:
        batch.drop_column("change_kind")
        batch.drop_column("changes")
        batch.drop_column("comments")
