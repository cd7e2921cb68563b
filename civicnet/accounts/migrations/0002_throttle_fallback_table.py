"""The table where sign-in and other throttles count while Redis is unavailable (civicnet/cache.py)."""

from django.conf import settings
from django.core.management import call_command
from django.db import migrations


def create(apps, schema_editor):
    call_command("createcachetable", settings.CIVICNET_CACHE_FALLBACK, database=schema_editor.connection.alias)


def drop(apps, schema_editor):
    table = schema_editor.quote_name(settings.CACHES[settings.CIVICNET_CACHE_FALLBACK]["LOCATION"])
    schema_editor.execute(f"DROP TABLE IF EXISTS {table}")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
