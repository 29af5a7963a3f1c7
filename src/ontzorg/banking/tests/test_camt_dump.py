"""``manage.py camt_dump``: one JSON object per entry; nothing and a non-zero exit on a bad file."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

FILES = Path(__file__).parent / "files"
MANAGE = Path(__file__).resolve().parents[4] / "manage.py"
REQUIRED = {
    "statement_id",
    "account_iban",
    "amount_cents",
    "currency",
    "booking_date",
    "value_date",
    "status",
    "reversal",
    "end_to_end_id",
    "account_servicer_ref",
    "counterparty_name",
    "counterparty_iban",
    "remittance",
    "creditor_reference",
    "return_reason",
}


def dump(name: str) -> list[dict]:
    out = StringIO()
    call_command("camt_dump", str(FILES / name), stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_prints_one_json_object_per_entry():
    lines = dump("bng_camt053_001_02.xml")
    assert len(lines) == 13
    assert all(set(line) >= REQUIRED for line in lines)
    assert lines[5] == {
        "statement_id": "0285001234-2026-11-23-227",
        "account_iban": "NL14BNGH0285001234",
        "entry_sequence": 4,
        "detail_sequence": 1,
        "entry_ref": "4",
        "amount_cents": 9840,
        "currency": "EUR",
        "booking_date": "2026-11-23",
        "value_date": "2026-11-23",
        "status": "BOOK",
        "reversal": True,
        "end_to_end_id": "OZ-2026-11-000117-2",
        "account_servicer_ref": "BNG20261123-000004",
        "bank_transaction_code": "PMNT-ICDT-RRTN",
        "counterparty_name": "Energie Zuidwest B.V.",
        "counterparty_iban": "NL22SNSB0912345678",
        "remittance": "Termijn energie november 2026 klantnr 5501234",
        "creditor_reference": None,
        "return_reason": "AC04",
    }
    assert [line["amount_cents"] for line in lines[:3]] == [-61245, -3810, -14295]
    assert lines[10]["booking_date"] is None


def test_08_and_054_files_dump_too():
    assert [line["status"] for line in dump("bng_camt053_001_08.xml")] == ["BOOK"] * 5 + ["INFO"]
    assert [line["return_reason"] for line in dump("bng_camt054_001_02.xml")] == [None, "MS03"]


@pytest.mark.parametrize(
    "name", ["hostile_billion_laughs.xml", "invalid_unbalanced.xml", "invalid_truncated.xml"]
)
def test_bad_file_raises_command_error_and_prints_nothing(name):
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("camt_dump", str(FILES / name), stdout=out)
    assert out.getvalue() == ""


def run(*args) -> subprocess.CompletedProcess:
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "ontzorg.conf.ci"}
    return subprocess.run(
        [sys.executable, str(MANAGE), "camt_dump", *args],
        capture_output=True,
        text=True,
        env=env,
    )


def test_exit_codes_and_messages_from_the_command_line():
    good = run(str(FILES / "bng_camt054_001_02.xml"))
    assert good.returncode == 0, good.stderr
    assert len(good.stdout.splitlines()) == 2

    hostile = run(str(FILES / "hostile_external_entity.xml"))
    assert hostile.returncode != 0
    assert hostile.stdout == ""
    assert "DOCTYPE" in hostile.stderr
    assert "root:" not in hostile.stderr

    unbalanced = run(str(FILES / "invalid_unbalanced.xml"))
    assert unbalanced.returncode != 0
    assert unbalanced.stdout == ""
    assert "sluit niet" in unbalanced.stderr

    too_big = run(str(FILES / "bng_camt053_001_02.xml"), "--max-bytes", "1000")
    assert too_big.returncode != 0
    assert "groter dan het maximum" in too_big.stderr
