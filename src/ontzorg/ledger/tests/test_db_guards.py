"""PostgreSQL's own guards on the ledger, tried as the app's database role
(docs/production.md): an unbalanced transaction is refused at commit, and the role cannot
get around the guards with TRUNCATE or by switching triggers off."""

from datetime import date

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from ontzorg.core.tests.app_role import as_app_role
from ontzorg.ledger import services
from ontzorg.ledger.constants import Source
from ontzorg.ledger.models import Entry, Transaction
from ontzorg.participants.tests.factories import ParticipantFactory

from .factories import participant_accounts

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]

NOV = date(2026, 11, 1)


def new_transaction(key: str) -> Transaction:
    return Transaction.objects.create(
        key=key, booked_on=NOV, period=NOV, description="test", source=Source.MANUAL
    )


def receive(acc, key="income:1", cents=130_061):
    return services.post(
        key,
        [(acc["bank"], cents), (acc["income"], -cents)],
        booked_on=NOV,
        period=NOV,
        description="Uitkering ontvangen",
    )


# Real commits: the balance is checked when the database transaction commits. Serialized
# rollback as the other transactional tests (content types keep their ids after the flush).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_unbalanced_transaction_is_refused_at_commit(regeling):
    acc = participant_accounts(ParticipantFactory(regeling=regeling))
    with as_app_role():
        with pytest.raises(IntegrityError, match="does not balance"), transaction.atomic():
            unbalanced = new_transaction("unbalanced")
            Entry.objects.create(transaction=unbalanced, account=acc["bank"], amount_cents=100)
            Entry.objects.create(transaction=unbalanced, account=acc["income"], amount_cents=-99)
            # Each statement went through: the check waits for the commit.
            assert unbalanced.entries.count() == 2
        with pytest.raises(IntegrityError, match="does not balance"), transaction.atomic():
            new_transaction("no entries")
        balanced, _ = receive(acc)
        # An entry added to a balanced transaction afterwards unbalances it: refused too.
        with pytest.raises(IntegrityError, match="does not balance"), transaction.atomic():
            Entry.objects.create(transaction=balanced, account=acc["bank"], amount_cents=5)
    assert list(Transaction.objects.values_list("key", flat=True)) == ["income:1"]
    assert Entry.objects.count() == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_temporary_table_cannot_stand_in_for_the_entries(regeling):
    """The app role may make temporary tables (ontzorg.bulk does); one named ledger_entry
    must not be what the guard reads (core/pinning.py)."""
    acc = participant_accounts(ParticipantFactory(regeling=regeling))
    refused = pytest.raises(IntegrityError, match="does not balance")
    with as_app_role(), refused, transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMPORARY TABLE ledger_entry ON COMMIT DROP AS "
                "SELECT * FROM public.ledger_entry WHERE false"
            )
        forged = new_transaction("forged")
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO ledger_entry (transaction_id, account_id, amount_cents) "
                "VALUES (%s, %s, 0), (%s, %s, 0)",
                [forged.pk, acc["bank"].pk, forged.pk, acc["income"].pk],
            )
            cursor.execute(
                "INSERT INTO public.ledger_entry (transaction_id, account_id, amount_cents) "
                "VALUES (%s, %s, 99999)",
                [forged.pk, acc["bank"].pk],
            )
    assert not Transaction.objects.filter(key="forged").exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_entries_may_come_one_by_one_before_the_commit(regeling):
    acc = participant_accounts(ParticipantFactory(regeling=regeling))
    with as_app_role(), transaction.atomic():
        split = new_transaction("split")
        Entry.objects.create(transaction=split, account=acc["bank"], amount_cents=300)
        Entry.objects.create(transaction=split, account=acc["income"], amount_cents=-100)
        Entry.objects.create(transaction=split, account=acc["allowance"], amount_cents=-200)
    assert Transaction.objects.get(key="split").entries.count() == 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    "statement",
    [
        "TRUNCATE ledger_entry",
        "TRUNCATE ledger_transaction CASCADE",
        "ALTER TABLE ledger_entry DISABLE TRIGGER ALL",
        "ALTER TABLE ledger_entry DISABLE TRIGGER ledger_entry_balanced",
        "ALTER TABLE ledger_entry DISABLE TRIGGER ledger_entry_append_only",
        "DROP TRIGGER ledger_entry_balanced ON ledger_entry",
        "SET session_replication_role = replica",
    ],
)
def test_the_app_role_cannot_get_around_the_guards(regeling, statement):
    acc = participant_accounts(ParticipantFactory(regeling=regeling))
    receive(acc)
    with as_app_role():
        with (
            pytest.raises(DatabaseError, match=r"permission denied|must be owner"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute("DELETE FROM ledger_entry")
    assert Entry.objects.count() == 2
