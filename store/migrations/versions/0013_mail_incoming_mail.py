"""incoming mail from the policy mailbox (Graph)

Revision ID: 0013_mail
Revises: 0001
Create Date: 2026-12-03 03:20:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0013_mail'
down_revision = '0001'
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table(
        'mail_in',
        sa.Column('id', BigId, autoincrement=True, nullable=False),
        sa.Column('internet_message_id', sa.String(length=500), nullable=False),
        sa.Column('graph_id', sa.String(length=500), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('sender', sa.String(length=320), nullable=True),
        sa.Column('subject', sa.String(length=500), nullable=True),
        sa.Column('case_id', BigId, nullable=True),
        sa.Column('audit_mark', BigId, nullable=True),
        sa.Column('reply_text', sa.Text(), nullable=True),
        sa.Column('reply_html', sa.Text(), nullable=True),
        sa.Column('refused', sa.String(length=200), nullable=True),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('claimed_until', sa.DateTime(timezone=True), nullable=True),
        sa.Column('claimed_by', sa.String(length=100), nullable=True),
        sa.Column('error', sa.Text(), nullable=True),
        sa.Column('received_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('internet_message_id'),
    )
    op.create_index('ix_mail_in_status', 'mail_in', ['status'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_mail_in_status', table_name='mail_in')
    op.drop_table('mail_in')
