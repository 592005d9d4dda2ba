"""answers from the manual: each chapter's passages, and the answers given with their feedback (issue 16)

Revision ID: 0017_answers
Revises: 0002_manual
"""
from alembic import op
import sqlalchemy as sa


revision = '0017_answers'
down_revision = '0002_manual'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('manual_chapters', sa.Column('passages', sa.JSON(), nullable=True))
    op.create_table(
        'answers_given',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('person_id', sa.String(length=64), nullable=True),
        sa.Column('channel', sa.String(length=32), nullable=True),
        sa.Column('question', sa.String(length=300), nullable=False),
        sa.Column('topic', sa.String(length=200), nullable=False),
        sa.Column('outcome', sa.String(length=16), nullable=False),
        sa.Column('chapter_url', sa.String(length=1000), nullable=True),
        sa.Column('chapter_title', sa.String(length=300), nullable=True),
        sa.Column('closest', sa.JSON(), nullable=False),
        sa.Column('feedback', sa.String(length=16), nullable=True),
        sa.Column('feedback_note', sa.String(length=300), nullable=True),
        sa.Column('feedback_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_answers_given_at', 'answers_given', ['at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_answers_given_at', table_name='answers_given')
    op.drop_table('answers_given')
    with op.batch_alter_table('manual_chapters') as batch:
        batch.drop_column('passages')
