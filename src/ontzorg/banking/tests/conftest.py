"""Fixtures for reconciliation: a region with a booked payment run, and statements of it."""

import pytest

from ontzorg.accounts.constants import RoleCode
from ontzorg.accounts.tests.factories import UserFactory
from ontzorg.payments import services as payments
from ontzorg.payments.constants import PAID_KINDS
from ontzorg.payments.tests.factories import PERIOD, debtor_account, ready_participant
from ontzorg_demo.camtgen import Detail, GenEntry, GenStatement, build

DEBTOR_IBAN = "NL20INGB0001234567"  # payments.tests.factories.debtor_account


def second_backoffice(municipality_org):
    return UserFactory(username="bo2", role_code=RoleCode.BACKOFFICE, organisation=municipality_org)


def make_booked_run(backoffice, approver, region, regeling):
    """Two participants paid in a run that is prepared, approved, exported and booked."""
    debtor_account(region)
    ready_participant(regeling)
    ready_participant(regeling, pots=[("Buffer", 2500)])
    run = payments.prepare_run(backoffice, region, PERIOD)
    payments.approve_run(approver, run)
    payments.export_run(approver, run)
    payments.book_run(backoffice, run)
    run.refresh_from_db()
    return run


@pytest.fixture
def approver(municipality_org):
    return second_backoffice(municipality_org)


@pytest.fixture
def booked_run(backoffice, approver, region, regeling):
    return make_booked_run(backoffice, approver, region, regeling)


def paid(run):
    return list(run.instructions.filter(kind__in=PAID_KINDS).order_by("pk"))


def debit_of(instruction, ref=None):
    return GenEntry(
        -instruction.amount_cents,
        servicer_ref=ref or f"BNG-{instruction.end_to_end_id}",
        details=[
            Detail(
                end_to_end_id=instruction.end_to_end_id,
                creditor_name=instruction.name,
                creditor_iban=instruction.iban,
                remittance_lines=[instruction.remittance],
            )
        ],
    )


def return_of(instruction, reason="AC04", ref=None):
    return GenEntry(
        instruction.amount_cents,
        reversal=True,
        servicer_ref=ref or f"RET-{instruction.end_to_end_id}",
        details=[
            Detail(
                end_to_end_id=instruction.end_to_end_id,
                creditor_name=instruction.name,
                creditor_iban=instruction.iban,
                return_reason=reason,
            )
        ],
    )


def statement(entries, statement_id="AFS-1", iban=DEBTOR_IBAN, version="camt.053.001.02"):
    return build([GenStatement(statement_id, iban, 1_000_000, entries)], version)
