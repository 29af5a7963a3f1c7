"""Acceptance: on the demo, every participant of a region with a booked run gets an overview
whose figures equal the ledger of that month, computed here independently from the entries;
the payment the demo's bank statement returned shows as returned."""

from collections import defaultdict

import pytest

from ontzorg.accounts.models import User
from ontzorg.ledger.constants import AccountKind
from ontzorg.ledger.models import Entry, Transaction
from ontzorg.letters import services
from ontzorg.letters.models import MonthlyOverview
from ontzorg.letters.overview import PAID, RETURNED
from ontzorg.payments.constants import CREDITOR_KINDS, InstructionKind
from ontzorg.payments.models import PaymentRun

pytestmark = pytest.mark.usefixtures("on_demo")

REGION = "zoetermeer"


def _run():
    return PaymentRun.objects.get(region__slug=REGION, status="booked")


def _expected(participant_id, run):
    """From the ledger alone: income, per creditor what left the bank, leefgeld, pots."""
    reversed_keys = set(
        Transaction.objects.filter(reverses__isnull=False, period=run.period).values_list(
            "reverses__key", flat=True
        )
    )
    income = 0
    payees = defaultdict(int)
    returned = set()
    allowance = 0
    pots = defaultdict(int)
    for instruction in run.instructions.filter(participant_id=participant_id):
        key = f"instruction:{instruction.end_to_end_id}"
        entries = Entry.objects.filter(transaction__key=key)
        bank = -sum(e.amount_cents for e in entries if e.account.kind == AccountKind.BANK)
        if instruction.kind in CREDITOR_KINDS:
            payees[instruction.name] += bank
            if key in reversed_keys:
                returned.add(instruction.name)
        elif instruction.kind == InstructionKind.ALLOWANCE:
            allowance += bank
    for entry in Entry.objects.filter(
        transaction__key=f"run:{run.pk}:income:{participant_id}",
        account__kind=AccountKind.INCOME_RECEIVED,
        amount_cents__lt=0,
    ):
        income -= entry.amount_cents
    for entry in Entry.objects.filter(
        account__participant_id=participant_id,
        account__kind=AccountKind.SAVINGS,
        transaction__period__lte=run.period,
    ).select_related("account"):
        pots[entry.account.pot] -= entry.amount_cents
    return income, dict(payees), returned, allowance, dict(pots)


def test_overview_equals_the_ledger_for_every_participant_of_the_region():
    run = _run()
    count = services.generate_for_run(run)
    ids = set(run.instructions.values_list("participant_id", flat=True))
    assert count == len(ids) > 0
    for row in MonthlyOverview.objects.filter(month=run.period, participant_id__in=ids):
        overview = row.overview
        income, payees, returned, allowance, pots = _expected(row.participant_id, run)
        assert overview.income_cents == income, row
        got = defaultdict(int)
        for payment in overview.payments:
            got[payment.payee] += payment.amount_cents
        assert dict(got) == payees, row
        assert {p.payee for p in overview.payments if p.status == RETURNED} == returned
        assert sum(a.amount_cents for a in overview.allowances) == allowance
        assert {p.name: p.balance_cents for p in overview.pots} == pots


def test_the_returned_payment_of_the_bank_statement_shows_as_returned():
    run = _run()
    services.generate_for_run(run)
    reversal = Transaction.objects.get(reverses__isnull=False, period=run.period)
    key = reversal.reverses.key
    instruction = run.instructions.get(end_to_end_id=key.removeprefix("instruction:"))
    overview = MonthlyOverview.objects.get(
        participant=instruction.participant, month=run.period
    ).overview
    statuses = {p.payee: p.status for p in overview.payments}
    assert statuses[instruction.name] == RETURNED
    assert overview.has_returns
    others = [p for p in overview.payments if p.payee != instruction.name]
    assert all(p.status == PAID for p in others)


def test_generate_for_run_is_idempotent():
    run = _run()
    services.generate_for_run(run)
    first = list(MonthlyOverview.objects.order_by("pk").values("pk", "participant", "figures"))
    services.generate_for_run(run)
    again = list(MonthlyOverview.objects.order_by("pk").values("pk", "participant", "figures"))
    assert first == again


def test_staff_page_renders_bilingual_and_is_audited(client):
    from ontzorg.audit.models import AuditEntry

    run = _run()
    instruction = run.instructions.filter(kind=InstructionKind.ALLOWANCE).first()
    participant = instruction.participant
    participant.preferred_language = "ar"
    participant.save(update_fields=["preferred_language"])
    user = User.objects.filter(is_superuser=True).first()
    client.force_login(user)
    before = AuditEntry.objects.count()
    url = f"/deelnemers/{participant.pk}/maand/{run.period:%Y-%m}/"
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="ar" dir="rtl"' in html and 'lang="nl" dir="ltr"' in html
    assert AuditEntry.objects.count() > before
    assert client.get(f"/deelnemers/{participant.pk}/maand/").status_code == 200
    assert client.get(f"/deelnemers/{participant.pk}/maand/2001-01/").status_code == 404


def test_staff_page_is_not_found_for_a_user_of_another_region(client):
    from ontzorg.core import access

    run = _run()
    participant = run.instructions.first().participant
    outsider = next(
        user
        for user in User.objects.filter(is_superuser=False, is_active=True).order_by("pk")
        if (regions := access.region_ids(user)) is not None
        and regions
        and run.region_id not in regions
    )
    client.force_login(outsider)
    url = f"/deelnemers/{participant.pk}/maand/{run.period:%Y-%m}/"
    assert client.get(url).status_code == 404
