"""The full-text structures beside the index table, one set per database vendor.

SQLite: an FTS5 table over the token strings and filter tags, with the index table as
its external content, kept by triggers in the same transaction as every row change.
PostgreSQL: generated tsvector columns with GIN indexes; pg_trgm for the vocabulary
(typo fallback: `term LIKE '%…%'` through a trigram index).
"""

from django.db import migrations

SQLITE = [
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        title_folded, body_folded, tags,
        content='search_searchentry', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0', prefix='2 3')""",
    """CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchentry BEGIN
        INSERT INTO search_fts(rowid, title_folded, body_folded, tags)
        VALUES (new.id, new.title_folded, new.body_folded, new.tags);
    END""",
    """CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchentry BEGIN
        INSERT INTO search_fts(search_fts, rowid, title_folded, body_folded, tags)
        VALUES ('delete', old.id, old.title_folded, old.body_folded, old.tags);
    END""",
    """CREATE TRIGGER search_fts_update AFTER UPDATE ON search_searchentry BEGIN
        INSERT INTO search_fts(search_fts, rowid, title_folded, body_folded, tags)
        VALUES ('delete', old.id, old.title_folded, old.body_folded, old.tags);
        INSERT INTO search_fts(rowid, title_folded, body_folded, tags)
        VALUES (new.id, new.title_folded, new.body_folded, new.tags);
    END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
]

POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """ALTER TABLE search_searchentry
        ADD COLUMN title_tsv tsvector
            GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, title_folded)) STORED,
        ADD COLUMN body_tsv tsvector
            GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, body_folded)) STORED""",
    "CREATE INDEX search_entry_title_tsv ON search_searchentry USING gin (title_tsv)",
    "CREATE INDEX search_entry_body_tsv ON search_searchentry USING gin (body_tsv)",
    "CREATE INDEX search_term_trgm ON search_searchterm USING gin (term gin_trgm_ops)",
]
POSTGRES_REVERSE = [
    "DROP INDEX IF EXISTS search_term_trgm",
    "DROP INDEX IF EXISTS search_entry_body_tsv",
    "DROP INDEX IF EXISTS search_entry_title_tsv",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS body_tsv, DROP COLUMN IF EXISTS title_tsv",
]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in statements.get(vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        )
    ]
