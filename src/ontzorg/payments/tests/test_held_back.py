"""Payees whose data a bank file cannot hold are held back as cases before approval, so one
name in Arabic or Ge'ez script no longer blocks a whole region: the run pays everyone else,
is approved and exports a pain.001 that validates. Once the name is fixed (by four eyes) the
held-back payments join the draft run."""

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from lxml import etree

from ontzorg.approvals import proposals
from ontzorg.approvals.tests.helpers import colleague_of, decide_and_approve
from ontzorg.audit.models import AuditEntry
from ontzorg.exceptions import Refused
from ontzorg.payments import pain001, services
from ontzorg.payments.constants import InstructionKind, RunStatus
from ontzorg.payments.models import PayeeCase
from ontzorg.plans import payees
from ontzorg.plans.constants import ShortfallChoice
from ontzorg.plans.tests.factories import CreditorFactory

from .factories import PERIOD, debtor_account, ready_participant

pytestmark = pytest.mark.django_db

ARABIC = ("محمد", "الحسن")
ETHIOPIC = ("ዮናስ", "ገብረመድህን")


def file_payments(run) -> list[tuple[str, str, str]]:
    """(EndToEndId, creditor name, IBAN) of every payment in the run's files, each file
    validated against the XSD of its version."""
    found = []
    for payment_file in run.files.order_by("sequence"):
        with default_storage.open(payment_file.file.name) as f:
            pain001.validate(f, run.pain_version)
        with default_storage.open(payment_file.file.name) as f:
            tree = etree.parse(f)
        for tx in tree.iter("{*}CdtTrfTxInf"):
            found.append(
                (
                    tx.findtext("{*}PmtId/{*}EndToEndId"),
                    tx.findtext("{*}Cdtr/{*}Nm"),
                    tx.findtext("{*}CdtrAcct/{*}Id/{*}IBAN"),
                )
            )
    return found


@pytest.fixture
def scripts_region(regeling):
    debtor_account(regeling.region)
    return {
        "arabic": ready_participant(regeling, first_name=ARABIC[0], last_name=ARABIC[1]),
        "ethiopic": ready_participant(regeling, first_name=ETHIOPIC[0], last_name=ETHIOPIC[1]),
        "latin": ready_participant(regeling, first_name="Amina", last_name="Haddad"),
    }


def test_names_the_bank_cannot_read_are_held_back_and_the_run_exports(
    backoffice, approver, region, scripts_region
):
    arabic, ethiopic, latin = (scripts_region[k] for k in ("arabic", "ethiopic", "latin"))
    assert arabic.account_holder_name == ethiopic.account_holder_name == ""

    run = services.prepare_run(backoffice, region, PERIOD)
    run.refresh_from_db()
    assert run.status == RunStatus.DRAFT

    cases = {case.participant: case for case in run.payee_cases.all()}
    assert set(cases) == {arabic, ethiopic}
    for participant, case in cases.items():
        assert case.creditor is None  # their own account: the leefgeld
        assert case.problem == "De naam van de rekeninghouder ontbreekt."
        assert case.held_cents == 130_061 - 65_000 - 12_000
        assert not run.instructions.filter(
            participant=participant, kind=InstructionKind.ALLOWANCE
        ).exists()
        # Their rent and energy go to creditors the bank knows: those are paid.
        assert run.instructions.filter(participant=participant).count() == 2

    services.approve_run(approver, run)
    services.export_run(approver, run)

    paid = file_payments(run)
    assert len(paid) == 3 * 2 + 1  # all fixed costs, and the one leefgeld that can be paid
    assert (latin.account_holder_name, latin.iban) in {(name, iban) for _, name, iban in paid}
    assert {e2e for e2e, _, _ in paid} == set(
        run.instructions.exclude(kind=InstructionKind.SAVINGS).values_list(
            "end_to_end_id", flat=True
        )
    )
    assert all(name and name.isascii() for _, name, _ in paid)


def test_a_payee_with_an_invalid_iban_is_held_back_too(backoffice, approver, region, regeling):
    debtor_account(region)
    broken = CreditorFactory(name="Woonstichting Kapot")
    # Data from before IBAN checks, as an import may leave them (not through a service).
    type(broken).objects.filter(pk=broken.pk).update(iban="NL00INGB0000000000")
    tenant = ready_participant(regeling, landlord=broken)
    other = ready_participant(regeling)

    run = services.prepare_run(backoffice, region, PERIOD)

    case = run.payee_cases.get()
    assert (case.participant, case.creditor) == (tenant, broken)
    assert "IBAN" in case.problem
    services.approve_run(approver, run)
    services.export_run(approver, run)
    assert other.iban in {iban for _, _, iban in file_payments(run)}
    assert "NL00INGB0000000000" not in {iban for _, _, iban in file_payments(run)}


def test_a_mixed_name_is_fixed_by_four_eyes_and_then_paid_in_full(
    client, backoffice, approver, region, regeling
):
    debtor_account(region)
    mixed = ready_participant(regeling, first_name="Ahmed محمد", last_name="Ali")
    run = services.prepare_run(backoffice, region, PERIOD)
    case = run.payee_cases.get()
    assert case.participant == mixed

    # The run page links the held-back payee to its account page.
    client.force_login(backoffice)
    page = client.get(reverse("payments:detail", args=[run.pk])).content.decode()
    url = reverse("plans:participant_payee", args=[mixed.pk])
    assert "Tegengehouden betalingen" in page and url in page

    # The page suggests every part of the name, transliterated; nothing is dropped.
    form = client.get(url).context["form"]
    assert form["account_holder_name"].value() == "Ahmed Mhmd Ali"
    response = client.post(url, {"account_holder_name": "Ahmed Mhmd Ali", "iban": mixed.iban})
    assert response.status_code == 302
    proposal = payees.pending_for(mixed).get()
    mixed.refresh_from_db()
    assert mixed.account_holder_name == ""  # nothing changes before a colleague approves

    # Until then the case stays held back.
    assert services.recheck_held_back(backoffice, run) == (0, 1)
    with pytest.raises(Refused, match="eigen voorstel"):
        proposals.approve(backoffice, proposal)
    proposals.approve(approver, proposal)
    mixed.refresh_from_db()
    assert mixed.account_holder_name == "Ahmed Mhmd Ali"
    assert mixed.full_name == "Ahmed محمد Ali"  # the name in their own script stays, for letters
    assert AuditEntry.objects.filter(event="payee.changed", actor=approver).exists()

    response = client.post(reverse("payments:recheck", args=[run.pk]))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.is_resolved and case.resolved_by == backoffice
    allowance = run.instructions.get(participant=mixed, kind=InstructionKind.ALLOWANCE)
    assert allowance.name == "Ahmed Mhmd Ali"
    assert allowance.amount_cents == case.held_cents

    services.approve_run(approver, run)
    services.export_run(approver, run)
    assert ("Ahmed Mhmd Ali", mixed.iban) in {(name, iban) for _, name, iban in file_payments(run)}


def test_held_back_payments_are_paid_in_a_later_run_once_the_name_is_right(
    backoffice, approver, region, regeling
):
    """Held back means postponed, never lost: a case still open when its run is approved is
    paid, with its own month and amount, by the first later run that finds the data right;
    a cancelled later run leaves it for the next one, and it is paid exactly once."""
    debtor_account(region)
    person = ready_participant(regeling, first_name=ARABIC[0], last_name=ARABIC[1])
    run = services.prepare_run(backoffice, region, PERIOD)
    services.approve_run(approver, run)
    with pytest.raises(Refused, match="goedgekeurd"):
        services.recheck_held_back(backoffice, run)
    case = PayeeCase.objects.get(run=run, resolved_at__isnull=True)
    held = {(row["kind"], row["amount_cents"]) for row in case.instructions}

    # Still unreadable next month: held back in that run as well, the old case stays open.
    december = PERIOD.replace(month=12)
    services.cancel_run(backoffice, services.prepare_run(backoffice, region, december))
    case.refresh_from_db()
    assert case.carried_to is None

    proposal = payees.propose_change(
        backoffice, person, {"account_holder_name": "Mhmd Alhsn", "iban": person.iban}
    )
    proposals.approve(approver, proposal)

    first = services.prepare_run(backoffice, region, december)
    case.refresh_from_db()
    assert case.carried_to == first
    carried = first.instructions.filter(participant=person, period=PERIOD)
    assert {(i.kind, i.amount_cents) for i in carried} == held
    assert {i.name for i in carried} == {"Mhmd Alhsn"}

    # The run that carried it is cancelled: the next one pays it, once.
    services.cancel_run(backoffice, first)
    second = services.prepare_run(backoffice, region, december)
    case.refresh_from_db()
    assert case.carried_to == second
    assert second.instructions.filter(participant=person, period=PERIOD).count() == len(held)
    assert services.carry_over_held_back(second) == 0
    assert second.instructions.filter(participant=person, period=PERIOD).count() == len(held)
    services.approve_run(colleague_of(backoffice, "bo3"), second)
    services.export_run(approver, second)
    paid = second.instructions.filter(participant=person, period=PERIOD)
    assert {i.end_to_end_id for i in paid} <= {e2e for e2e, _, _ in file_payments(second)}


def test_a_shortfall_decided_later_holds_back_its_payee_as_well(
    backoffice, approver, region, regeling
):
    """The payments a shortfall decision adds to the draft run go through the same check."""
    debtor_account(region)
    short = ready_participant(
        regeling, first_name=ARABIC[0], last_name=ARABIC[1], income_cents=50_000
    )
    run = services.prepare_run(backoffice, region, PERIOD)
    assert not run.payee_cases.exists()
    decide_and_approve(
        backoffice,
        approver,
        run.shortfalls.get(),
        choice=ShortfallChoice.EXTRA_INCOME,
        extra_cents=100_000,
        reason="Eenmalige nabetaling van de uitkering",
    )
    case = run.payee_cases.get()
    assert case.participant == short and case.creditor is None
    third = colleague_of(backoffice, "bo3")
    services.approve_run(third, run)
    services.export_run(third, run)
    assert all(name.isascii() for _, name, _ in file_payments(run))


def test_a_one_off_payment_to_an_unreadable_name_is_held_back(
    frozen_clock, backoffice, approver, region, regeling
):
    """An approved one-off payment joins the draft run through the same check."""
    from datetime import date

    from ontzorg.participants.tests.factories import ParticipantFactory
    from ontzorg.plans import payouts

    march = date(2026, 3, 1)
    debtor_account(region)
    participant = ParticipantFactory(regeling=regeling, first_name=ETHIOPIC[0], last_name="Haile")
    run = services.prepare_run(backoffice, region, march)
    proposals.approve(
        approver,
        payouts.propose_one_off(
            backoffice,
            participant,
            amount_cents=3_000,
            period=march,
            reason="Extra leefgeld voor de winterjas",
            advance_reason="Voorschot, wordt met leefgeld verrekend",
        ),
    )
    case = run.payee_cases.get()
    assert (case.participant, case.creditor, case.plan, case.held_cents) == (
        participant,
        None,
        None,
        3_000,
    )
    assert not run.instructions.filter(kind=InstructionKind.ONE_OFF).exists()

    proposals.approve(
        approver,
        payees.propose_change(
            backoffice,
            participant,
            {"account_holder_name": "Yonas Haile", "iban": participant.iban},
        ),
    )
    assert services.recheck_held_back(backoffice, run) == (1, 0)
    one_off = run.instructions.get(kind=InstructionKind.ONE_OFF)
    assert (one_off.name, one_off.amount_cents) == ("Yonas Haile", 3_000)
