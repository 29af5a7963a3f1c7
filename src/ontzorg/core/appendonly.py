"""Append-only tables: rows are inserted, never changed or removed.

Two guards: the model base refuses ``save()`` of an existing row and ``delete()`` (and its
queryset refuses ``update()`` and ``delete()``), and the migration operation `AppendOnly`
installs database triggers that refuse UPDATE and DELETE on SQLite and PostgreSQL, so not
even raw SQL can rewrite history. Corrections are new rows (a reversing transaction)."""

from django.db import models
from django.db.migrations.operations.base import Operation


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove a row of an append-only table."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model._meta.verbose_name}: rows cannot be changed.")

    def delete(self):
        raise AppendOnlyError(f"{self.model._meta.verbose_name}: rows cannot be deleted.")


class AppendOnlyModel(models.Model):
    """Base of an append-only model; pair it with the `AppendOnly` migration operation."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{self._meta.verbose_name}: rows cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{self._meta.verbose_name}: rows cannot be deleted.")


POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION ontzorg_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql
"""


def _trigger_sql(vendor: str, table: str) -> list[str]:
    if vendor == "sqlite":
        return [
            f"CREATE TRIGGER IF NOT EXISTS {table}_no_{event.lower()} BEFORE {event} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
            for event in ("UPDATE", "DELETE")
        ]
    if vendor == "postgresql":
        return [
            POSTGRES_FUNCTION,
            f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}",
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION ontzorg_append_only()",
        ]
    return []


def _drop_sql(vendor: str, table: str) -> list[str]:
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {table}_no_{e}" for e in ("update", "delete")]
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}"]
    return []


class AppendOnly(Operation):
    """Migration operation: make the table of `model_name` append-only in the database."""

    reduces_to_sql = True
    reversible = True

    def __init__(self, model_name: str):
        self.model_name = model_name

    def state_forwards(self, app_label, state):
        pass

    def _table(self, app_label, state) -> str:
        return state.apps.get_model(app_label, self.model_name)._meta.db_table

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        table = self._table(app_label, to_state)
        for statement in _trigger_sql(schema_editor.connection.vendor, table):
            schema_editor.execute(statement, params=None)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        table = self._table(app_label, from_state)
        for statement in _drop_sql(schema_editor.connection.vendor, table):
            schema_editor.execute(statement, params=None)

    def describe(self):
        return f"Make {self.model_name} append-only (database triggers)"

    @property
    def migration_name_fragment(self):
        return f"{self.model_name.lower()}_append_only"

    def deconstruct(self):
        return self.__class__.__name__, [self.model_name], {}
