"""PostgreSQL only: keep each issue's search vector in a stored column, indexed, instead of an
expression index.

With the expression index, PostgreSQL recomputed to_tsvector(unaccent(...)) for every row it
looked at: walking the vote-ordered index to find the top matches of a common word cost 176 ms on
100,000 issues (docs/benchmarks.md). A generated column is computed once per write, so the same
query takes about 10 ms. The ORM never reads or writes it (it is not on the model); only
IssueQuerySet.search() names it.

The GIN index is built without `fastupdate`: every vote rewrites the issue's row (its counters are
in the ranking indexes), and with a pending list those entries piled up until one unlucky vote
merged megabytes of them, seconds during which every other vote on that issue waited.
"""

from django.db import migrations

from civicnet.migration_ops import postgres_only

FORWARD = [
    """ALTER TABLE openwall_issue ADD COLUMN IF NOT EXISTS search_vector tsvector
       GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, civicnet_unaccent(title || ' ' || description))) STORED""",
    """CREATE INDEX IF NOT EXISTS openwall_issue_search_vector ON openwall_issue
       USING gin (search_vector) WITH (fastupdate = off)""",
    "DROP INDEX IF EXISTS openwall_issue_search",
]
BACKWARD = [
    """CREATE INDEX IF NOT EXISTS openwall_issue_search ON openwall_issue
       USING gin (to_tsvector('simple'::regconfig, civicnet_unaccent(title || ' ' || description)))""",
    "DROP INDEX IF EXISTS openwall_issue_search_vector",
    "ALTER TABLE openwall_issue DROP COLUMN IF EXISTS search_vector",
]


class Migration(migrations.Migration):
    dependencies = [("openwall", "0006_community_events")]

    operations = [postgres_only(FORWARD, BACKWARD)]
