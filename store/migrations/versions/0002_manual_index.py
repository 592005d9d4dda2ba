"""manual index: chapters, amendments, sync runs and the full-text search index

Revision ID: 0002_manual
Revises: 0001
Create Date: 2026-12-01 14:30:00

The search index is dialect specific and lives outside the models:
- SQLite: an FTS5 table `search_fts` (porter stemmer) holding chapters (rowid = 2*id) and register
  documents (rowid = 2*id + 1), kept in step by triggers.
- PostgreSQL: manual_chapters.search_vector, set by a trigger and indexed with GIN, and a GIN
  expression index on documents. The expressions must stay identical to store/manual_search.py
  (tests/store/test_manual_search.py checks that the planner uses the indexes).
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = "0002_manual"
down_revision = "0001"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

CHAPTER_TSV_NEW = (
    "setweight(to_tsvector('english', coalesce(NEW.title, '')), 'A') || "
    "setweight(to_tsvector('english', coalesce(NEW.section, '')), 'C') || "
    "setweight(to_tsvector('english', coalesce(NEW.text, '')), 'D')"
)
DOCUMENT_TSV = (
    "(setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('english', coalesce(ref, '') || ' ' || coalesce(category, '') || ' ' || "
    "coalesce(service_area, '') || ' ' || coalesce(doc_type, '')), 'C') || "
    "setweight(to_tsvector('english', coalesce(summary, '')), 'D'))"
)

SQLITE_FTS = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(title, section, body, tokenize = 'porter unicode61 remove_diacritics 2')",
    """CREATE TRIGGER manual_chapters_fts_ai AFTER INSERT ON manual_chapters BEGIN
         INSERT INTO search_fts(rowid, title, section, body) VALUES (new.id * 2, new.title, coalesce(new.section, ''), new.text);
       END""",
    """CREATE TRIGGER manual_chapters_fts_ad AFTER DELETE ON manual_chapters BEGIN
         DELETE FROM search_fts WHERE rowid = old.id * 2;
       END""",
    """CREATE TRIGGER manual_chapters_fts_au AFTER UPDATE OF title, section, text ON manual_chapters BEGIN
         DELETE FROM search_fts WHERE rowid = old.id * 2;
         INSERT INTO search_fts(rowid, title, section, body) VALUES (new.id * 2, new.title, coalesce(new.section, ''), new.text);
       END""",
    """CREATE TRIGGER documents_fts_ai AFTER INSERT ON documents BEGIN
         INSERT INTO search_fts(rowid, title, section, body) VALUES (new.id * 2 + 1, new.title,
           coalesce(new.category, '') || ' ' || coalesce(new.service_area, '') || ' ' || coalesce(new.doc_type, ''),
           coalesce(new.ref, '') || ' ' || coalesce(new.summary, ''));
       END""",
    """CREATE TRIGGER documents_fts_ad AFTER DELETE ON documents BEGIN
         DELETE FROM search_fts WHERE rowid = old.id * 2 + 1;
       END""",
    """CREATE TRIGGER documents_fts_au AFTER UPDATE OF ref, title, summary, category, service_area, doc_type ON documents BEGIN
         DELETE FROM search_fts WHERE rowid = old.id * 2 + 1;
         INSERT INTO search_fts(rowid, title, section, body) VALUES (new.id * 2 + 1, new.title,
           coalesce(new.category, '') || ' ' || coalesce(new.service_area, '') || ' ' || coalesce(new.doc_type, ''),
           coalesce(new.ref, '') || ' ' || coalesce(new.summary, ''));
       END""",
    # Documents registered before this migration.
    """INSERT INTO search_fts(rowid, title, section, body)
       SELECT id * 2 + 1, title,
              coalesce(category, '') || ' ' || coalesce(service_area, '') || ' ' || coalesce(doc_type, ''),
              coalesce(ref, '') || ' ' || coalesce(summary, '')
       FROM documents""",
]

POSTGRES_FTS = [
    f"""CREATE FUNCTION manual_chapters_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          NEW.search_vector := {CHAPTER_TSV_NEW};
          RETURN NEW;
        END $$""",
    """CREATE TRIGGER manual_chapters_search_vector BEFORE INSERT OR UPDATE OF title, section, text
       ON manual_chapters FOR EACH ROW EXECUTE FUNCTION manual_chapters_search_vector()""",
    "CREATE INDEX ix_manual_chapters_search ON manual_chapters USING gin (search_vector)",
    f"CREATE INDEX ix_documents_search ON documents USING gin ({DOCUMENT_TSV})",
]


def upgrade() -> None:
    op.create_table(
        "manual_chapters",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("url", sa.String(length=1000), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("section", sa.String(length=300), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("updated_on", sa.Date(), nullable=True),
        sa.Column("etag", sa.String(length=300), nullable=True),
        sa.Column("last_modified", sa.String(length=100), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("links", sa.JSON(), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("search_vector", sa.Text().with_variant(postgresql.TSVECTOR(), "postgresql"), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("url"),
    )
    with op.batch_alter_table("manual_chapters", schema=None) as batch_op:
        batch_op.create_index("ix_manual_chapters_section", ["section"], unique=False)

    op.create_table(
        "manual_sync_runs",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("base_url", sa.String(length=1000), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("requests", sa.Integer(), nullable=False),
        sa.Column("chapters_seen", sa.Integer(), nullable=False),
        sa.Column("chapters_added", sa.Integer(), nullable=False),
        sa.Column("chapters_changed", sa.Integer(), nullable=False),
        sa.Column("chapters_unchanged", sa.Integer(), nullable=False),
        sa.Column("chapters_removed", sa.Integer(), nullable=False),
        sa.Column("amendments_new", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("errors", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "manual_amendments",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("update_label", sa.String(length=200), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("url", sa.String(length=1000), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sync_run_id", BigId, nullable=True),
        sa.ForeignKeyConstraint(["sync_run_id"], ["manual_sync_runs.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("update_label", "kind", "title", name="uq_manual_amendment"),
    )
    with op.batch_alter_table("manual_amendments", schema=None) as batch_op:
        batch_op.create_index("ix_manual_amendments_url", ["url"], unique=False)

    dialect = op.get_bind().dialect.name
    for statement in SQLITE_FTS if dialect == "sqlite" else POSTGRES_FTS if dialect == "postgresql" else []:
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name in ("manual_chapters_fts_ai", "manual_chapters_fts_ad", "manual_chapters_fts_au",
                     "documents_fts_ai", "documents_fts_ad", "documents_fts_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS search_fts")
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_documents_search")
    with op.batch_alter_table("manual_amendments", schema=None) as batch_op:
        batch_op.drop_index("ix_manual_amendments_url")
    op.drop_table("manual_amendments")
    op.drop_table("manual_sync_runs")
    with op.batch_alter_table("manual_chapters", schema=None) as batch_op:
        batch_op.drop_index("ix_manual_chapters_section")
    op.drop_table("manual_chapters")
    if dialect == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS manual_chapters_search_vector()")
