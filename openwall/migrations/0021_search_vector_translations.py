"""PostgreSQL only: the stored search vector also holds the accepted translations
(Issue.translated_text), so that one indexed match finds an issue in every language it has.
A generated column's expression cannot be altered: it is dropped and added again, with its index."""

from django.db import migrations

from civicnet.migration_ops import postgres_only

VECTOR = """ALTER TABLE openwall_issue ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    to_tsvector('simple'::regconfig, civicnet_unaccent(title || ' ' || description || ' ' || translated_text))
) STORED"""
OLD_VECTOR = """ALTER TABLE openwall_issue ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    to_tsvector('simple'::regconfig, civicnet_unaccent(title || ' ' || description))
) STORED"""
INDEX = """CREATE INDEX openwall_issue_search_vector ON openwall_issue
    USING gin (search_vector) WITH (fastupdate = off)"""
DROP = ["DROP INDEX IF EXISTS openwall_issue_search_vector", "ALTER TABLE openwall_issue DROP COLUMN IF EXISTS search_vector"]


class Migration(migrations.Migration):
    dependencies = [("openwall", "0020_issue_translated_text")]

    operations = [postgres_only([*DROP, VECTOR, INDEX], [*DROP, OLD_VECTOR, INDEX])]
