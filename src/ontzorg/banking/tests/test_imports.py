"""Importing statement files: idempotent storage, overlapping statements, refused files."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ontzorg.audit.models import AuditEntry
from ontzorg.banking import imports
from ontzorg.banking.constants import ImportStatus, MatchStatus
from ontzorg.banking.models import BankEntry, BankStatement, StatementImport
from ontzorg.exceptions import PermissionDenied
from ontzorg_demo.camtgen import Detail, GenEntry, GenStatement, build

FILES = Path(__file__).parent / "files"
OWN = "NL14BNGH0285001234"


def counts(job):
    return {
        "status": job.status,
        "statements_read": job.statements_read,
        "entries_read": job.entries_read,
        "entries_new": job.entries_new,
        "duplicates_skipped": job.duplicates_skipped,
        "not_booked_skipped": job.not_booked_skipped,
        "matched": job.matched,
        "unmatched": job.unmatched,
        "errors": job.errors,
    }


def test_import_stores_the_booked_entries_and_reports(backoffice):
    job = imports.import_statement(backoffice, FILES / "bng_camt053_001_02.xml")
    assert counts(job) == {
        "status": ImportStatus.BOOKED,
        "statements_read": 2,
        "entries_read": 13,
        "entries_new": 12,
        "duplicates_skipped": 0,
        "not_booked_skipped": 1,
        "matched": 0,
        "unmatched": 12,
        "errors": 0,
    }
    assert job.file_name == "bng_camt053_001_02.xml"
    assert job.size_bytes == (FILES / "bng_camt053_001_02.xml").stat().st_size
    assert len(job.file_sha256) == 64
    assert job.finished_at is not None
    assert BankStatement.objects.count() == 2
    returned = BankEntry.objects.get(end_to_end_id="OZ-2026-11-000117-2")
    assert (returned.amount_cents, returned.reversal, returned.return_reason) == (
        9840,
        True,
        "AC04",
    )
    assert returned.entry_key == "ref:BNG20261123-000004"
    batch = BankEntry.objects.filter(entry_key="ref:BNG20261123-000001").order_by("detail_sequence")
    assert [e.amount_cents for e in batch] == [-61245, -3810, -14295]
    charges = BankEntry.objects.get(entry_key="ref:BNG20261123-000007")
    assert (charges.end_to_end_id, charges.counterparty_iban) == ("", "")
    statement = BankStatement.objects.get(statement_id="0285004321-2026-11-23-090")
    assert (statement.opening_balance_cents, statement.closing_balance_cents) == (-2000, 159801)
    assert AuditEntry.objects.filter(object_id=str(job.pk), summary__contains="12 nieuw").exists()


def test_reimport_of_the_same_file_books_nothing_new(backoffice):
    first = imports.import_statement(backoffice, FILES / "bng_camt053_001_02.xml")
    before = list(BankEntry.objects.values_list("pk", flat=True))
    upload = SimpleUploadedFile("afschrift.xml", (FILES / "bng_camt053_001_02.xml").read_bytes())
    again = imports.import_statement(backoffice, upload)
    assert again.pk != first.pk
    assert again.file_sha256 == first.file_sha256
    assert again.file_name == "afschrift.xml"
    assert (again.entries_new, again.duplicates_skipped, again.unmatched) == (0, 12, 0)
    assert again.status == ImportStatus.BOOKED
    assert list(BankEntry.objects.values_list("pk", flat=True)) == before
    assert BankStatement.objects.count() == 2


def test_overlapping_statements_store_shared_entries_once(backoffice):
    def statement(statement_id, refs):
        entries = [GenEntry(100 * int(ref[1:]), servicer_ref=ref) for ref in refs]
        return build([GenStatement(statement_id, OWN, 0, entries)])

    imports.import_statement(backoffice, statement("A", ["r1", "r2", "r3"]))
    second = imports.import_statement(backoffice, statement("B", ["r2", "r3", "r4"]))
    assert (second.entries_new, second.duplicates_skipped) == (1, 2)
    assert sorted(BankEntry.objects.values_list("entry_key", flat=True)) == [
        "ref:r1",
        "ref:r2",
        "ref:r3",
        "ref:r4",
    ]
    assert BankEntry.objects.get(entry_key="ref:r4").statement.statement_id == "B"


def test_notification_then_statement_of_the_same_day_books_once(backoffice):
    detail = Detail(end_to_end_id="LOON-1", debtor_name="Werkgever", debtor_iban="NL1")
    notification = build(
        [GenStatement("N1", OWN, 0, [GenEntry(42108, servicer_ref="X1", details=[detail])])],
        "camt.054.001.08",
    )
    day = build(
        [
            GenStatement(
                "S1",
                OWN,
                0,
                [GenEntry(42108, servicer_ref="X1", details=[detail]), GenEntry(-500)],
            )
        ],
        "camt.053.001.08",
    )
    imports.import_statement(backoffice, notification)
    job = imports.import_statement(backoffice, day)
    assert (job.entries_new, job.duplicates_skipped) == (1, 1)
    assert BankEntry.objects.filter(end_to_end_id="LOON-1").count() == 1


def test_entries_without_bank_reference_are_keyed_by_content_and_occurrence(backoffice):
    # Two identical charges on one day are two entries; overlapping files repeat them.
    charge = GenEntry(-250)
    first = imports.import_statement(
        backoffice, build([GenStatement("A", OWN, 0, [charge, charge, GenEntry(700)])])
    )
    assert first.entries_new == 3
    overlap = imports.import_statement(
        backoffice, build([GenStatement("B", OWN, 0, [charge, charge, charge])])
    )
    assert (overlap.entries_new, overlap.duplicates_skipped) == (1, 2)
    assert BankEntry.objects.filter(amount_cents=-250).count() == 3


def test_same_statement_twice_in_one_file_and_across_batches(backoffice, monkeypatch):
    monkeypatch.setattr(imports, "CHUNK_ROWS", {"postgresql": 2, "sqlite": 2})
    entries = [GenEntry(100 + n, servicer_ref=f"r{n}") for n in range(5)]
    statement = GenStatement("A", OWN, 0, entries)
    job = imports.import_statement(backoffice, build([statement, statement]))
    assert (job.entries_new, job.duplicates_skipped) == (5, 5)
    assert BankEntry.objects.count() == 5


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("hostile_billion_laughs.xml", "DOCTYPE"),
        ("hostile_external_entity.xml", "DOCTYPE"),
        ("hostile_external_dtd.xml", "DOCTYPE"),
        ("invalid_truncated.xml", "Ongeldige XML"),
        ("invalid_unknown_version.xml", "Onbekend berichttype"),
    ],
)
def test_refused_file_imports_nothing_and_keeps_a_failed_job(backoffice, name, message):
    with pytest.raises(imports.ImportRefused) as info:
        imports.import_statement(backoffice, FILES / name)
    job = StatementImport.objects.get(pk=info.value.job.pk)
    assert job.status == ImportStatus.FAILED
    assert job.errors == 1
    assert message in job.error_message
    assert message in str(info.value)
    assert BankStatement.objects.count() == 0
    assert BankEntry.objects.count() == 0
    assert AuditEntry.objects.filter(object_id=str(job.pk), summary__contains="geweigerd").exists()


def test_file_with_one_unbalanced_statement_imports_no_statement_at_all(backoffice):
    good = GenStatement("GOOD", OWN, 0, [GenEntry(100, servicer_ref="g1")])
    bad = GenStatement("BAD", OWN, 0, [GenEntry(100, servicer_ref="b1")], closing_cents=1)
    with pytest.raises(imports.ImportRefused, match="BAD"):
        imports.import_statement(backoffice, build([good, bad]))
    assert BankStatement.objects.count() == 0
    assert BankEntry.objects.count() == 0


def test_matcher_seam_receives_new_entries_and_counts_are_read_back(backoffice):
    seen = []
    stored_when_written = []

    def match_outgoing(entries):
        seen.extend(entries)
        # Ids are given, the rows are written after the matcher decided.
        assert not BankEntry.objects.filter(pk__in=[entry.pk for entry in entries]).exists()
        for entry in entries:
            if entry.end_to_end_id.startswith("OZ-"):
                entry.match_status = MatchStatus.MATCHED

        def written():
            stored = BankEntry.objects.filter(pk__in=[entry.pk for entry in entries]).count()
            stored_when_written.append((len(entries), stored))

        return written

    job = imports.import_statement(
        backoffice, FILES / "bng_camt053_001_02.xml", matcher=match_outgoing
    )
    assert len(seen) == 12
    assert all(entry.pk for entry in seen)
    assert len({entry.pk for entry in seen}) == 12
    # one batch per statement; each is written in full before its function runs
    assert stored_when_written == [(10, 10), (2, 2)]
    assert set(BankEntry.objects.values_list("pk", flat=True)) == {entry.pk for entry in seen}
    # Outgoing run of three, three returns and one weekly allowance carry our EndToEndIds.
    assert (job.matched, job.unmatched) == (7, 5)
    again = imports.import_statement(
        backoffice, FILES / "bng_camt053_001_02.xml", matcher=match_outgoing
    )
    assert len(seen) == 12
    assert (again.matched, again.unmatched) == (0, 0)


@pytest.mark.parametrize("user", ["klantmanager", "coach"])
def test_roles_without_payment_rights_may_not_import(db, request, user):
    with pytest.raises(PermissionDenied):
        imports.import_statement(request.getfixturevalue(user), FILES / "bng_camt053_001_02.xml")
    assert StatementImport.objects.count() == 0


def test_entry_rows_follow_the_models_column_order():
    """The import turns its rows into BankEntry objects positionally (Model.from_db)."""
    assert ("id", *imports._ENTRY_FIELDS) == tuple(
        field.attname for field in BankEntry._meta.concrete_fields
    )
