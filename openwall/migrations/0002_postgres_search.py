"""PostgreSQL only: pg_trgm and unaccent, and trigram indexes for the similar-issue lookup.

On other databases this migration does nothing; the code falls back to plain lookups.
"""

from django.db import migrations

from civicnet.migration_ops import postgres_only

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



class Migration(migrations.Migration):
    dependencies = [("openwall", "0001_initial")]

    operations = [postgres_only(FORWARD, BACKWARD)]
