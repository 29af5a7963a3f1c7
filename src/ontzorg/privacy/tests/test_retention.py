"""Retention against the real flows of the other apps (reached through their services): a
participant paid to their own account in an approved and booked run is anonymised (also on
PostgreSQL, as the app's role, where that run's instructions are frozen by trigger), the
ledger never names them, one failing participant does not stop the run, unfinished imports
lose their files, anonymised people are not drawn or edited, and two runs never overlap."""

from contextlib import nullcontext
from datetime import date, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

from ontzorg.accounts.constants import RoleCode
from ontzorg.accounts.tests.factories import UserFactory
from ontzorg.audit.models import AuditEntry
from ontzorg.banking.constants import ImportStatus as BankImportStatus
from ontzorg.banking.models import StatementImport
from ontzorg.exceptions import Refused
from ontzorg.ledger.models import Transaction
from ontzorg.participants import services as participants
from ontzorg.participants.models import Participant
from ontzorg.participants.tests.factories import ParticipantFactory
from ontzorg.payments import services as payments
from ontzorg.payments.constants import InstructionKind
from ontzorg.payments.models import PayeeCase, PaymentInstruction
from ontzorg.payments.tests.factories import PERIOD, debtor_account, ready_participant
from ontzorg.payments.tests.test_runs import decide
from ontzorg.privacy import retention
from ontzorg.privacy.constants import ANONYMISED, Term
from ontzorg.privacy.models import Anonymisation, ErasedFile
from ontzorg.signals.constants import CreditorKind
from ontzorg.signals.constants import ImportStatus as SignalImportStatus
from ontzorg.signals.models import SignalImport

pytestmark = pytest.mark.django_db
on_postgres = connection.vendor == "postgresql"


def app_role():
    """On PostgreSQL the app's own database role (docs/production.md), whose triggers
    freeze an approved run; SQLite has no roles."""
    if not on_postgres:
        return nullcontext()
    from ontzorg.core.tests.app_role import as_app_role

    return as_app_role()


@pytest.fixture
def approver(municipality_org):
    return UserFactory(username="bo2", role_code=RoleCode.BACKOFFICE, organisation=municipality_org)


@pytest.fixture
def booked(backoffice, approver, region, regeling):
    """A booked run: Amina Haddad's leefgeld to her own account, and Mohammed's held back
    (the bank cannot read his name)."""
    debtor_account(region)
    amina = ready_participant(regeling, first_name="Amina", last_name="Haddad")
    held = ready_participant(regeling, first_name="محمد", last_name="الحسن")
    run = payments.prepare_run(backoffice, region, PERIOD)
    decide(backoffice, run)
    payments.approve_run(approver, run)
    payments.export_run(approver, run)
    payments.book_run(backoffice, run)
    own = PaymentInstruction.objects.get(run=run, participant=amina, kind=InstructionKind.ALLOWANCE)
    assert own.creditor_id is None and own.name and own.iban
    return {"amina": amina, "held": held, "run": run}


def test_own_account_payment_in_a_booked_run_is_anonymised(booked):
    amina, held = booked["amina"], booked["held"]
    case = PayeeCase.objects.get(participant=held)
    assert case.problem

    with app_role():
        for person in (amina, held):
            assert retention.anonymise(person.pk, Term.PARTICIPANT, date(2025, 12, 31))

    own = PaymentInstruction.objects.filter(participant=amina, creditor__isnull=True)
    assert own.exists()
    for values in own.values(*retention.PAYEE_FIELDS, "remittance"):
        assert set(values.values()) == {""}, values
    # A creditor's details are not the participant's and stay.
    assert PaymentInstruction.objects.filter(participant=amina, creditor__isnull=False).exclude(
        name=""
    )
    case.refresh_from_db()
    assert case.problem == ANONYMISED
    assert Anonymisation.objects.filter(participant__in=[amina, held]).count() == 2


def test_the_ledger_never_names_a_participant(booked):
    """The ledger is append-only and outlives retention: it names a creditor, never the
    participant (docs/retention.md)."""
    amina = booked["amina"]
    descriptions = list(Transaction.objects.values_list("description", flat=True))
    assert any(f"deelnemer {amina.pk}" in text for text in descriptions)
    for text in descriptions:
        assert "Amina" not in text and "Haddad" not in text, text


def candidates_left_years_ago(regeling, n: int) -> list[Participant]:
    """`n` candidates last changed three years ago: past the non-participant term."""
    with time_machine.travel(timezone.now() - timedelta(days=3 * 366), tick=False):
        return [ParticipantFactory(regeling=regeling) for _ in range(n)]


def test_one_failing_participant_does_not_stop_the_run(regeling, monkeypatch):
    broken, fine = candidates_left_years_ago(regeling, 2)
    real = retention._anonymise_records

    def fails_for_one(participant):
        real(participant)
        if participant.pk == broken.pk:
            raise RuntimeError("refused by the database")

    monkeypatch.setattr(retention, "_anonymise_records", fails_for_one)

    report = retention.apply()

    assert (report.participants, report.anonymised_ids) == (1, [fine.pk])
    assert (report.failed, report.failed_ids) == (1, [broken.pk])
    broken.refresh_from_db()
    assert broken.first_name != ANONYMISED  # its savepoint was rolled back whole
    assert not Anonymisation.objects.filter(participant=broken).exists()
    failed = AuditEntry.objects.get(event="privacy.anonymisation_failed")
    assert failed.participant_id == broken.pk
    assert failed.params["error"] == "RuntimeError"
    summary = AuditEntry.objects.get(event="privacy.retention_applied")
    assert (summary.params["participants"], summary.params["failed"]) == (1, 1)

    monkeypatch.setattr(retention, "_anonymise_records", real)
    assert retention.apply().anonymised_ids == [broken.pk]  # the next run tries again


@pytest.mark.parametrize("days", [89, 91])
def test_files_of_unfinished_imports_go_after_their_term(klantmanager, region, days):
    uploaded = timezone.now() - timedelta(days=days)
    with time_machine.travel(uploaded, tick=False):
        statement = StatementImport.objects.create(
            file_name="camt.xml",
            file_sha256="0" * 64,
            uploaded_by=klantmanager,
            status=BankImportStatus.INTERRUPTED,
            stored_file=default_storage.save("statements/camt.xml", ContentFile(b"<x/>")),
        )
        signals = SignalImport.objects.create(
            region=region,
            uploaded_by=klantmanager,
            creditor_name="Woonstad",
            creditor_kind=CreditorKind.HOUSING,
            file_name="signalen.csv",
            status=SignalImportStatus.RUNNING,
            stored_file=default_storage.save("signals/signalen.csv", ContentFile(b"bsn\n")),
        )
    names = [statement.stored_file, signals.stored_file]

    retention.apply()

    gone = days > 90
    for job, name in zip((statement, signals), names, strict=True):
        assert default_storage.exists(name) is not gone
        assert ErasedFile.objects.for_object(job).filter(name=name).exists() is gone
        job.refresh_from_db()
        assert (job.stored_file == "") is gone
    for name in names:
        if default_storage.exists(name):
            default_storage.delete(name)


def test_anonymised_people_are_not_drawn_or_edited(klantmanager, regeling):
    gone, kept = candidates_left_years_ago(regeling, 2)
    pool = participants.selection_pool(klantmanager, regeling)
    assert gone.pk in pool and kept.pk in pool

    retention.anonymise(gone.pk, Term.NON_PARTICIPANT, date(2023, 1, 1))

    pool = participants.selection_pool(klantmanager, regeling)
    assert gone.pk not in pool and kept.pk in pool
    with pytest.raises(Refused, match="geanonimiseerd"):
        participants.update_participant(klantmanager, gone, {"languages": "nl"})
    gone.refresh_from_db()
    assert gone.languages == ""
    participants.update_participant(klantmanager, kept, {"languages": "nl"})


@pytest.mark.postgres_only
@pytest.mark.skipif(not on_postgres, reason="needs PostgreSQL")
def test_a_second_run_stops_while_one_is_running(regeling):
    """Another session holds the run's lock: the command says so, exits cleanly and changes
    nothing."""
    [waiting] = candidates_left_years_ago(regeling, 1)
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [retention.LOCK_KEY])
            assert cursor.fetchone()[0]
        out = StringIO()
        call_command("apply_retention", stdout=out)  # no SystemExit: exit code 0
        assert "already running" in out.getvalue()
        assert not Anonymisation.objects.filter(participant=waiting).exists()
        assert AuditEntry.objects.filter(event="privacy.retention_skipped").exists()
        assert not AuditEntry.objects.filter(event="privacy.retention_applied").exists()
    finally:
        other.close()
    call_command("apply_retention", stdout=StringIO())
    assert Anonymisation.objects.filter(participant=waiting).exists()
