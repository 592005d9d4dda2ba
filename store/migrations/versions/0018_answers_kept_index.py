"""answers from the manual: the answer index as last built, kept so a restart reads it (issue 16 item 6)

Revision ID: 0018_answers_kept_index
Revises: 0017_answers
"""
from alembic import op
import sqlalchemy as sa


revision = '0018_answers_kept_index'
down_revision = '0017_answers'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'answer_index_kept',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('format', sa.String(length=64), nullable=False),
        sa.Column('built_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('passages', sa.Integer(), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )


def downgrade() -> None:
    op.drop_table('answer_index_kept')
