"""PostgreSQL only: what search reads leaves the issue's row for a table of its own.

A vote, a comment or a trend refresh rewrites its issue's row, and its counters are in the
ranking indexes, so the rewrite is never a HOT update: PostgreSQL inserts the new row version into
every index of the table, the three GIN indexes of search and similar-issue suggestions included
(one entry per word and per trigram). That cost about 0.8 ms of the database's time per vote on
the bench data (EXPLAIN ANALYZE: 1.0 ms against 0.2 ms without them), and with `fastupdate` one
unlucky vote merged the pending list while the others waited.

`openwall_issue_search` holds the title, the description and the accepted translations, its
generated vector and the three GIN indexes. Triggers keep it in step inside the same transaction
as the issue's row: on insert, on an update that changes one of those texts (never on a
counter's update), on delete and truncate. Search and suggestions read it by `issue_id` (IssueQuerySet.search,
similar_to); SQLite has no such table and searches the issue's own columns.
"""

from django.db import migrations

from civicnet.migration_ops import postgres_only

TABLE = """CREATE TABLE openwall_issue_search (
    issue_id bigint PRIMARY KEY,
    title varchar(140) NOT NULL,
    description text NOT NULL,
    translated_text text NOT NULL,
    document tsvector GENERATED ALWAYS AS (
        to_tsvector('simple'::regconfig, civicnet_unaccent(title || ' ' || description || ' ' || translated_text))
    ) STORED
)"""
# Nobody writes an issue between the copy and the triggers (the migration's transaction holds it).
LOCK = "LOCK TABLE openwall_issue IN SHARE ROW EXCLUSIVE MODE"
FILL = """INSERT INTO openwall_issue_search (issue_id, title, description, translated_text)
    SELECT id, title, description, translated_text FROM openwall_issue"""
INDEXES = [
    "CREATE INDEX openwall_issue_search_document ON openwall_issue_search USING gin (document) WITH (fastupdate = off)",
    "CREATE INDEX openwall_issue_search_title_trgm ON openwall_issue_search USING gin (title gin_trgm_ops)",
    "CREATE INDEX openwall_issue_search_description_trgm ON openwall_issue_search USING gin (description gin_trgm_ops)",
]
FUNCTION = """CREATE FUNCTION openwall_issue_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO openwall_issue_search (issue_id, title, description, translated_text)
    VALUES (NEW.id, NEW.title, NEW.description, NEW.translated_text)
    ON CONFLICT (issue_id) DO UPDATE
        SET title = EXCLUDED.title, description = EXCLUDED.description, translated_text = EXCLUDED.translated_text;
    RETURN NULL;
END
$$"""
# No foreign key: Django empties tables with TRUNCATE and knows nothing of this one. Deleting or
# truncating issues deletes or truncates their search rows instead.
FORGET = """CREATE FUNCTION openwall_issue_search_forget() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        TRUNCATE openwall_issue_search;
    ELSE
        DELETE FROM openwall_issue_search WHERE issue_id = OLD.id;
    END IF;
    RETURN NULL;
END
$$"""
TRIGGERS = [
    """CREATE TRIGGER openwall_issue_search_insert AFTER INSERT ON openwall_issue
        FOR EACH ROW EXECUTE FUNCTION openwall_issue_search_sync()""",
    """CREATE TRIGGER openwall_issue_search_update AFTER UPDATE OF title, description, translated_text ON openwall_issue
        FOR EACH ROW WHEN (
            OLD.title IS DISTINCT FROM NEW.title
            OR OLD.description IS DISTINCT FROM NEW.description
            OR OLD.translated_text IS DISTINCT FROM NEW.translated_text
        ) EXECUTE FUNCTION openwall_issue_search_sync()""",
    """CREATE TRIGGER openwall_issue_search_delete AFTER DELETE ON openwall_issue
        FOR EACH ROW EXECUTE FUNCTION openwall_issue_search_forget()""",
    """CREATE TRIGGER openwall_issue_search_truncate AFTER TRUNCATE ON openwall_issue
        FOR EACH STATEMENT EXECUTE FUNCTION openwall_issue_search_forget()""",
]
DROP_OLD = [
    "DROP INDEX IF EXISTS openwall_issue_search_vector",
    "ALTER TABLE openwall_issue DROP COLUMN IF EXISTS search_vector",
    "DROP INDEX IF EXISTS openwall_issue_title_trgm",
    "DROP INDEX IF EXISTS openwall_issue_description_trgm",
]
DROP_NEW = [
    "DROP TRIGGER IF EXISTS openwall_issue_search_insert ON openwall_issue",
    "DROP TRIGGER IF EXISTS openwall_issue_search_update ON openwall_issue",
    "DROP TRIGGER IF EXISTS openwall_issue_search_delete ON openwall_issue",
    "DROP TRIGGER IF EXISTS openwall_issue_search_truncate ON openwall_issue",
    "DROP FUNCTION IF EXISTS openwall_issue_search_sync()",
    "DROP FUNCTION IF EXISTS openwall_issue_search_forget()",
    "DROP TABLE IF EXISTS openwall_issue_search",
]
OLD = [  # migrations 0002 and 0021, as they left the issue table
    """ALTER TABLE openwall_issue ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        to_tsvector('simple'::regconfig, civicnet_unaccent(title || ' ' || description || ' ' || translated_text))
    ) STORED""",
    "CREATE INDEX openwall_issue_search_vector ON openwall_issue USING gin (search_vector) WITH (fastupdate = off)",
    "CREATE INDEX openwall_issue_title_trgm ON openwall_issue USING gin (title gin_trgm_ops)",
    "CREATE INDEX openwall_issue_description_trgm ON openwall_issue USING gin (description gin_trgm_ops)",
]


class Migration(migrations.Migration):
    dependencies = [("openwall", "0021_search_vector_translations")]

    operations = [
        postgres_only(
            [TABLE, LOCK, FILL, *INDEXES, FUNCTION, FORGET, *TRIGGERS, *DROP_OLD, "ANALYZE openwall_issue_search"],
            [*DROP_NEW, *OLD],
        )
    ]
