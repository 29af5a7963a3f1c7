"""What the monitor reads of the inventory (debt at the start and on a day, for many
participants at once), that amounts are a history the database keeps, and that anonymising
keeps the amounts and blanks the free texts."""

from datetime import date

import pytest
from django.db import DatabaseError, connection, transaction

from ontzorg.core.appendonly import AppendOnlyError
from ontzorg.exceptions import PermissionDenied
from ontzorg.inventory import facts, services
from ontzorg.inventory.models import Debt, DebtAmount
from ontzorg.participants.tests.factories import ParticipantFactory
from ontzorg.privacy import retention
from ontzorg.privacy.constants import ANONYMISED, Term

pytestmark = pytest.mark.django_db


def test_debt_at_the_start_and_on_a_day_for_many_participants(frozen_clock, klantmanager, regeling):
    amal, bilal, nobody = (ParticipantFactory(regeling=regeling) for _ in range(3))
    loan = services.record_debt(
        klantmanager, amal, kind="furnishing_loan", amount_cents=150_000, known_on=date(2025, 10, 1)
    )
    services.record_debt(
        klantmanager, amal, kind="cjib", amount_cents=9_000, known_on=date(2025, 10, 1)
    )
    # Found at the tussenmeting: not part of the debt at the start.
    services.record_debt(
        klantmanager, amal, kind="energy", amount_cents=30_000, known_on=date(2026, 1, 15)
    )
    services.update_amounts(klantmanager, amal, on=date(2026, 1, 15), debts={loan.pk: 120_000})
    services.record_debt(klantmanager, bilal, kind="duo", amount_cents=0, known_on=date(2026, 2, 1))
    ids = [amal.pk, bilal.pk, nobody.pk]

    assert facts.debt_cents_at_start(ids) == {amal.pk: 159_000, bilal.pk: 0}
    assert facts.debt_cents_on(ids, date(2025, 12, 31)) == {amal.pk: 159_000}
    assert facts.debt_cents_on(ids, date(2026, 3, 16)) == {amal.pk: 159_000, bilal.pk: 0}
    assert facts.debt_cents_on(ids, date(2026, 1, 15)) == {amal.pk: 120_000 + 9_000 + 30_000}


def test_an_amount_is_never_changed_or_removed(frozen_clock, klantmanager, regeling):
    person = ParticipantFactory(regeling=regeling)
    services.record_debt(
        klantmanager, person, kind="rent", amount_cents=50_000, known_on=date(2026, 1, 1)
    )
    row = DebtAmount.objects.get()

    row.amount_cents = 1
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        DebtAmount.objects.all().update(amount_cents=1)
    # Not even in SQL: the database refuses (triggers of core.appendonly).
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"UPDATE {DebtAmount._meta.db_table} SET amount_cents = 1")
    assert DebtAmount.objects.get().amount_cents == 50_000


def test_the_same_amount_on_the_same_day_is_recorded_once(frozen_clock, klantmanager, regeling):
    person = ParticipantFactory(regeling=regeling)
    debt = services.record_debt(
        klantmanager, person, kind="rent", amount_cents=50_000, known_on=date(2026, 1, 1)
    )

    added = services.update_amounts(
        klantmanager, person, on=date(2026, 1, 1), debts={debt.pk: 50_000}
    )

    assert added == 0 and debt.amounts.count() == 1


def test_a_role_without_the_right_records_nothing(frozen_clock, backoffice, regeling):
    person = ParticipantFactory(regeling=regeling)
    with pytest.raises(PermissionDenied):
        services.record_debt(
            backoffice, person, kind="rent", amount_cents=1, known_on=date(2026, 1, 1)
        )
    assert not Debt.objects.exists()


def test_anonymising_keeps_amounts_and_blanks_notes(frozen_clock, klantmanager, regeling):
    person = ParticipantFactory(regeling=regeling)
    services.record_debt(
        klantmanager,
        person,
        kind="other",
        creditor_name="Incassobureau",
        note="dossier 2025-77 bij oom in Utrecht",
        amount_cents=12_345,
        known_on=date(2025, 11, 1),
    )
    services.record_asset(
        klantmanager,
        person,
        kind="savings",
        description="spaarrekening bij de ING",
        amount_cents=10_000,
        valued_on=date(2025, 11, 1),
    )

    retention.anonymise(person.pk, Term.PARTICIPANT, date(2025, 11, 1))

    debt = Debt.objects.get()
    assert debt.note == ANONYMISED and debt.amounts.get().amount_cents == 12_345
    assert person.assets.get().description == ANONYMISED
    assert facts.debt_cents_on([person.pk], date(2026, 3, 16)) == {person.pk: 12_345}
