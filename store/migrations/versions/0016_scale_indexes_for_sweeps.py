"""indexes for the sweeps and the busiest answers at 100,000 documents (issue 22, item 7)

Revision ID: 0016_scale
Revises: 0005_cases
Create Date: 2026-12-03 05:40:00
"""
from alembic import op


revision = "0016_scale"
down_revision = "0005_cases"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # documents: what is due for review (live ones by date), approved in a period, the register's filters
    op.create_index("ix_documents_status_due", "documents", ["status", "next_review_due"])
    op.create_index("ix_documents_approved_on", "documents", ["approved_on"])
    op.create_index("ix_documents_service_area", "documents", ["service_area"])
    op.create_index("ix_documents_doc_type", "documents", ["doc_type"])
    # cases: open ones that have waited since a day, or sit at a stage (consultations)
    op.create_index("ix_cases_status_updated", "cases", ["status", "updated_at"])
    op.create_index("ix_cases_status_stage", "cases", ["status", "stage"])
    # people: everyone holding a role
    op.create_index("ix_person_roles_role", "person_roles", ["role"])
    # a fan-out's 1:1 chats, read for a batch of people at once
    op.create_index("ix_conversation_refs_person", "conversation_refs", ["person_id"])


def downgrade() -> None:
    for name, table in (("ix_conversation_refs_person", "conversation_refs"), ("ix_person_roles_role", "person_roles"),
                        ("ix_cases_status_stage", "cases"), ("ix_cases_status_updated", "cases"),
                        ("ix_documents_doc_type", "documents"),
                        ("ix_documents_service_area", "documents"), ("ix_documents_approved_on", "documents"),
                        ("ix_documents_status_due", "documents")):
        op.drop_index(name, table_name=table)
