"""The guards of the statement import: a known statement id with other content, a bank
reference repeated with other data, interrupted and crashed imports, accounts named by
another identification, statements without balances, and values too long for their column."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ontzorg.audit.models import AuditEntry
from ontzorg.banking import imports
from ontzorg.banking.constants import ImportStatus, MatchStatus
from ontzorg.banking.models import AccountAlias, BankEntry, BankStatement, StatementImport
from ontzorg.payments.models import DebtorAccount
from ontzorg.regelingen.tests.factories import RegionFactory
from ontzorg_demo.camtgen import Detail, GenEntry, GenStatement, build

from .conftest import DEBTOR_IBAN, debit_of, paid

OWN = "NL14BNGH0285001234"


def credits(*refs_and_cents):
    return [GenEntry(cents, servicer_ref=ref) for ref, cents in refs_and_cents]


def one(statement_id, entries, iban=OWN, version="camt.053.001.02", **fields):
    return build([GenStatement(statement_id, iban, 0, entries, **fields)], version)


# --- a known statement id with other content ----------------------------------------------


def test_a_known_statement_id_with_other_content_is_refused_and_stores_nothing(backoffice):
    imports.import_statement(backoffice, one("AFS-7", credits(("r1", 100), ("r2", 200))))
    changed = one("AFS-7", credits(("r1", 100), ("r2", 200), ("r3", 300)))
    with pytest.raises(imports.ImportRefused, match="al eerder ingelezen") as info:
        imports.import_statement(backoffice, changed)
    message = str(info.value)
    assert "AFS-7" in message and OWN in message and "andere inhoud" in message
    assert "Er is niets ingelezen" in message
    job = info.value.job
    assert (job.status, job.entries_new, job.entries_read) == (ImportStatus.FAILED, 0, 0)
    assert sorted(BankEntry.objects.values_list("entry_key", flat=True)) == ["ref:r1", "ref:r2"]
    assert BankStatement.objects.count() == 1


def test_the_same_statement_again_stays_idempotent_even_in_another_message(backoffice):
    entries = credits(("r1", 100), ("r2", 200))
    imports.import_statement(backoffice, one("AFS-7", entries))
    again = imports.import_statement(backoffice, one("AFS-7", entries, version="camt.053.001.08"))
    assert (again.status, again.entries_new, again.duplicates_skipped) == (
        ImportStatus.BOOKED,
        0,
        2,
    )


def test_a_statement_twice_in_one_file_with_other_content_is_refused(backoffice):
    first = GenStatement("AFS-7", OWN, 0, credits(("r1", 100)))
    second = GenStatement("AFS-7", OWN, 0, credits(("r1", 100), ("r2", 5)))
    with pytest.raises(imports.ImportRefused, match="twee keer in het bestand"):
        imports.import_statement(backoffice, build([first, second]))
    assert not BankEntry.objects.exists()


def test_a_statement_stored_before_fingerprints_is_compared_by_its_balances(backoffice):
    imports.import_statement(backoffice, one("AFS-7", credits(("r1", 100))))
    # As a statement imported before this version was stored: without a fingerprint.
    BankStatement.objects.update(content_sha256="")
    with pytest.raises(imports.ImportRefused, match="andere inhoud"):
        imports.import_statement(backoffice, one("AFS-7", credits(("r1", 100), ("r2", 7))))
    again = imports.import_statement(backoffice, one("AFS-7", credits(("r1", 100))))
    assert again.status == ImportStatus.BOOKED
    assert BankStatement.objects.get().content_sha256  # filled in now


# --- a bank reference repeated with other data --------------------------------------------


def test_a_repeated_bank_reference_with_another_amount_is_flagged_not_dropped(
    backoffice, bo_client, region, account
):
    def upload(statement_id, entries):
        job = _upload(backoffice, region, one(statement_id, entries, iban=DEBTOR_IBAN))
        job.refresh_from_db()
        return job

    upload("A", credits(("r1", 100), ("r2", 200)))
    job = upload("B", credits(("r1", 250), ("r2", 200)))
    assert (job.entries_new, job.duplicates_skipped, job.conflicts) == (1, 1, 1)
    original = BankEntry.objects.get(entry_key="ref:r1")
    repeat = BankEntry.objects.get(repeats=original)
    assert (repeat.amount_cents, repeat.match_status) == (250, MatchStatus.UNMATCHED)
    assert repeat.account_servicer_ref == "r1"
    # Visible: on the import page, in the work queue (with its own filter) and on the entry.
    page = bo_client.get(reverse("banking:import", args=[job.pk])).content.decode()
    assert "1 post heeft een bankreferentie die al met andere gegevens" in page
    queue = bo_client.get(reverse("banking:queue"), {"richting": "herhaald"}).content.decode()
    assert reverse("banking:entry", args=[repeat.pk]) in queue
    assert reverse("banking:entry", args=[original.pk]) not in queue
    entry_page = bo_client.get(reverse("banking:entry", args=[repeat.pk])).content.decode()
    assert reverse("banking:entry", args=[original.pk]) in entry_page
    # The same file again stores nothing new: the flagged entry is found under its own key.
    again = upload("B", credits(("r1", 250), ("r2", 200)))
    assert (again.entries_new, again.duplicates_skipped, again.conflicts) == (0, 2, 0)


def test_a_repeated_reference_within_one_file_is_flagged_too(backoffice):
    job = imports.import_statement(backoffice, one("A", credits(("r1", 100), ("r1", -100))))
    assert (job.entries_new, job.conflicts) == (2, 1)
    assert BankEntry.objects.get(repeats__isnull=False).amount_cents == -100


def test_a_flagged_entry_is_not_matched_automatically(backoffice, booked_run):
    instruction = paid(booked_run)[0]
    imports.import_statement(backoffice, one("A", credits(("BNG-X", 4200)), iban=DEBTOR_IBAN))
    # The bank reuses the reference for the debit of our payment: a person must look first.
    job = imports.import_statement(
        backoffice, one("B", [debit_of(instruction, ref="BNG-X")], iban=DEBTOR_IBAN)
    )
    assert (job.conflicts, job.matched, job.unmatched) == (1, 0, 1)
    flagged = BankEntry.objects.get(repeats__isnull=False)
    assert flagged.end_to_end_id == instruction.end_to_end_id
    assert not hasattr(flagged, "reconciliation")


# --- interrupted and crashed imports -------------------------------------------------------


class _Killed(BaseException):
    """Stands for the worker process being killed: no handler of ours sees it."""


def _crash_on_chunk(monkeypatch, number):
    original = imports._insert
    calls = []

    def insert(*args, **kwargs):
        calls.append(1)
        if len(calls) == number:
            raise _Killed
        return original(*args, **kwargs)

    monkeypatch.setattr(imports, "_insert", insert)
    return lambda: monkeypatch.setattr(imports, "_insert", original)


def _upload(user, region, data, name="afschrift.xml"):
    return imports.receive_upload(
        user, SimpleUploadedFile(name, data, "application/xml"), region=region
    )


@pytest.fixture
def account(region):
    return DebtorAccount.objects.create(region=region, name="Gemeente", iban=DEBTOR_IBAN)


@pytest.fixture
def bo_client(client, backoffice):
    client.force_login(backoffice)
    return client


def test_a_crashed_import_keeps_its_chunks_and_resumes_from_its_page(
    backoffice, bo_client, region, account, monkeypatch, frozen_clock
):
    monkeypatch.setattr(imports, "CHUNK_ROWS", {"postgresql": 2, "sqlite": 2})
    entries = credits(*((f"c{n}", 100 + n) for n in range(7)), ("pending", 5))
    entries[-1].status = "PDNG"
    restore = _crash_on_chunk(monkeypatch, 3)
    job = _upload(backoffice, region, one("AFS-1", entries, iban=DEBTOR_IBAN))
    job.refresh_from_db()
    # The worker died in the third chunk: two chunks are stored and stay stored.
    assert (job.status, job.cursor, job.entries_new) == (ImportStatus.PARSED, 4, 4)
    assert BankEntry.objects.count() == 4
    page = bo_client.get(reverse("banking:import", args=[job.pk])).content.decode()
    assert "Import hervatten" not in page  # it might still be running
    refused = bo_client.post(reverse("banking:resume", args=[job.pk]), follow=True)
    assert "loopt nog" in refused.content.decode()

    frozen_clock.shift(imports.STALE_AFTER.total_seconds() + 1)
    page = bo_client.get(reverse("banking:import", args=[job.pk])).content.decode()
    assert "De import is onderbroken" in page and "4 van 7 posten" in page
    assert "Import hervatten" in page
    restore()
    bo_client.post(reverse("banking:resume", args=[job.pk]))
    job.refresh_from_db()
    assert (job.status, job.cursor, job.entries_new, job.duplicates_skipped) == (
        ImportStatus.BOOKED,
        7,
        7,
        0,
    )
    assert BankEntry.objects.count() == 7
    assert (job.entries_read, job.not_booked_skipped) == (8, 1)
    assert AuditEntry.objects.filter(event="bank.import_resumed", object_id=str(job.pk)).exists()


def test_an_error_while_storing_interrupts_the_import_which_can_be_resumed(
    backoffice, region, account, monkeypatch
):
    from django.db import OperationalError

    monkeypatch.setattr(imports, "CHUNK_ROWS", {"postgresql": 2, "sqlite": 2})
    original = imports._insert
    calls = []

    def insert(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise OperationalError("database is locked")
        return original(*args, **kwargs)

    monkeypatch.setattr(imports, "_insert", insert)
    job = _upload(
        backoffice,
        region,
        one("AFS-1", credits(*((f"c{n}", n + 1) for n in range(5))), iban=DEBTOR_IBAN),
    )
    job.refresh_from_db()
    assert (job.status, job.cursor) == (ImportStatus.INTERRUPTED, 2)
    assert "te lang bezet" in job.error_message
    assert imports.may_resume(job)
    imports.resume_import(backoffice, job)
    job.refresh_from_db()
    assert (job.status, job.entries_new, BankEntry.objects.count()) == (ImportStatus.BOOKED, 5, 5)


def test_a_second_run_leaves_a_job_that_is_being_worked_on_alone(
    backoffice, region, account, monkeypatch
):
    monkeypatch.setattr(imports, "CHUNK_ROWS", {"postgresql": 2, "sqlite": 2})
    restore = _crash_on_chunk(monkeypatch, 2)
    data = one("AFS-1", credits(*((f"c{n}", n + 1) for n in range(5))), iban=DEBTOR_IBAN)
    job = _upload(backoffice, region, data)
    restore()
    # Its run holds it (a worker that is slow, not dead): another run does nothing.
    again = imports.run_import(job.pk)
    assert (again.status, again.cursor, BankEntry.objects.count()) == (ImportStatus.PARSED, 2, 2)
    with pytest.raises(imports.Refused, match="loopt nog"):
        imports.resume_import(backoffice, job)


def test_a_finished_import_cannot_be_resumed(backoffice, region, account):
    job = _upload(backoffice, region, one("AFS-1", credits(("c1", 1)), iban=DEBTOR_IBAN))
    with pytest.raises(imports.Refused, match="al afgerond"):
        imports.resume_import(backoffice, job)


@pytest.mark.usefixtures("account")
def test_mark_dead_tasks_marks_a_silent_import_task_dead_and_lets_it_resume(
    backoffice, bo_client, region, monkeypatch, frozen_clock, settings
):
    from datetime import timedelta

    from django.core.management import call_command
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    job = _upload(backoffice, region, one("AFS-1", credits(("c1", 1)), iban=DEBTOR_IBAN))
    result = DBTaskResult.objects.get()
    result.claim("worker-that-dies")  # a worker took it, and then died
    other = imports.import_statement_task.enqueue(0)  # a task that was never started
    frozen_clock.shift(timedelta(minutes=settings.ONTZORG_TASK_DEAD_AFTER_MINUTES - 1))
    call_command("mark_dead_tasks")
    result.refresh_from_db()
    assert result.status == TaskResultStatus.RUNNING  # not silent long enough yet
    frozen_clock.shift(timedelta(minutes=2))
    call_command("mark_dead_tasks")
    result.refresh_from_db()
    assert result.status == TaskResultStatus.FAILED
    assert result.exception_class_path == "ontzorg.core.deadtasks.WorkerGone"
    assert DBTaskResult.objects.get(pk=other.id).status == TaskResultStatus.READY
    job.refresh_from_db()
    assert job.status == ImportStatus.INTERRUPTED
    page = bo_client.get(reverse("banking:import", args=[job.pk])).content.decode()
    assert "achtergrondtaak is niet meer actief" in page and "Import hervatten" in page
    bo_client.post(reverse("banking:resume", args=[job.pk]))
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 2


@pytest.mark.usefixtures("account")
def test_a_task_whose_import_shows_signs_of_life_is_not_marked_dead(
    backoffice, region, frozen_clock, settings
):
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from ontzorg.core.deadtasks import mark_dead_tasks

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    job = _upload(backoffice, region, one("AFS-1", credits(("c1", 1)), iban=DEBTOR_IBAN))
    DBTaskResult.objects.get().claim("busy-worker")
    frozen_clock.shift(timedelta(hours=5))
    # A long import: its last chunk was stored a minute ago.
    StatementImport.objects.filter(pk=job.pk).update(
        heartbeat_at=timezone.now() - timedelta(minutes=1)
    )
    assert mark_dead_tasks() == []
    assert DBTaskResult.objects.get().status == TaskResultStatus.RUNNING


# --- accounts named otherwise, statements without balances --------------------------------


def test_an_account_named_by_a_configured_identification_is_the_regions(
    backoffice, bo_client, region, account
):
    AccountAlias.objects.create(region=region, identifier="0001234567")
    by_alias = one(
        "AFS-1",
        credits(("r1", 100)),
        iban=None,
        account_other_id="0001234567",
        version="camt.052.001.13",
    )
    job = _upload(backoffice, region, by_alias)
    job.refresh_from_db()
    assert job.status == ImportStatus.BOOKED
    statement = BankStatement.objects.get()
    assert (statement.account_iban, statement.account_other_id, statement.region) == (
        DEBTOR_IBAN,
        "0001234567",
        region,
    )
    # The same entry on the IBAN statement of that day is the same entry.
    by_iban = _upload(backoffice, region, one("AFS-2", credits(("r1", 100)), iban=DEBTOR_IBAN))
    by_iban.refresh_from_db()
    assert (by_iban.entries_new, by_iban.duplicates_skipped) == (0, 1)


def test_an_unknown_or_foreign_identification_is_refused(backoffice, region, account):
    other = RegionFactory(name="Den Haag", slug="den-haag")
    DebtorAccount.objects.create(region=other, name="Den Haag", iban="NL91ABNA0417164300")
    AccountAlias.objects.create(region=other, identifier="DH-1")
    for identifier in ("ONBEKEND-9", "DH-1"):
        data = one("AFS-1", credits(("r1", 100)), iban=None, account_other_id=identifier)
        job = _upload(backoffice, region, data)
        job.refresh_from_db()
        assert job.status == ImportStatus.FAILED
        assert f"kenmerk {identifier} (geen IBAN)" in job.error_message
    assert not BankEntry.objects.exists()
    # Without a region (the command line) an unknown identification is refused as well.
    with pytest.raises(imports.ImportRefused, match="voor geen regio ingesteld"):
        imports.import_statement(
            backoffice, one("AFS-1", credits(("r1", 1)), iban=None, account_other_id="X")
        )


def test_a_statement_without_balances_is_imported_with_a_visible_warning(
    backoffice, bo_client, region, account
):
    data = one("AFS-1", credits(("r1", 100)), iban=DEBTOR_IBAN, with_balances=False)
    job = _upload(backoffice, region, data)
    job.refresh_from_db()
    assert job.status == ImportStatus.BOOKED and job.entries_new == 1
    assert "AFS-1 heeft geen begin- en eindsaldo" in job.warning_message
    assert BankStatement.objects.get().balances_checked is False
    page = bo_client.get(reverse("banking:import", args=[job.pk])).content.decode()
    assert "niet gecontroleerd tegen de saldi" in page
    listing = bo_client.get(reverse("banking:list")).content.decode()
    assert "let op" in listing
    # With balances they are still checked.
    wrong = one("AFS-2", credits(("r2", 100)), iban=DEBTOR_IBAN, closing_cents=99)
    failed = _upload(backoffice, region, wrong)
    failed.refresh_from_db()
    assert failed.status == ImportStatus.FAILED and "sluit niet" in failed.error_message


def test_a_value_longer_than_its_column_is_refused_before_anything_is_stored(backoffice):
    good = GenEntry(100, servicer_ref="L1")
    long_name = GenEntry(
        -200, servicer_ref="L2", details=[Detail(creditor_name="Woonstichting " * 20)]
    )
    with pytest.raises(imports.ImportRefused, match="naam tegenpartij is langer dan 140"):
        imports.import_statement(backoffice, one("LONG", [good, long_name]))
    assert not BankEntry.objects.exists()
    assert not BankStatement.objects.exists()
