"""The overview follows the journey: booking a run through the payments service makes the
overview of each of its participants, and a payment the bank returns (a camt import through
the banking service) makes that month's overview again, showing the payment as returned."""

import pytest

from ontzorg.approvals import proposals
from ontzorg.banking import imports, repay
from ontzorg.banking.models import ReturnedPayment
from ontzorg.banking.tests.conftest import debit_of, paid, return_of, statement
from ontzorg.letters import services
from ontzorg.letters.models import MonthlyOverview
from ontzorg.letters.overview import PAID, RETURNED
from ontzorg.payments import services as payments
from ontzorg.payments.constants import InstructionKind
from ontzorg.payments.tests.factories import PERIOD, debtor_account, ready_participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(region, regeling):
    debtor_account(region)
    return [ready_participant(regeling), ready_participant(regeling, pots=[("Buffer", 2500)])]


def exported_run(backoffice, approver, region):
    run = payments.prepare_run(backoffice, region, PERIOD)
    payments.approve_run(approver, run)
    payments.export_run(approver, run)
    return run


def booked_run(backoffice, approver, region, capture):
    run = exported_run(backoffice, approver, region)
    with capture(execute=True):
        payments.book_run(backoffice, run)
    run.refresh_from_db()
    return run


def test_booking_a_run_makes_the_overview_of_each_participant(
    backoffice, approver, region, people, django_capture_on_commit_callbacks
):
    run = exported_run(backoffice, approver, region)
    assert not MonthlyOverview.objects.exists()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        payments.book_run(backoffice, run)
    assert callbacks  # the overviews wait for the booking to commit
    rows = {row.participant_id: row for row in MonthlyOverview.objects.all()}
    assert set(rows) == {p.pk for p in people}
    for participant in people:
        row = rows[participant.pk]
        assert (row.month, row.run_id) == (PERIOD, run.pk)
        overview = row.overview
        own = run.instructions.filter(participant=participant)
        creditors = own.filter(kind=InstructionKind.CREDITOR)
        assert sorted(p.amount_cents for p in overview.payments) == sorted(
            i.amount_cents for i in creditors
        )
        assert all(p.status == PAID for p in overview.payments)
        allowance = own.get(kind=InstructionKind.ALLOWANCE)
        assert [a.amount_cents for a in overview.allowances] == [allowance.amount_cents]
    pots = {p.name: p.balance_cents for p in rows[people[1].pk].overview.pots}
    assert pots == {"Buffer": 2500}
    assert rows[people[0].pk].overview.pots == ()


def test_a_returned_payment_makes_the_month_again_showing_it_returned(
    backoffice, approver, region, people, django_capture_on_commit_callbacks
):
    run = booked_run(backoffice, approver, region, django_capture_on_commit_callbacks)
    instructions = paid(run)
    rent = next(i for i in instructions if i.kind == InstructionKind.CREDITOR)
    imports.import_statement(backoffice, statement([debit_of(i) for i in instructions]))
    row = MonthlyOverview.objects.get(participant=rent.participant, month=PERIOD)
    assert {p.status for p in row.overview.payments} == {PAID}

    with django_capture_on_commit_callbacks(execute=True):
        imports.import_statement(
            backoffice, statement([return_of(rent, "AC04")], statement_id="AFS-2")
        )

    assert ReturnedPayment.objects.get().instruction == rent
    row.refresh_from_db()  # the stored figures, made again by banking.hooks.on_payment_returned
    overview = row.overview
    statuses = {(p.payee, p.amount_cents): p.status for p in overview.payments}
    assert statuses[(rent.name, rent.amount_cents)] == RETURNED
    assert overview.has_returns
    assert [s for key, s in statuses.items() if key != (rent.name, rent.amount_cents)] == [PAID]
    # The other participant's month is untouched.
    other = MonthlyOverview.objects.exclude(participant=rent.participant).get()
    assert {p.status for p in other.overview.payments} == {PAID}


def test_a_payment_paid_again_after_its_return_shows_as_paid_on_the_staff_page(
    backoffice, approver, region, people, django_capture_on_commit_callbacks
):
    """The bank returned the rent and it was paid again (four eyes): the overview staff print
    shows it paid, once, as the participant's own page does."""
    run = booked_run(backoffice, approver, region, django_capture_on_commit_callbacks)
    instructions = paid(run)
    rent = next(i for i in instructions if i.kind == InstructionKind.CREDITOR)
    imports.import_statement(backoffice, statement([debit_of(i) for i in instructions]))
    with django_capture_on_commit_callbacks(execute=True):
        imports.import_statement(
            backoffice, statement([return_of(rent, "MS03")], statement_id="AFS-2")
        )
    returned = ReturnedPayment.objects.get()
    proposals.approve(approver, repay.propose_retry(backoffice, returned))

    overview = services.overview_for(rent.participant, PERIOD)
    rents = [p for p in overview.payments if p.payee == rent.name]
    assert [(p.amount_cents, p.status) for p in rents] == [(rent.amount_cents, PAID)]
    assert not overview.has_returns
    stored = MonthlyOverview.objects.get(participant=rent.participant, month=PERIOD)
    assert stored.overview == overview
