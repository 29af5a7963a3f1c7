"""The pain.001 writer, validator and batch split (payments/pain001.py)."""

import io
import re
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from stdnum.iso7064 import mod_97_10

from ontzorg.payments import pain001
from ontzorg.payments.pain001 import Address, Debtor, InvalidPayment, Payment
from ontzorg.payments.sepa import clean_text

FILES = Path(__file__).parent / "files"
CREATED_AT = datetime(2026, 11, 25, 9, 30)
DEBTOR = Debtor("Gemeente Zoetermeer", "NL38BNGH0285000123", "BNGHNL2G")
IBANS = [
    "NL91ABNA0417164300",
    "NL44 RABO 0123 4567 89",
    "nl20ingb0001234567",
    "DE89370400440532013000",
    "BE68539007547034",
    "FR1420041010050500013M02606",
]
BICS = ["", "ABNANL2A", "RABONL2U", "INGBNL2AXXX", "COBADEFFXXX"]
SEPA_TEXT = re.compile(r"[A-Za-z0-9/\-?:().,'+ ]*")
TEXT_TAGS = {"Nm", "Ustrd", "StrtNm", "BldgNb", "PstCd", "TwnNm", "AdrLine"}


def rf(reference: str) -> str:
    """An ISO 11649 creditor reference with correct check digits."""
    return f"RF{mod_97_10.calc_check_digits(reference + 'RF')}{reference}"


def payment(end_to_end_id="OZ-1-1", **changes) -> Payment:
    fields = {
        "end_to_end_id": end_to_end_id,
        "amount_cents": 65_012,
        "creditor_name": "Woonstichting De Goede Woning",
        "creditor_iban": "NL91ABNA0417164300",
        "execution_on": date(2026, 12, 1),
        "remittance_text": "Huur december 2026 klant 123456",
    }
    return Payment(**(fields | changes))


def write(payments, version="09", message_id="OZ-TEST-1"):
    out = io.BytesIO()
    summary = pain001.write(
        out,
        message_id=message_id,
        created_at=CREATED_AT,
        debtor=DEBTOR,
        payments=payments,
        version=version,
    )
    return out.getvalue(), summary


def read(document: bytes | Path) -> dict:
    """Parse a pain.001 file back into plain data, independently of the writer."""
    if isinstance(document, Path):
        document = document.read_bytes()
    root = etree.fromstring(document)
    ns = {"p": etree.QName(root).namespace}

    def text(element, path):
        found = element.find(path, ns)
        return None if found is None else found.text

    header = root.find("p:CstmrCdtTrfInitn/p:GrpHdr", ns)
    groups = []
    for info in root.iterfind("p:CstmrCdtTrfInitn/p:PmtInf", ns):
        execution = text(info, "p:ReqdExctnDt/p:Dt") or text(info, "p:ReqdExctnDt")
        transactions = []
        for tx in info.iterfind("p:CdtTrfTxInf", ns):
            amount = tx.find("p:Amt/p:InstdAmt", ns)
            euros, cents = amount.text.split(".")
            transactions.append(
                {
                    "end_to_end_id": text(tx, "p:PmtId/p:EndToEndId"),
                    "amount_cents": int(euros) * 100 + int(cents),
                    "currency": amount.get("Ccy"),
                    "creditor_name": text(tx, "p:Cdtr/p:Nm"),
                    "creditor_iban": text(tx, "p:CdtrAcct/p:Id/p:IBAN"),
                    "creditor_bic": text(tx, "p:CdtrAgt/p:FinInstnId/p:BICFI")
                    or text(tx, "p:CdtrAgt/p:FinInstnId/p:BIC")
                    or "",
                    "street": text(tx, "p:Cdtr/p:PstlAdr/p:StrtNm"),
                    "town": text(tx, "p:Cdtr/p:PstlAdr/p:TwnNm"),
                    "country": text(tx, "p:Cdtr/p:PstlAdr/p:Ctry"),
                    "address_lines": [
                        line.text for line in tx.iterfind("p:Cdtr/p:PstlAdr/p:AdrLine", ns)
                    ],
                    "remittance_text": text(tx, "p:RmtInf/p:Ustrd") or "",
                    "creditor_reference": text(tx, "p:RmtInf/p:Strd/p:CdtrRefInf/p:Ref") or "",
                }
            )
        groups.append(
            {
                "execution_on": date.fromisoformat(execution),
                "count": int(text(info, "p:NbOfTxs")),
                "control_sum": text(info, "p:CtrlSum"),
                "transactions": transactions,
            }
        )
    return {
        "namespace": ns["p"],
        "message_id": text(header, "p:MsgId"),
        "count": int(text(header, "p:NbOfTxs")),
        "control_sum": text(header, "p:CtrlSum"),
        "groups": groups,
        "texts": [
            element.text
            for element in root.iter()
            if isinstance(element.tag, str) and etree.QName(element).localname in TEXT_TAGS
        ],
    }


def validate_bytes(document: bytes, version: str) -> None:
    pain001.validate(io.BytesIO(document), version)


# Generated payment sets ------------------------------------------------------------------

names = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from(["A", "Z", "é", "Ş", "ʿA", "Hé"]),
    st.text(max_size=120),
)
addresses = st.one_of(
    st.none(),
    st.builds(
        Address,
        town=st.builds(lambda t: "Den Haag " + t, st.text(max_size=40)),
        country=st.sampled_from(["NL", "BE", "DE"]),
        street=st.text(max_size=90),
        building_number=st.text(max_size=20),
        postcode=st.text(max_size=20),
    ),
)
remittances = st.one_of(
    st.tuples(st.text(max_size=300), st.just("")),
    st.tuples(st.just(""), st.from_regex(r"[0-9A-Z]{1,21}", fullmatch=True).map(rf)),
)


@st.composite
def payment_sets(draw, max_size=12):
    count = draw(st.integers(min_value=1, max_value=max_size))
    ids = draw(
        st.lists(
            st.from_regex(r"[A-Za-z0-9][A-Za-z0-9\-?:().,'+]{0,34}", fullmatch=True),
            min_size=count,
            max_size=count,
            unique=True,
        )
    )
    result = []
    for end_to_end_id in ids:
        text, reference = draw(remittances)
        result.append(
            Payment(
                end_to_end_id=end_to_end_id,
                amount_cents=draw(
                    st.one_of(
                        st.integers(min_value=1, max_value=pain001.MAX_AMOUNT_CENTS),
                        st.sampled_from([1, 99, 100, pain001.MAX_AMOUNT_CENTS]),
                    )
                ),
                creditor_name=draw(names),
                creditor_iban=draw(st.sampled_from(IBANS)),
                creditor_bic=draw(st.sampled_from(BICS)),
                creditor_address=draw(addresses),
                execution_on=draw(st.sampled_from([date(2026, 12, 1), date(2026, 12, 15)])),
                remittance_text=text,
                creditor_reference=reference,
            )
        )
    return result


@pytest.mark.parametrize("version", ["09", "03"])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(payments=payment_sets())
def test_every_generated_file_validates_and_reads_back_as_its_payments(version, payments):
    document, summary = write(payments, version)

    validate_bytes(document, version)
    parsed = read(document)
    total = sum(p.amount_cents for p in payments)
    assert parsed["namespace"] == pain001.namespace(version)
    assert parsed["count"] == summary.count == len(payments)
    assert parsed["control_sum"] == f"{total // 100}.{total % 100:02d}"
    assert summary.control_sum_cents == total
    assert all(SEPA_TEXT.fullmatch(text) for text in parsed["texts"])

    written = {}
    for group in parsed["groups"]:
        in_group = [p for p in payments if p.execution_on == group["execution_on"]]
        assert [tx["end_to_end_id"] for tx in group["transactions"]] == [
            p.end_to_end_id for p in in_group
        ]
        assert group["count"] == len(in_group)
        group_total = sum(p.amount_cents for p in in_group)
        assert group["control_sum"] == f"{group_total // 100}.{group_total % 100:02d}"
        written |= {tx["end_to_end_id"]: tx for tx in group["transactions"]}
    assert len(parsed["groups"]) == len({p.execution_on for p in payments})

    for p in payments:
        tx = written[p.end_to_end_id]
        assert tx["amount_cents"] == p.amount_cents
        assert tx["currency"] == "EUR"
        assert tx["creditor_name"] == clean_text(p.creditor_name, 70)
        assert tx["creditor_iban"] == p.creditor_iban.replace(" ", "").upper()
        assert tx["creditor_bic"] == p.creditor_bic
        assert tx["remittance_text"] == clean_text(p.remittance_text, 140)
        assert tx["creditor_reference"] == p.creditor_reference
        if p.creditor_address is None:
            assert tx["country"] is None
        else:
            assert tx["country"] == p.creditor_address.country
            if version == "09":
                assert tx["town"] == clean_text(p.creditor_address.town, 35)
                assert tx["address_lines"] == []
            else:
                assert tx["town"] is None
                assert clean_text(p.creditor_address.town, 70) in " ".join(tx["address_lines"])


def test_version_09_uses_structured_address_bicfi_and_dated_execution():
    address = Address("Zoetermeer", "NL", "Markt", "10", "2711 CJ")
    document, _ = write([payment(creditor_bic="ABNANL2A", creditor_address=address)])
    text = document.decode()
    assert "<ReqdExctnDt><Dt>2026-12-01</Dt></ReqdExctnDt>" in text
    assert "<BICFI>ABNANL2A</BICFI>" in text
    assert "<BICFI>BNGHNL2G</BICFI>" in text
    assert (
        "<PstlAdr><StrtNm>Markt</StrtNm><BldgNb>10</BldgNb><PstCd>2711 CJ</PstCd>"
        "<TwnNm>Zoetermeer</TwnNm><Ctry>NL</Ctry></PstlAdr>"
    ) in text


def test_version_03_uses_address_lines_bic_and_plain_date():
    address = Address("Zoetermeer", "NL", "Markt", "10", "2711 CJ")
    document, _ = write([payment(creditor_bic="ABNANL2A", creditor_address=address)], "03")
    text = document.decode()
    assert "<ReqdExctnDt>2026-12-01</ReqdExctnDt>" in text
    assert "<BIC>ABNANL2A</BIC>" in text
    assert (
        "<PstlAdr><Ctry>NL</Ctry><AdrLine>Markt 10</AdrLine>"
        "<AdrLine>2711 CJ Zoetermeer</AdrLine></PstlAdr>"
    ) in text
    assert "StrtNm" not in text


def test_structured_creditor_reference_is_written_as_scor():
    document, _ = write([payment(remittance_text="", creditor_reference="RF18 5390 0754 7034")])
    assert (
        "<RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>ISO</Issr>"
        "</Tp><Ref>RF18539007547034</Ref></CdtrRefInf></Strd></RmtInf>"
    ) in document.decode()


def test_one_payment_information_block_per_execution_date_in_date_order():
    payments = [
        payment("A-1", execution_on=date(2026, 12, 15), amount_cents=1),
        payment("A-2", execution_on=date(2026, 12, 1), amount_cents=250),
        payment("A-3", execution_on=date(2026, 12, 15), amount_cents=99_999_999_999),
    ]
    document, summary = write(payments)
    parsed = read(document)
    assert [(g["execution_on"].day, g["count"], g["control_sum"]) for g in parsed["groups"]] == [
        (1, 1, "2.50"),
        (15, 2, "1000000000.00"),
    ]
    assert parsed["control_sum"] == "1000000002.50"
    assert summary == pain001.Summary("OZ-TEST-1", 3, 100_000_000_250)


# Invalid input never reaches the file ------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"creditor_iban": "NL91ABNA0417164301"}, "IBAN"),
        ({"creditor_iban": "NL91ABNA041716430"}, "IBAN"),
        ({"creditor_iban": "BR1800360305000010009795493C1"}, "buiten het SEPA-gebied"),
        ({"creditor_bic": "ABNA NL"}, "BIC"),
        ({"end_to_end_id": "OZ 1"}, "SEPA-tekenset"),
        ({"end_to_end_id": "OZ-ü"}, "SEPA-tekenset"),
        ({"end_to_end_id": "x" * 36}, "langer dan 35"),
        ({"end_to_end_id": "OZ//1"}, "'//'"),
        ({"amount_cents": 0}, "bedrag"),
        ({"amount_cents": -5}, "bedrag"),
        ({"amount_cents": 100_000_000_000}, "bedrag"),
        ({"amount_cents": 12.5}, "centen"),
        ({"amount_cents": True}, "centen"),
        ({"creditor_name": "محمد 😀"}, "naam"),
        ({"execution_on": datetime(2026, 12, 1, 9)}, "datum"),
        ({"creditor_reference": "RF18539007547034"}, "niet beide"),
        ({"remittance_text": "", "creditor_reference": "RF19539007547034"}, "RF-referentie"),
        ({"creditor_address": Address("Zoetermeer", "NLD")}, "landcode"),
        ({"creditor_address": Address("😀", "NL")}, "plaatsnaam"),
    ],
)
def test_invalid_payment_is_refused_before_anything_is_written(tmp_path, changes, message):
    target = tmp_path / "run.xml"
    bad = payment(**({"end_to_end_id": "OZ-1-2"} | changes))
    with pytest.raises(InvalidPayment, match=message) as refused:
        pain001.write(
            target,
            message_id="OZ-TEST-1",
            created_at=CREATED_AT,
            debtor=DEBTOR,
            payments=[payment("OZ-1-1"), bad],
        )
    assert refused.value.end_to_end_id == bad.end_to_end_id
    assert not target.exists()


def test_duplicate_end_to_end_id_is_refused():
    with pytest.raises(InvalidPayment, match="dubbel") as refused:
        write([payment("OZ-1-1"), payment("OZ-1-2"), payment("OZ-1-1")])
    assert refused.value.end_to_end_id == "OZ-1-1"


def test_empty_run_is_refused():
    with pytest.raises(InvalidPayment, match="geen betalingen"):
        write([])


@pytest.mark.parametrize(
    "debtor",
    [
        Debtor("Gemeente Zoetermeer", "NL38BNGH0285000124", "BNGHNL2G"),
        Debtor("Gemeente Zoetermeer", "NL38BNGH0285000123", "BNGH"),
        Debtor("😀", "NL38BNGH0285000123", "BNGHNL2G"),
    ],
)
def test_wrong_debtor_is_refused(debtor):
    with pytest.raises(pain001.InvalidDebtor):
        pain001.write(
            io.BytesIO(),
            message_id="OZ-1",
            created_at=CREATED_AT,
            debtor=debtor,
            payments=[payment()],
        )


@pytest.mark.parametrize("message_id", ["OZ 1", "x" * 31, ""])
def test_message_id_must_be_a_short_sepa_identifier(message_id):
    with pytest.raises(ValueError, match="Berichtkenmerk"):
        write([payment()], message_id=message_id)


def test_unknown_version_is_refused():
    with pytest.raises(ValueError, match="version"):
        write([payment()], version="10")


# Validation --------------------------------------------------------------------------------


def test_validate_reports_the_line_of_the_offending_transaction(tmp_path):
    payments = [payment(f"OZ-1-{i}", creditor_address=Address("Delft", "NL")) for i in range(5)]
    document, _ = write(payments)
    lines = document.decode().splitlines()
    bad_line = next(i for i, line in enumerate(lines, 1) if "OZ-1-3<" in line)
    lines[bad_line - 1] = lines[bad_line - 1].replace("<Ctry>NL</Ctry>", "<Ctry>NLD</Ctry>")
    path = tmp_path / "bad.xml"
    path.write_text("\n".join(lines))

    with pytest.raises(pain001.InvalidFile, match="Ctry") as invalid:
        pain001.validate(path, "09")
    assert invalid.value.line == bad_line


def test_validate_refuses_a_file_of_the_other_version():
    document, _ = write([payment()], "09")
    with pytest.raises(pain001.InvalidFile):
        validate_bytes(document, "03")


def test_validate_refuses_a_wrong_control_sum_format():
    document, _ = write([payment()])
    broken = document.replace(b"<CtrlSum>650.12</CtrlSum>", b"<CtrlSum>650,12</CtrlSum>", 1)
    with pytest.raises(pain001.InvalidFile, match="CtrlSum"):
        validate_bytes(broken, "09")


@pytest.mark.parametrize(
    ("name", "version", "count", "control_sum"),
    [
        ("pain.001.001.09-sample.xml", "09", 3, "1617.84"),
        ("pain.001.001.03-sample.xml", "03", 2, "742.50"),
    ],
)
def test_sample_files_validate_and_read(name, version, count, control_sum):
    pain001.validate(FILES / name, version)
    parsed = read(FILES / name)
    assert parsed["count"] == count == sum(len(g["transactions"]) for g in parsed["groups"])
    assert parsed["control_sum"] == control_sum
    cents = sum(tx["amount_cents"] for g in parsed["groups"] for tx in g["transactions"])
    assert pain001.format_cents(cents) == control_sum


# Batch split -------------------------------------------------------------------------------


def write_batches(directory, payments, batch_size, version="09"):
    return pain001.write_batches(
        directory,
        base_message_id="OZ-202612",
        created_at=CREATED_AT,
        debtor=DEBTOR,
        payments=payments,
        version=version,
        batch_size=batch_size,
    )


@pytest.mark.parametrize(("n", "sizes"), [(1, [1]), (3, [3]), (4, [3, 1]), (7, [3, 3, 1])])
def test_batches_split_at_the_batch_size(tmp_path, n, sizes):
    payments = [payment(f"OZ-1-{i}", amount_cents=100 + i) for i in range(n)]

    written = write_batches(tmp_path, payments, batch_size=3)

    assert [w.count for w in written] == sizes
    assert [w.message_id for w in written] == [
        f"OZ-202612-{i:02d}" for i in range(1, len(sizes) + 1)
    ]
    assert sorted(tmp_path.iterdir()) == [w.path for w in written]
    ids = []
    for w in written:
        pain001.validate(w.path)
        parsed = read(w.path)
        assert parsed["message_id"] == w.message_id
        assert parsed["count"] == w.count
        assert parsed["control_sum"] == pain001.format_cents(w.control_sum_cents)
        ids += [tx["end_to_end_id"] for g in parsed["groups"] for tx in g["transactions"]]
    assert ids == [p.end_to_end_id for p in payments]
    assert sum(w.control_sum_cents for w in written) == sum(p.amount_cents for p in payments)


@pytest.mark.parametrize(("n", "counts"), [(20_000, [20_000]), (20_001, [20_000, 1])])
def test_default_batch_size_is_bngs_20000(tmp_path, n, counts):
    payments = [payment(f"OZ-1-{i}") for i in range(n)]
    written = pain001.write_batches(
        tmp_path,
        base_message_id="OZ-202612",
        created_at=CREATED_AT,
        debtor=DEBTOR,
        payments=payments,
    )
    assert [w.count for w in written] == counts


def test_batches_refuse_duplicate_ids_across_batches_and_write_nothing(tmp_path):
    payments = [payment("OZ-1-1"), payment("OZ-1-2"), payment("OZ-1-1")]
    with pytest.raises(InvalidPayment, match="dubbel"):
        write_batches(tmp_path, payments, batch_size=2)
    assert list(tmp_path.iterdir()) == []


def test_batches_refuse_an_invalid_payment_in_a_later_batch_and_write_nothing(tmp_path):
    payments = [payment(f"OZ-1-{i}") for i in range(5)] + [payment("OZ-1-9", amount_cents=0)]
    with pytest.raises(InvalidPayment):
        write_batches(tmp_path, payments, batch_size=2)
    assert list(tmp_path.iterdir()) == []
