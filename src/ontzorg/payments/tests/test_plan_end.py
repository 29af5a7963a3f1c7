"""The end of a plan in the payment runs: a plan whose end was decided ahead of time is paid
through its last day, and a month paid ahead (Edam-Volendam) is paid only once, also when the
plan is extended after the run that paid it ahead."""

from datetime import date

import pytest

from ontzorg.approvals.tests.helpers import decide_and_approve
from ontzorg.participants import services as participants
from ontzorg.participants.constants import DecisionKind, DecisionOutcome, Phase
from ontzorg.participants.tests.factories import case_worker_for
from ontzorg.payments import services
from ontzorg.payments.constants import InstructionKind, RunStatus
from ontzorg.plans import services as plans
from ontzorg.plans.constants import PlanDecisionKind, PlanStatus, ShortfallChoice

from .factories import debtor_account, ready_participant

pytestmark = pytest.mark.django_db

JAN, FEB, MAR = date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)
RENT, ENERGY, INCOME = 65_000, 12_000, 130_061


def full_run(preparer, approver, region, period):
    """Prepare, decide any shortfall, approve, export and book: a run that really paid."""
    run = services.prepare_run(preparer, region, period)
    for case in run.shortfalls.filter(decision__isnull=True):
        decide_and_approve(
            preparer, approver, case, choice=ShortfallChoice.PAY_PARTIALLY, reason="Huur gaat voor"
        )
    services.approve_run(approver, run)
    services.export_run(approver, run)
    services.book_run(preparer, run)
    run.refresh_from_db()
    assert run.status == RunStatus.BOOKED
    return run


def paid(run, participant):
    return sorted(
        (i.kind, i.amount_cents)
        for i in run.instructions.filter(participant=participant).exclude(
            kind=InstructionKind.ALLOWANCE
        )
    ), sum(
        run.instructions.filter(
            participant=participant, kind=InstructionKind.ALLOWANCE
        ).values_list("amount_cents", flat=True)
    )


def decide_end(person, decided_on):
    plan = person.plans.get()
    plans.decide_end_or_extend(
        case_worker_for(person.regeling),
        plan,
        PlanDecisionKind.END,
        None,
        "Zelfredzaam genoeg, ontzorgen stopt op de geplande datum.",
        decided_on=decided_on,
    )
    plan.refresh_from_db()
    person.refresh_from_db()
    assert (plan.status, plan.ended_on, person.phase) == (
        PlanStatus.ENDED,
        date(2026, 2, 28),
        Phase.NAZORG,
    )
    return plan


def test_the_last_month_is_paid_when_the_end_was_decided_before_it(backoffice, approver, regeling):
    """The plan ends 28-02; the end is decided on 20-01, which closes the plan and moves the
    participant to nazorg at once. February is still paid; March is not. Someone who opted
    out in January is not paid in February."""
    debtor_account(regeling.region)
    ending = ready_participant(regeling)
    opted_out = ready_participant(regeling)
    decide_end(ending, date(2026, 1, 20))
    participants.record_decision(
        case_worker_for(regeling),
        opted_out,
        kind=DecisionKind.OPT_OUT,
        outcome=DecisionOutcome.NO_ONTZORGING,
        reason="Wil zelf de vaste lasten betalen.",
        decided_on=date(2026, 1, 20),
    )

    february = full_run(backoffice, approver, regeling.region, FEB)
    assert paid(february, ending) == (
        [(InstructionKind.CREDITOR, ENERGY), (InstructionKind.CREDITOR, RENT)],
        INCOME - RENT - ENERGY,
    )
    assert not february.instructions.filter(participant=opted_out).exists()
    assert february.total_participants == 1

    march = services.prepare_run(backoffice, regeling.region, MAR)
    march.refresh_from_db()
    assert march.total_participants == 0 and not march.instructions.exists()


def test_a_plan_ended_ahead_of_time_still_pays_the_month_after_ahead(
    backoffice, approver, regeling
):
    """Edam-Volendam with the end decided before the run of the last month: that run pays
    the month after ahead out of the overbruggingsvergoeding, as for an open plan."""
    regeling.prepay_last_month = regeling.prepay_from_bridging = True
    regeling.save()
    debtor_account(regeling.region)
    person = ready_participant(regeling)
    decide_end(person, date(2026, 1, 20))

    february = full_run(backoffice, approver, regeling.region, FEB)
    regular = [(InstructionKind.CREDITOR, RENT), (InstructionKind.CREDITOR, ENERGY)]
    ahead = [(InstructionKind.GIFT, RENT), (InstructionKind.GIFT, ENERGY)]
    assert paid(february, person) == (
        sorted([*regular, *ahead]),
        INCOME - RENT - ENERGY,
    )


@pytest.mark.parametrize("from_bridging", [True, False], ids=["overbrugging", "uit inkomen"])
def test_a_month_paid_ahead_is_not_paid_again_after_an_extension(
    backoffice, approver, regeling, from_bridging
):
    """February is the planned last month: its run pays March ahead. Then the plan is
    extended to the end of May. The March run pays neither rent nor energy again (and
    withholds nothing for them); April pays as usual; May, the new last month, pays June
    ahead."""
    regeling.prepay_last_month = True
    regeling.prepay_from_bridging = from_bridging
    regeling.save()
    debtor_account(regeling.region)
    person = ready_participant(regeling, income_cents=200_000)
    ahead = InstructionKind.GIFT if from_bridging else InstructionKind.PREPAYMENT
    regular = [(InstructionKind.CREDITOR, ENERGY), (InstructionKind.CREDITOR, RENT)]
    with_ahead = sorted([*regular, (ahead, RENT), (ahead, ENERGY)])
    withheld_ahead = 0 if from_bridging else RENT + ENERGY

    february = full_run(backoffice, approver, regeling.region, FEB)
    assert paid(february, person) == (with_ahead, 200_000 - RENT - ENERGY - withheld_ahead)

    plan = person.plans.get()
    plans.decide_end_or_extend(
        case_worker_for(regeling),
        plan,
        PlanDecisionKind.EXTEND,
        date(2026, 5, 31),
        "Nog niet zelfredzaam, drie maanden verlengen.",
        decided_on=date(2026, 2, 25),
    )

    march = full_run(backoffice, approver, regeling.region, MAR)
    assert paid(march, person) == ([], 200_000)

    april = full_run(backoffice, approver, regeling.region, date(2026, 4, 1))
    assert paid(april, person) == (regular, 200_000 - RENT - ENERGY)

    may = full_run(backoffice, approver, regeling.region, date(2026, 5, 1))
    assert paid(may, person) == (with_ahead, 200_000 - RENT - ENERGY - withheld_ahead)


def test_a_cancelled_run_did_not_pay_ahead(backoffice, approver, regeling):
    """Only a run that was not cancelled counts as having paid the month ahead."""
    regeling.prepay_last_month = regeling.prepay_from_bridging = True
    regeling.save()
    debtor_account(regeling.region)
    person = ready_participant(regeling)
    cancelled = services.prepare_run(backoffice, regeling.region, FEB)
    services.cancel_run(backoffice, cancelled)
    plans.decide_end_or_extend(
        case_worker_for(regeling),
        person.plans.get(),
        PlanDecisionKind.EXTEND,
        date(2026, 5, 31),
        "Nog niet zelfredzaam, drie maanden verlengen.",
        decided_on=date(2026, 2, 25),
    )
    march = full_run(backoffice, approver, regeling.region, MAR)
    assert paid(march, person) == (
        [(InstructionKind.CREDITOR, ENERGY), (InstructionKind.CREDITOR, RENT)],
        INCOME - RENT - ENERGY,
    )
