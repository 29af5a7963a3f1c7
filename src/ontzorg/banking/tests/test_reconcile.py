"""Reconciliation end to end: a booked run, the bank's statement, returns and re-payments."""

from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from lxml import etree

from ontzorg.approvals import proposals
from ontzorg.audit.models import AuditEntry
from ontzorg.banking import decisions, imports, repay
from ontzorg.banking.constants import MatchRule, MatchStatus, ReconciliationKind, ReturnStatus
from ontzorg.banking.models import BankEntry, Reconciliation, ReturnedPayment
from ontzorg.exceptions import Refused
from ontzorg.ledger import services as ledger
from ontzorg.ledger.constants import AccountKind
from ontzorg.ledger.models import Transaction
from ontzorg.participants.tests.factories import ParticipantFactory
from ontzorg.payments import services as payments
from ontzorg.payments.constants import InstructionKind
from ontzorg.payments.models import DebtorAccount, PaymentInstruction
from ontzorg.payments.tests.factories import PERIOD, debtor_account, ready_participant
from ontzorg.payments.tests.guards import approved_runs_writable
from ontzorg.plans.tests.factories import IncomeFactory
from ontzorg.regelingen.tests.factories import RegelingFactory, RegionFactory
from ontzorg.signals.constants import SignalKind
from ontzorg.signals.models import Signal
from ontzorg_demo.camtgen import Detail, GenEntry

from .conftest import DEBTOR_IBAN, debit_of, paid, return_of, statement

FILES = Path(__file__).parent / "files"


def repaid(proposer, approver, returned):
    """`proposer` proposes paying `returned` again, `approver` approves; the return, fresh."""
    proposals.approve(approver, repay.propose_retry(proposer, returned))
    returned.refresh_from_db()
    return returned


def balances(participant):
    return {(a.kind, a.creditor_id): cents for a, cents in ledger.participant_balances(participant)}


def test_statement_confirms_every_payment_of_a_booked_run(backoffice, booked_run):
    instructions = paid(booked_run)
    job = imports.import_statement(
        backoffice, statement([debit_of(i) for i in instructions], version="camt.053.001.08")
    )
    assert (job.entries_new, job.matched, job.unmatched) == (len(instructions), 6, 0)
    for instruction in instructions:
        reconciliation = Reconciliation.objects.get(instruction=instruction)
        assert reconciliation.kind == ReconciliationKind.PAYMENT
        assert reconciliation.rule == MatchRule.END_TO_END
        assert reconciliation.entry.amount_cents == -instruction.amount_cents
        # The bank's confirmation points at the posting that booked the payment as paid.
        assert reconciliation.transaction.key == f"instruction:{instruction.end_to_end_id}"
    assert ledger.balance_check(run=booked_run).balanced
    assert ledger.balance_check().balanced


def test_importing_the_statement_twice_confirms_and_books_nothing_twice(backoffice, booked_run):
    data = statement([debit_of(i) for i in paid(booked_run)])
    imports.import_statement(backoffice, data)
    transactions = Transaction.objects.count()
    again = imports.import_statement(backoffice, data)
    assert (again.entries_new, again.duplicates_skipped, again.matched) == (0, 6, 0)
    assert Reconciliation.objects.count() == 6
    assert Transaction.objects.count() == transactions


def test_second_debit_with_the_same_end_to_end_id_is_not_a_confirmation(backoffice, booked_run):
    first = paid(booked_run)[0]
    job = imports.import_statement(
        backoffice, statement([debit_of(first, "A"), debit_of(first, "B")])
    )
    assert (job.matched, job.unmatched) == (1, 1)
    assert BankEntry.objects.get(entry_key="ref:B").match_status == MatchStatus.UNMATCHED


def test_debit_of_another_amount_or_account_is_left_for_the_queue(backoffice, booked_run):
    instruction = paid(booked_run)[0]
    wrong_amount = debit_of(instruction, "X")
    wrong_amount.amount_cents -= 1
    wrong_amount.details[0].amount_cents = None
    job = imports.import_statement(backoffice, statement([wrong_amount]))
    assert (job.matched, job.unmatched) == (0, 1)
    other = imports.import_statement(
        backoffice, statement([debit_of(instruction, "Y")], iban="NL91ABNA0417164300")
    )
    assert (other.matched, other.unmatched) == (0, 1)
    assert not Reconciliation.objects.exists()


def test_return_reverses_exactly_the_returned_payment_and_opens_a_task(backoffice, booked_run):
    instructions = paid(booked_run)
    rent = next(i for i in instructions if i.kind == InstructionKind.CREDITOR)
    participant = rent.participant
    before = balances(participant)
    imports.import_statement(backoffice, statement([debit_of(i) for i in instructions]))
    job = imports.import_statement(
        backoffice, statement([return_of(rent, "AC04")], statement_id="AFS-2")
    )
    assert (job.matched, job.unmatched) == (1, 0)
    returned = ReturnedPayment.objects.get()
    assert returned.instruction == rent
    assert (returned.reason_code, returned.status) == ("AC04", ReturnStatus.OPEN)
    original = Transaction.objects.get(key=f"instruction:{rent.end_to_end_id}")
    assert returned.reversal.reverses == original
    # Only this payment was reversed; the money is back on the participant's account.
    assert Transaction.objects.filter(reverses__isnull=False).count() == 1
    after = balances(participant)
    assert after[(AccountKind.WITHHELD, None)] == before[(AccountKind.WITHHELD, None)] - (
        rent.amount_cents
    )
    assert ledger.balance_check(run=booked_run).balanced
    assert ledger.balance_check(participant=participant).balanced
    signal = Signal.objects.get(kind=SignalKind.RETURNED_PAYMENT)
    assert signal.participant == participant
    assert "AC04" in signal.note and "rekening opgeheven" in signal.note
    # The same return in another file (camt.054 then camt.053) changes nothing.
    imports.import_statement(backoffice, statement([return_of(rent, "AC04")], statement_id="AFS-3"))
    assert ReturnedPayment.objects.count() == 1
    assert Signal.objects.filter(kind=SignalKind.RETURNED_PAYMENT).count() == 1
    assert Transaction.objects.filter(reverses__isnull=False).count() == 1


def returned_rent(backoffice, booked_run, reason="AC04"):
    rent = next(i for i in paid(booked_run) if i.kind == InstructionKind.CREDITOR)
    imports.import_statement(backoffice, statement([return_of(rent, reason)]))
    return ReturnedPayment.objects.get(instruction=rent)


def test_retry_is_refused_until_the_creditor_account_is_corrected(backoffice, booked_run):
    returned = returned_rent(backoffice, booked_run, "AC04")
    with pytest.raises(Refused, match="rekeninggegevens"):
        repay.propose_retry(backoffice, returned)
    returned.refresh_from_db()
    assert returned.status == ReturnStatus.OPEN
    assert not Transaction.objects.filter(key__startswith="repay:").exists()


def test_retry_pays_exactly_once_to_the_corrected_account(backoffice, approver, booked_run):
    returned = returned_rent(backoffice, booked_run, "AC04")
    creditor = returned.instruction.creditor
    creditor.iban = "NL91ABNA0417164300"
    creditor.save()
    participant = returned.instruction.participant
    before = balances(participant)
    proposal = repay.propose_retry(backoffice, returned)
    returned.refresh_from_db()
    assert returned.status == ReturnStatus.OPEN  # proposed, not paid
    with pytest.raises(Refused, match="eigen voorstel"):
        proposals.approve(backoffice, proposal)
    proposals.approve(approver, proposal)
    returned.refresh_from_db()
    assert returned.status == ReturnStatus.REPAID
    assert returned.repay_iban == "NL91ABNA0417164300"
    assert returned.repaid_by == backoffice
    assert returned.repay_transaction.key == f"repay:{returned.instruction.end_to_end_id}"
    after = balances(participant)
    assert after[(AccountKind.WITHHELD, None)] == before[(AccountKind.WITHHELD, None)] + (
        returned.amount_cents
    )
    assert ledger.balance_check(run=booked_run).balanced
    with default_storage.open(returned.repay_file) as f:
        tree = etree.parse(f)
    assert [e.text for e in tree.iter("{*}EndToEndId")] == [returned.repay_end_to_end_id]
    assert [e.text for e in tree.iter("{*}IBAN")][-1] == "NL91ABNA0417164300"
    # A second click, by anyone, pays nothing.
    with pytest.raises(Refused, match="al opnieuw"):
        repay.propose_retry(approver, returned)
    with pytest.raises(Refused, match="al besloten"):
        proposals.approve(approver, proposal)
    assert Transaction.objects.filter(key__startswith="repay:").count() == 1
    assert AuditEntry.objects.filter(summary__contains="opnieuw betaald").count() == 1
    # The bank's debit of the re-payment confirms it.
    repayment = GenEntry(
        -returned.amount_cents,
        servicer_ref="REPAY-1",
        details=[Detail(end_to_end_id=returned.repay_end_to_end_id)],
    )
    job = imports.import_statement(backoffice, statement([repayment], statement_id="AFS-9"))
    assert job.matched == 1
    assert Reconciliation.objects.get(kind=ReconciliationKind.REPAYMENT).returned_payment == (
        returned
    )


def test_a_repayment_is_paid_only_to_the_account_that_was_approved(
    backoffice, approver, booked_run
):
    allowance = next(i for i in paid(booked_run) if i.kind == InstructionKind.ALLOWANCE)
    imports.import_statement(backoffice, statement([return_of(allowance, "MS03")]))
    returned = ReturnedPayment.objects.get()
    proposal = repay.propose_retry(backoffice, returned)
    # The account changes after the proposal: the approver never saw the new one.
    participant = allowance.participant
    type(participant).objects.filter(pk=participant.pk).update(iban="NL91ABNA0417164300")
    with pytest.raises(Refused, match="gewijzigd na dit voorstel"):
        proposals.approve(approver, proposal)
    returned.refresh_from_db()
    assert returned.status == ReturnStatus.OPEN
    assert not Transaction.objects.filter(key__startswith="repay:").exists()


def test_returned_allowance_is_paid_again_to_the_participant(backoffice, approver, booked_run):
    allowance = next(i for i in paid(booked_run) if i.kind == InstructionKind.ALLOWANCE)
    imports.import_statement(backoffice, statement([return_of(allowance, "MS03")]))
    returned = ReturnedPayment.objects.get()
    # MS03 (no reason given) says nothing about the account: paying again is allowed.
    returned = repaid(backoffice, approver, returned)
    assert returned.repay_iban == allowance.participant.iban.replace(" ", "")
    assert ledger.balance_check(participant=allowance.participant).balanced


def test_income_is_matched_by_bsn_iban_or_unique_amount(backoffice, region, regeling):
    DebtorAccount.objects.create(region=region, name="Gemeente", iban=DEBTOR_IBAN)
    by_bsn, by_iban, by_amount, twin = (ParticipantFactory(regeling=regeling) for _ in range(4))
    IncomeFactory(participant=by_amount, amount_cents=84_217, valid_from=PERIOD)
    IncomeFactory(participant=twin, amount_cents=50_000, valid_from=PERIOD)
    IncomeFactory(participant=by_bsn, amount_cents=50_000, valid_from=PERIOD)

    def credit(cents, ref, **detail):
        return GenEntry(cents, servicer_ref=ref, details=[Detail(**detail)])

    entries = [
        credit(13_100, "T1", remittance_lines=[f"ZORGTOESLAG BSN {by_bsn.bsn}"]),
        credit(2_000, "T2", debtor_iban=by_iban.iban, debtor_name=by_iban.full_name),
        credit(84_217, "T3", remittance_lines=["Salaris periode 11"]),
        credit(50_000, "T4", remittance_lines=["Uitkering"]),  # two expect this: queue
        credit(1_250, "T5", remittance_lines=["Rente"]),
    ]
    job = imports.import_statement(backoffice, statement(entries))
    assert (job.matched, job.unmatched) == (3, 2)
    found = {
        r.entry.entry_key: (r.participant, r.rule)
        for r in Reconciliation.objects.select_related("entry")
    }
    assert found == {
        "ref:T1": (by_bsn, MatchRule.REFERENCE),
        "ref:T2": (by_iban, MatchRule.IBAN),
        "ref:T3": (by_amount, MatchRule.AMOUNT),
    }
    assert Reconciliation.objects.get(entry__entry_key="ref:T3").income.amount_cents == 84_217


def test_income_of_another_region_is_never_matched(backoffice, region, regeling):
    DebtorAccount.objects.create(region=region, name="Gemeente", iban=DEBTOR_IBAN)
    elsewhere = ParticipantFactory(
        regeling=RegelingFactory(region=RegionFactory(name="Edam-Volendam", slug="ev"))
    )
    entry = GenEntry(
        1000, servicer_ref="E1", details=[Detail(remittance_lines=[f"BSN {elsewhere.bsn}"])]
    )
    job = imports.import_statement(backoffice, statement([entry]))
    assert (job.matched, job.unmatched) == (0, 1)


def test_sample_file_returns_and_unknown_entries(backoffice, booked_run):
    """The BNG sample (.02): our three payments confirmed, a return, the rest to the queue."""
    DebtorAccount.objects.filter(region=booked_run.region).update(iban="NL14BNGH0285001234")
    participant = booked_run.instructions.first().participant
    sample = {
        "OZ-2026-11-000123-1": 61245,
        "OZ-2026-11-000123-2": 3810,
        "OZ-2026-11-000123-3": 14295,
        "OZ-2026-11-000117-2": 9840,
    }
    with approved_runs_writable():  # the booked run's payments of the sample file
        for number, (e2e, cents) in enumerate(sample.items()):
            PaymentInstruction.objects.create(
                run=booked_run,
                participant=participant,
                period=PERIOD,
                kind=InstructionKind.ALLOWANCE,
                name="Voorbeeld",
                iban="NL91ABNA0417164300",
                amount_cents=cents,
                due_cents=cents,
                pay_on=PERIOD.replace(day=20 + number),
                end_to_end_id=e2e,
            )
    # Post them as the run's booking does (it posts only what is missing), so that a return
    # has a payment to reverse.
    payments.book_participants(booked_run, [participant.pk], backoffice)
    job = imports.import_statement(backoffice, FILES / "bng_camt053_001_02.xml")
    # Three confirmations and one return on the BNG account; the other statement's account
    # (NL85...) belongs to no region, so its two entries wait in the queue too.
    assert (job.entries_new, job.matched, job.unmatched) == (12, 4, 8)
    assert ReturnedPayment.objects.get().reason_code == "AC04"
    # The .08 file returns OZ-...-000123-2 (AC01): the confirmed payment is now returned.
    job = imports.import_statement(backoffice, FILES / "bng_camt053_001_08.xml")
    assert job.matched == 1
    assert set(ReturnedPayment.objects.values_list("reason_code", flat=True)) == {"AC04", "AC01"}
    assert all(returned.reversal_id for returned in ReturnedPayment.objects.all())
    assert ledger.balance_check(run=booked_run).balanced


def test_return_notified_by_camt054_then_in_the_day_statement_counts_once(backoffice, booked_run):
    rent = next(i for i in paid(booked_run) if i.kind == InstructionKind.CREDITOR)
    notification = statement([return_of(rent, "AC01")], "NTF-1", version="camt.054.001.08")
    day = statement([return_of(rent, "AC01"), GenEntry(-250)], "AFS-1")
    first = imports.import_statement(backoffice, notification)
    second = imports.import_statement(backoffice, day)
    assert (first.matched, second.matched, second.duplicates_skipped) == (1, 0, 1)
    assert ReturnedPayment.objects.get().reason_code == "AC01"
    assert Transaction.objects.filter(reverses__isnull=False).count() == 1


def test_return_before_its_run_is_booked_waits_in_the_queue(backoffice, approver, region, regeling):
    """Booking the run afterwards would post as paid what the bank gave back; so the return
    waits until the run is booked, and is then taken by hand, once."""
    debtor_account(region)
    ready_participant(regeling)
    run = payments.prepare_run(backoffice, region, PERIOD)
    payments.approve_run(approver, run)
    payments.export_run(approver, run)
    rent = next(i for i in paid(run) if i.kind == InstructionKind.CREDITOR)

    job = imports.import_statement(backoffice, statement([return_of(rent, "AC04")]))

    assert (job.matched, job.unmatched) == (0, 1)
    entry = BankEntry.objects.get()
    assert entry.match_status == MatchStatus.UNMATCHED
    assert not ReturnedPayment.objects.exists()
    assert not Reconciliation.objects.exists()
    with pytest.raises(Refused, match="nog niet geboekt"):
        decisions.assign_to_instruction(
            backoffice, entry, rent.end_to_end_id, note="retour van de bank"
        )
    assert not ReturnedPayment.objects.exists()

    payments.book_run(backoffice, run)
    decisions.assign_to_instruction(backoffice, entry, rent.end_to_end_id, note="retour")

    returned = ReturnedPayment.objects.get()
    original = Transaction.objects.get(key=f"instruction:{rent.end_to_end_id}")
    assert returned.reversal.reverses == original
    assert ledger.balance_check(run=run).balanced
    assert ledger.balance_check(participant=rent.participant).balanced


def test_repayment_made_after_the_cut_off_asks_for_the_next_business_day(
    frozen_clock, backoffice, approver, booked_run, settings
):
    settings.ONTZORG_PAYMENT_CUTOFF = "14:00"
    allowance = next(i for i in paid(booked_run) if i.kind == InstructionKind.ALLOWANCE)
    imports.import_statement(backoffice, statement([return_of(allowance, "MS03")]))
    frozen_clock.move_to("2026-03-20 15:00+01:00")  # a Friday afternoon
    returned = repaid(backoffice, approver, ReturnedPayment.objects.get())
    with default_storage.open(returned.repay_file) as f:
        tree = etree.parse(f)
    asked = ["".join(e.itertext()).strip() for e in tree.iter("{*}ReqdExctnDt")]
    assert asked == ["2026-03-23"]  # Monday
