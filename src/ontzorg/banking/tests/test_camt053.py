"""The camt.053/.054 parser against hand-written sample files, hostile files and generated ones."""

import io
import json
import subprocess
import sys
import tracemalloc
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ontzorg.banking import camt053
from ontzorg.banking.camt053 import Entry, Statement, StatementError
from ontzorg_demo import camtgen
from ontzorg_demo.camtgen import Detail, GenEntry, GenStatement

FILES = Path(__file__).parent / "files"
OWN = "NL14BNGH0285001234"
NOV23 = date(2026, 11, 23)
NOV24 = date(2026, 11, 24)


def entry(**fields) -> Entry:
    base = {
        "statement_id": "0285001234-2026-11-23-227",
        "account_iban": OWN,
        "entry_sequence": 1,
        "detail_sequence": 1,
        "entry_ref": None,
        "amount_cents": 0,
        "currency": "EUR",
        "booking_date": NOV23,
        "value_date": NOV23,
        "status": "BOOK",
        "reversal": False,
        "end_to_end_id": None,
        "account_servicer_ref": None,
        "bank_transaction_code": None,
        "counterparty_name": None,
        "counterparty_iban": None,
        "remittance": None,
        "creditor_reference": None,
        "return_reason": None,
    }
    return Entry(**(base | fields))


def collect(iterator) -> tuple[list, StatementError | None]:
    """Everything an iterator yields before it stops or raises StatementError."""
    seen = []
    try:
        for item in iterator:
            seen.append(item)
    except StatementError as error:
        return seen, error
    return seen, None


RUN = {"bank_transaction_code": "PMNT-ICDT-ESCT", "account_servicer_ref": "BNG20261123-000001"}
INCOMING = {"bank_transaction_code": "PMNT-RCDT-ESCT"}
RETURN = {"bank_transaction_code": "PMNT-ICDT-RRTN"}
BUDGET = {"statement_id": "0285004321-2026-11-23-090", "account_iban": "NL85BNGH0285004321"}

EXPECTED_02 = [
    entry(
        **RUN,
        entry_ref="1",
        amount_cents=-61245,
        end_to_end_id="OZ-2026-11-000123-1",
        counterparty_name="Woonstichting Het Vaste Huis",
        counterparty_iban="NL91ABNA0417164300",
        remittance="Huur november 2026 contract 40021873",
    ),
    entry(
        **RUN,
        entry_ref="1",
        detail_sequence=2,
        amount_cents=-3810,
        end_to_end_id="OZ-2026-11-000123-2",
        counterparty_name="Waterbedrijf Zuid-Holland",
        counterparty_iban="NL20INGB0001234567",
        creditor_reference="RF18539007547034",
    ),
    entry(
        **RUN,
        entry_ref="1",
        detail_sequence=3,
        amount_cents=-14295,
        end_to_end_id="OZ-2026-11-000123-3",
        counterparty_name="Zorgverzekeraar Zilverlinde N.V.",
        counterparty_iban="NL44RABO0123456789",
        remittance="Premie 11-2026 polis 88123456",
    ),
    entry(
        **INCOMING,
        entry_sequence=2,
        entry_ref="2",
        amount_cents=130061,
        end_to_end_id="PW-2026-11-0004711",
        account_servicer_ref="BNG20261123-000002",
        counterparty_name="Gemeente Zoetermeer Uitkeringen",
        counterparty_iban="NL39RABO0300065264",
        remittance="Participatiewet uitkering november 2026 klantnr 104711",
    ),
    entry(
        **INCOMING,
        entry_sequence=3,
        entry_ref="3",
        amount_cents=84217,
        account_servicer_ref="BNG20261123-000003",
        counterparty_name="Bakkerij De Korenschoof B.V.",
        counterparty_iban="NL95ABNA0123498765",
        remittance="Salaris periode 11 2026 mw. A. Haile",
    ),
    entry(
        **RETURN,
        entry_sequence=4,
        entry_ref="4",
        amount_cents=9840,
        reversal=True,
        end_to_end_id="OZ-2026-11-000117-2",
        account_servicer_ref="BNG20261123-000004",
        counterparty_name="Energie Zuidwest B.V.",
        counterparty_iban="NL22SNSB0912345678",
        remittance="Termijn energie november 2026 klantnr 5501234",
        return_reason="AC04",
    ),
    entry(
        **RETURN,
        entry_sequence=5,
        entry_ref="5",
        amount_cents=5500,
        end_to_end_id="OZ-2026-11-000117-5",
        account_servicer_ref="BNG20261123-000005",
        counterparty_name="Inboedel Zeker Verzekeringen",
        counterparty_iban="NL66ASNB0707070707",
        return_reason="AC01",
    ),
    entry(
        **RETURN,
        entry_sequence=6,
        entry_ref="6",
        amount_cents=7500,
        value_date=date(2026, 11, 20),
        reversal=True,
        end_to_end_id="OZ-2026-11-000119-1",
        account_servicer_ref="BNG20261123-000006",
        counterparty_name="A. Yusuf",
        counterparty_iban="NL12TRIO0198765432",
        remittance="Leefgeld week 47",
        return_reason="MD07",
    ),
    entry(
        entry_sequence=7,
        entry_ref="7",
        amount_cents=-1250,
        account_servicer_ref="BNG20261123-000007",
        bank_transaction_code="ACMT-MDOP-CHRG",
    ),
    entry(
        **INCOMING,
        entry_sequence=8,
        entry_ref="8",
        amount_cents=13100,
        account_servicer_ref="BNG20261123-000008",
        counterparty_name="Belastingdienst/Toeslagen",
        counterparty_iban="NL08INGB0000001234",
        remittance="ZORGTOESLAG 2026 NOVEMBER TOESLAGNR 2026.10.123.456",
    ),
    entry(
        **INCOMING,
        entry_sequence=9,
        entry_ref="9",
        amount_cents=25000,
        booking_date=None,
        value_date=NOV24,
        status="PDNG",
        counterparty_name="Stichting Noodfonds Zoetermeer",
        remittance="Gift noodfonds dossier 2026-311",
    ),
    entry(
        **BUDGET,
        **INCOMING,
        entry_ref="1",
        amount_cents=185801,
        end_to_end_id="PW-2026-11-0004712",
        account_servicer_ref="BNG20261123-100001",
        counterparty_name="Gemeente Zoetermeer Uitkeringen",
        counterparty_iban="NL39RABO0300065264",
        remittance="Participatiewet uitkering november 2026 klantnr 104712",
    ),
    entry(
        **BUDGET,
        entry_sequence=2,
        entry_ref="2",
        amount_cents=-24000,
        end_to_end_id="OZ-2026-11-000124-1",
        account_servicer_ref="BNG20261123-100002",
        counterparty_name="M. Tesfay",
        counterparty_iban="NL96INGB0005552221",
        remittance="Weekgeld week 48",
    ),
]

DAY2 = {"statement_id": "0285001234-2026-11-24-228", "booking_date": NOV24, "value_date": NOV24}

EXPECTED_08 = [
    entry(
        **DAY2,
        entry_ref="1",
        amount_cents=-61245,
        end_to_end_id="OZ-2026-11-000125-1",
        account_servicer_ref="BNG20261124-000001",
        bank_transaction_code="PMNT-ICDT-ESCT",
        counterparty_name="Woonstichting Het Vaste Huis",
        counterparty_iban="NL91ABNA0417164300",
        remittance="Huur november 2026 contract 40021899",
    ),
    entry(
        **DAY2,
        entry_ref="1",
        detail_sequence=2,
        amount_cents=-9840,
        end_to_end_id="OZ-2026-11-000125-2",
        account_servicer_ref="BNG20261124-000001",
        bank_transaction_code="PMNT-ICDT-ESCT",
        counterparty_name="Energie Zuidwest B.V.",
        counterparty_iban="NL36INGB0007654321",
        remittance="Termijn energie november 2026 klantnr 5501234",
    ),
    entry(
        **DAY2,
        entry_sequence=2,
        entry_ref="2",
        amount_cents=3810,
        reversal=True,
        end_to_end_id="OZ-2026-11-000123-2",
        account_servicer_ref="BNG20261124-000002",
        bank_transaction_code="PMNT-ICDT-RRTN",
        counterparty_name="Waterbedrijf Zuid-Holland",
        counterparty_iban="NL20INGB0001234567",
        creditor_reference="RF18539007547034",
        return_reason="AC01",
    ),
    entry(
        **DAY2,
        entry_sequence=3,
        entry_ref="3",
        amount_cents=125009,
        account_servicer_ref="BNG20261124-000003",
        bank_transaction_code="PMNT-RCDT-ESCT",
        counterparty_name="Gemeente Zoetermeer Uitkeringen",
        counterparty_iban="NL39RABO0300065264",
        remittance="Participatiewet uitkering november 2026 klantnr 104733",
    ),
    entry(
        **DAY2,
        entry_sequence=4,
        entry_ref="4",
        amount_cents=-325,
        account_servicer_ref="BNG20261124-000004",
        bank_transaction_code="N093",
    ),
    entry(
        **(DAY2 | {"booking_date": None, "value_date": date(2026, 11, 25)}),
        entry_sequence=5,
        entry_ref="5",
        amount_cents=1000,
        status="INFO",
        bank_transaction_code="PMNT-RCDT-ESCT",
    ),
]

NOTIFICATION = {"statement_id": "0285001234-NTF-2026-11-24-0007", **DAY2}
NOTIFICATION["statement_id"] = "0285001234-NTF-2026-11-24-0007"

EXPECTED_054 = [
    entry(
        **NOTIFICATION,
        entry_ref="1",
        amount_cents=42108,
        end_to_end_id="LOON-2026-46-000871",
        account_servicer_ref="BNG20261124-N00001",
        counterparty_name="Bakkerij De Korenschoof B.V.",
        counterparty_iban="NL95ABNA0123498765",
        remittance="Salaris week 46 2026 mw. A. Haile",
    ),
    entry(
        **NOTIFICATION,
        entry_sequence=2,
        entry_ref="2",
        amount_cents=5500,
        reversal=True,
        end_to_end_id="OZ-2026-11-000121-4",
        account_servicer_ref="BNG20261124-N00002",
        counterparty_name="Telecom Noord B.V.",
        counterparty_iban="NL44RABO0123456789",
        return_reason="MS03",
    ),
]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("bng_camt053_001_02.xml", EXPECTED_02),
        ("bng_camt053_001_08.xml", EXPECTED_08),
        ("bng_camt054_001_02.xml", EXPECTED_054),
    ],
)
def test_sample_file_gives_the_expected_entries(name, expected):
    assert list(camt053.read_entries(FILES / name)) == expected


def test_statements_of_the_02_sample_with_balances_and_counts():
    totals = camt053.check(FILES / "bng_camt053_001_02.xml")
    assert [(t.entry_count, t.record_count, t.booked_sum_cents) for t in totals] == [
        (9, 11, 169618),
        (2, 2, 161801),
    ]
    assert totals[0].statement == Statement(
        version="camt.053.001.02",
        message_id="BNG-CAMT053-20261123-0001",
        statement_id="0285001234-2026-11-23-227",
        electronic_sequence=227,
        account_iban=OWN,
        currency="EUR",
        opening_balance_cents=12_500_000,
        opening_balance_type="OPBD",
        opening_date=NOV23,
        closing_balance_cents=12_669_618,
        closing_date=NOV23,
    )
    budget = totals[1].statement
    assert (budget.opening_balance_cents, budget.closing_balance_cents) == (-2000, 159801)
    assert budget.electronic_sequence == 90
    assert budget.message_id == "BNG-CAMT053-20261123-0001"


def test_08_sample_opens_with_the_previous_closing_and_datetime_balance_date():
    (totals,) = camt053.check(FILES / "bng_camt053_001_08.xml")
    statement = totals.statement
    assert statement.version == "camt.053.001.08"
    assert statement.opening_balance_type == "PRCD"
    assert statement.opening_balance_cents == 12_669_618
    assert (statement.closing_balance_cents, statement.closing_date) == (12_727_027, NOV24)
    assert totals.booked_sum_cents == 12_727_027 - 12_669_618


def test_notification_has_no_balances():
    (totals,) = camt053.check(FILES / "bng_camt054_001_02.xml")
    assert totals.statement.version == "camt.054.001.02"
    assert totals.statement.opening_balance_cents is None
    assert totals.statement.closing_balance_cents is None


def test_parse_streams_the_statement_header_before_its_entries():
    kinds = [type(r).__name__ for r in camt053.parse(FILES / "bng_camt053_001_02.xml")]
    assert kinds == ["Statement"] + ["Entry"] * 11 + ["Statement"] + ["Entry"] * 2


def test_sources_path_bytes_and_file_object_give_the_same_entries():
    path = FILES / "bng_camt053_001_08.xml"
    data = path.read_bytes()
    assert list(camt053.read_entries(str(path))) == EXPECTED_08
    assert list(camt053.read_entries(data)) == EXPECTED_08
    assert list(camt053.read_entries(io.BytesIO(data))) == EXPECTED_08


HOSTILE = [
    "hostile_billion_laughs.xml",
    "hostile_external_entity.xml",
    "hostile_external_dtd.xml",
    "hostile_parameter_entity.xml",
]


@pytest.mark.parametrize("name", HOSTILE)
@pytest.mark.parametrize("reader", [camt053.parse, camt053.read_entries])
def test_hostile_file_is_refused_before_anything_is_yielded(name, reader):
    seen, error = collect(reader(FILES / name))
    assert seen == []
    assert "DOCTYPE" in error.english
    assert "niet toegestaan" in error.dutch


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_file_fails_the_check(name):
    with pytest.raises(StatementError, match="DOCTYPE"):
        camt053.check(FILES / name)


def test_doctype_hidden_behind_a_comment_is_still_refused():
    # The comment ends the quick prolog scan early; the parser's own document info catches it.
    data = (FILES / "hostile_external_entity.xml").read_bytes()
    data = data.replace(b"<!DOCTYPE", b"<!-- <Document> -->\n<!DOCTYPE", 1)
    seen, error = collect(camt053.parse(data))
    assert seen == []
    assert "DOCTYPE" in str(error)


def test_doctype_on_a_file_without_statements_is_refused():
    data = b'<?xml version="1.0"?>\n<!-- x <y -->\n<!DOCTYPE foo [<!ENTITY a "b">]>\n<foo>&a;</foo>'
    seen, error = collect(camt053.parse(data))
    assert seen == []
    assert "DOCTYPE" in str(error)


def test_external_entity_never_reaches_the_output():
    # Even with the DOCTYPE check out of the way, entities are not resolved.
    passwd = Path("/etc/passwd").read_text().splitlines()[0]
    assert passwd not in (FILES / "hostile_external_entity.xml").read_text()
    with pytest.raises(StatementError):
        list(camt053.parse(FILES / "hostile_external_entity.xml"))


@pytest.mark.parametrize(
    ("name", "dutch", "english"),
    [
        ("invalid_unknown_version.xml", "Onbekend berichttype", "camt.053.001.01"),
        ("invalid_wrong_namespace.xml", "Onbekend berichttype", "pain.001.001.09"),
        ("invalid_truncated.xml", "Ongeldige XML", "Premature end of data"),
        ("invalid_unbalanced.xml", "sluit niet", "opening 10000 + booked 1000 = 11000, closing"),
        ("invalid_sub_cent_amount.xml", "onder de cent", "'10.005'"),
    ],
)
def test_invalid_file_is_refused_with_a_clear_message_and_yields_nothing(name, dutch, english):
    seen, error = collect(camt053.read_entries(FILES / name))
    assert seen == []
    assert dutch in error.dutch
    assert english in error.english


def test_parse_alone_may_yield_before_a_late_error_read_entries_does_not():
    streamed, error = collect(camt053.parse(FILES / "invalid_unbalanced.xml"))
    assert [type(r) for r in streamed] == [Statement, Entry]
    assert "does not balance" in str(error)
    assert collect(camt053.read_entries(FILES / "invalid_unbalanced.xml"))[0] == []


def test_unbalanced_second_statement_refuses_the_whole_file():
    good = GenStatement("S1", OWN, 0, [GenEntry(1000, servicer_ref="a")])
    bad = GenStatement("S2", OWN, 0, [GenEntry(1000, servicer_ref="b")], closing_cents=999)
    seen, error = collect(camt053.read_entries(camtgen.build([good, bad])))
    assert seen == []
    assert "S2" in str(error)


def test_file_above_the_size_limit_is_refused(tmp_path):
    path = FILES / "bng_camt053_001_02.xml"
    size = path.stat().st_size
    with pytest.raises(StatementError, match="groter dan het maximum"):
        camt053.check(path, max_bytes=size - 1)
    assert camt053.check(path, max_bytes=size)
    # A stream of unknown length is counted while it is read.
    with pytest.raises(StatementError, match="larger than the maximum"):
        camt053.check(io.BytesIO(path.read_bytes()), max_bytes=size // 2)


def test_read_entries_refuses_a_stream_it_cannot_rewind():
    class Once(io.RawIOBase):
        def readable(self):
            return True

        def readinto(self, buffer):
            return 0

    with pytest.raises(TypeError, match="seekable"):
        next(camt053.read_entries(Once()))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Invalid XML"),
        (b"not xml at all", "Invalid XML"),
        (
            b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>'
            b"<GrpHdr><MsgId>M</MsgId></GrpHdr></BkToCstmrStmt></Document>",
            "contains no statements",
        ),
        (b"<Document><Stmt><Id>1</Id></Stmt></Document>", "Unknown message type 'Document'"),
    ],
)
def test_empty_or_foreign_documents_are_refused(data, message):
    with pytest.raises(StatementError, match=message):
        camt053.check(data)


def test_missing_file_is_a_statement_error(tmp_path):
    with pytest.raises(StatementError, match="kan niet worden gelezen"):
        camt053.check(tmp_path / "nope.xml")


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("12.50000", 1250),
        ("0.1", 10),
        ("5.", 500),
        (".05", 5),
        (" 7.00 ", 700),
        ("100", 10000),
        ("999999999999999999.99", 99999999999999999999),
    ],
)
def test_parse_amount_exact(text, cents):
    assert camt053.parse_amount(text) == cents


@pytest.mark.parametrize(
    "text", ["12.345", "0.001", "-1.00", "+1.00", "", ".", "1e3", "1,00", "1234567890123456789"]
)
def test_parse_amount_refuses(text):
    with pytest.raises(StatementError):
        camt053.parse_amount(text)


@given(st.integers(0, 10**18 - 1), st.integers(0, 8))
def test_amount_text_round_trips_with_any_number_of_trailing_zeros(cents, zeros):
    assert camt053.parse_amount(camtgen.amount_text(cents, zeros)) == cents


@given(st.integers(0, 10**12), st.integers(1, 9), st.integers(0, 4))
def test_non_zero_digit_below_the_cent_is_refused(cents, digit, position):
    text = camtgen.amount_text(cents) + "0" * position + str(digit)
    with pytest.raises(StatementError):
        camt053.parse_amount(text)


def _statement_with(entries, version="camt.053.001.02", **fields):
    return camtgen.build([GenStatement("S1", OWN, 100_00, entries, **fields)], version)


def test_batch_whose_details_do_not_add_up_is_refused():
    batch = GenEntry(-300, details=[Detail(amount_cents=-100), Detail(amount_cents=-199)])
    with pytest.raises(StatementError, match="add up to -299, entry is -300"):
        camt053.check(_statement_with([batch]))


def test_batch_detail_without_amount_is_refused():
    batch = GenEntry(-300, details=[Detail(amount_cents=-300), Detail()])
    with pytest.raises(StatementError, match="without an amount per transaction"):
        camt053.check(_statement_with([batch]))


def test_statement_without_closing_balance_is_read_and_says_it_was_not_checked():
    # Off by one cent against the opening balance: only a check would see it.
    data = _statement_with([GenEntry(100)], closing_cents=100_00 + 99)
    with pytest.raises(StatementError, match="does not balance"):
        camt053.check(data)
    data = data.replace(b"<Cd>CLBD</Cd>", b"<Cd>CLAV</Cd>")
    (totals,) = camt053.check(data)
    assert totals.statement.closing_balance_cents is None
    assert not totals.statement.has_balances
    assert totals.booked_sum_cents == 100


def test_statement_without_any_balance_is_read():
    data = _statement_with([GenEntry(100), GenEntry(-40)], with_balances=False)
    (totals,) = camt053.check(data)
    assert (totals.statement.opening_balance_cents, totals.statement.has_balances) == (None, False)
    assert totals.record_count == 2


def test_account_named_by_another_identification():
    statement = GenStatement("S1", None, 0, [GenEntry(100)], account_other_id="0285001234")
    header, record = camt053.parse(camtgen.build([statement]))
    assert (header.account_iban, header.account_other_id) == (None, "0285001234")
    assert (record.account_iban, record.amount_cents) == (None, 100)


def test_account_without_iban_or_other_identification_is_refused():
    data = camtgen.build([GenStatement("S1", OWN, 0, [GenEntry(100)])]).replace(
        f"<IBAN>{OWN}</IBAN>".encode(), b""
    )
    with pytest.raises(StatementError, match="neither an IBAN nor another identification"):
        camt053.check(data)


def test_entry_in_another_currency_is_refused():
    data = _statement_with([GenEntry(100)]).replace(b'<Amt Ccy="EUR">1.00', b'<Amt Ccy="USD">1.00')
    with pytest.raises(StatementError, match="amount in USD, account in EUR"):
        camt053.check(data)


def test_unknown_status_is_refused():
    data = _statement_with([GenEntry(100)], "camt.053.001.08").replace(b">BOOK<", b">XXXX<")
    with pytest.raises(StatementError, match="unknown status 'XXXX'"):
        camt053.check(data)


def test_pending_entries_do_not_count_for_the_balance():
    entries = [GenEntry(500), GenEntry(700, status="PDNG"), GenEntry(-200, status="INFO")]
    (totals,) = camt053.check(_statement_with(entries))
    assert totals.booked_sum_cents == 500
    assert totals.statement.closing_balance_cents == 100_00 + 500


def test_own_account_as_the_chosen_party_falls_back_to_the_other_party():
    # A credit names the debtor, but here the debtor is our own account: a return without RvslInd.
    detail = Detail(debtor_name="Gemeente", debtor_iban=OWN, creditor_name="X", creditor_iban="NL1")
    (record,) = camt053.read_entries(_statement_with([GenEntry(500, details=[detail])]))
    assert (record.counterparty_name, record.counterparty_iban) == ("X", "NL1")


# Texts as a bank would send them: printable, no surrounding blanks (the parser strips them).
text = (
    st.text(
        st.characters(
            blacklist_categories=("Cs", "Cc", "Co", "Cn", "Zl", "Zp"),
            blacklist_characters="\ufffe\uffff",
        ),
        min_size=1,
        max_size=40,
    )
    .map(str.strip)
    .filter(bool)
)
iban = st.from_regex(r"NL[0-9]{2}[A-Z]{4}[0-9]{10}", fullmatch=True)
amount = st.integers(-(10**11), 10**11)


@st.composite
def details(draw, cents):
    return Detail(
        amount_cents=cents,
        end_to_end_id=draw(st.one_of(st.none(), text)),
        servicer_ref=draw(st.one_of(st.none(), text)),
        debtor_name=draw(st.one_of(st.none(), text)),
        debtor_iban=draw(st.one_of(st.none(), iban)),
        creditor_name=draw(st.one_of(st.none(), text)),
        creditor_iban=draw(st.one_of(st.none(), iban)),
        remittance_lines=draw(st.lists(text, max_size=3)),
        creditor_reference=draw(st.one_of(st.none(), text)),
        return_reason=draw(st.one_of(st.none(), st.sampled_from(["AC01", "AC04", "MD07"]))),
    )


@st.composite
def entries(draw):
    parts = draw(st.lists(amount, min_size=1, max_size=3))
    if len(parts) == 1 and draw(st.booleans()):
        return GenEntry(parts[0], servicer_ref=draw(st.one_of(st.none(), text)))
    total = sum(parts)
    # Details of a batch share the entry's direction.
    parts = [abs(p) if total >= 0 else -abs(p) for p in parts]
    return GenEntry(
        sum(parts),
        status=draw(st.sampled_from(["BOOK", "BOOK", "PDNG", "INFO"])),
        reversal=draw(st.booleans()),
        booking_date=draw(st.one_of(st.none(), st.dates(date(2000, 1, 1), date(2099, 12, 31)))),
        servicer_ref=draw(st.one_of(st.none(), text)),
        entry_ref=draw(st.one_of(st.none(), text)),
        details=[draw(details(p)) for p in parts],
        extra_decimals=draw(st.integers(0, 3)),
    )


def expected_records(statement: GenStatement) -> list[Entry]:
    records = []
    for number, gen in enumerate(statement.entries, 1):
        common = entry(
            statement_id=statement.statement_id,
            account_iban=statement.account_iban,
            entry_sequence=number,
            entry_ref=gen.entry_ref,
            booking_date=gen.booking_date,
            status=gen.status,
            reversal=gen.reversal,
            account_servicer_ref=gen.servicer_ref,
        )
        if not gen.details:
            records.append(replace(common, amount_cents=gen.amount_cents))
        for detail_number, detail in enumerate(gen.details, 1):
            cents = gen.amount_cents if len(gen.details) == 1 else detail.amount_cents
            original_debit = (cents < 0) != gen.reversal
            sides = [
                (detail.creditor_name, detail.creditor_iban),
                (detail.debtor_name, detail.debtor_iban),
            ]
            if not original_debit:
                sides.reverse()
            chosen = sides[0] if sides[0] != (None, None) else sides[1]
            records.append(
                replace(
                    common,
                    detail_sequence=detail_number,
                    amount_cents=cents,
                    end_to_end_id=(
                        None if detail.end_to_end_id == "NOTPROVIDED" else detail.end_to_end_id
                    ),
                    account_servicer_ref=gen.servicer_ref or detail.servicer_ref,
                    counterparty_name=chosen[0],
                    counterparty_iban=chosen[1],
                    remittance=" ".join(detail.remittance_lines) or None,
                    creditor_reference=detail.creditor_reference,
                    return_reason=detail.return_reason,
                )
            )
    return records


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.lists(entries(), max_size=5), min_size=1, max_size=3),
    st.sampled_from(camt053.SUPPORTED_VERSIONS),
    st.integers(-(10**9), 10**9),
)
def test_generated_files_round_trip(statement_entries, version, opening):
    statements = [
        GenStatement(f"STMT-{n}", OWN, opening, gen_entries, electronic_sequence=n)
        for n, gen_entries in enumerate(statement_entries, 1)
    ]
    data = camtgen.build(statements, version)
    expected = [record for s in statements for record in expected_records(s)]
    assert list(camt053.read_entries(data)) == expected
    assert list(camt053.parse(data, plans=False)) == list(camt053.parse(data))
    totals = camt053.check(data)
    assert [t.statement.statement_id for t in totals] == [s.statement_id for s in statements]
    assert [t.booked_sum_cents for t in totals] == [camtgen.booked_sum(s) for s in statements]


def test_memory_stays_flat_on_a_large_file(tmp_path):
    """200,000 entries (about 140 MB of XML) parse in a process that stays under 100 MB.

    Resident memory is sampled as the child goes (its ru_maxrss would include this process's,
    inherited through fork). Without clearing elements the same run peaks above 1 GB.
    """
    path = tmp_path / "large.xml"
    size = camtgen.write_many(path, 200_000, statements=2)
    assert size > 100 * 1024 * 1024
    script = (
        "import os, sys\n"
        "from ontzorg.banking import camt053\n"
        "def rss():\n"
        "    with open('/proc/self/statm') as f:\n"
        "        return int(f.read().split()[1]) * os.sysconf('SC_PAGE_SIZE')\n"
        "count, most = 0, rss()\n"
        "for _ in camt053.parse(sys.argv[1]):\n"
        "    count += 1\n"
        "    if count % 5000 == 0:\n"
        "        most = max(most, rss())\n"
        "print(count, most)\n"
    )
    src = Path(camt053.__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", script, str(path)],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(src)},
    )
    count, process_peak = map(int, result.stdout.split())
    assert count == 200_000 + 2
    assert process_peak < 100 * 1024 * 1024


def test_python_allocations_stay_flat_while_parsing(tmp_path):
    """tracemalloc sees Python objects only (records, element proxies), not libxml2's tree."""
    path = tmp_path / "medium.xml"
    camtgen.write_many(path, 10_000)
    tracemalloc.start()
    try:
        count = sum(1 for record in camt053.parse(path) if isinstance(record, Entry))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 10_000
    # Keeping the records (about 1 KB each) would take about 10 MB.
    assert peak < 1024 * 1024


def test_entries_serialise_to_json():
    from ontzorg.banking.management.commands.camt_dump import entry_as_json

    line = json.dumps(entry_as_json(EXPECTED_02[0]))
    assert json.loads(line)["booking_date"] == "2026-11-23"


# The planned reading (see the module docstring) must give exactly what the long way gives.


def _outcome(data: bytes, plans: bool):
    try:
        return list(camt053.parse(data, plans=plans))
    except StatementError as error:
        return error.dutch


SAMPLE = (FILES / "bng_camt053_001_02.xml").read_bytes()
SAMPLE_08 = (FILES / "bng_camt053_001_08.xml").read_bytes()


@pytest.mark.parametrize("path", sorted(FILES.glob("*.xml")), ids=lambda path: path.name)
def test_planned_reading_equals_the_long_way_on_every_sample_file(path):
    data = path.read_bytes()
    assert _outcome(data, plans=True) == _outcome(data, plans=False)


@pytest.mark.parametrize(
    ("data", "old", "new"),
    [
        # a second element on the way to a value: the plan would read the wrong one
        (SAMPLE, b"<NtryRef>2</NtryRef>", b"<NtryRef>2</NtryRef><NtryRef>X</NtryRef>"),
        (SAMPLE, b"<NtryRef>2</NtryRef>", b"<NtryRef/><NtryRef>2</NtryRef>"),
        (SAMPLE, b"<Sts>BOOK</Sts>", b"<Sts>BOOK</Sts><Sts>PDNG</Sts>"),
        # the long way takes the first Refs, which has no EndToEndId; the plan must not
        # take the second one's
        (
            SAMPLE,
            b"<Refs>\n              <EndToEndId>PW-2026-11-0004711",
            b"<Refs/><Refs>\n              <EndToEndId>PW-2026-11-0004711",
        ),
        # errors the long way reports with their place
        (SAMPLE, b'<Amt Ccy="EUR">1300.61000</Amt>', b'<Amt Ccy="EUR">1300.615</Amt>'),
        (SAMPLE, b'<Amt Ccy="EUR">1300.61000</Amt>', b""),
        (
            SAMPLE,
            b"<Dt>2026-11-23</Dt>\n        </ValDt>",
            b"<Dt>2026-13-23</Dt>\n        </ValDt>",
        ),
        (SAMPLE, b"<Dt>2026-11-23</Dt>\n        </ValDt>", b"<Dt></Dt>\n        </ValDt>"),
        (SAMPLE, b"<Dt>2026-11-23</Dt>\n        </ValDt>", b"\n        </ValDt>"),
        (SAMPLE, b"<CdtDbtInd>DBIT</CdtDbtInd>", b"<CdtDbtInd>DEBIT</CdtDbtInd>"),
        (SAMPLE, b"<Sts>BOOK</Sts>", b"<Sts>DONE</Sts>"),
        (SAMPLE, b'Ccy="EUR">1300.61000', b'Ccy="USD">1300.61000'),
        # values that are blank, or the bank transaction code in its proprietary form
        (SAMPLE, b"<NtryRef>2</NtryRef>", b"<NtryRef>  </NtryRef>"),
        (SAMPLE, b"<Cd>PMNT</Cd>", b"<Cd/>"),
        (SAMPLE_08, b"<Sts>\n          <Cd>BOOK</Cd>", b"<Sts>\n          <Cd>INFO</Cd>"),
    ],
)
def test_planned_reading_equals_the_long_way_on_odd_entries(data, old, new):
    assert old in data
    changed = data.replace(old, new)
    assert _outcome(changed, plans=True) == _outcome(changed, plans=False)


def test_entries_of_a_known_layout_are_read_through_the_plan(monkeypatch):
    long_way = []
    original = camt053._Parser._entries

    def counted(self, ntry, statement, sequence):
        long_way.append(sequence)
        return original(self, ntry, statement, sequence)

    monkeypatch.setattr(camt053._Parser, "_entries", counted)
    entries = [GenEntry(-100 - n, details=[Detail(end_to_end_id=f"E{n}")]) for n in range(50)]
    data = camtgen.build([GenStatement("S-1", OWN, 10_000, entries)])
    assert len([r for r in camt053.parse(data) if isinstance(r, Entry)]) == 50
    assert long_way == []
    # A batch entry (several transaction details) has no plan: the long way reads it.
    batch = GenEntry(-300, details=[Detail(amount_cents=-100), Detail(amount_cents=-200)])
    data = camtgen.build([GenStatement("S-2", OWN, 10_000, [*entries[:3], batch])])
    assert len([r for r in camt053.parse(data) if isinstance(r, Entry)]) == 5
    assert long_way == [4]
