"""Savings pots and one-off payments, end to end through the services: a pot is created,
filled by two runs, paid out after a colleague approves, paid in the next run and booked; a
pot is ended and its rest refunded; a one-off payment is paid exactly once, also when its
run is resumed or computed again; more than the participant's own money is an advance."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Sum

from ontzorg.accounts.constants import RoleCode
from ontzorg.accounts.tests.factories import UserFactory
from ontzorg.approvals import proposals
from ontzorg.banking import imports, repay
from ontzorg.banking.constants import ReturnStatus
from ontzorg.banking.models import ReturnedPayment
from ontzorg.banking.tests.conftest import return_of, statement
from ontzorg.exceptions import Refused
from ontzorg.ledger import services as ledger
from ontzorg.ledger.constants import AccountKind
from ontzorg.ledger.models import Entry
from ontzorg.participants.tests.factories import ParticipantFactory
from ontzorg.payments import services
from ontzorg.payments.constants import InstructionKind, RunStatus
from ontzorg.payments.models import PaymentInstruction
from ontzorg.plans import balances, payouts
from ontzorg.plans import services as plans
from ontzorg.plans.constants import CreditorCategory
from ontzorg.plans.models import OneOffPayment, PotPayout
from ontzorg.plans.tests.factories import (
    CreditorFactory,
    IncomeFactory,
    MachtigingFactory,
    PlanFactory,
    PlanLineFactory,
)
from ontzorg.regelingen.tests.factories import RegelingFactory

from .factories import debtor_account
from .test_retry import crash_on_call
from .test_runs import end_to_end_ids

pytestmark = pytest.mark.django_db

MARCH, APRIL, MAY, JUNE = (date(2026, month, 1) for month in (3, 4, 5, 6))
INCOME, RENT = 130_061, 65_000


@pytest.fixture
def pot_regeling(region):
    debtor_account(region)
    return RegelingFactory(region=region, has_savings_pots=True)


@pytest.fixture
def third(municipality_org):
    """A third back-office user, who approves the runs: the proposer and the approver of a
    proposal stay out of that month's run approval."""
    return UserFactory(username="bo3", role_code=RoleCode.BACKOFFICE, organisation=municipality_org)


@pytest.fixture
def shop(region):
    return CreditorFactory(name="Witgoed Centrum", category=CreditorCategory.OVERIG, region=region)


@pytest.fixture
def plan(pot_regeling, frozen_clock):
    """A participant from March 2026 on: rent with a machtiging, and bijstand."""
    participant = ParticipantFactory(regeling=pot_regeling)
    plan = PlanFactory(participant=participant, start_on=MARCH, planned_end_on=date(2026, 8, 31))
    line = PlanLineFactory(plan=plan, amount_cents=RENT)
    MachtigingFactory(line=line, signed_on=date(2026, 2, 20))
    IncomeFactory(participant=participant, amount_cents=INCOME, valid_from=MARCH)
    return plan


def run_month(frozen_clock, preparer, approver, region, period):
    """Prepare, approve, export and book the run of `period`, on the 16th of that month."""
    frozen_clock.move_to(f"{period:%Y-%m}-16 10:00:00+01:00")
    run = services.prepare_run(preparer, region, period)
    run.refresh_from_db()
    assert run.status == RunStatus.DRAFT
    services.approve_run(approver, run)
    services.export_run(approver, run)
    services.book_run(preparer, run)
    run.refresh_from_db()
    assert run.status == RunStatus.BOOKED
    return run


def ledger_pot_cents(participant, name) -> int:
    """The pot's balance straight from the ledger entries (credit shown positive)."""
    return -(
        Entry.objects.filter(
            account__participant=participant, account__kind=AccountKind.SAVINGS, account__pot=name
        ).aggregate(total=Sum("amount_cents", default=0))["total"]
    )


def test_pot_fills_pays_out_after_approval_and_books(
    frozen_clock, plan, klantmanager, backoffice, approver, third, region, shop
):
    participant = plan.participant
    pot = plans.create_pot(
        klantmanager,
        plan,
        name="Wasmachine",
        monthly_cents=5_000,
        goal_cents=40_000,
        starts_on=MARCH,
    )
    run_month(frozen_clock, backoffice, third, region, MARCH)
    run_month(frozen_clock, backoffice, third, region, APRIL)

    balance = balances.pot_balance(pot)
    assert balance.booked_cents == ledger_pot_cents(participant, "Wasmachine") == 10_000
    assert balance.available_cents == 10_000
    assert balance.goal_percent == 25

    proposal = payouts.propose_payout(
        backoffice,
        pot,
        amount_cents=8_000,
        period=MAY,
        creditor=shop,
        reference="F-2026-17",
        reason="Nieuwe wasmachine, de oude is kapot",
    )
    assert not PotPayout.objects.exists()
    with pytest.raises(Refused, match="eigen voorstel"):
        proposals.approve(backoffice, proposal)
    proposals.approve(approver, proposal)
    payout = PotPayout.objects.get()
    assert (payout.amount_cents, payout.creditor, payout.approved_by) == (8_000, shop, approver)
    # Promised, not yet paid: no second payout can take the same money.
    assert balances.pot_balance(pot).available_cents == 2_000
    with pytest.raises(Refused, match="beschikbaar"):
        payouts.propose_payout(
            backoffice, pot, amount_cents=2_001, period=MAY, reason="Nog iets erbij kopen"
        )

    may = run_month(frozen_clock, backoffice, third, region, MAY)
    paid = may.instructions.get(kind=InstructionKind.POT_PAYOUT)
    assert (paid.amount_cents, paid.iban, paid.pot_payout, paid.savings_pot) == (
        8_000,
        shop.iban,
        payout,
        pot,
    )
    assert paid.remittance.startswith("F-2026-17 Uit spaarpot Wasmachine")
    assert end_to_end_ids(may).count(paid.end_to_end_id) == 1
    # May reserved 50 more, the payout took 80 out: 100 + 50 - 80.
    assert ledger_pot_cents(participant, "Wasmachine") == 7_000
    assert balances.pot_balance(pot) == balances.PotBalance(pot, 7_000, 0)
    # Paid out of the pot, not out of the participant's own money or May's income.
    assert balances.free_balance(participant).booked_cents == 0
    [booked_may] = [m for m in balances.booked_months(participant) if m.period == MAY]
    assert booked_may.income_cents == INCOME
    assert booked_may.to_creditors_cents == RENT + 8_000
    assert booked_may.into_pots_cents == 5_000 - 8_000
    assert ledger.balance_check(run=may).balanced
    assert ledger.balance_check(participant=participant).balanced
    assert ledger.balance_check().balanced
    # The payout came out of the pot, not out of May's income: the allowance is unchanged.
    allowance = may.instructions.get(kind=InstructionKind.ALLOWANCE).amount_cents
    assert allowance == INCOME - RENT - 5_000


def test_ending_a_pot_refunds_the_rest_and_stops_reserving(
    frozen_clock, plan, klantmanager, backoffice, approver, third, region
):
    participant = plan.participant
    pot = plans.create_pot(klantmanager, plan, name="Buffer", monthly_cents=2_500, starts_on=MARCH)
    run_month(frozen_clock, backoffice, third, region, MARCH)
    run_month(frozen_clock, backoffice, third, region, APRIL)
    proposal = payouts.propose_end(backoffice, pot, period=MAY, reason="Doel bereikt, pot stopt")
    pot.refresh_from_db()
    assert not pot.is_ended
    proposals.approve(approver, proposal)
    pot.refresh_from_db()
    assert pot.is_ended and pot.ends_on == date(2026, 4, 30)
    assert balances.pot_balance(pot).available_cents == 0

    may = run_month(frozen_clock, backoffice, third, region, MAY)
    assert not may.instructions.filter(kind=InstructionKind.SAVINGS).exists()
    refund = may.instructions.get(kind=InstructionKind.POT_PAYOUT)
    assert (refund.amount_cents, refund.iban, refund.creditor) == (5_000, participant.iban, None)
    assert ledger_pot_cents(participant, "Buffer") == 0
    assert balances.pot_balance(pot).available_cents == 0
    assert ledger.balance_check().balanced
    with pytest.raises(Refused, match="al opgeheven"):
        payouts.propose_end(backoffice, pot, period=JUNE, reason="Nog een keer opheffen")


def test_a_pot_cannot_end_in_a_month_whose_run_already_reserves(
    frozen_clock, plan, klantmanager, backoffice, region
):
    pot = plans.create_pot(klantmanager, plan, name="Buffer", monthly_cents=2_500, starts_on=MARCH)
    run = services.prepare_run(backoffice, region, MARCH)
    with pytest.raises(Refused, match="reserveert al"):
        payouts.propose_end(backoffice, pot, period=MARCH, reason="Pot is niet meer nodig")
    services.cancel_run(backoffice, run)
    assert payouts.propose_end(backoffice, pot, period=MARCH, reason="Pot is niet meer nodig")


def test_one_off_is_paid_exactly_once_when_the_run_is_resumed_or_recomputed(
    frozen_clock, plan, backoffice, approver, third, region, shop, monkeypatch
):
    participant = plan.participant
    proposal = payouts.propose_one_off(
        backoffice,
        participant,
        amount_cents=12_500,
        period=MARCH,
        creditor=shop,
        reference="SCHOOL-7",
        reason="Schoolreis van de oudste dochter",
        advance_reason="Geen eigen geld over; terugbetalen uit leefgeld",
    )
    # The run's computation crashes just before it is done, so the run is still computing
    # when the one-off payment is approved.
    crash_on_call(monkeypatch, services, "add_extras", 1)
    run = services.prepare_run(backoffice, region, MARCH)
    run.refresh_from_db()
    assert run.status == RunStatus.PREPARING
    proposals.approve(approver, proposal)
    one_off = OneOffPayment.objects.get()
    assert not run.instructions.filter(kind=InstructionKind.ONE_OFF).exists()
    services.compute_run(run.pk)  # resumed: the end of the computation picks it up
    services.compute_run(run.pk)  # and again: nothing more happens
    services.add_extras(run)
    run.refresh_from_db()
    assert run.status == RunStatus.DRAFT
    assert run.instructions.filter(kind=InstructionKind.ONE_OFF).count() == 1

    # Computed again from scratch: a cancelled run pays nothing; the new one pays it once.
    services.cancel_run(backoffice, run)
    again = services.prepare_run(backoffice, region, MARCH)
    services.add_extras(again)
    services.approve_run(third, again)
    services.export_run(third, again)
    services.book_run(backoffice, again)
    paid = PaymentInstruction.objects.filter(one_off=one_off).exclude(
        run__status=RunStatus.CANCELLED
    )
    assert paid.count() == 1
    assert end_to_end_ids(again).count(paid.get().end_to_end_id) == 1
    assert ledger.balance_check().balanced
    # Booked out of the participant's own money, which was nothing: an advance.
    assert balances.free_balance(participant).available_cents == -12_500
    assert one_off.advance_cents == 12_500


def test_one_off_approved_while_the_run_is_a_draft_joins_that_run(
    frozen_clock, plan, backoffice, approver, region
):
    participant = plan.participant
    run = services.prepare_run(backoffice, region, MARCH)
    proposal = payouts.propose_one_off(
        backoffice,
        participant,
        amount_cents=3_000,
        period=MARCH,
        reason="Extra leefgeld ivm verjaardag",
        advance_reason="Voorschot, wordt met leefgeld verrekend",
    )
    with pytest.raises(Refused, match="wacht"):
        services.approve_run(approver, run)
    proposals.approve(approver, proposal)
    extra = run.instructions.get(kind=InstructionKind.ONE_OFF)
    assert (extra.iban, extra.amount_cents) == (participant.iban, 3_000)
    services.add_extras(run)
    assert run.instructions.filter(kind=InstructionKind.ONE_OFF).count() == 1


def test_one_off_above_own_money_needs_a_reason_for_the_advance(
    frozen_clock, plan, backoffice, approver, shop
):
    participant = plan.participant
    with pytest.raises(Refused, match="voorschot"):
        payouts.propose_one_off(
            backoffice,
            participant,
            amount_cents=1_000,
            period=MARCH,
            creditor=shop,
            reference="F-1",
            reason="Rekening van de tandarts",
        )
    proposal = payouts.propose_one_off(
        backoffice,
        participant,
        amount_cents=1_000,
        period=MARCH,
        creditor=shop,
        reference="F-1",
        reason="Rekening van de tandarts",
        advance_reason="Dringend, anders incasso",
    )
    proposals.approve(approver, proposal)
    assert OneOffPayment.objects.get().advance_cents == 1_000


def test_one_off_within_own_money_is_no_advance(
    frozen_clock, plan, backoffice, approver, third, region
):
    """Money held for the participant outside the pots (here: an allowance the bank sent
    back and whose reversal put it back on their account) pays a one-off without advance."""
    participant = plan.participant
    march = run_month(frozen_clock, backoffice, third, region, MARCH)
    allowance = march.instructions.get(kind=InstructionKind.ALLOWANCE)
    original = ledger.Transaction.objects.get(key=f"instruction:{allowance.end_to_end_id}")
    ledger.reverse(backoffice, original, reason="Teruggestort door de bank")
    assert balances.free_balance(participant).available_cents == allowance.amount_cents
    proposal = payouts.propose_one_off(
        backoffice,
        participant,
        amount_cents=allowance.amount_cents,
        period=APRIL,
        reason="Leefgeld maart opnieuw, naar nieuwe rekening",
    )
    proposals.approve(approver, proposal)
    assert OneOffPayment.objects.get().advance_cents == 0
    assert balances.free_balance(participant).available_cents == 0


def test_month_whose_run_is_approved_is_refused(
    frozen_clock, plan, klantmanager, backoffice, third, region
):
    pot = plans.create_pot(klantmanager, plan, name="Buffer", monthly_cents=2_500, starts_on=MARCH)
    run_month(frozen_clock, backoffice, third, region, MARCH)
    frozen_clock.move_to("2026-03-20 10:00:00+01:00")
    with pytest.raises(Refused, match="al geboekt"):
        payouts.propose_payout(
            backoffice, pot, amount_cents=1_000, period=MARCH, reason="Kapotte fiets maken"
        )
    with pytest.raises(Refused, match="latere maand"):
        payouts.propose_one_off(
            backoffice,
            plan.participant,
            amount_cents=1_000,
            period=date(2026, 2, 1),
            reason="Te laat voor februari",
            advance_reason="Voorschot voor februari",
        )
    assert payouts.first_open_month(region) == APRIL


def test_creating_a_pot_needs_a_regeling_with_pots_and_an_open_month(
    frozen_clock, plan, klantmanager, backoffice, region
):
    services.prepare_run(backoffice, region, MARCH)
    with pytest.raises(Refused, match="nog geen betaalrun is gemaakt: vanaf april 2026"):
        plans.create_pot(klantmanager, plan, name="Buffer", monthly_cents=2_500, starts_on=MARCH)
    plans.create_pot(klantmanager, plan, name="Buffer", monthly_cents=2_500, starts_on=APRIL)
    with pytest.raises(Refused, match="al een spaarpot met deze naam"):
        plans.create_pot(klantmanager, plan, name="buffer", monthly_cents=100, starts_on=APRIL)
    type(plan.regeling).objects.filter(pk=plan.regeling_id).update(has_savings_pots=False)
    plan.regeling.refresh_from_db()
    with pytest.raises(Refused, match="geen spaarpotjes"):
        plans.create_pot(klantmanager, plan, name="Vakantie", monthly_cents=100, starts_on=APRIL)


def test_approval_checks_the_balance_again(
    frozen_clock, plan, klantmanager, backoffice, approver, third, region
):
    """Two proposals that each fit, together not: the second approval is refused."""
    pot = plans.create_pot(klantmanager, plan, name="Buffer", monthly_cents=5_000, starts_on=MARCH)
    run_month(frozen_clock, backoffice, third, region, MARCH)
    first, second = (
        payouts.propose_payout(backoffice, pot, amount_cents=4_000, period=APRIL, reason=why)
        for why in ("Fietsreparatie voor werk", "Nieuwe winterjas kopen")
    )
    proposals.approve(approver, first)
    with pytest.raises(Refused, match="beschikbaar"):
        proposals.approve(approver, second)
    assert PotPayout.objects.count() == 1


def test_instruction_kinds_keep_their_own_fields(frozen_clock, plan, backoffice, region):
    run = services.prepare_run(backoffice, region, MARCH)
    template = run.instructions.get(kind=InstructionKind.ALLOWANCE)
    for kind in (InstructionKind.ONE_OFF, InstructionKind.POT_PAYOUT):
        template.pk = None
        template.kind = kind
        template.end_to_end_id = f"OZ-test-{kind}"
        with pytest.raises(IntegrityError), transaction.atomic():
            template.save()


def test_a_returned_payout_is_paid_again_once_and_the_pot_stays_right(
    frozen_clock, plan, klantmanager, backoffice, approver, third, region, shop
):
    """The bank sends a payout back (not an account error): the reversal puts the money back
    in the pot, paying it again takes it out once more; the pot ends where it would have."""
    participant = plan.participant
    pot = plans.create_pot(klantmanager, plan, name="Fiets", monthly_cents=5_000, starts_on=MARCH)
    run_month(frozen_clock, backoffice, third, region, MARCH)
    proposal = payouts.propose_payout(
        backoffice,
        pot,
        amount_cents=4_000,
        period=APRIL,
        creditor=shop,
        reference="F-9",
        reason="Fiets voor het werk",
    )
    proposals.approve(approver, proposal)
    april = run_month(frozen_clock, backoffice, third, region, APRIL)
    paid = april.instructions.get(kind=InstructionKind.POT_PAYOUT)
    imports.import_statement(backoffice, statement([return_of(paid, "MS03")]))
    assert ledger_pot_cents(participant, "Fiets") == 10_000  # back in the pot
    returned = ReturnedPayment.objects.get(instruction=paid)
    proposals.approve(approver, repay.propose_retry(backoffice, returned))
    returned.refresh_from_db()
    assert returned.status == ReturnStatus.REPAID
    assert ledger_pot_cents(participant, "Fiets") == 6_000
    assert ledger.balance_check().balanced
