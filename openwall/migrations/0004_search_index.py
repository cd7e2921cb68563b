"""PostgreSQL only: full-text search over title and description, accent-insensitive, with a GIN index.

unaccent() is not IMMUTABLE, so an index cannot use it directly; the usual wrapper pins
its dictionary and is declared IMMUTABLE. The 'simple' configuration does not stem, which
suits issues written in French, Dutch and English side by side; prefix matching (word:*)
stands in for stemming.
"""

from django.db import migrations

from civicnet.migration_ops import postgres_only

FORWARD = [
    """CREATE OR REPLACE FUNCTION civicnet_unaccent(text) RETURNS text
       LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
       AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$""",
    """CREATE INDEX IF NOT EXISTS openwall_issue_search ON openwall_issue
       USING gin (to_tsvector('simple'::regconfig, civicnet_unaccent(title || ' ' || description)))""",
]
BACKWARD = [
    "DROP INDEX IF EXISTS openwall_issue_search",
    "DROP FUNCTION IF EXISTS civicnet_unaccent(text)",
]



class Migration(migrations.Migration):
    dependencies = [("openwall", "0003_moderation")]

    operations = [postgres_only(FORWARD, BACKWARD)]
