"""`apply_retention` on the demo data of the six pilot regions, with the clock moved ahead:
what is past its term is anonymised or deleted; the ledger, the monitor and everyone still
within their term are untouched; and a second run changes nothing.

The audit purge counts its term by the database's clock, which a test cannot move ahead, so
the demo's audit trail stays here; ``privacy/tests/test_purge.py`` proves the purge."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.apps import apps
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from ontzorg.audit.models import AuditEntry
from ontzorg.banking.models import BankEntry, Reconciliation, ReturnedPayment, StatementImport
from ontzorg.guidance.models import Contact, PracticalCondition
from ontzorg.ledger import services as ledger
from ontzorg.measurements.models import Measurement
from ontzorg.monitor import dashboard
from ontzorg.monitor import services as monitor
from ontzorg.monitor.models import Snapshot
from ontzorg.participants.constants import Phase
from ontzorg.participants.models import Household, HouseholdMember, HouseholdMove, Participant
from ontzorg.payments.models import PayeeCase, PaymentFile, PaymentInstruction
from ontzorg.plans.models import PlanDecision, PlanLine
from ontzorg.privacy.constants import ANONYMISED, Term
from ontzorg.privacy.models import Anonymisation, AuditPurge, ErasedFile
from ontzorg.privacy.retention import NON_PARTICIPANT_PHASES, pseudonymous_bsn
from ontzorg.regelingen.models import Region
from ontzorg.signals.models import Signal, StatusChange
from ontzorg.trajectory.models import Evaluation, NazorgPeriod, Outflow

EIGHT_YEARS = timedelta(days=8 * 366)
THREE_YEARS = timedelta(days=3 * 366)

PARTICIPANT_FIELDS = (
    "bsn",
    "first_name",
    "last_name",
    "date_of_birth",
    "languages",
    "iban",
    "account_holder_name",
)


def retention_at(moment):
    with time_machine.travel(moment, tick=False):
        call_command("apply_retention", stdout=StringIO())


def everything() -> dict:
    """Every row of every table but the audit trail (where each run adds its summary)."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in apps.get_models()
        if model is not AuditEntry
    }


def monitor_figures(today):
    regions = list(Region.objects.values_list("pk", flat=True))
    found = dashboard.figures(regions, today=today, suppress=False)
    return found.phases, found.totals, found.transition, found.unmeasured, found.hours


def test_eight_years_ahead_twice(on_demo):
    now = timezone.now()
    later = now + EIGHT_YEARS
    ended = list(Participant.objects.filter(phase=Phase.ENDED).order_by("pk"))
    left = list(Participant.objects.filter(phase__in=NON_PARTICIPANT_PHASES).order_by("pk"))
    running = Participant.objects.exclude(phase__in=(Phase.ENDED, *NON_PARTICIPANT_PHASES))
    running_before = list(running.order_by("pk").values())
    assert ended and left and running_before
    unmatched = Signal.objects.filter(participant__isnull=True)
    assert unmatched.exists()
    stored_files = [
        *[job.stored_file for job in StatementImport.objects.exclude(stored_file="")],
        *[f.file.name for f in PaymentFile.objects.filter(run__booked_at__isnull=False)],
    ]
    assert stored_files and all(default_storage.exists(name) for name in stored_files)
    balances = {p.pk: ledger.participant_balances(p) for p in ended}
    whole_ledger = ledger.balance_check()
    assert whole_ledger.balanced
    figures = monitor_figures(later.date())
    audit_before = set(AuditEntry.objects.values_list("pk", flat=True))

    retention_at(later)

    # Personal data of everyone past their term is gone; the pseudonymous id stays.
    for person in ended + left:
        before = person
        person = Participant.objects.get(pk=person.pk)
        assert person.bsn == pseudonymous_bsn(person.pk)
        assert person.first_name == person.last_name == ANONYMISED
        assert person.date_of_birth == before.date_of_birth.replace(month=1, day=1)
        assert person.languages == person.iban == person.account_holder_name == ""
        # Regeling, phase and dates stay.
        assert (person.regeling_id, person.phase, person.arrival_on) == (
            before.regeling_id,
            before.phase,
            before.arrival_on,
        )
        expected_term = Term.PARTICIPANT if before.phase == Phase.ENDED else Term.NON_PARTICIPANT
        assert person.anonymisation.term == expected_term
    gone = [p.pk for p in ended + left]
    for household in Household.objects.filter(participants__pk__in=gone).distinct():
        if household.participants.filter(anonymisation__isnull=True).exists():
            continue  # a partner still takes part: the home stays as it is
        assert household.street == ANONYMISED
        assert household.house_number == household.postcode == household.city == ""
        for member in HouseholdMember.objects.filter(household=household):
            assert member.first_name == ANONYMISED
            assert (member.date_of_birth.month, member.date_of_birth.day) == (1, 1)
        for move in HouseholdMove.objects.filter(household=household):
            assert move.from_address == move.to_address == ANONYMISED
    texts = [
        (Contact.objects.filter(participant__in=gone), ("notes",)),
        (PracticalCondition.objects.filter(participant__in=gone), ("description",)),
        (Measurement.objects.filter(participant__in=gone), ("notes",)),
        (PlanDecision.objects.filter(plan__participant__in=gone), ("reason",)),
        (PlanLine.objects.filter(plan__participant__in=gone), ("reference", "removal_reason")),
        (
            Evaluation.objects.filter(participant__in=gone),
            ("participant_view", "coach_view", "case_worker_view", "readiness", "reason"),
        ),
        (Outflow.objects.filter(participant__in=gone), ("employer",)),
        (NazorgPeriod.objects.filter(participant__in=gone), ("note",)),
        (Signal.objects.filter(participant__in=gone), ("name", "note")),
        (StatusChange.objects.filter(signal__participant__in=gone), ("note",)),
        (
            PaymentInstruction.objects.filter(participant__in=gone, creditor__isnull=True),
            ("name",),
        ),
        (
            BankEntry.objects.filter(reconciliation__instruction__participant__in=gone),
            ("counterparty_name",),
        ),
        (Reconciliation.objects.filter(participant__in=gone), ("note",)),
        (PayeeCase.objects.filter(participant__in=gone), ("problem",)),
    ]
    checked = 0
    for queryset, names in texts:
        for row in queryset.values(*names):
            assert set(row.values()) <= {ANONYMISED, ""}, (queryset.model, row)
            checked += 1
    assert checked > 100  # the demo has notes, measurements, signals and payments to check
    for signal in Signal.objects.filter(participant__in=gone):
        assert (signal.bsn, signal.postcode, signal.house_number) == ("", "", "")
        assert signal.date_of_birth is None and signal.reference == ""
    paid = PaymentInstruction.objects.filter(participant__in=gone)
    assert set(paid.values_list("remittance", flat=True)) <= {""}
    own = paid.filter(creditor__isnull=True).values_list("iban", "street", "postcode", "town")
    assert set(own) <= {("", "", "", "")}
    returned = ReturnedPayment.objects.filter(instruction__participant__in=gone)
    assert set(returned.values_list("repay_iban", flat=True)) <= {""}

    # Signals about people who never took part and old files are gone; the audit trail is
    # kept by the database's clock (see the module docstring).
    assert not Signal.objects.filter(participant__isnull=True).exists()
    assert not any(default_storage.exists(name) for name in stored_files)
    assert ErasedFile.objects.count() >= len(stored_files)
    assert audit_before <= set(AuditEntry.objects.values_list("pk", flat=True))
    assert not AuditPurge.objects.exists()

    # Everyone still taking part is untouched.
    assert list(running.order_by("pk").values()) == running_before

    # The ledger balances as before; every anonymised participant keeps their balances.
    assert ledger.balance_check() == whole_ledger
    for person in ended:
        assert ledger.participant_balances(person) == balances[person.pk]

    # The monitor counts them as before, and its snapshots are intact.
    assert monitor_figures(later.date()) == figures
    for snapshot in Snapshot.objects.all():
        assert monitor.verify_snapshot(snapshot)["intact"]

    # A second run changes nothing but writing its own summary.
    state = everything()
    audit_before = set(AuditEntry.objects.values_list("pk", flat=True))
    retention_at(later + timedelta(hours=1))
    assert everything() == state
    new = AuditEntry.objects.exclude(pk__in=audit_before)
    assert [(e.event, e.params) for e in new] == [
        (
            "privacy.retention_applied",
            {"participants": 0, "signals": 0, "files": 0, "audit_entries": 0, "failed": 0},
        )
    ]


def test_within_their_term_nothing_of_the_participants_changes(on_demo):
    """Three years on, ended participants (seven years) are kept whole; people who never
    took part (two years) are anonymised; the audit trail (seven years) is not purged."""
    ended = Participant.objects.filter(phase=Phase.ENDED).order_by("pk")
    kept = list(ended.values())
    contacts = list(Contact.objects.filter(participant__in=ended).order_by("pk").values())
    audit_count = AuditEntry.objects.count()
    assert kept and contacts

    retention_at(timezone.now() + THREE_YEARS)

    assert list(ended.values()) == kept
    assert list(Contact.objects.filter(participant__in=ended).order_by("pk").values()) == contacts
    assert not Anonymisation.objects.filter(participant__in=ended).exists()
    left = Participant.objects.filter(phase__in=NON_PARTICIPANT_PHASES)
    assert left.exists()
    assert set(left.values_list("first_name", flat=True)) == {ANONYMISED}
    assert not AuditPurge.objects.exists()
    assert AuditEntry.objects.count() > audit_count


@pytest.mark.parametrize("days", [89, 91])
def test_files_go_only_after_their_term(on_demo, days):
    """The pain.001 file of a booked run goes 90 days after booking; the record stays."""
    booked = PaymentFile.objects.filter(run__booked_at__isnull=False).order_by("-run__booked_at")
    payment_file = booked.select_related("run").first()
    assert default_storage.exists(payment_file.file.name)

    retention_at(payment_file.run.booked_at + timedelta(days=days))

    erased = ErasedFile.objects.for_object(payment_file).filter(name=payment_file.file.name)
    assert erased.exists() == (days > 90)
    assert default_storage.exists(payment_file.file.name) == (days <= 90)
    assert PaymentFile.objects.filter(pk=payment_file.pk).exists()
