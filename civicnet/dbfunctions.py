"""Database functions the project's queries share, with the same meaning on both databases.

`civicnet_unaccent(text)` folds accents: on PostgreSQL it is the `unaccent` extension behind an
immutable wrapper (openwall migration 0004); on SQLite it is the Python function below, registered
on each new connection, so that "velo" finds "vélo" on the embedded default as well.
"""

import unicodedata

from django.db.backends.signals import connection_created


def unaccent(text: str | None) -> str | None:
    if text is None:
        return None
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _register_on_sqlite(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function("civicnet_unaccent", 1, unaccent, deterministic=True)


def install() -> None:
    connection_created.connect(_register_on_sqlite, dispatch_uid="civicnet-dbfunctions-sqlite")
