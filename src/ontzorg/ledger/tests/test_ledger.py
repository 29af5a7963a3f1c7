"""Posting rules, idempotency, corrections, balance checks and append-only storage."""

import threading
from datetime import date

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from ontzorg.exceptions import PermissionDenied, Refused
from ontzorg.ledger import services
from ontzorg.ledger.constants import AccountKind
from ontzorg.ledger.models import Account, AppendOnlyError, Entry, Transaction
from ontzorg.ledger.services import LedgerError, Posting
from ontzorg.participants.tests.factories import ParticipantFactory

from .factories import participant_accounts

pytestmark = pytest.mark.django_db

NOV = date(2026, 11, 1)
DEC = date(2026, 12, 1)


@pytest.fixture
def participant(regeling):
    return ParticipantFactory(regeling=regeling)


@pytest.fixture
def acc(participant):
    return participant_accounts(participant)


def receive(acc, key="income:1", cents=130_061, period=NOV):
    return services.post(
        key,
        [(acc["bank"], cents), (acc["income"], -cents)],
        booked_on=period,
        period=period,
        description="Uitkering ontvangen",
    )


def test_post_balanced_transaction(acc):
    tx, created = receive(acc)
    assert created
    assert sorted(tx.entries.values_list("amount_cents", flat=True)) == [-130_061, 130_061]


@pytest.mark.parametrize(
    "amounts",
    [(100, -99), (100, 0, -100), (100,), ()],
    ids=["unbalanced", "zero entry", "one entry", "empty"],
)
def test_post_refuses_what_cannot_be_a_transaction(acc, amounts):
    accounts = [acc["bank"], acc["income"], acc["allowance"]]
    with pytest.raises(LedgerError):
        services.post(
            "bad",
            list(zip(accounts, amounts, strict=False)),
            booked_on=NOV,
            period=NOV,
            description="fout",
        )
    assert not Transaction.objects.exists()


def test_post_is_idempotent_on_key(acc):
    first, _ = receive(acc)
    again, created = receive(acc)
    assert again == first and not created
    assert Transaction.objects.count() == 1
    assert Entry.objects.count() == 2


def test_same_key_with_other_entries_is_an_error(acc):
    receive(acc)
    with pytest.raises(LedgerError, match="different entries"):
        receive(acc, cents=1)


def test_post_many_skips_keys_already_posted(acc):
    receive(acc, key="a")
    postings = [
        Posting(
            key=key,
            lines=[(acc["bank"], 500), (acc["income"], -500)],
            booked_on=NOV,
            period=NOV,
            description="x",
        )
        for key in ("a", "b", "c")
    ]
    assert services.post_many(postings) == 2
    assert services.post_many(postings) == 0
    assert set(Transaction.objects.values_list("key", flat=True)) == {"a", "b", "c"}


def test_correction_is_a_reversing_transaction(acc, backoffice):
    tx, _ = receive(acc)
    correction = services.reverse(backoffice, tx, reason="dubbel ontvangen")
    assert correction.reverses == tx
    assert services.balance_check().balanced
    assert Entry.objects.filter(account=acc["income"]).balance_cents() == 0
    # The original is still there, unchanged.
    assert sorted(tx.entries.values_list("amount_cents", flat=True)) == [-130_061, 130_061]
    with pytest.raises(Refused):
        services.reverse(backoffice, tx, reason="nog eens")


def test_correction_needs_a_reason_and_the_right(acc, backoffice, klantmanager):
    tx, _ = receive(acc)
    with pytest.raises(Refused):
        services.reverse(backoffice, tx, reason=" ")
    with pytest.raises(PermissionDenied):
        services.reverse(klantmanager, tx, reason="fout")


def test_balance_check_per_participant_and_period(acc, regeling):
    other = participant_accounts(ParticipantFactory(regeling=regeling))
    receive(acc, key="p1-nov")
    receive(acc, key="p1-dec", period=DEC, cents=140_000)
    receive(other, key="p2-nov", cents=90_000)
    services.post(
        "p1-allowance",
        [(acc["income"], 130_061), (acc["allowance"], -130_061)],
        booked_on=NOV,
        period=NOV,
        description="Leefgeld",
    )
    participant = acc["income"].participant
    check = services.balance_check(participant=participant, period=NOV)
    assert check.balanced and check.transactions == 2
    assert check.debit_cents == check.credit_cents == 2 * 130_061
    whole = services.balance_check()
    assert whole.balanced and whole.debit_cents == 130_061 * 2 + 140_000 + 90_000
    balances = {a.kind: cents for a, cents in services.participant_balances(participant)}
    assert balances == {
        AccountKind.INCOME_RECEIVED: -140_000,
        AccountKind.ALLOWANCE_PAYABLE: -130_061,
    }


@pytest.mark.skipif(
    connection.vendor == "postgresql",
    reason="PostgreSQL refuses the unbalanced transaction itself at commit (test_db_guards.py)",
)
def test_balance_check_finds_an_unbalanced_transaction(acc):
    tx, _ = receive(acc)
    # Only possible by going around post(): the check must still see it.
    Entry.objects.create(transaction=tx, account=acc["allowance"], amount_cents=5)
    check = services.balance_check()
    assert not check.balanced
    assert check.unbalanced == (tx.pk,)


def test_accounts_are_unique_per_owner_kind_and_creditor(participant, acc):
    assert services.account(AccountKind.INCOME_RECEIVED, participant=participant) == acc["income"]
    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.create(kind=AccountKind.INCOME_RECEIVED, participant=participant)
    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.create(
            kind=AccountKind.BANK, participant=participant, region=participant.regeling.region
        )


def test_bulk_accounts_creates_each_once(participant):
    spec = (AccountKind.WITHHELD, participant.pk, None, None, "")
    first = services.accounts([spec])
    assert services.accounts([spec, spec]) == first
    assert Account.objects.filter(kind=AccountKind.WITHHELD).count() == 1


def test_entry_amount_zero_refused_by_database(acc):
    tx, _ = receive(acc)
    with pytest.raises(IntegrityError), transaction.atomic():
        Entry.objects.bulk_create([Entry(transaction=tx, account=acc["bank"], amount_cents=0)])


def test_models_refuse_update_and_delete(acc):
    tx, _ = receive(acc)
    entry = tx.entries.first()
    for row in (tx, entry):
        with pytest.raises(AppendOnlyError):
            row.save()
        with pytest.raises(AppendOnlyError):
            row.delete()
    with pytest.raises(AppendOnlyError):
        Transaction.objects.update(description="anders")
    with pytest.raises(AppendOnlyError):
        Entry.objects.all().delete()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE ledger_transaction SET description = 'anders'",
        "DELETE FROM ledger_transaction",
        "UPDATE ledger_entry SET amount_cents = amount_cents * 2",
        "DELETE FROM ledger_entry",
    ],
)
def test_database_refuses_update_and_delete(acc, statement):
    receive(acc)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert Entry.objects.count() == 2
    assert Transaction.objects.get().description == "Uitkering ontvangen"


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
# Serialized rollback: the flush afterwards must not re-create content types under new ids
# (PostgreSQL keeps its sequences), or the browser tests after it cannot restore theirs.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_posts_of_one_key_make_one_transaction(regeling):
    acc = participant_accounts(ParticipantFactory(regeling=regeling))
    barrier = threading.Barrier(2)
    results, errors = [], []

    def worker():
        try:
            barrier.wait()
            with transaction.atomic():
                results.append(receive(acc, key="race"))
        except Exception as exc:  # the assertion below reports it
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(created for _, created in results) == [False, True]
    assert Transaction.objects.filter(key="race").count() == 1
    assert Entry.objects.count() == 2
