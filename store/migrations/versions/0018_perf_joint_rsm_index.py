"""a small partial index of the documents that name joint RSMs, for `my tasks` (issue 22, item 7)

Revision ID: 0018_perf
Revises: 0016_scale
Create Date: 2026-12-03 09:00:00
"""
from alembic import op
from sqlalchemy import text


JOINT_RSMS = "CAST(extra AS TEXT) LIKE '%other_rsm_ids%'"  # as store.models.JOINT_RSMS, frozen here

revision = "0018_perf"
down_revision = "0016_scale"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # documents whose extra holds other_rsm_ids (NCT-7): few, so `my tasks` finds the ones a joint
    # RSM signs off through this index instead of reading every open case's document
    op.create_index("ix_documents_joint_rsms", "documents", ["id"], postgresql_where=text(JOINT_RSMS),
                    sqlite_where=text(JOINT_RSMS))


def downgrade() -> None:
    op.drop_index("ix_documents_joint_rsms", table_name="documents")
