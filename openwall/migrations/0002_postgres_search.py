"""PostgreSQL only: pg_trgm and unaccent, and trigram indexes for the similar-issue lookup.

On other databases this migration does nothing; the code falls back to plain lookups.
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE INDEX IF NOT EXISTS openwall_issue_title_trgm ON openwall_issue USING gin (title gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS openwall_issue_description_trgm ON openwall_issue USING gin (description gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS openwall_issue_description_trgm",
    "DROP INDEX IF EXISTS openwall_issue_title_trgm",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("openwall", "0001_initial")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
