"""The audit trail is append-only, in the model and in the database itself."""

import pytest
from django.db import DatabaseError, connection, transaction

from ontzorg.audit.constants import Action
from ontzorg.audit.models import AppendOnlyError, AuditEntry
from ontzorg.audit.services import record

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(klantmanager):
    return record(klantmanager, Action.VIEW, klantmanager, summary="deelnemerspagina bekeken")


def test_model_refuses_update_and_delete(entry):
    entry.summary = "anders"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().update(summary="anders")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_auditentry SET summary = 'anders'", "DELETE FROM audit_auditentry"],
)
def test_database_refuses_update_and_delete(entry, statement):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert AuditEntry.objects.get(pk=entry.pk).summary == "deelnemerspagina bekeken"
