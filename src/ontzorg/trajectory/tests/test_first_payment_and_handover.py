"""Issue 12, points 3 and 4, driven through the pages as a user does (`journey.Journey`):

- the time from the bijstand start and the key handover to the first payment per creditor,
  the dashboard warning for a participant still waiting past the regeling's days, and a
  bridging payment under four eyes, paid by the run and booked in the ledger once;
- the handover checks of handed-back fixed costs at the end and in nazorg, and the daily
  job that signals a missing or failed check once however often it runs."""

from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from ontzorg.approvals import proposals
from ontzorg.approvals.models import Proposal
from ontzorg.exceptions import Refused
from ontzorg.ledger.models import Entry
from ontzorg.payments import services as payments
from ontzorg.payments.models import PaymentInstruction, PaymentRun
from ontzorg.plans import first_payment, payouts
from ontzorg.plans.models import OneOffPayment
from ontzorg.signals.constants import SignalKind
from ontzorg.signals.models import Signal
from ontzorg.trajectory import handover
from ontzorg.trajectory.models import HandoverCheck

from .journey import Payment, StepFailed
from .test_journeys import IBAN, intake_values, pilot, plan_with_lines

pytestmark = pytest.mark.django_db

APRIL = date(2026, 4, 1)
WAITING = "wacht-op-eerste-betaling"
LINES = [("Huur", "huur", 70_000, 1), ("Energie (gas en stroom)", "energie", 15_000, 15)]


@pytest.fixture
def region_pilot(db):
    return pilot(
        "capelle",
        "Capelle",
        "Capelle aan den IJssel",
        package=["huur", "energie", "zorgverzekering"],
        instrument="Drie niveaus Capelle",
        first_payment_warn_days=14,
        bridging_max_cents=400_00,
        handover_check_months="1,3",
        ends_all_at_once=True,
    )


def _warned(j, participant) -> bool:
    """Whether the dashboard's "waiting for the first payment" list shows the participant."""
    listing = reverse("participants:list") + f"?aandacht={WAITING}"
    return (
        reverse("participants:detail", args=[participant.pk])
        in j.get("klantmanager", listing).content.decode()
    )


def test_first_payment_warning_and_bridging_payment(frozen_clock, region_pilot):
    p = region_pilot
    j = p.journey(frozen_clock)
    amina = j.intake(intake_values(p))  # bijstand from 1 April 2026
    plan_with_lines(j, amina, p, LINES, income=190_000)
    j.step = "key handover"
    j.submit(
        "klantmanager",
        reverse("plans:keys_received", args=[amina.pk]),
        {"received_on": date(2026, 3, 13)},
    )
    detail = reverse("participants:detail", args=[amina.pk])
    assert 'id="eerste-betaling"' in j.get("klantmanager", detail).content.decode()

    # Fourteen days after the start nobody is warned yet; the fifteenth day they are.
    j.at(date(2026, 4, 15))
    assert not _warned(j, amina)
    j.at(date(2026, 4, 16))
    assert _warned(j, amina)
    dashboard = j.get("klantmanager", reverse("dashboard")).content.decode()
    assert f"aandacht={WAITING}" in dashboard
    waiting = first_payment.for_participant(amina)
    assert waiting.keys_received_on == date(2026, 3, 13)
    assert {(r.name, r.waiting_days, r.overdue) for r in waiting.rows} == {
        (p.creditors["huur"].name, 15, True),
        (p.creditors["energie"].name, 15, True),
    }
    assert 'class="badge bad"' in j.get("klantmanager", detail).content.decode()

    # A bridging payment: above the regeling's maximum it is refused ...
    bridging = reverse("plans:bridging", args=[amina.pk])
    j.step = "bridging above the maximum"
    with pytest.raises(StepFailed, match="400,00"):
        j.submit("preparer", bridging, {"amount": "450.00", "reason": "Huur wacht op uitkering"})
    # ... up to it, it is a proposal; the proposer cannot approve it, nor propose it twice.
    j.step = "bridging"
    j.submit("preparer", bridging, {"amount": "300.00", "reason": "Huur wacht op uitkering"})
    proposal = Proposal.objects.get(kind=payouts.BRIDGING)
    with pytest.raises(StepFailed, match="wacht al een voorstel op goedkeuring"):
        j.submit("preparer", bridging, {"amount": "300.00", "reason": "Nog een keer hetzelfde"})
    assert Proposal.objects.filter(kind=payouts.BRIDGING).count() == 1
    with pytest.raises(Refused):
        proposals.approve(p.preparer, proposal)
    assert not OneOffPayment.objects.exists()
    j.step = "approve bridging"
    approve = reverse("approvals:approve", args=[proposal.pk])
    j.submit("approver", approve, {}, action=approve)
    paid = OneOffPayment.objects.get()
    assert paid.is_bridging and paid.amount_cents == 300_00 and paid.approved_by == p.approver

    # The April run pays the creditors and the bridging payment; booking it ends the wait.
    april = j.run_month(p.region, APRIL)
    assert Payment(IBAN, 300_00) in april.payments
    assert Payment(p.creditors["huur"].iban, 70_000) in april.payments
    assert not _warned(j, amina)
    done = first_payment.for_participant(amina)
    rows = {r.name: r for r in done.rows}
    rent = rows[p.creditors["huur"].name]
    # Paid when the file was made (16 April), not on the planned first of the month.
    assert date(2026, 4, 16) <= rent.first_on <= date(2026, 4, 17)
    assert rent.days_from_bijstand == (rent.first_on - APRIL).days
    assert rent.days_from_keys == (rent.first_on - date(2026, 3, 13)).days
    assert not done.waiting and not done.overdue
    # Once paid there is nothing left to bridge: a new bridging payment is refused.
    j.step = "bridging after the first payment"
    with pytest.raises(StepFailed, match="eerste betaling"):
        j.submit("preparer", bridging, {"amount": "50.00", "reason": "Nog een keer"})

    # Booked once in the ledger, however often booking is asked for.
    instruction = PaymentInstruction.objects.get(one_off=paid)
    posted = Entry.objects.filter(transaction__key=f"instruction:{instruction.end_to_end_id}")
    assert posted.exists()
    count = Entry.objects.count()
    payments.book_run(p.preparer, PaymentRun.objects.get(pk=april.pk))
    assert Entry.objects.count() == count


def _checks(j, participant) -> dict:
    return {(d.line.creditor.name, d.months_after): d for d in handover.schedule_for(participant)}


def _record(j, participant, due, **values):
    url = reverse("trajectory:participant", args=[participant.pk])
    action = reverse("trajectory:handover_check", args=[participant.pk])
    return j.submit("klantmanager", url, {"check": due.key, **values}, action=action)


def _scan(day) -> int:
    call_command("check_handovers", "--date", day.isoformat(), stdout=_Null())
    return Signal.objects.filter(kind=SignalKind.HANDOVER_CHECK).count()


def test_handover_checks_at_the_end_and_in_nazorg(frozen_clock, region_pilot):
    p = region_pilot
    j = p.journey(frozen_clock)
    amina = j.intake(intake_values(p))
    plan_with_lines(j, amina, p, LINES, income=190_000)
    rent, energy = p.creditors["huur"].name, p.creditors["energie"].name

    # Energy is handed back in August; at the end (30 September) the rent goes too.
    j.at(date(2026, 7, 15))
    j.hand_back(amina, "Energie", date(2026, 8, 1))
    assert j.phase(amina) == "phase_out"
    assert set(_checks(j, amina)) == {(energy, 0), (energy, 1), (energy, 3)}
    j.at(date(2026, 9, 1))
    j.evaluate(amina, "beëindigen", reason="Zelfredzaam, betaalt voortaan alles zelf.")
    j.at(date(2026, 9, 30))
    assert j.phase(amina) == "nazorg"
    due = _checks(j, amina)
    assert {key: d.due_on for key, d in due.items()} == {
        (energy, 0): date(2026, 9, 30),
        (energy, 1): date(2026, 10, 30),
        (energy, 3): date(2026, 12, 30),
        (rent, 0): date(2026, 9, 30),
        (rent, 1): date(2026, 10, 30),
        (rent, 3): date(2026, 12, 30),
    }
    # The participant page and the trajectory page show the checks with their due dates.
    page = j.get("klantmanager", reverse("participants:detail", args=[amina.pk])).content
    assert b'id="overdrachtscontroles"' in page and b"30-12-2026" in page
    trajectory = j.get("klantmanager", reverse("trajectory:participant", args=[amina.pk]))
    assert b"30-10-2026" in trajectory.content

    # At the end: energy checked and in order; the rent check is forgotten.
    _record(
        j,
        amina,
        due[(energy, 0)],
        checked_on=date(2026, 9, 30),
        contract_in_own_name=True,
        contract_since_on=date(2026, 8, 1),
        direct_debit_running=True,
        direct_debit_since_on=date(2026, 8, 1),
    )
    assert HandoverCheck.objects.get().passed
    assert _scan(date(2026, 9, 30)) == 0  # due today: not missing yet
    assert _scan(date(2026, 10, 1)) == 1  # the rent's end check is missing
    assert _scan(date(2026, 10, 1)) == 1  # and the job runs again: still one signal
    signal = Signal.objects.get(kind=SignalKind.HANDOVER_CHECK)
    assert signal.participant == amina and rent in signal.note

    # A month into nazorg the rent's direct debit is not running: a signal at once.
    j.at(date(2026, 10, 30))
    _record(
        j,
        amina,
        _checks(j, amina)[(rent, 1)],
        checked_on=date(2026, 10, 30),
        contract_in_own_name=True,
        contract_since_on=date(2026, 10, 1),
        direct_debit_running=False,
    )
    assert Signal.objects.filter(kind=SignalKind.HANDOVER_CHECK).count() == 2
    # The next day the energy check of that month is missing too; twice run, once signalled.
    assert _scan(date(2026, 10, 31)) == 3
    assert _scan(date(2026, 10, 31)) == 3
    assert _checks(j, amina)[(rent, 1)].status == "failed"

    # A check in order cannot be recorded again; a failed one is checked again later.
    with pytest.raises(StepFailed):
        _record(j, amina, due[(energy, 0)], checked_on=date(2026, 10, 30))
    j.at(date(2026, 11, 10))
    _record(
        j,
        amina,
        _checks(j, amina)[(rent, 1)],
        checked_on=date(2026, 11, 10),
        contract_in_own_name=True,
        contract_since_on=date(2026, 10, 1),
        direct_debit_running=True,
        direct_debit_since_on=date(2026, 11, 5),
    )
    assert _checks(j, amina)[(rent, 1)].status == "done"
    assert _scan(date(2026, 11, 11)) == 3


class _Null:
    def write(self, *_args):
        pass

    def flush(self):
        pass
