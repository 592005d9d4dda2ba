"""misunderstood: what the bot could not read (issue 15 item 9)

Revision ID: 0010_understand
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa


revision = '0010_understand'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('misunderstood',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('person_id', sa.String(length=64), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('text', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_misunderstood_at', 'misunderstood', ['at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_misunderstood_at', table_name='misunderstood')
    op.drop_table('misunderstood')
