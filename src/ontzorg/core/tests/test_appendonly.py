"""Every append-only model is guarded twice: by its model and by database triggers."""

import pytest
from django.apps import apps
from django.db import connection

from ontzorg.core.appendonly import AppendOnlyError, AppendOnlyModel

APPEND_ONLY = [m for m in apps.get_models() if issubclass(m, AppendOnlyModel)]


def _triggers(table: str) -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table]
            )
            sql = " ".join(row[0] for row in cursor.fetchall()).upper()
            return {event for event in ("UPDATE", "DELETE") if f"BEFORE {event}" in sql}
        cursor.execute(
            "SELECT pg_get_triggerdef(t.oid) FROM pg_trigger t "
            "JOIN pg_class c ON c.oid = t.tgrelid WHERE c.relname = %s AND NOT t.tgisinternal",
            [table],
        )
        sql = " ".join(row[0] for row in cursor.fetchall()).upper()
        return {event for event in ("UPDATE", "DELETE") if event in sql}


def test_the_known_history_tables_are_append_only():
    names = {m._meta.label for m in APPEND_ONLY}
    expected = {
        "audit.AuditEntry",
        "ledger.Transaction",
        "ledger.Entry",
        "monitor.Snapshot",
        "monitor.SnapshotRow",
    }
    assert expected <= names


@pytest.mark.django_db
@pytest.mark.parametrize("model", APPEND_ONLY, ids=lambda m: m._meta.label)
def test_the_database_refuses_update_and_delete(model):
    assert _triggers(model._meta.db_table) == {"UPDATE", "DELETE"}


@pytest.mark.parametrize("model", APPEND_ONLY, ids=lambda m: m._meta.label)
def test_the_queryset_refuses_update_and_delete(model):
    with pytest.raises(AppendOnlyError):
        model.objects.none().update(pk=1)
    with pytest.raises(AppendOnlyError):
        model.objects.none().delete()
