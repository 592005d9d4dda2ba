"""outbox claims (a row claimed before may already have gone: Sent Items is checked only then)

Revision ID: 0015_door
Revises: 0004_outbox, 0012_drafts
"""
from alembic import op
import sqlalchemy as sa


revision = "0015_door"
down_revision = ("0004_outbox", "0012_drafts")
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("claims", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("claims")
