"""Internal signals: unconfirmed payments, unusual amounts, negative budgetbeheer balances."""

from datetime import date

import pytest
from django.core.management import call_command

from ontzorg.banking import imports
from ontzorg.banking.tests.conftest import (
    debit_of,
    make_booked_run,
    paid,
    return_of,
    second_backoffice,
    statement,
)
from ontzorg.ledger import services as ledger
from ontzorg.ledger.constants import AccountKind
from ontzorg.participants.tests.factories import ParticipantFactory
from ontzorg.payments.constants import InstructionKind, RunStatus
from ontzorg.payments.models import PaymentInstruction, PaymentRun
from ontzorg.payments.tests.factories import PERIOD
from ontzorg.payments.tests.guards import approved_runs_writable
from ontzorg.regelingen.constants import Mode
from ontzorg.regelingen.tests.factories import RegelingFactory, RegionFactory
from ontzorg.signals import internal
from ontzorg.signals.constants import SignalKind
from ontzorg.signals.models import Signal


@pytest.fixture
def booked_run(backoffice, municipality_org, region, regeling):
    approver = second_backoffice(municipality_org)
    return make_booked_run(backoffice, approver, region, regeling)


def signals(kind):
    return Signal.objects.filter(kind=kind)


def test_payment_not_confirmed_in_time_raises_one_signal(backoffice, booked_run):
    instructions = paid(booked_run)
    confirmed, returned, *others = instructions
    imports.import_statement(
        backoffice, statement([debit_of(confirmed), return_of(returned, "MS03")])
    )
    # The day after the last pay date plus five working days nothing is late yet ...
    last = max(i.pay_on for i in others)
    assert internal.unconfirmed_payments(last, working_days=5) < len(others)
    # ... three weeks later every payment without confirmation or return is.
    later = date(2025, 12, 31)
    assert internal.unconfirmed_payments(later, working_days=5) == len(others)
    assert signals(SignalKind.UNCONFIRMED_PAYMENT).count() == len(others)
    found = {s.reference for s in signals(SignalKind.UNCONFIRMED_PAYMENT)}
    assert found == {f"unconfirmed:{i.end_to_end_id}" for i in others}
    internal.unconfirmed_payments(later, working_days=5)
    assert signals(SignalKind.UNCONFIRMED_PAYMENT).count() == len(others)


def test_working_days_skip_the_weekend(backoffice, booked_run):
    instruction = paid(booked_run)[0]
    with approved_runs_writable():  # 7 November 2025 is a Friday
        PaymentInstruction.objects.exclude(pk=instruction.pk).update(pay_on=date(2030, 1, 1))
        PaymentInstruction.objects.filter(pk=instruction.pk).update(pay_on=date(2025, 11, 7))
    # Friday + 2 working days is Tuesday the 11th: late on Wednesday, not on Tuesday.
    assert internal.unconfirmed_payments(date(2025, 11, 11), working_days=2) == 0
    assert internal.unconfirmed_payments(date(2025, 11, 12), working_days=2) == 1


def test_payment_far_from_the_usual_amount_raises_a_signal(backoffice, booked_run):
    rent = booked_run.instructions.filter(kind=InstructionKind.CREDITOR).order_by("pk")
    rent, energy = rent[0], rent[1]
    with approved_runs_writable():  # two booked runs of earlier months
        for month, rent_cents in ((9, 30_000), (10, 31_000)):
            run = PaymentRun.objects.create(
                region=booked_run.region,
                period=date(2025, month, 1),
                prepared_by=backoffice,
                status=RunStatus.BOOKED,
            )
            for instruction, cents in ((rent, rent_cents), (energy, energy.amount_cents)):
                PaymentInstruction.objects.create(
                    run=run,
                    participant=instruction.participant,
                    period=run.period,
                    kind=instruction.kind,
                    plan_line=instruction.plan_line,
                    creditor=instruction.creditor,
                    name=instruction.name,
                    iban=instruction.iban,
                    amount_cents=cents,
                    due_cents=cents,
                    pay_on=run.period,
                    end_to_end_id=f"OLD-{month}-{instruction.pk}",
                )
    assert internal.unusual_amounts(PERIOD.replace(day=20)) == 1
    signal = signals(SignalKind.UNUSUAL_AMOUNT).get()
    assert signal.reference == f"unusual:{rent.end_to_end_id}"
    assert signal.amount_cents == rent.amount_cents == 65_000
    assert "305,00" in signal.note  # the median of 300 and 310 euro
    internal.unusual_amounts(PERIOD.replace(day=21))
    assert signals(SignalKind.UNUSUAL_AMOUNT).count() == 1


def test_negative_balance_in_budgetbeheer_raises_one_signal_a_month(db, region):
    managed = ParticipantFactory(regeling=RegelingFactory(region=region, mode=Mode.BUDGETBEHEER))
    other_region = RegionFactory(name="Den Haag", slug="den-haag")
    standard = ParticipantFactory(regeling=RegelingFactory(region=other_region))
    for participant in (managed, standard):
        bank = ledger.account(AccountKind.BANK, region=participant.regeling.region)
        ledger.post(
            f"test:overpaid:{participant.pk}",
            [
                (ledger.account(AccountKind.ALLOWANCE_PAYABLE, participant=participant), 5_000),
                (bank, -5_000),
            ],
            booked_on=PERIOD,
            period=PERIOD,
            description="Leefgeld zonder inkomen",
        )
    call_command("signals_scan_internal", "--today", "2025-11-20")
    signal = signals(SignalKind.NEGATIVE_BALANCE).get()
    assert (signal.participant, signal.amount_cents) == (managed, 5_000)
    call_command("signals_scan_internal", "--today", "2025-11-28")
    assert signals(SignalKind.NEGATIVE_BALANCE).count() == 1


def test_a_participant_switched_to_budgetbeheer_is_checked_like_the_regeling(
    klantmanager, regeling
):
    """Budgetbeheer decided for one participant of a standard regeling counts too."""
    from ontzorg.plans import modes

    switched = ParticipantFactory(regeling=regeling)
    standard = ParticipantFactory(regeling=regeling)
    modes.decide_mode(
        klantmanager,
        switched,
        mode=Mode.BUDGETBEHEER,
        from_on=date(2025, 10, 1),
        reason="Heeft hulp nodig bij alle uitgaven.",
    )
    for participant in (switched, standard):
        ledger.post(
            f"test:overpaid:{participant.pk}",
            [
                (ledger.account(AccountKind.ALLOWANCE_PAYABLE, participant=participant), 5_000),
                (ledger.account(AccountKind.BANK, region=regeling.region), -5_000),
            ],
            booked_on=PERIOD,
            period=PERIOD,
            description="Leefgeld zonder inkomen",
        )
    assert internal.negative_balances(date(2025, 11, 20)) == 1
    assert signals(SignalKind.NEGATIVE_BALANCE).get().participant == switched


def test_healthy_booked_run_raises_no_balance_or_amount_signal(booked_run):
    booked_run.region.regelingen.update(mode=Mode.BUDGETBEHEER)
    result = internal.scan(PERIOD.replace(day=2), working_days=5)
    assert (result.unusual, result.negative) == (0, 0)
    assert not signals(SignalKind.NEGATIVE_BALANCE).exists()


@pytest.mark.parametrize("bad", [["--today", "gisteren"], ["--working-days", "0"]])
def test_scan_command_refuses_bad_options(db, bad):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("signals_scan_internal", *bad)
