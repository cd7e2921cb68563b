"""Migration helpers for PostgreSQL-only features (extensions, expression indexes) with a plain fallback."""

from django.db import migrations


def postgres_only(forward: list[str], backward: list[str]) -> migrations.RunPython:
    """Run these SQL statements on PostgreSQL and nothing elsewhere (SQLite uses plain lookups)."""

    def run(statements):
        def apply(apps, schema_editor):
            if schema_editor.connection.vendor == "postgresql":
                for statement in statements:
                    schema_editor.execute(statement)

        return apply

    return migrations.RunPython(run(forward), run(backward))
