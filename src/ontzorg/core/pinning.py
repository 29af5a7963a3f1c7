"""Trigger functions look tables up by a fixed search path.

PostgreSQL looks in the session's temporary schema before ``public`` for an unqualified table
name. The app's role may create temporary tables (``ontzorg.bulk`` stages rows in them), so
without a fixed path it could shadow, say, ``ledger_entry`` with a table of its own and have
a guard read that instead. `pin_search_path` gives each guard function the path
``pg_catalog, public, pg_temp``: temporary tables come last and never hide ours."""

from django.db import migrations

SEARCH_PATH = "pg_catalog, public, pg_temp"


def pin_search_path(*signatures: str) -> migrations.RunPython:
    """A migration operation that pins the search path of the named PostgreSQL functions
    (``"ontzorg_ledger_balanced()"``); nothing on SQLite."""

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for signature in signatures:
                schema_editor.execute(f"ALTER FUNCTION {signature} SET search_path = {SEARCH_PATH}")

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for signature in signatures:
                schema_editor.execute(f"ALTER FUNCTION {signature} RESET search_path")

    return migrations.RunPython(forwards, backwards, elidable=False)
