"""The payment run from preparation to booking: four eyes, shortfalls, export, ledger."""

import pytest
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from lxml import etree

from ontzorg.approvals import proposals
from ontzorg.approvals.tests.helpers import colleague_of, decide_and_approve
from ontzorg.exceptions import PermissionDenied, Refused
from ontzorg.ledger import services as ledger
from ontzorg.ledger.models import Entry, Transaction
from ontzorg.payments import pain001, services
from ontzorg.payments.constants import InstructionKind, PainVersion, RunStatus
from ontzorg.payments.models import PaymentInstruction, PaymentRun
from ontzorg.plans import services as plans_services
from ontzorg.plans.constants import ShortfallChoice
from ontzorg.plans.models import ShortfallDecision
from ontzorg.regelingen.tests.factories import RegionFactory

from .factories import PERIOD
from .guards import approved_runs_writable

pytestmark = pytest.mark.django_db


def end_to_end_ids(run):
    """Every EndToEndId in the run's exported files, in file order (duplicates kept)."""
    found = []
    for payment_file in run.files.order_by("sequence"):
        with default_storage.open(payment_file.file.name) as f:
            tree = etree.parse(f)
        found += [e.text for e in tree.iter("{*}EndToEndId")]
    return found


def decide(user, run, approver=None):
    """`user` proposes a decision on every open shortfall; a colleague approves each."""
    approver = approver or colleague_of(user)
    for case in run.shortfalls.filter(decision__isnull=True):
        decide_and_approve(
            user,
            approver,
            case,
            choice=ShortfallChoice.PAY_PARTIALLY,
            reason="Huur gaat voor, rest later",
        )


def test_prepare_computes_instructions_and_shortfalls(backoffice, region, ready_region):
    run = services.prepare_run(backoffice, region, PERIOD.replace(day=17))
    run.refresh_from_db()
    assert run.period == PERIOD
    assert run.status == RunStatus.DRAFT
    assert run.done_participants == run.total_participants == 3
    kinds = sorted(run.instructions.values_list("kind", flat=True))
    assert kinds == sorted(
        [InstructionKind.CREDITOR] * 4 + [InstructionKind.ALLOWANCE] * 2 + [InstructionKind.SAVINGS]
    )
    case = run.shortfalls.get()
    assert case.participant == ready_region["short"]
    assert case.shortfall_cents == 65_000 + 12_000 - 50_000
    # Nothing is instructed for the participant with a shortfall until someone decides.
    assert not run.instructions.filter(participant=ready_region["short"]).exists()
    first = ready_region["paid"][0]
    allowance = run.instructions.get(participant=first, kind=InstructionKind.ALLOWANCE)
    assert allowance.amount_cents == 130_061 - 65_000 - 12_000
    assert allowance.iban == first.iban


def test_second_run_for_the_same_month_is_refused(backoffice, approver, region, ready_region):
    services.prepare_run(backoffice, region, PERIOD)
    with pytest.raises(Refused, match="al een betaalrun"):
        services.prepare_run(approver, region, PERIOD)
    assert PaymentRun.objects.count() == 1


def test_cancelled_run_makes_room_for_a_new_one(backoffice, region, ready_region):
    first = services.prepare_run(backoffice, region, PERIOD)
    services.cancel_run(backoffice, first)
    second = services.prepare_run(backoffice, region, PERIOD)
    second.refresh_from_db()
    assert second.status == RunStatus.DRAFT
    assert second.instructions.count() == first.instructions.count()


def test_four_eyes(backoffice, approver, region, ready_region):
    run = services.prepare_run(backoffice, region, PERIOD)
    decide(backoffice, run)
    with pytest.raises(Refused, match="vier-ogenprincipe"):
        services.approve_run(backoffice, run)
    run.refresh_from_db()
    assert run.status == RunStatus.DRAFT and run.approved_by is None
    services.approve_run(approver, run)
    run.refresh_from_db()
    assert run.status == RunStatus.APPROVED and run.approved_by == approver


def test_four_eyes_also_holds_in_the_database(backoffice, region):
    run = PaymentRun.objects.create(region=region, period=PERIOD, prepared_by=backoffice)
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentRun.objects.filter(pk=run.pk).update(approved_by=backoffice)


def test_undecided_shortfall_blocks_approval(backoffice, approver, region, ready_region):
    run = services.prepare_run(backoffice, region, PERIOD)
    with pytest.raises(Refused, match="1 tekort zonder besluit"):
        services.approve_run(approver, run)
    decide(backoffice, run)
    services.approve_run(approver, run)


def test_shortfall_decision_pays_in_order_of_priority(backoffice, region, ready_region):
    run = services.prepare_run(backoffice, region, PERIOD)
    decide(backoffice, run)
    paid = run.instructions.filter(participant=ready_region["short"])
    # 500.00 income: rent (650.00) first, partly; nothing left for energy or allowance.
    assert [(i.kind, i.amount_cents, i.due_cents) for i in paid] == [
        (InstructionKind.CREDITOR, 50_000, 65_000)
    ]
    with pytest.raises(Refused, match="al besloten"):
        services.propose_shortfall_decision(
            backoffice,
            run.shortfalls.get(),
            choice=ShortfallChoice.PAY_PARTIALLY,
            reason="Nog een keer besluiten",
        )


def test_a_shortfall_decision_waits_for_a_colleague(backoffice, approver, region, ready_region):
    run = services.prepare_run(backoffice, region, PERIOD)
    case = run.shortfalls.get()
    proposal = services.propose_shortfall_decision(
        backoffice, case, choice=ShortfallChoice.PAY_PARTIALLY, reason="Huur gaat voor, rest later"
    )
    case.refresh_from_db()
    assert not case.is_decided
    assert not run.instructions.filter(participant=case.participant).exists()
    with pytest.raises(Refused, match="wacht al een voorstel"):
        services.propose_shortfall_decision(
            approver, case, choice=ShortfallChoice.PAY_PARTIALLY, reason="Ook een voorstel doen"
        )
    with pytest.raises(Refused, match="eigen voorstel"):
        proposals.approve(backoffice, proposal)
    proposals.approve(approver, proposal)
    case.refresh_from_db()
    assert case.decision.decided_by == backoffice
    assert case.decision.approved_by == approver
    assert run.instructions.filter(participant=case.participant).exists()


def test_a_shortfall_decision_is_never_approved_by_its_decider(
    backoffice, approver, region, ready_region
):
    run = services.prepare_run(backoffice, region, PERIOD)
    case = run.shortfalls.get()
    with pytest.raises(Refused, match="collega"):
        plans_services.decide_shortfall(
            backoffice,
            case.plan,
            PERIOD,
            choice=ShortfallChoice.PAY_PARTIALLY,
            reason="Zonder tweede paar ogen",
            approved_by=backoffice,
        )
    decision = plans_services.decide_shortfall(
        backoffice,
        case.plan,
        PERIOD,
        choice=ShortfallChoice.PAY_PARTIALLY,
        reason="Met een tweede paar ogen",
        approved_by=approver,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        ShortfallDecision.objects.filter(pk=decision.pk).update(approved_by=backoffice)


def test_extra_income_that_is_not_enough_is_refused(backoffice, region, ready_region):
    run = services.prepare_run(backoffice, region, PERIOD)
    case = run.shortfalls.get()
    with pytest.raises(Refused, match="dekt het inkomen"):
        services.propose_shortfall_decision(
            backoffice,
            case,
            choice=ShortfallChoice.EXTRA_INCOME,
            extra_cents=100,
            reason="Zorgtoeslag telt mee",
        )
    decide_and_approve(
        backoffice,
        colleague_of(backoffice),
        case,
        choice=ShortfallChoice.EXTRA_INCOME,
        extra_cents=30_000,
        reason="Zorgtoeslag telt mee",
    )
    allowance = run.instructions.get(participant=case.participant, kind=InstructionKind.ALLOWANCE)
    assert allowance.amount_cents == 50_000 + 30_000 - 77_000


def full_run(preparer, approver, region, version=None):
    run = services.prepare_run(preparer, region, PERIOD)
    decide(preparer, run)
    services.approve_run(approver, run)
    services.export_run(approver, run, version=version)
    services.book_run(preparer, run)
    run.refresh_from_db()
    return run


@pytest.mark.parametrize("version", [PainVersion.V09, PainVersion.V03])
def test_export_writes_a_valid_file_with_every_payment_once(
    backoffice, approver, region, ready_region, version
):
    run = full_run(backoffice, approver, region, version)
    payment_file = run.files.get()
    with default_storage.open(payment_file.file.name) as f:
        pain001.validate(f, version)
    paid = run.instructions.exclude(kind=InstructionKind.SAVINGS)
    assert sorted(end_to_end_ids(run)) == sorted(paid.values_list("end_to_end_id", flat=True))
    assert payment_file.count == paid.count()
    assert payment_file.total_cents == sum(paid.values_list("amount_cents", flat=True))


def test_export_again_gives_the_same_file(backoffice, approver, region, ready_region):
    run = services.prepare_run(backoffice, region, PERIOD)
    decide(backoffice, run)
    services.approve_run(approver, run)
    [first] = services.export_run(approver, run)
    with default_storage.open(first.file.name) as f:
        content = f.read()
    [again] = services.export_run(backoffice, run)
    with default_storage.open(again.file.name) as f:
        assert f.read() == content
    assert again.sha256 == first.sha256 and again.file.name == first.file.name
    with pytest.raises(Refused, match="versie"):
        services.export_run(backoffice, run, version=PainVersion.V03)


def test_large_run_is_split_into_files(backoffice, approver, region, ready_region, settings):
    settings.ONTZORG_SEPA_BATCH_SIZE = 2
    run = services.prepare_run(backoffice, region, PERIOD)
    decide(backoffice, run)
    services.approve_run(approver, run)
    files = services.export_run(approver, run)
    assert [f.count for f in files] == [2, 2, 2, 1]
    assert len(set(end_to_end_ids(run))) == len(end_to_end_ids(run)) == 7


def test_booking_balances_the_ledger(backoffice, approver, region, ready_region):
    run = full_run(backoffice, approver, region)
    assert run.status == RunStatus.BOOKED
    check = ledger.balance_check(run=run)
    assert check.balanced
    assert check.transactions == run.instructions.count() + 3  # plus one income per person
    for participant in [*ready_region["paid"], ready_region["short"]]:
        assert ledger.balance_check(participant=participant, period=PERIOD).balanced
    assert ledger.balance_check(period=PERIOD).balanced
    first = ready_region["paid"][1]
    balances = {
        (a.kind, a.pot): cents
        for a, cents in ledger.participant_balances(first)
        if cents  # clearing accounts end at zero
    }
    # Income all allocated; only the savings pot holds money for the participant.
    assert balances == {("savings", "Buffer"): -2500}


def test_booking_twice_posts_nothing_new(backoffice, approver, region, ready_region):
    run = full_run(backoffice, approver, region)
    count = Transaction.objects.count()
    services.book_run(backoffice, run)
    assert Transaction.objects.count() == count


def test_roles_without_payment_rights_are_refused(klantmanager, coach, region, ready_region):
    for user in (klantmanager, coach):
        with pytest.raises(PermissionDenied):
            services.prepare_run(user, region, PERIOD)


def test_other_region_is_out_of_reach(backoffice, ready_region):
    other = RegionFactory(name="Den Haag", slug="den-haag")
    with pytest.raises(PermissionDenied):
        services.prepare_run(backoffice, other, PERIOD)


def test_run_without_debtor_account_is_refused_at_export(
    backoffice, approver, region, ready_region
):
    region.debtor_accounts.get(municipality=None).delete()
    run = services.prepare_run(backoffice, region, PERIOD)
    decide(backoffice, run)
    services.approve_run(approver, run)
    with pytest.raises(Refused, match="betaalrekening"):
        services.export_run(approver, run)


def test_wrong_iban_never_reaches_the_file(backoffice, approver, region, ready_region):
    run = services.prepare_run(backoffice, region, PERIOD)
    decide(backoffice, run)
    services.approve_run(approver, run)
    with approved_runs_writable():  # a row gone wrong, however it got there
        PaymentInstruction.objects.filter(pk=run.instructions.first().pk).update(
            iban="NL00INGB0000000000"
        )
    with pytest.raises(Refused, match="IBAN"):
        services.export_run(approver, run)
    assert not run.files.exists()
    run.refresh_from_db()
    assert run.status == RunStatus.APPROVED


def test_book_before_export_is_refused(backoffice, region, ready_region):
    run = services.prepare_run(backoffice, region, PERIOD)
    with pytest.raises(Refused, match="concept"):
        services.book_run(backoffice, run)
    assert not Entry.objects.exists()
