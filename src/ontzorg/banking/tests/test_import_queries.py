"""The import in one pass: a bounded number of queries, and refusals that store nothing."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ontzorg.banking import imports
from ontzorg.banking.constants import ImportStatus, MatchStatus
from ontzorg.banking.models import BankEntry, BankStatement, StatementImport
from ontzorg.payments.models import DebtorAccount
from ontzorg_demo.camtgen import Detail, GenEntry, GenStatement, build

from .conftest import DEBTOR_IBAN, debit_of, paid, return_of, statement

FOREIGN = "NL91ABNA0417164300"


def _queries_of_import(user, data) -> int:
    with CaptureQueriesContext(connection) as captured:
        imports.import_statement(user, data)
    return len(captured)


def _mixed(instructions, credits: int, tag: str) -> bytes:
    """Confirmations of ``instructions``, a return of the first, and unknown credits."""
    entries = [debit_of(i, ref=f"{tag}-d{n}") for n, i in enumerate(instructions)]
    entries.append(return_of(instructions[0], ref=f"{tag}-r"))
    for n in range(credits):
        entries.append(
            GenEntry(
                1_000 + n,
                servicer_ref=f"{tag}-c{n}",
                details=[Detail(debtor_iban=FOREIGN, remittance_lines=[f"Onbekend {n}"])],
            )
        )
    return statement(entries, statement_id=f"AFS-{tag}")


def test_queries_of_an_import_do_not_grow_with_its_entries(backoffice, booked_run, db):
    """A return is written at once (it posts to the ledger); both files hold one."""
    instructions = paid(booked_run)
    assert len(instructions) >= 3
    small = _queries_of_import(backoffice, _mixed(instructions[:1], 1, "small"))
    large = _queries_of_import(backoffice, _mixed(instructions[1:], 12, "large"))
    assert BankEntry.objects.count() == (1 + 1 + 1) + (len(instructions) - 1 + 1 + 12)
    assert BankEntry.objects.filter(match_status=MatchStatus.MATCHED).count() == 2 + len(
        instructions
    )
    assert large == small


def _with_region(user, region, data):
    job = StatementImport.objects.create(
        file_name="afschrift.xml",
        file_sha256="0" * 64,
        size_bytes=len(data),
        uploaded_by=user,
        region=region,
    )
    return imports.import_statement(user, data, job=job)


def test_statement_of_another_account_after_an_own_one_stores_nothing(backoffice, region, db):
    DebtorAccount.objects.create(region=region, name="Gemeente", iban=DEBTOR_IBAN)
    own = GenStatement("OWN-1", DEBTOR_IBAN, 0, [GenEntry(100, servicer_ref="o1")])
    other = GenStatement("OTHER-1", FOREIGN, 0, [GenEntry(200, servicer_ref="f1")])
    with pytest.raises(imports.ImportRefused, match=FOREIGN) as info:
        _with_region(backoffice, region, build([own, other]))
    job = StatementImport.objects.get(pk=info.value.job.pk)
    assert job.status == ImportStatus.FAILED
    assert "Er is niets ingelezen" in job.error_message
    assert (job.statements_read, job.entries_read, job.entries_new) == (0, 0, 0)
    assert not BankStatement.objects.exists()
    assert not BankEntry.objects.exists()


def test_an_error_in_the_file_is_reported_before_a_foreign_account(backoffice, region, db):
    DebtorAccount.objects.create(region=region, name="Gemeente", iban=DEBTOR_IBAN)
    other = GenStatement("OTHER-1", FOREIGN, 0, [GenEntry(200, servicer_ref="f1")])
    bad = GenStatement("BAD-1", DEBTOR_IBAN, 0, [GenEntry(100, servicer_ref="b1")], closing_cents=1)
    with pytest.raises(imports.ImportRefused, match="BAD-1 sluit niet"):
        _with_region(backoffice, region, build([other, bad]))
    assert not BankStatement.objects.exists()
    assert not BankEntry.objects.exists()


def test_every_foreign_account_is_named(backoffice, region, db):
    DebtorAccount.objects.create(region=region, name="Gemeente", iban=DEBTOR_IBAN)
    second = "NL02ABNA0123456789"
    statements = [
        GenStatement("A", FOREIGN, 0, [GenEntry(200, servicer_ref="a1")]),
        GenStatement("B", second, 0, [GenEntry(300, servicer_ref="b1")]),
    ]
    with pytest.raises(imports.ImportRefused) as info:
        _with_region(backoffice, region, build(statements))
    assert f"rekening {second}, {FOREIGN};" in str(info.value)
    assert not BankEntry.objects.exists()


def test_participants_are_read_once_per_import_not_per_batch(backoffice, region, db, monkeypatch):
    DebtorAccount.objects.create(region=region, name="Gemeente", iban=DEBTOR_IBAN)
    monkeypatch.setattr(imports, "CHUNK_ROWS", {"postgresql": 2, "sqlite": 2})
    credits = [
        GenEntry(
            500 + n,
            servicer_ref=f"p{n}",
            details=[Detail(debtor_iban=FOREIGN, remittance_lines=[f"Storting {n}"])],
        )
        for n in range(6)
    ]
    with CaptureQueriesContext(connection) as captured:
        job = imports.import_statement(backoffice, statement(credits))
    assert job.entries_new == 6
    reads = [q for q in captured if 'FROM "participants_participant"' in q["sql"]]
    assert len(reads) == 1
