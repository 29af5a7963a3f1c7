"""Reading ISO 20022 bank-to-customer messages: file in, records out.

Pure module: no Django, no database. Supported messages, detected from the namespace of the
root element: the statement camt.053, the intraday account report camt.052 and the
debit/credit notification camt.054, each in versions 001.02 to 001.13 (``SUPPORTED_VERSIONS``).
Their entries share one structure; what changed between versions is read by version: from
001.07 on the entry status is a choice (``Sts/Cd``) and a related party is one
(``Dbtr/Pty/Nm``), and a transaction's own amount is read from ``TxDtls/Amt`` when the
version has it, else from ``AmtDtls/TxAmt/Amt``. Any other message or version is refused.

Three entry points, all taking a path, ``bytes`` or a binary file object:

``parse(source)``
    One streaming pass. Yields a :class:`Statement` when a statement's header has been read,
    then one :class:`Entry` per entry (or per transaction detail, see below). Every check is
    made as soon as it can be, so an error may surface *after* some records of the file were
    yielded: whoever books while parsing must do so in a transaction it rolls back on
    :class:`StatementError`.
``check(source)``
    Parses the whole file and keeps nothing but per-statement totals. Raises
    :class:`StatementError` on the first problem; a file that passes parses without error.
``read_entries(source)``
    ``check`` then ``parse``: yields nothing unless the whole file is valid, so a caller can
    refuse a file atomically without a transaction. Costs two passes; a file object must
    therefore be seekable.

Decisions:

- Amounts are parsed from the decimal text exactly, into integer hundredths of the currency
  (``amount_cents``), signed: credit positive, debit negative. Trailing zero decimals are fine
  (``12.50000`` is 1250); non-zero digits below the cent (``12.345``) are refused, not rounded:
  a bank books whole cents, and rounding would hide money and break the balance check.
- Balances: when a statement carries an opening balance (OPBD, else PRCD) and a closing
  balance (CLBD), opening + the sum of the booked (BOOK) entries must equal closing; pending
  and informational entries do not count. A statement without them (some banks leave them
  out, a camt.054 notification has none) is read all the same: ``Statement.has_balances``
  tells the caller, who must say that nothing was checked.
- The account is the IBAN (``Acct/Id/IBAN``) or, when the bank identifies it otherwise, the
  other identification (``Acct/Id/Othr/Id``, ``account_other_id``); which of our accounts
  that is, is for the caller to know.
- A batch entry with several TxDtls yields one record per detail, each with that detail's own
  amount; every detail must then carry an amount in the entry's currency, and the signed
  amounts must add up to the entry's amount, or the file is refused. An entry with zero or one
  detail yields one record with the entry's amount.
- The counterparty is the other party of the original transaction: the creditor of a debit,
  the debtor of a credit. For a reversal (RvslInd) the original direction was the opposite one,
  so the sides swap. If the chosen side is missing or is our own account, the other side is
  used.
- ``remittance`` is the unstructured lines (Ustrd) joined with one space; ``creditor_reference``
  is the first structured creditor reference (Strd/CdtrRefInf/Ref). EndToEndId ``NOTPROVIDED``
  becomes ``None``.

Speed: most entries of a statement share a handful of layouts (which elements, in which
order and nesting). The first entry of each layout is read element by element, which also
builds a *plan*: where in the entry's element list each value sits. Every later entry with
the same layout (same tags and child counts, compared exactly) is read through that plan,
with a few C-level calls instead of one Python step per element. A layout the plan cannot
express exactly (a repeated element on the way to a value, a batch entry with several
transaction details) and any entry the plan finds something wrong in are read the long way,
so both ways give the same records and the same errors; the tests prove it.

Security: the parser never resolves entities, never loads a DTD, never touches the network and
keeps libxml2's size limits (no ``huge_tree``); any DOCTYPE at all is refused, and so is a file
above ``max_bytes``. All errors are :class:`StatementError` with a Dutch and English message.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from operator import attrgetter, itemgetter
from types import SimpleNamespace
from typing import BinaryIO

from lxml import etree

DEFAULT_MAX_BYTES = 1024 * 1024 * 1024

NAMESPACE_PREFIX = "urn:iso:std:iso:20022:tech:xsd:"
# The message element and its statement element (whose Ntry children are the entries).
MESSAGES = {
    "camt.052": ("BkToCstmrAcctRpt", "Rpt"),
    "camt.053": ("BkToCstmrStmt", "Stmt"),
    "camt.054": ("BkToCstmrDbtCdtNtfctn", "Ntfctn"),
}
SUPPORTED_VERSIONS = tuple(
    f"{message}.001.{number:02d}" for message in MESSAGES for number in range(2, 14)
)
# From this version on Sts and the related parties are choices (Sts/Cd, Dbtr/Pty).
CHOICES_FROM = 7
STATUSES = ("BOOK", "PDNG", "INFO", "FUTR")
BOOKED = "BOOK"

_TAGS = [
    "AcctSvcrRef",
    "AmtDtls",
    "Amt",
    "BkTxCd",
    "BookgDt",
    "CdtDbtInd",
    "Cd",
    "Cdtr",
    "CdtrAcct",
    "CdtrRefInf",
    "Dbtr",
    "DbtrAcct",
    "Domn",
    "EndToEndId",
    "Fmly",
    "IBAN",
    "Id",
    "Nm",
    "Ntry",
    "NtryDtls",
    "NtryRef",
    "Prtry",
    "Pty",
    "Ref",
    "Refs",
    "RltdPties",
    "RmtInf",
    "Rsn",
    "RtrInf",
    "RvslInd",
    "Strd",
    "Sts",
    "SubFmlyCd",
    "TxAmt",
    "TxDtls",
    "Ustrd",
    "ValDt",
]
_AMOUNT = re.compile(r"\s*(\d{0,18})(?:\.(\d*))?\s*")
_FIRST_ELEMENT = re.compile(rb"<[A-Za-z_]")


class StatementError(Exception):
    """The file is not a statement we can read safely; nothing in it may be booked."""

    def __init__(self, dutch: str, english: str):
        self.dutch = dutch
        self.english = english
        super().__init__(f"{dutch} / {english}")


@dataclass(frozen=True, slots=True)
class Statement:
    """The header of one statement (camt.053 Stmt), report (camt.052 Rpt) or notification
    (camt.054 Ntfctn). The account is its IBAN or, without one, its other identification."""

    version: str
    message_id: str | None
    statement_id: str
    electronic_sequence: int | None
    account_iban: str | None
    currency: str
    opening_balance_cents: int | None
    opening_balance_type: str | None
    opening_date: date | None
    closing_balance_cents: int | None
    closing_date: date | None
    account_other_id: str | None = None

    @property
    def has_balances(self) -> bool:
        """Whether the statement could be checked against its opening and closing balance."""
        return self.opening_balance_cents is not None and self.closing_balance_cents is not None


@dataclass(frozen=True, slots=True)
class Entry:
    """One booking line: an entry, or one transaction detail of a batch entry.
    ``account_iban`` is the statement's (None when the bank names the account otherwise)."""

    statement_id: str
    account_iban: str | None
    entry_sequence: int
    detail_sequence: int
    entry_ref: str | None
    amount_cents: int
    currency: str
    booking_date: date | None
    value_date: date | None
    status: str
    reversal: bool
    end_to_end_id: str | None
    account_servicer_ref: str | None
    bank_transaction_code: str | None
    counterparty_name: str | None
    counterparty_iban: str | None
    remittance: str | None
    creditor_reference: str | None
    return_reason: str | None


@dataclass(frozen=True, slots=True)
class StatementTotals:
    """What ``check`` found in one statement."""

    statement: Statement
    entry_count: int
    record_count: int
    booked_sum_cents: int


def parse(
    source, *, max_bytes: int | None = DEFAULT_MAX_BYTES, plans: bool = True
) -> Iterator[Statement | Entry]:
    """Stream the statements and entries of ``source``; see the module docstring.

    ``plans=False`` reads every entry element by element (the reference the tests compare
    the planned reading with)."""
    with _open(source, max_bytes) as stream:
        yield from _Parser(stream, plans=plans).records()


def check(source, *, max_bytes: int | None = DEFAULT_MAX_BYTES) -> list[StatementTotals]:
    """Parse the whole file, checking everything; return the totals per statement."""
    totals: list[StatementTotals] = []
    statement = None
    entries = records = booked = 0
    last_entry = 0

    def close():
        if statement is not None:
            totals.append(StatementTotals(statement, entries, records, booked))

    for record in parse(source, max_bytes=max_bytes):
        if isinstance(record, Statement):
            close()
            statement, entries, records, booked, last_entry = record, 0, 0, 0, 0
            continue
        records += 1
        if record.entry_sequence != last_entry:
            entries += 1
            last_entry = record.entry_sequence
        if record.status == BOOKED:
            booked += record.amount_cents
    close()
    return totals


def read_entries(source, *, max_bytes: int | None = DEFAULT_MAX_BYTES) -> Iterator[Entry]:
    """Yield the entries of ``source`` only once the whole file has been checked."""
    is_stream = not isinstance(source, str | os.PathLike | bytes | bytearray | memoryview)
    if is_stream and not (hasattr(source, "seekable") and source.seekable()):
        raise TypeError("read_entries reads the file twice: pass a path, bytes or a seekable file")
    check(source, max_bytes=max_bytes)
    if is_stream:
        source.seek(0)
    for record in parse(source, max_bytes=max_bytes):
        if isinstance(record, Entry):
            yield record


def parse_amount(text: str | None, where: tuple[str, str] = ("", "")) -> int:
    """The decimal text of an ISO amount as integer cents; sub-cent precision must be zero."""
    nl, en = (f" bij {where[0]}", f" at {where[1]}") if where[0] else ("", "")
    match = _AMOUNT.fullmatch(text or "")
    if not match or not (match.group(1) or match.group(2)):
        raise StatementError(f"Ongeldig bedrag {text!r}{nl}.", f"Invalid amount {text!r}{en}.")
    whole, fraction = match.group(1) or "0", match.group(2) or ""
    if fraction[2:].strip("0"):
        raise StatementError(
            f"Bedrag {text.strip()!r}{nl} heeft decimalen onder de cent die niet nul zijn.",
            f"Amount {text.strip()!r}{en} has non-zero digits below the cent.",
        )
    return int(whole) * 100 + int((fraction[:2] + "00")[:2])


class _Limited(io.RawIOBase):
    """A byte stream that refuses to read past ``max_bytes`` and any DOCTYPE in the prolog."""

    def __init__(self, raw: BinaryIO, max_bytes: int | None):
        self.raw = raw
        self.max_bytes = max_bytes
        self.count = 0
        self.in_prolog = True

    def readable(self):
        return True

    def read(self, size=-1):
        data = self.raw.read(size)
        self.count += len(data)
        if self.max_bytes is not None and self.count > self.max_bytes:
            raise _too_large(self.max_bytes)
        if self.in_prolog and data:
            first = _FIRST_ELEMENT.search(data)
            prolog = data if first is None else data[: first.start()]
            if b"<!DOCTYPE" in prolog or b"<!ENTITY" in prolog:
                raise _doctype_refused()
            self.in_prolog = first is None
        return data


@contextmanager
def _open(source, max_bytes: int | None) -> Iterator[_Limited]:
    if isinstance(source, bytes | bytearray | memoryview):
        yield _Limited(io.BytesIO(source), max_bytes)
        return
    if not isinstance(source, str | os.PathLike):
        yield _Limited(source, max_bytes)
        return
    try:
        size = os.path.getsize(source)
        raw = open(source, "rb")  # noqa: SIM115 -- closed below, after the last read
    except OSError as error:
        raise StatementError(
            f"Bestand {source} kan niet worden gelezen: {error.strerror}.",
            f"Cannot read file {source}: {error.strerror}.",
        ) from error
    with raw:
        if max_bytes is not None and size > max_bytes:
            raise _too_large(max_bytes)
        yield _Limited(raw, max_bytes)


def _too_large(max_bytes: int):
    return StatementError(
        f"Bestand is groter dan het maximum van {max_bytes} bytes.",
        f"File is larger than the maximum of {max_bytes} bytes.",
    )


def _doctype_refused():
    return StatementError(
        "Bestand bevat een DOCTYPE; dat is in een bankafschrift niet toegestaan.",
        "File contains a DOCTYPE, which a bank statement may not contain.",
    )


def _version_of(root) -> str:
    namespace, _, local = root.tag[1:].partition("}") if root.tag[:1] == "{" else ("", "", "")
    version = namespace[len(NAMESPACE_PREFIX) :] if namespace.startswith(NAMESPACE_PREFIX) else ""
    if local != "Document" or version not in SUPPORTED_VERSIONS:
        found = namespace or root.tag
        supported = ", ".join(f"{message}.001.02 t/m .13" for message in MESSAGES)
        raise StatementError(
            f"Onbekend berichttype {found!r}; ondersteund: {supported}.",
            f"Unknown message type {found!r}; supported: {supported.replace('t/m', 'to')}.",
        )
    return version


def _date(element, where: tuple[str, str]) -> date | None:
    """The date of a DateAndDateTimeChoice (Dt, or the date part of DtTm)."""
    if element is None:
        return None
    text = None
    for child in element:
        text = child.text
        break
    try:
        return _iso_date((text or "").strip()[:10])
    except ValueError:
        raise StatementError(
            f"Ongeldige datum {text!r} bij {where[0]}.", f"Invalid date {text!r} at {where[1]}."
        ) from None


# A statement has few distinct dates and many entries.
_iso_date = lru_cache(maxsize=1024)(date.fromisoformat)


def _text(element, path: str) -> str | None:
    value = element.findtext(path)
    if value is None:
        return None
    value = value.strip()
    return value or None


def _clean(element) -> str | None:
    """The stripped text of ``element``; None when it is missing or blank."""
    if element is None:
        return None
    value = element.text
    if value is None:
        return None
    value = value.strip()
    return value or None


# The helpers below walk the children by hand: for the few children of a camt element a plain
# loop is several times cheaper than lxml's iterchildren(tag) or find(), and this is the inner
# loop of every entry.


def _kids(element) -> dict:
    """The children of ``element`` by tag (the first of each), or {} for no element."""
    kids = {}
    if element is None:
        return kids
    for child in element:
        tag = child.tag
        if tag not in kids:
            kids[tag] = child
    return kids


def _child(element, tag: str):
    """The first child of ``element`` with ``tag``, or None."""
    if element is None:
        return None
    for child in element:
        if child.tag == tag:
            return child
    return None


def _leaf(element, *tags: str) -> str | None:
    """``_clean`` of the element reached from ``element`` through first children ``tags``."""
    for tag in tags:
        if element is None:
            return None
        for child in element:
            if child.tag == tag:
                element = child
                break
        else:
            return None
    if element is None:
        return None
    value = element.text
    if value is None:
        return None
    value = value.strip()
    return value or None


def _path(element, *tags: str):
    for tag in tags:
        element = _child(element, tag)
    return element


def _iban(value: str | None) -> str | None:
    return value.replace(" ", "").upper() if value else None


def _counterparty(original_debit: bool, creditor: tuple, debtor: tuple, own_iban: str) -> tuple:
    """The (name, IBAN) of the other party of the original transaction, which was a debit if
    this entry is one or a credit that reverses one: its creditor, else its debtor. The other
    side is taken when the chosen one is missing or is our own account."""
    chosen, other = (creditor, debtor) if original_debit else (debtor, creditor)
    if (
        (chosen == (None, None) or chosen[1] == own_iban)
        and other != (None, None)
        and other[1] != own_iban
    ):
        return other
    return chosen


_TAG = attrgetter("tag")
_TEXT = attrgetter("text")
# Stands in for a value a layout does not have: its text is None.
_NOTHING = etree.Element("nothing")
_MAX_PLANS = 256  # a file of ever new layouts is read the long way, in bounded memory

# Where each value of an entry sits, as local names from the Ntry element down. "D" is the one
# transaction detail. The order is that of ``_Plan.values``.
_D = ("NtryDtls", "TxDtls")
_PLANNED = {
    "entry_ref": ("NtryRef",),
    "amount": ("Amt",),
    "indicator": ("CdtDbtInd",),
    "status": ("Sts",),  # .08: Sts/Cd
    "reversal": ("RvslInd",),
    "servicer_ref": ("AcctSvcrRef",),
    "domain": ("BkTxCd", "Domn", "Cd"),
    "family": ("BkTxCd", "Domn", "Fmly", "Cd"),
    "subfamily": ("BkTxCd", "Domn", "Fmly", "SubFmlyCd"),
    "proprietary_code": ("BkTxCd", "Prtry", "Cd"),
    "end_to_end_id": (*_D, "Refs", "EndToEndId"),
    "detail_servicer_ref": (*_D, "Refs", "AcctSvcrRef"),
    "creditor_name": (*_D, "RltdPties", "Cdtr", "Nm"),  # .08: Cdtr/Pty/Nm
    "creditor_iban": (*_D, "RltdPties", "CdtrAcct", "Id", "IBAN"),
    "debtor_name": (*_D, "RltdPties", "Dbtr", "Nm"),  # .08: Dbtr/Pty/Nm
    "debtor_iban": (*_D, "RltdPties", "DbtrAcct", "Id", "IBAN"),
    "creditor_reference": (*_D, "RmtInf", "Strd", "CdtrRefInf", "Ref"),
    "reason_code": (*_D, "RtrInf", "Rsn", "Cd"),
    "reason_proprietary": (*_D, "RtrInf", "Rsn", "Prtry"),
}
_USTRD = (*_D, "RmtInf", "Ustrd")
_DATES = (("BookgDt",), ("ValDt",))  # the value is the first child: Dt or DtTm


@dataclass(frozen=True, slots=True)
class _Plan:
    """How to read the entries of one layout: indexes into the entry's element list."""

    values: itemgetter  # the elements of _PLANNED's values, then the two dates
    amount: int
    remittance: tuple[int, ...]
    has_bank_code: bool
    has_domain: bool
    has_booking_date: bool
    has_value_date: bool


def _plan(elements: list, ns: str, choices: bool) -> _Plan | None:
    """The plan for the layout of ``elements`` (an entry in document order), or None when
    this layout must be read the long way: the plan reads the first element on each path,
    so every element on the way to a value must be the only one with its path."""
    paths: list[tuple[str, ...]] = []
    where = {}
    for number, element in enumerate(elements):
        tag = element.tag
        name = tag[len(ns) :] if tag.startswith(ns) else tag
        path = () if number == 0 else (*paths[where[element.getparent()]], name)
        where[element] = number
        paths.append(path)
    wanted = dict(_PLANNED)
    if choices:
        wanted["status"] = ("Sts", "Cd")
        wanted["creditor_name"] = (*_D, "RltdPties", "Cdtr", "Pty", "Nm")
        wanted["debtor_name"] = (*_D, "RltdPties", "Dbtr", "Pty", "Nm")
    first: dict[tuple[str, ...], int] = {}
    count: dict[tuple[str, ...], int] = {}
    for number, path in enumerate(paths):
        first.setdefault(path, number)
        count[path] = count.get(path, 0) + 1
    on_the_way = {
        path[:end] for path in (*wanted.values(), *_DATES) for end in range(1, len(path) + 1)
    }
    on_the_way.update(_USTRD[:end] for end in range(1, len(_USTRD)))
    if any(count.get(path, 0) > 1 for path in on_the_way):
        return None
    nothing = len(elements)  # the caller appends _NOTHING
    indexes = [first.get(path, nothing) for path in wanted.values()]
    for path in _DATES:
        number = first.get(path)
        if number is not None and len(elements[number]) == 0:
            return None  # a date element without its date: an error, told the long way
        indexes.append(nothing if number is None else number + 1)
    if first.get(wanted["amount"]) is None:
        return None  # an error, told the long way
    return _Plan(
        values=itemgetter(*indexes),
        amount=first[wanted["amount"]],
        remittance=tuple(n for n, path in enumerate(paths) if path == _USTRD),
        has_bank_code=("BkTxCd",) in first,
        has_domain=("BkTxCd", "Domn") in first,
        has_booking_date=_DATES[0] in first,
        has_value_date=_DATES[1] in first,
    )


class _Parser:
    def __init__(self, stream: _Limited, *, plans: bool = True):
        self.stream = stream
        self.version = ""
        self.ns = ""
        self.message_id = None
        self.plans: dict | None = {} if plans else None

    def _tags(self):
        n = "{" + NAMESPACE_PREFIX + self.version + "}"
        self.ns = n
        self.choices = int(self.version[-2:]) >= CHOICES_FROM
        self.statement_tag = n + MESSAGES[self.version[:8]][1]
        self.t = SimpleNamespace(**{name: n + name for name in _TAGS})
        # The statement header is read once per statement, so paths are clear enough there.
        self.p = {
            "Bal": f"{n}Bal",
            "Amt": f"{n}Amt",
            "CdtDbtInd": f"{n}CdtDbtInd",
            "BalTp": f"{n}Tp/{n}CdOrPrtry/{n}Cd",
            "BalDt": f"{n}Dt",
            "Id": f"{n}Id",
            "ElctrncSeqNb": f"{n}ElctrncSeqNb",
            "IBAN": f"{n}Acct/{n}Id/{n}IBAN",
            "OthrId": f"{n}Acct/{n}Id/{n}Othr/{n}Id",
            "AcctCcy": f"{n}Acct/{n}Ccy",
            "MsgId": f"{n}GrpHdr/{n}MsgId",
        }

    def records(self) -> Iterator[Statement | Entry]:
        tags = ("{*}Ntry", *(f"{{*}}{statement}" for _message, statement in MESSAGES.values()))
        context = etree.iterparse(
            self.stream,
            events=("end",),
            tag=tags,
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            dtd_validation=False,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
        )
        statement = None
        statement_element = None
        sequence = 0
        booked = 0
        try:
            for _event, element in context:
                if not self.version:
                    self._start(element)
                tag = element.tag
                if tag != self.t.Ntry and tag != self.statement_tag:
                    raise self._foreign_element(tag)
                if tag == self.t.Ntry:
                    parent = element.getparent()
                    if parent is not statement_element:
                        if parent.tag != self.statement_tag:
                            raise self._foreign_element(parent.tag)
                        statement = self._statement(parent)
                        statement_element, sequence, booked = parent, 0, 0
                        yield statement
                    sequence += 1
                    entry = self._planned(element, statement, sequence)
                    if entry is not None:
                        if entry.status == BOOKED:
                            booked += entry.amount_cents
                        yield entry
                    else:
                        for entry in self._entries(element, statement, sequence):
                            if entry.status == BOOKED:
                                booked += entry.amount_cents
                            yield entry
                    # Keep memory flat: drop what has been read, including earlier siblings.
                    element.clear(keep_tail=False)
                    while element.getprevious() is not None:
                        del parent[0]
                    continue
                else:
                    if element is not statement_element:
                        statement = self._statement(element)
                        booked = 0
                        yield statement
                    self._balance(statement, booked)
                    statement_element = None
                # Keep memory flat: drop what has been read, including earlier siblings.
                element.clear(keep_tail=False)
                parent = element.getparent()
                if parent is not None:
                    while element.getprevious() is not None:
                        del parent[0]
        except etree.XMLSyntaxError as error:
            raise StatementError(
                f"Ongeldige XML: {error.msg}.", f"Invalid XML: {error.msg}."
            ) from None
        if context.root is None:
            raise StatementError("Leeg bestand.", "Empty file.")
        if not self.version:
            self._start(context.root)
            raise StatementError(
                "Het bestand bevat geen afschriften.", "The file contains no statements."
            )

    def _foreign_element(self, tag: str) -> StatementError:
        return StatementError(
            f"Element {tag} hoort niet bij {self.version}.",
            f"Element {tag} does not belong to {self.version}.",
        )

    def _start(self, element):
        tree = element.getroottree()
        if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
            raise _doctype_refused()
        self.version = _version_of(tree.getroot())
        self._tags()

    def _statement(self, element) -> Statement:
        p = self.p
        statement_id = _text(element, p["Id"])
        where = (f"afschrift {statement_id}", f"statement {statement_id}")
        if not statement_id:
            raise StatementError("Afschrift zonder Id.", "Statement without Id.")
        iban = _iban(_text(element, p["IBAN"]))
        other_id = None if iban else _text(element, p["OthrId"])
        if not iban and not other_id:
            raise StatementError(
                f"{where[0]}: rekening zonder IBAN of ander kenmerk.",
                f"{where[1]}: account has neither an IBAN nor another identification.",
            )
        sequence_text = _text(element, p["ElctrncSeqNb"])
        try:
            sequence = int(sequence_text) if sequence_text is not None else None
        except ValueError:
            raise StatementError(
                f"{where[0]}: ongeldig volgnummer {sequence_text!r}.",
                f"{where[1]}: invalid sequence number {sequence_text!r}.",
            ) from None
        balances = {}
        currency = _text(element, p["AcctCcy"])
        for balance in element.iterfind(p["Bal"]):
            code = _text(balance, p["BalTp"])
            if code not in ("OPBD", "PRCD", "CLBD"):
                continue
            if code in balances:
                raise StatementError(
                    f"{where[0]}: saldo {code} komt twee keer voor.",
                    f"{where[1]}: balance {code} occurs twice.",
                )
            amount = balance.find(p["Amt"])
            at = (f"{where[0]} saldo {code}", f"{where[1]} balance {code}")
            cents = self._signed(balance.find(p["CdtDbtInd"]), amount, at)
            currency = currency or amount.get("Ccy")
            if amount.get("Ccy") != currency:
                raise StatementError(
                    f"{at[0]} in {amount.get('Ccy')}, rekening in {currency}.",
                    f"{at[1]} in {amount.get('Ccy')}, account in {currency}.",
                )
            balances[code] = (cents, _date(balance.find(p["BalDt"]), at))
        opening_type = "OPBD" if "OPBD" in balances else "PRCD" if "PRCD" in balances else None
        opening = balances.get(opening_type, (None, None))
        closing = balances.get("CLBD", (None, None))
        if self.message_id is None:
            # GrpHdr precedes the first statement and is dropped once that one has been read.
            self.message_id = _text(element.getparent(), p["MsgId"]) or ""
        return Statement(
            version=self.version,
            message_id=self.message_id or None,
            statement_id=statement_id,
            electronic_sequence=sequence,
            account_iban=iban,
            currency=currency or "",
            opening_balance_cents=opening[0],
            opening_balance_type=opening_type,
            opening_date=opening[1],
            closing_balance_cents=closing[0],
            closing_date=closing[1],
            account_other_id=other_id,
        )

    def _signed(self, indicator_element, amount, where: tuple[str, str]) -> int:
        if amount is None:
            raise StatementError(
                f"Bedrag ontbreekt bij {where[0]}.", f"Amount missing at {where[1]}."
            )
        cents = parse_amount(amount.text, where)
        indicator = _clean(indicator_element)
        if indicator == "CRDT":
            return cents
        if indicator == "DBIT":
            return -cents
        raise StatementError(
            f"Ongeldige CdtDbtInd {indicator!r} bij {where[0]}.",
            f"Invalid CdtDbtInd {indicator!r} at {where[1]}.",
        )

    def _balance(self, statement: Statement, booked: int):
        opening, closing = statement.opening_balance_cents, statement.closing_balance_cents
        if opening is None or closing is None or opening + booked == closing:
            return
        raise StatementError(
            f"Afschrift {statement.statement_id} sluit niet: beginsaldo {opening} + geboekt "
            f"{booked} = {opening + booked}, eindsaldo {closing} (centen).",
            f"Statement {statement.statement_id} does not balance: opening {opening} + booked "
            f"{booked} = {opening + booked}, closing {closing} (cents).",
        )

    def _planned(self, ntry, statement: Statement, sequence: int) -> Entry | None:
        """The entry read through the plan of its layout; None when it must be read the
        long way (no plan for this layout, or something in it the long way reports)."""
        plans = self.plans
        if plans is None:
            return None
        elements = list(ntry.iter())
        layout = (tuple(map(_TAG, elements)), tuple(map(len, elements)))
        plan = plans.get(layout, False)
        if plan is False:
            if len(plans) >= _MAX_PLANS:
                return None
            plan = plans[layout] = _plan(elements, self.ns, self.choices)
        if plan is None:
            return None
        elements.append(_NOTHING)
        (
            entry_ref,
            amount,
            indicator,
            status,
            reversal,
            servicer_ref,
            domain,
            family,
            subfamily,
            proprietary_code,
            end_to_end_id,
            detail_servicer_ref,
            creditor_name,
            creditor_iban,
            debtor_name,
            debtor_iban,
            creditor_reference,
            reason_code,
            reason_proprietary,
            booking_text,
            value_text,
        ) = [(text.strip() or None) if text else None for text in map(_TEXT, plan.values(elements))]
        currency = elements[plan.amount].get("Ccy") or ""
        if status not in STATUSES or (statement.currency and currency != statement.currency):
            return None
        try:
            cents = parse_amount(amount)
            booking_date = _iso_date(booking_text[:10]) if plan.has_booking_date else None
            value_date = _iso_date(value_text[:10]) if plan.has_value_date else None
        except (StatementError, ValueError, TypeError):
            return None  # told the long way, with where it is
        if indicator == "DBIT":
            cents = -cents
        elif indicator != "CRDT":
            return None
        if plan.has_domain:
            bank_code = f"{domain or ''}-{family or ''}-{subfamily or ''}"
        else:
            bank_code = proprietary_code if plan.has_bank_code else None
        reversed_ = reversal in ("true", "1")
        own_iban = statement.account_iban
        name, iban = _counterparty(
            (cents < 0) != reversed_,
            (creditor_name, _iban(creditor_iban)),
            (debtor_name, _iban(debtor_iban)),
            own_iban or "",
        )
        remittance = None
        if plan.remittance:
            lines = [_clean(elements[number]) for number in plan.remittance]
            remittance = " ".join(line for line in lines if line) or None
        return Entry(
            statement.statement_id,
            own_iban,
            sequence,
            1,
            entry_ref,
            cents,
            currency,
            booking_date,
            value_date,
            status,
            reversed_,
            None if end_to_end_id == "NOTPROVIDED" else end_to_end_id,
            servicer_ref or detail_servicer_ref,
            bank_code,
            name,
            iban,
            remittance,
            creditor_reference,
            reason_code or reason_proprietary,
        )

    def _entries(self, ntry, statement: Statement, sequence: int) -> Iterator[Entry]:
        t = self.t
        where = (
            f"afschrift {statement.statement_id} post {sequence}",
            f"statement {statement.statement_id} entry {sequence}",
        )
        kids = {}
        entry_details = []
        for child in ntry:
            tag = child.tag
            if tag == t.NtryDtls:
                entry_details.append(child)
            elif tag not in kids:
                kids[tag] = child
        amount = kids.get(t.Amt)
        cents = self._signed(kids.get(t.CdtDbtInd), amount, where)
        currency = amount.get("Ccy") or ""
        if statement.currency and currency != statement.currency:
            raise StatementError(
                f"{where[0]}: bedrag in {currency}, rekening in {statement.currency}.",
                f"{where[1]}: amount in {currency}, account in {statement.currency}.",
            )
        status = kids.get(t.Sts)
        if self.choices and status is not None:
            status = _child(status, t.Cd)
        status = _clean(status)
        if status not in STATUSES:
            raise StatementError(
                f"{where[0]}: onbekende status {status!r}.",
                f"{where[1]}: unknown status {status!r}.",
            )
        common = {
            "statement_id": statement.statement_id,
            "account_iban": statement.account_iban,
            "entry_sequence": sequence,
            "entry_ref": _clean(kids.get(t.NtryRef)),
            "currency": currency,
            "booking_date": _date(kids.get(t.BookgDt), where),
            "value_date": _date(kids.get(t.ValDt), where),
            "status": status,
            "reversal": _clean(kids.get(t.RvslInd)) in ("true", "1"),
            "bank_transaction_code": self._bank_code(kids.get(t.BkTxCd)),
        }
        servicer_ref = _clean(kids.get(t.AcctSvcrRef))
        details = [detail for group in entry_details for detail in group if detail.tag == t.TxDtls]
        if len(details) <= 1:
            yield self._entry(
                common, details[0] if details else None, 1, cents, servicer_ref, statement
            )
            return
        amounts = []
        for number, detail in enumerate(details, 1):
            detail_where = (f"{where[0]} transactie {number}", f"{where[1]} detail {number}")
            detail_kids = _kids(detail)
            # TxDtls/Amt where the version has it (not in .02), else the amount details.
            detail_amount = detail_kids.get(t.Amt)
            if detail_amount is None:
                detail_amount = _path(detail_kids.get(t.AmtDtls), t.TxAmt, t.Amt)
            if detail_amount is None:
                raise StatementError(
                    f"{detail_where[0]}: verzamelpost zonder bedrag per transactie.",
                    f"{detail_where[1]}: batch entry without an amount per transaction.",
                )
            detail_currency = detail_amount.get("Ccy")
            if detail_currency != currency:
                raise StatementError(
                    f"{detail_where[0]}: bedrag in {detail_currency}, post in {currency}.",
                    f"{detail_where[1]}: amount in {detail_currency}, entry in {currency}.",
                )
            detail_cents = parse_amount(detail_amount.text, detail_where)
            indicator = _clean(detail_kids.get(t.CdtDbtInd))
            if indicator == "DBIT" or (indicator is None and cents < 0):
                detail_cents = -detail_cents
            amounts.append(detail_cents)
        if sum(amounts) != cents:
            raise StatementError(
                f"{where[0]}: transacties tellen op tot {sum(amounts)}, post is {cents} (centen).",
                f"{where[1]}: transactions add up to {sum(amounts)}, entry is {cents} (cents).",
            )
        for number, (detail, detail_cents) in enumerate(zip(details, amounts, strict=True), 1):
            yield self._entry(common, detail, number, detail_cents, servicer_ref, statement)

    def _bank_code(self, code) -> str | None:
        if code is None:
            return None
        t = self.t
        domain = _child(code, t.Domn)
        if domain is not None:
            family = _child(domain, t.Fmly)
            return (
                f"{_leaf(domain, t.Cd) or ''}-{_leaf(family, t.Cd) or ''}"
                f"-{_leaf(family, t.SubFmlyCd) or ''}"
            )
        return _leaf(code, t.Prtry, t.Cd)

    def _party(self, parties: dict, role: str, account: str) -> tuple[str | None, str | None]:
        t = self.t
        party = parties.get(role)
        if self.choices and party is not None:
            party = _child(party, t.Pty)
        name = _leaf(party, t.Nm)
        iban = _iban(_leaf(parties.get(account), t.Id, t.IBAN))
        return name, iban

    def _entry(self, common, detail, number, cents, servicer_ref, statement) -> Entry:
        t = self.t
        if detail is None:
            return Entry(
                **common,
                detail_sequence=number,
                amount_cents=cents,
                end_to_end_id=None,
                account_servicer_ref=servicer_ref,
                counterparty_name=None,
                counterparty_iban=None,
                remittance=None,
                creditor_reference=None,
                return_reason=None,
            )
        kids = _kids(detail)
        refs = _kids(kids.get(t.Refs))
        end_to_end_id = _clean(refs.get(t.EndToEndId))
        if end_to_end_id == "NOTPROVIDED":
            end_to_end_id = None
        parties = _kids(kids.get(t.RltdPties))
        name, iban = _counterparty(
            (cents < 0) != common["reversal"],
            self._party(parties, t.Cdtr, t.CdtrAcct),
            self._party(parties, t.Dbtr, t.DbtrAcct),
            statement.account_iban or "",
        )
        lines = []
        creditor_reference = None
        remittance = kids.get(t.RmtInf)
        if remittance is not None:
            structures = []
            for child in remittance:
                tag = child.tag
                if tag == t.Ustrd:
                    lines.append(_clean(child))
                elif tag == t.Strd:
                    structures.append(child)
            for structured in structures:
                creditor_reference = _leaf(structured, t.CdtrRefInf, t.Ref)
                if creditor_reference:
                    break
        reason = _path(kids.get(t.RtrInf), t.Rsn)
        return Entry(
            **common,
            detail_sequence=number,
            amount_cents=cents,
            end_to_end_id=end_to_end_id,
            account_servicer_ref=servicer_ref or _clean(refs.get(t.AcctSvcrRef)),
            counterparty_name=name,
            counterparty_iban=iban,
            remittance=" ".join(line for line in lines if line) or None,
            creditor_reference=creditor_reference,
            return_reason=(
                None if reason is None else _leaf(reason, t.Cd) or _leaf(reason, t.Prtry)
            ),
        )
