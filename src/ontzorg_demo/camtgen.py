"""Writing camt.052/.053/.054 files from plain data: the demo statements, the round-trip tests
and the benchmarks.

Only as much of ISO 20022 as the parser reads, in the order and with the required elements of
the published schemas of every version the parser reads (001.02 to 001.13; the tests validate
against those schemas when they are on the machine). ``write_many`` streams a file of any size
to disk without building it in memory.
"""

from dataclasses import dataclass, field
from datetime import date

from lxml import etree

NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:{}"


@dataclass
class Detail:
    amount_cents: int | None = None
    end_to_end_id: str | None = None
    servicer_ref: str | None = None
    debtor_name: str | None = None
    debtor_iban: str | None = None
    creditor_name: str | None = None
    creditor_iban: str | None = None
    remittance_lines: list[str] = field(default_factory=list)
    creditor_reference: str | None = None
    return_reason: str | None = None


@dataclass
class GenEntry:
    amount_cents: int
    status: str = "BOOK"
    reversal: bool = False
    booking_date: date | None = date(2026, 11, 23)
    value_date: date | None = date(2026, 11, 23)
    servicer_ref: str | None = None
    entry_ref: str | None = None
    details: list[Detail] = field(default_factory=list)
    extra_decimals: int = 0
    bank_code: tuple[str, str, str] | None = None  # domain, family, sub-family


@dataclass
class GenStatement:
    """One statement. ``account_iban`` None: the account is named by ``account_other_id``.
    Without balances a camt.053 statement still carries one (CLAV, the available balance),
    as its schema requires, but none the parser can check."""

    statement_id: str
    account_iban: str | None
    opening_cents: int
    entries: list[GenEntry]
    electronic_sequence: int | None = None
    closing_cents: int | None = None
    with_balances: bool = True
    account_other_id: str | None = None


def amount_text(cents: int, extra_decimals: int = 0) -> str:
    cents = abs(cents)
    return f"{cents // 100}.{cents % 100:02d}" + "0" * extra_decimals


def booked_sum(statement: GenStatement) -> int:
    return sum(e.amount_cents for e in statement.entries if e.status == "BOOK")


# The message element and the statement element of each message.
MESSAGES = {
    "camt.052": ("BkToCstmrAcctRpt", "Rpt"),
    "camt.053": ("BkToCstmrStmt", "Stmt"),
    "camt.054": ("BkToCstmrDbtCdtNtfctn", "Ntfctn"),
}


def choices(version: str) -> bool:
    """From 001.07 on, Sts and the related parties are choices (Sts/Cd, Dbtr/Pty)."""
    return int(version[-2:]) >= 7


def build(statements: list[GenStatement], version: str = "camt.053.001.02") -> bytes:
    """A camt document for ``statements``; the closing balance defaults to the right one.
    A camt.054 notification carries no balances (its schema has none)."""
    ns = NAMESPACE.format(version)
    message_tag, statement_tag = MESSAGES[version[:8]]

    def sub(parent, tag, text=None, **attrib):
        element = etree.SubElement(parent, f"{{{ns}}}{tag}", **attrib)
        if text is not None:
            element.text = text
        return element

    root = etree.Element(f"{{{ns}}}Document", nsmap={None: ns})
    message = sub(root, message_tag)
    header = sub(message, "GrpHdr")
    sub(header, "MsgId", "GEN-1")
    sub(header, "CreDtTm", "2026-11-23T21:00:00")
    for statement in statements:
        stmt = sub(message, statement_tag)
        sub(stmt, "Id", statement.statement_id)
        if statement.electronic_sequence is not None:
            sub(stmt, "ElctrncSeqNb", str(statement.electronic_sequence))
        sub(stmt, "CreDtTm", "2026-11-23T21:00:00")
        account = sub(stmt, "Acct")
        if statement.account_iban is not None:
            sub(sub(account, "Id"), "IBAN", statement.account_iban)
        else:
            sub(sub(sub(account, "Id"), "Othr"), "Id", statement.account_other_id)
        sub(account, "Ccy", "EUR")
        for code, cents in _balances(statement, version):
            balance = sub(stmt, "Bal")
            sub(sub(sub(balance, "Tp"), "CdOrPrtry"), "Cd", code)
            sub(balance, "Amt", amount_text(cents), Ccy="EUR")
            sub(balance, "CdtDbtInd", "DBIT" if cents < 0 else "CRDT")
            sub(sub(balance, "Dt"), "Dt", "2026-11-23")
        for entry in statement.entries:
            _entry(sub, stmt, entry, version)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _balances(statement: GenStatement, version: str) -> list[tuple[str, int]]:
    if version.startswith("camt.054"):
        return []
    if not statement.with_balances:
        # camt.053 requires a balance; the available balance (CLAV) checks nothing.
        return [("CLAV", statement.opening_cents)] if version.startswith("camt.053") else []
    closing = statement.closing_cents
    if closing is None:
        closing = statement.opening_cents + booked_sum(statement)
    return [("OPBD", statement.opening_cents), ("CLBD", closing)]


def _entry(sub, stmt, entry: GenEntry, version: str):
    as_choice = choices(version)
    ntry = sub(stmt, "Ntry")
    if entry.entry_ref is not None:
        sub(ntry, "NtryRef", entry.entry_ref)
    sub(ntry, "Amt", amount_text(entry.amount_cents, entry.extra_decimals), Ccy="EUR")
    sub(ntry, "CdtDbtInd", "DBIT" if entry.amount_cents < 0 else "CRDT")
    if entry.reversal:
        sub(ntry, "RvslInd", "true")
    if as_choice:
        sub(sub(ntry, "Sts"), "Cd", entry.status)
    else:
        sub(ntry, "Sts", entry.status)
    if entry.booking_date:
        sub(sub(ntry, "BookgDt"), "Dt", entry.booking_date.isoformat())
    if entry.value_date:
        sub(sub(ntry, "ValDt"), "Dt", entry.value_date.isoformat())
    if entry.servicer_ref is not None:
        sub(ntry, "AcctSvcrRef", entry.servicer_ref)
    code = sub(ntry, "BkTxCd")  # required by every schema, its content is not
    if entry.bank_code is not None:
        domain = sub(code, "Domn")
        sub(domain, "Cd", entry.bank_code[0])
        family = sub(domain, "Fmly")
        sub(family, "Cd", entry.bank_code[1])
        sub(family, "SubFmlyCd", entry.bank_code[2])
    if not entry.details:
        return
    details = sub(ntry, "NtryDtls")
    for detail in entry.details:
        tx = sub(details, "TxDtls")
        if detail.end_to_end_id is not None or detail.servicer_ref is not None:
            refs = sub(tx, "Refs")
            if detail.servicer_ref is not None:
                sub(refs, "AcctSvcrRef", detail.servicer_ref)
            if detail.end_to_end_id is not None:
                sub(refs, "EndToEndId", detail.end_to_end_id)
        cents = detail.amount_cents
        if version.endswith(".02"):
            if cents is not None:
                sub(sub(sub(tx, "AmtDtls"), "TxAmt"), "Amt", amount_text(cents), Ccy="EUR")
        else:
            # From 001.03 on a transaction has its own amount, required by the schema: a
            # single detail takes the entry's.
            if cents is None and len(entry.details) == 1:
                cents = entry.amount_cents
            if cents is not None:
                sub(tx, "Amt", amount_text(cents), Ccy="EUR")
                sub(tx, "CdtDbtInd", "DBIT" if cents < 0 else "CRDT")
        parties = sub(tx, "RltdPties")
        for role, name, iban in (
            ("Dbtr", detail.debtor_name, detail.debtor_iban),
            ("Cdtr", detail.creditor_name, detail.creditor_iban),
        ):
            if name is not None:
                party = sub(parties, role)
                sub(sub(party, "Pty") if as_choice else party, "Nm", name)
            if iban is not None:
                sub(sub(sub(parties, f"{role}Acct"), "Id"), "IBAN", iban)
        if detail.remittance_lines or detail.creditor_reference:
            remittance = sub(tx, "RmtInf")
            for line in detail.remittance_lines:
                sub(remittance, "Ustrd", line)
            if detail.creditor_reference:
                sub(sub(sub(remittance, "Strd"), "CdtrRefInf"), "Ref", detail.creditor_reference)
        if detail.return_reason:
            sub(sub(sub(tx, "RtrInf"), "Rsn"), "Cd", detail.return_reason)


def _entry_template(version: str) -> str:
    """One Ntry of ``write_many`` as a format string, in the shape of ``version``."""
    as_choice = choices(version)
    status = "<Sts><Cd>BOOK</Cd></Sts>" if as_choice else "<Sts>BOOK</Sts>"

    def party(role: str, name: str) -> str:
        inner = f"<Nm>{name}</Nm>"
        return f"<{role}>{'<Pty>' + inner + '</Pty>' if as_choice else inner}</{role}>"

    amount = (
        ""
        if version.endswith(".02")
        else ('<Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>{sign}</CdtDbtInd>')
    )
    return (
        '<Ntry><Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>{sign}</CdtDbtInd>'
        + status
        + "<BookgDt><Dt>2026-11-23</Dt></BookgDt><ValDt><Dt>2026-11-23</Dt></ValDt>"
        "<AcctSvcrRef>{prefix}{n:09d}</AcctSvcrRef>"
        "<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>ICDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn>"
        "</BkTxCd><NtryDtls><TxDtls><Refs><EndToEndId>OZ-2026-11-{run:06d}-{n}</EndToEndId>"
        "</Refs>"
        + amount
        + "<RltdPties>"
        + party("Dbtr", "Gemeente Zoetermeer inz. ontzorgen")
        + "<DbtrAcct><Id><IBAN>{iban}</IBAN></Id></DbtrAcct>"
        + party("Cdtr", "Woonstichting Het Vaste Huis")
        + "<CdtrAcct><Id><IBAN>NL91ABNA0417164300</IBAN></Id></CdtrAcct></RltdPties>"
        "<RmtInf><Ustrd>Huur november 2026 contract {n:08d}</Ustrd></RmtInf>"
        "</TxDtls></NtryDtls></Ntry>\n"
    )


def write_many(
    path,
    count: int,
    *,
    statements: int = 1,
    iban: str = "NL14BNGH0285001234",
    version: str = "camt.053.001.02",
    prefix: str = "GEN",
) -> int:
    """Stream a camt.053 file of ``count`` entries over ``statements`` statements.

    Returns the file size in bytes. Entries alternate small debits and credits so every
    statement balances. ``prefix`` starts the statement ids (give each file its own)."""
    ns = NAMESPACE.format(version)
    template = _entry_template(version)
    per_statement = -(-count // statements)
    written = 0
    with open(path, "w", encoding="utf-8") as out:
        out.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="{ns}"><BkToCstmrStmt>')
        out.write(
            f"<GrpHdr><MsgId>{prefix}-MANY</MsgId><CreDtTm>2026-11-23T21:00:00</CreDtTm></GrpHdr>"
        )
        for number in range(statements):
            n_here = min(per_statement, count - written)
            amounts = [(-1) ** n * (100 + n % 5000) for n in range(written, written + n_here)]
            closing = 10_000_000 + sum(amounts)
            out.write(
                f"<Stmt><Id>{prefix}-{number}</Id><CreDtTm>2026-11-23T21:00:00</CreDtTm>"
                f"<Acct><Id><IBAN>{iban}</IBAN></Id><Ccy>EUR</Ccy></Acct>"
            )
            for code, cents in (("OPBD", 10_000_000), ("CLBD", closing)):
                out.write(
                    f"<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp>"
                    f'<Amt Ccy="EUR">{amount_text(cents)}</Amt><CdtDbtInd>CRDT</CdtDbtInd>'
                    "<Dt><Dt>2026-11-23</Dt></Dt></Bal>"
                )
            for offset, cents in enumerate(amounts):
                out.write(
                    template.format(
                        amount=amount_text(cents),
                        sign="DBIT" if cents < 0 else "CRDT",
                        n=written + offset,
                        run=number,
                        iban=iban,
                        prefix=prefix,
                    )
                )
            written += n_here
            out.write("</Stmt>")
        out.write("</BkToCstmrStmt></Document>\n")
        return out.tell()
