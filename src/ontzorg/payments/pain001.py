"""SEPA credit-transfer files (ISO 20022 pain.001): payments in, XML out, no database.

``write`` streams one message with ``lxml.etree.xmlfile``: it checks every payment first
(nothing is written when one is wrong), then writes the transactions one element at a time,
so memory stays flat for a run of 100,000 payments. ``write_batches`` splits a run into
files of at most ``batch_size`` payments (BNG Bank asks a day's notice above 20,000) and
validates each file. ``validate`` checks a file against the official XSD that ships in the
``sepaxml`` package, streaming as well.

pain.001.001.09 is the default (structured creditor address, ``BICFI``); pain.001.001.03 is
written on request (address as two ``AdrLine``, ``BIC``). Payments are grouped into one
``PmtInf`` per requested execution date.
"""

import functools
import importlib.resources
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO

import schwifty
from lxml import etree
from lxml.etree import Element, SubElement
from stdnum import iso11649

from .sepa import batch_message_id, clean_text, identifier_problem

VERSIONS = ("09", "03")
DEFAULT_BATCH_SIZE = 20_000
MAX_AMOUNT_CENTS = 99_999_999_999  # EUR 999,999,999.99: the SCT scheme maximum
MAX_NAME_LENGTH = 70  # EPC limit for names, also where the XSD allows 140
MAX_REMITTANCE_LENGTH = 140
# The message id gets "-<n>" appended for each PmtInfId, which is also Max35Text.
MAX_MESSAGE_ID_LENGTH = 30

_BIC_RE = re.compile(r"[A-Z]{6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3})?")
_COUNTRY_RE = re.compile(r"[A-Z]{2}")


class InvalidPayment(ValueError):
    """A payment that may not go into a file; ``message`` is Dutch and meant for the user."""

    def __init__(self, end_to_end_id: object, message: str):
        self.end_to_end_id = end_to_end_id
        self.message = message
        super().__init__(f"Betaling {end_to_end_id}: {message}")


class InvalidDebtor(ValueError):
    """The paying account (the municipality's) is configured wrongly; Dutch message."""


class InvalidFile(ValueError):
    """A file that does not validate against its XSD, with the first error's line number."""

    def __init__(self, message: str, line: int | None):
        self.message = message
        self.line = line
        super().__init__(f"Regel {line}: {message}" if line else message)


@dataclass(frozen=True, slots=True)
class Debtor:
    """The account the payments are made from."""

    name: str
    iban: str
    bic: str


@dataclass(frozen=True, slots=True)
class Address:
    """A creditor's postal address; structured in .09, two address lines in .03."""

    town: str
    country: str  # ISO 3166 alpha-2, e.g. "NL"
    street: str = ""
    building_number: str = ""
    postcode: str = ""


@dataclass(frozen=True, slots=True)
class Payment:
    """One credit transfer. Give a remittance text or a creditor reference, not both."""

    end_to_end_id: str
    amount_cents: int
    creditor_name: str
    creditor_iban: str
    execution_on: date
    creditor_bic: str = ""
    creditor_address: Address | None = None
    remittance_text: str = ""
    creditor_reference: str = ""  # ISO 11649 (RF...), written as structured remittance


@dataclass(frozen=True, slots=True)
class Summary:
    """What one message holds: its id, number of transactions and control sum."""

    message_id: str
    count: int
    control_sum_cents: int


@dataclass(frozen=True, slots=True)
class WrittenFile:
    """One file written by ``write_batches``."""

    path: Path
    message_id: str
    count: int
    control_sum_cents: int


def namespace(version: str) -> str:
    return f"urn:iso:std:iso:20022:tech:xsd:pain.001.001.{_check_version(version)}"


def format_cents(cents: int) -> str:
    """Exact decimal text of an amount in cents: 123456 -> "1234.56"."""
    return f"{cents // 100}.{cents % 100:02d}"


def check_payments(payments: Iterable[Payment]) -> dict[date, list[Payment]]:
    """Check every payment; return them grouped by execution date, in their original order.

    Raises InvalidPayment for the first payment that may not be written.
    """
    seen: set[str] = set()
    groups: dict[date, list[Payment]] = {}
    for payment in payments:
        _check_payment(payment)
        if payment.end_to_end_id in seen:
            raise InvalidPayment(payment.end_to_end_id, "het EndToEndId komt dubbel voor.")
        seen.add(payment.end_to_end_id)
        groups.setdefault(payment.execution_on, []).append(payment)
    if not groups:
        raise InvalidPayment("-", "er zijn geen betalingen om te exporteren.")
    return groups


def write(
    out: str | Path | BinaryIO,
    *,
    message_id: str,
    created_at: datetime,
    debtor: Debtor,
    payments: Iterable[Payment],
    version: str = "09",
) -> Summary:
    """Write one pain.001 message to ``out`` (a path or a binary file) and return its summary.

    Every payment and the debtor are checked before the first byte is written.
    """
    _check_version(version)
    _check_message_id(message_id)
    _check_debtor(debtor)
    groups = check_payments(payments)
    return _write(out, message_id, created_at, debtor, groups, version)


def write_batches(
    directory: str | Path,
    *,
    base_message_id: str,
    created_at: datetime,
    debtor: Debtor,
    payments: Sequence[Payment],
    version: str = "09",
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> list[WrittenFile]:
    """Split ``payments`` into messages of at most ``batch_size``, one validated file each.

    Files are named ``<message id>.xml`` with message ids ``<base>-01``, ``<base>-02``, ...
    All payments are checked (EndToEndIds unique across the batches) before anything is
    written; when a written file does not validate, the files of this call are removed.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    _check_version(version)
    _check_debtor(debtor)
    check_payments(payments)
    total = -(-len(payments) // batch_size)
    message_ids = [batch_message_id(base_message_id, n, total) for n in range(1, total + 1)]
    _check_message_id(message_ids[-1])
    directory = Path(directory)
    written: list[WrittenFile] = []
    try:
        for message_id, start in zip(message_ids, range(0, len(payments), batch_size), strict=True):
            path = directory / f"{message_id}.xml"
            batch = payments[start : start + batch_size]
            groups: dict[date, list[Payment]] = {}
            for payment in batch:
                groups.setdefault(payment.execution_on, []).append(payment)
            summary = _write(path, message_id, created_at, debtor, groups, version)
            written.append(WrittenFile(path, message_id, summary.count, summary.control_sum_cents))
            validate(path, version)
    except BaseException:
        for path in [directory / f"{message_id}.xml" for message_id in message_ids]:
            path.unlink(missing_ok=True)
        raise
    return written


def validate(source: str | Path | BinaryIO, version: str = "09") -> None:
    """Validate a pain.001 file against the official XSD; raise InvalidFile on the first error.

    Streams through the file with ``iterparse`` and drops every transaction once it is
    parsed, so a file of 100,000 payments never sits in memory as a tree.
    """
    schema = _schema(version)
    if isinstance(source, Path):
        source = str(source)
    try:
        for _event, element in etree.iterparse(
            source, events=("end",), tag=f"{{{namespace(version)}}}CdtTrfTxInf", schema=schema
        ):
            element.clear()
            parent = element.getparent()
            while element.getprevious() is not None:
                del parent[0]
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or _line_of_first_error(source, schema)
        raise InvalidFile(exc.msg, line) from exc


def _line_of_first_error(source, schema: etree.XMLSchema) -> int | None:
    """Validate again as a tree: streaming validation reports no line numbers.

    Only on failure, and a file is at most one batch, so the tree stays affordable.
    """
    if hasattr(source, "seek"):
        source.seek(0)
    try:
        tree = etree.parse(source)
    except etree.XMLSyntaxError as exc:
        return exc.lineno
    if schema.validate(tree):
        return None
    return schema.error_log[0].line


@functools.cache
def _schema(version: str) -> etree.XMLSchema:
    name = f"pain.001.001.{_check_version(version)}.xsd"
    with importlib.resources.as_file(importlib.resources.files("sepaxml") / "schemas" / name) as p:
        return etree.XMLSchema(etree.parse(str(p)))


def _check_version(version: str) -> str:
    if version not in VERSIONS:
        raise ValueError(f"pain.001 version must be one of {VERSIONS}, not {version!r}")
    return version


def _check_message_id(message_id: str) -> None:
    problem = identifier_problem(message_id)
    if not problem and len(message_id) > MAX_MESSAGE_ID_LENGTH:
        problem = f"is langer dan {MAX_MESSAGE_ID_LENGTH} tekens"
    if problem:
        raise ValueError(f"Berichtkenmerk {message_id!r} {problem}.")


def _check_debtor(debtor: Debtor) -> None:
    if not clean_text(debtor.name, MAX_NAME_LENGTH):
        raise InvalidDebtor("De naam van de betalende rekening ontbreekt.")
    problem = _iban_problem(debtor.iban)
    if problem:
        raise InvalidDebtor(f"Het IBAN van de betalende rekening {problem}.")
    if not _valid_bic(debtor.bic):
        raise InvalidDebtor(f"De BIC van de betalende rekening is ongeldig: {debtor.bic!r}.")


# Checks are cached because the same creditor accounts recur thousands of times in a run.
@functools.lru_cache(maxsize=65_536)
def _iban_problem(value: str) -> str | None:
    try:
        iban = schwifty.IBAN(value)
    except ValueError as exc:
        return f"is ongeldig ({exc})"
    if not iban.in_sepa_zone:
        return "ligt buiten het SEPA-gebied"
    return None


@functools.lru_cache(maxsize=65_536)
def _valid_reference(value: str) -> bool:
    return iso11649.is_valid(value)


@functools.lru_cache(maxsize=1_024)
def _valid_bic(value: str) -> bool:
    compact = value.replace(" ", "").upper()
    if not _BIC_RE.fullmatch(compact):
        return False
    try:
        schwifty.BIC(compact)
    except ValueError:
        return False
    return True


def _check_payment(payment: Payment) -> None:
    e2e = payment.end_to_end_id
    problem = identifier_problem(e2e)
    if problem:
        raise InvalidPayment(e2e, f"het EndToEndId {problem}.")
    amount = payment.amount_cents
    if type(amount) is not int:
        raise InvalidPayment(e2e, "het bedrag moet een geheel aantal centen zijn.")
    if not 0 < amount <= MAX_AMOUNT_CENTS:
        raise InvalidPayment(
            e2e, f"het bedrag moet tussen 0,01 en 999.999.999,99 euro liggen, niet {amount} cent."
        )
    if not clean_text(payment.creditor_name, MAX_NAME_LENGTH):
        raise InvalidPayment(
            e2e, "de naam van de begunstigde bevat geen tekens uit de SEPA-tekenset."
        )
    problem = _iban_problem(payment.creditor_iban)
    if problem:
        raise InvalidPayment(
            e2e, f"het IBAN {payment.creditor_iban!r} van de begunstigde {problem}."
        )
    if payment.creditor_bic and not _valid_bic(payment.creditor_bic):
        raise InvalidPayment(e2e, f"de BIC {payment.creditor_bic!r} is ongeldig.")
    if not isinstance(payment.execution_on, date) or isinstance(payment.execution_on, datetime):
        raise InvalidPayment(e2e, "de uitvoeringsdatum moet een datum zijn.")
    if payment.remittance_text and payment.creditor_reference:
        raise InvalidPayment(
            e2e, "geef een omschrijving of een betalingskenmerk, niet beide (SEPA-regel)."
        )
    if payment.creditor_reference and not _valid_reference(payment.creditor_reference):
        raise InvalidPayment(
            e2e,
            f"het betalingskenmerk {payment.creditor_reference!r} is geen geldige "
            "RF-referentie (ISO 11649).",
        )
    address = payment.creditor_address
    if address is not None:
        if not _COUNTRY_RE.fullmatch(address.country):
            raise InvalidPayment(
                e2e, f"de landcode {address.country!r} van het adres is geen ISO-landcode."
            )
        if not clean_text(address.town, 35):
            raise InvalidPayment(e2e, "het adres van de begunstigde heeft geen plaatsnaam.")


def _compact(account: str) -> str:
    """IBAN or BIC without spaces in capitals (already checked by schwifty)."""
    return account.replace(" ", "").upper()


def _write(out, message_id, created_at, debtor, groups, version) -> Summary:
    ns = namespace(version)
    count = sum(len(group) for group in groups.values())
    control_sum = sum(p.amount_cents for group in groups.values() for p in group)
    bic_tag = "BICFI" if version == "09" else "BIC"
    debtor_name = clean_text(debtor.name, MAX_NAME_LENGTH)
    transaction = _transaction_09 if version == "09" else _transaction_03

    # Elements below Document are built without a namespace: written inside Document they
    # are in its default namespace, and lxml does not repeat the xmlns declaration on each
    # of the 100,000 transactions.
    with etree.xmlfile(out, encoding="UTF-8") as xf:
        xf.write_declaration()
        with xf.element(f"{{{ns}}}Document", nsmap={None: ns}), xf.element("CstmrCdtTrfInitn"):
            header = Element("GrpHdr")
            _sub(header, "MsgId", message_id)
            _sub(header, "CreDtTm", created_at.isoformat(timespec="seconds"))
            _sub(header, "NbOfTxs", str(count))
            _sub(header, "CtrlSum", format_cents(control_sum))
            _sub(SubElement(header, "InitgPty"), "Nm", debtor_name)
            # A line per transaction, so that a validation error's line number points at it.
            xf.write("\n", header, "\n")
            for number, (execution_on, group) in enumerate(sorted(groups.items()), 1):
                with xf.element("PmtInf"):
                    info = Element("PmtInf")
                    _sub(info, "PmtInfId", f"{message_id}-{number}")
                    _sub(info, "PmtMtd", "TRF")
                    _sub(info, "BtchBookg", "true")
                    _sub(info, "NbOfTxs", str(len(group)))
                    _sub(info, "CtrlSum", format_cents(sum(p.amount_cents for p in group)))
                    service_level = SubElement(info, "PmtTpInf")
                    _sub(SubElement(service_level, "SvcLvl"), "Cd", "SEPA")
                    if version == "09":
                        _sub(SubElement(info, "ReqdExctnDt"), "Dt", execution_on.isoformat())
                    else:
                        _sub(info, "ReqdExctnDt", execution_on.isoformat())
                    _sub(SubElement(info, "Dbtr"), "Nm", debtor_name)
                    _account(info, "DbtrAcct", debtor.iban)
                    _agent(info, "DbtrAgt", bic_tag, debtor.bic)
                    _sub(info, "ChrgBr", "SLEV")
                    xf.write(*info, "\n")
                    for payment in group:
                        xf.write(transaction(payment), "\n")
    return Summary(message_id, count, control_sum)


def _sub(parent, tag: str, text: str) -> etree._Element:
    element = SubElement(parent, tag)
    element.text = text
    return element


def _account(parent, tag: str, iban: str) -> None:
    _sub(SubElement(SubElement(parent, tag), "Id"), "IBAN", _compact(iban))


def _agent(parent, tag: str, bic_tag: str, bic: str) -> None:
    _sub(SubElement(SubElement(parent, tag), "FinInstnId"), bic_tag, _compact(bic))


def _remittance(tx: etree._Element, payment: Payment) -> None:
    text = clean_text(payment.remittance_text, MAX_REMITTANCE_LENGTH)
    if text:
        SubElement(SubElement(tx, "RmtInf"), "Ustrd").text = text
    elif payment.creditor_reference:
        reference = SubElement(SubElement(SubElement(tx, "RmtInf"), "Strd"), "CdtrRefInf")
        kind = SubElement(reference, "Tp")
        SubElement(SubElement(kind, "CdOrPrtry"), "Cd").text = "SCOR"
        SubElement(kind, "Issr").text = "ISO"
        SubElement(reference, "Ref").text = iso11649.compact(payment.creditor_reference)


# The two transaction builders below run once per payment: they call SubElement directly
# rather than through helpers, which is most of the export's time.


def _transaction_09(payment: Payment) -> etree._Element:
    tx = Element("CdtTrfTxInf")
    SubElement(SubElement(tx, "PmtId"), "EndToEndId").text = payment.end_to_end_id
    amount = SubElement(SubElement(tx, "Amt"), "InstdAmt", Ccy="EUR")
    amount.text = format_cents(payment.amount_cents)
    if payment.creditor_bic:
        agent = SubElement(SubElement(tx, "CdtrAgt"), "FinInstnId")
        SubElement(agent, "BICFI").text = _compact(payment.creditor_bic)
    creditor = SubElement(tx, "Cdtr")
    SubElement(creditor, "Nm").text = clean_text(payment.creditor_name, MAX_NAME_LENGTH)
    address = payment.creditor_address
    if address is not None:
        postal = SubElement(creditor, "PstlAdr")
        for tag, value, length in (
            ("StrtNm", address.street, 70),
            ("BldgNb", address.building_number, 16),
            ("PstCd", address.postcode, 16),
        ):
            # An optional part that cleans to nothing is left out: the XSD has no empty texts.
            text = clean_text(value, length) if value else ""
            if text:
                SubElement(postal, tag).text = text
        SubElement(postal, "TwnNm").text = clean_text(address.town, 35)
        SubElement(postal, "Ctry").text = address.country
    account = SubElement(SubElement(tx, "CdtrAcct"), "Id")
    SubElement(account, "IBAN").text = _compact(payment.creditor_iban)
    _remittance(tx, payment)
    return tx


def _transaction_03(payment: Payment) -> etree._Element:
    tx = Element("CdtTrfTxInf")
    SubElement(SubElement(tx, "PmtId"), "EndToEndId").text = payment.end_to_end_id
    amount = SubElement(SubElement(tx, "Amt"), "InstdAmt", Ccy="EUR")
    amount.text = format_cents(payment.amount_cents)
    if payment.creditor_bic:
        agent = SubElement(SubElement(tx, "CdtrAgt"), "FinInstnId")
        SubElement(agent, "BIC").text = _compact(payment.creditor_bic)
    creditor = SubElement(tx, "Cdtr")
    SubElement(creditor, "Nm").text = clean_text(payment.creditor_name, MAX_NAME_LENGTH)
    address = payment.creditor_address
    if address is not None:
        postal = SubElement(creditor, "PstlAdr")
        SubElement(postal, "Ctry").text = address.country
        for parts in (
            (address.street, address.building_number),
            (address.postcode, address.town),
        ):
            line = clean_text(" ".join(part for part in parts if part), 70)
            if line:
                SubElement(postal, "AdrLine").text = line
    account = SubElement(SubElement(tx, "CdtrAcct"), "Id")
    SubElement(account, "IBAN").text = _compact(payment.creditor_iban)
    _remittance(tx, payment)
    return tx


__all__ = [
    "DEFAULT_BATCH_SIZE",
    "MAX_AMOUNT_CENTS",
    "VERSIONS",
    "Address",
    "Debtor",
    "InvalidDebtor",
    "InvalidFile",
    "InvalidPayment",
    "Payment",
    "Summary",
    "WrittenFile",
    "batch_message_id",
    "check_payments",
    "format_cents",
    "namespace",
    "validate",
    "write",
    "write_batches",
]
