"""Every message and version the parser reads (camt.052/.053/.054, 001.02 to 001.13), each with
a generated file; others are refused by name.

The generated files are validated against the official schemas when those are on the
machine: ``ONTZORG_CAMT_XSD_DIR``, or the ones the ``camt053`` package brings along in the
benchmark's own environment (``var/bench-peers/``, see bench/README.md). Nothing is
downloaded for it; without schemas that check is skipped."""

import os
from datetime import date
from pathlib import Path

import pytest
from lxml import etree

from ontzorg.banking import camt053
from ontzorg.banking.camt053 import StatementError
from ontzorg_demo import camtgen
from ontzorg_demo.camtgen import Detail, GenEntry, GenStatement

OWN = "NL14BNGH0285001234"
ROOT = Path(__file__).resolve().parents[4]


def _schema_dir() -> Path | None:
    configured = os.environ.get("ONTZORG_CAMT_XSD_DIR")
    if configured:
        return Path(configured)
    found = sorted(ROOT.glob("var/bench-peers/camt053/lib/python3*/site-packages/camt053/xsd"))
    return found[-1] if found else None


SCHEMAS = _schema_dir()

ENTRIES = [
    GenEntry(
        -61245,
        entry_ref="1",
        servicer_ref="BNG-1",
        bank_code=("PMNT", "ICDT", "ESCT"),
        details=[
            Detail(
                end_to_end_id="OZ-2026-11-000123-1",
                debtor_name="Gemeente Zoetermeer",
                debtor_iban=OWN,
                creditor_name="Woonstichting Het Vaste Huis",
                creditor_iban="NL91ABNA0417164300",
                remittance_lines=["Huur november 2026"],
            )
        ],
    ),
    GenEntry(
        -3000,
        servicer_ref="BNG-2",
        details=[
            Detail(
                amount_cents=-1000, creditor_name="Water", creditor_reference="RF18539007547034"
            ),
            Detail(amount_cents=-2000, creditor_name="Zorg", creditor_iban="NL44RABO0123456789"),
        ],
    ),
    GenEntry(
        9840,
        reversal=True,
        servicer_ref="BNG-3",
        details=[
            Detail(
                end_to_end_id="OZ-2026-11-000117-2",
                creditor_name="Energie B.V.",
                creditor_iban="NL20INGB0001234567",
                return_reason="AC04",
            )
        ],
    ),
    GenEntry(
        130061,
        servicer_ref="BNG-4",
        details=[Detail(debtor_name="UWV", debtor_iban="NL02INGB0000001111")],
    ),
    GenEntry(500, status="PDNG", servicer_ref="BNG-5"),
]


def _records(version: str, statement: GenStatement) -> list:
    return list(camt053.parse(camtgen.build([statement], version)))


def _what_it_says(records) -> list[tuple]:
    """The entries without the statement they came in."""
    return [
        (
            r.entry_sequence,
            r.detail_sequence,
            r.amount_cents,
            r.status,
            r.reversal,
            r.end_to_end_id,
            r.account_servicer_ref,
            r.bank_transaction_code,
            r.counterparty_name,
            r.counterparty_iban,
            r.remittance,
            r.creditor_reference,
            r.return_reason,
            r.booking_date,
        )
        for r in records
        if isinstance(r, camt053.Entry)
    ]


EXPECTED = [
    (1, 1, -61245, "BOOK", False, "OZ-2026-11-000123-1", "BNG-1", "PMNT-ICDT-ESCT",
     "Woonstichting Het Vaste Huis", "NL91ABNA0417164300", "Huur november 2026", None, None,
     date(2026, 11, 23)),
    (2, 1, -1000, "BOOK", False, None, "BNG-2", None, "Water", None, None,
     "RF18539007547034", None, date(2026, 11, 23)),
    (2, 2, -2000, "BOOK", False, None, "BNG-2", None, "Zorg", "NL44RABO0123456789", None,
     None, None, date(2026, 11, 23)),
    (3, 1, 9840, "BOOK", True, "OZ-2026-11-000117-2", "BNG-3", None, "Energie B.V.",
     "NL20INGB0001234567", None, None, "AC04", date(2026, 11, 23)),
    (4, 1, 130061, "BOOK", False, None, "BNG-4", None, "UWV", "NL02INGB0000001111", None,
     None, None, date(2026, 11, 23)),
    (5, 1, 500, "PDNG", False, None, "BNG-5", None, None, None, None, None, None,
     date(2026, 11, 23)),
]  # fmt: skip


def test_every_message_and_version_from_02_to_13_is_supported():
    expected = tuple(
        f"camt.{message}.001.{number:02d}"
        for message in ("052", "053", "054")
        for number in range(2, 14)
    )
    assert expected == camt053.SUPPORTED_VERSIONS


@pytest.mark.parametrize("version", camt053.SUPPORTED_VERSIONS)
def test_a_generated_file_of_each_version_reads_the_same(version):
    statement = GenStatement("S-1", OWN, 1_000_00, ENTRIES, electronic_sequence=7)
    header, *rest = _records(version, statement)
    assert (header.version, header.statement_id, header.account_iban) == (version, "S-1", OWN)
    assert header.electronic_sequence == 7
    assert _what_it_says(rest) == EXPECTED
    # The plan reads later entries of a layout; the long way must agree on every version.
    data = camtgen.build([statement], version)
    assert list(camt053.parse(data, plans=False)) == list(camt053.parse(data))
    (totals,) = camt053.check(data)
    if version.startswith("camt.054"):
        assert not header.has_balances  # a notification has no balances to check
    else:
        assert header.has_balances
        assert totals.booked_sum_cents == -61245 - 3000 + 9840 + 130061
        assert header.closing_balance_cents == 1_000_00 + totals.booked_sum_cents


@pytest.mark.parametrize("version", camt053.SUPPORTED_VERSIONS)
def test_each_version_checks_its_balances(version):
    if version.startswith("camt.054"):
        pytest.skip("a notification carries no balances")
    wrong = GenStatement("S-1", OWN, 0, ENTRIES, closing_cents=1)
    with pytest.raises(StatementError, match="sluit niet"):
        camt053.check(camtgen.build([wrong], version))


@pytest.mark.parametrize("version", ["camt.052.001.02", "camt.053.001.06", "camt.053.001.13"])
def test_account_by_other_identification_and_no_balances_in_any_version(version):
    statement = GenStatement(
        "S-2", None, 0, ENTRIES[:1], with_balances=False, account_other_id="0285001234"
    )
    header, entry = _records(version, statement)
    assert (header.account_iban, header.account_other_id) == (None, "0285001234")
    assert not header.has_balances
    assert entry.amount_cents == -61245


@pytest.mark.skipif(SCHEMAS is None, reason="no camt schemas on this machine")
@pytest.mark.parametrize("version", camt053.SUPPORTED_VERSIONS)
def test_generated_files_are_valid_against_the_official_schema(version):
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / f"{version}.xsd")))
    for statement in (
        GenStatement("S-1", OWN, 1_000_00, ENTRIES, electronic_sequence=7),
        GenStatement("S-2", None, 0, ENTRIES, with_balances=False, account_other_id="0285001234"),
    ):
        document = etree.fromstring(camtgen.build([statement], version))
        assert schema.validate(document), (version, str(schema.error_log.last_error))


@pytest.mark.parametrize(
    "namespace",
    [
        "camt.053.001.01",
        "camt.053.001.14",
        "camt.052.001.99",
        "camt.056.001.08",
        "pain.001.001.09",
    ],
)
def test_other_messages_and_versions_are_refused_by_name(namespace):
    data = camtgen.build([GenStatement("S-1", OWN, 0, ENTRIES[:1])]).replace(
        b"camt.053.001.02", namespace.encode()
    )
    with pytest.raises(StatementError, match="Onbekend berichttype") as info:
        camt053.check(data)
    assert namespace in info.value.dutch
    assert "camt.053.001.02 t/m .13" in info.value.dutch


def test_a_statement_element_of_another_message_is_refused():
    data = camtgen.build([GenStatement("S-1", OWN, 0, ENTRIES[:1])], "camt.053.001.08")
    data = data.replace(b"<Stmt>", b"<Ntfctn>").replace(b"</Stmt>", b"</Ntfctn>")
    with pytest.raises(StatementError, match=r"hoort niet bij camt\.053\.001\.08"):
        camt053.check(data)
