"""Demo step: the bank statement of the booked demo month, imported and reconciled.

The statement of the region whose previous month was booked (demo/payments.py) confirms every
payment of that run but two (still on their way: the internal signal "not confirmed by the
bank" finds them later), returns one rent payment (AC04, account closed), and holds two
incoming amounts nobody could be matched to, which wait in the work queue. Loading twice
changes nothing: a statement that is there already is not imported again."""

from datetime import date, timedelta

from ontzorg.accounts.constants import RoleCode
from ontzorg.accounts.models import User
from ontzorg.banking import imports
from ontzorg.banking.models import BankStatement
from ontzorg.payments.constants import PAID_KINDS, InstructionKind, RunStatus
from ontzorg.payments.models import DebtorAccount, PaymentRun
from ontzorg_demo.camtgen import Detail, GenEntry, GenStatement, build

from .payments import BOOKED_REGION

UNCONFIRMED = 2
OPENING_CENTS = 25_000_000  # the paying account's opening balance


def load(stdout) -> None:
    run = (
        PaymentRun.objects.filter(region__slug=BOOKED_REGION, status=RunStatus.BOOKED)
        .order_by("-period")
        .first()
    )
    account = DebtorAccount.objects.filter(region__slug=BOOKED_REGION).first()
    user = (
        User.objects.filter(
            role__code=RoleCode.BACKOFFICE, organisation__region__slug=BOOKED_REGION
        )
        .order_by("username")
        .first()
    )
    if run is None or account is None or user is None:
        return
    statement_id = f"DEMO-{run.period:%Y-%m}"
    if BankStatement.objects.filter(account_iban=account.iban, statement_id=statement_id).exists():
        return
    job = imports.import_statement(
        user,
        build([GenStatement(statement_id, account.iban, OPENING_CENTS, _entries(run))]),
        file_name=f"afschrift-{run.period:%Y-%m}.xml",
    )
    stdout.write(
        f"Bankafschrift {run.period:%m-%Y}: {job.entries_new} posten, {job.matched} gekoppeld, "
        f"{job.unmatched} in de werkvoorraad."
    )


def _entries(run) -> list[GenEntry]:
    instructions = list(
        run.instructions.filter(kind__in=PAID_KINDS).select_related("plan_line").order_by("pk")
    )
    confirmed = instructions[:-UNCONFIRMED] if len(instructions) > UNCONFIRMED else instructions
    booked_on = run.period + timedelta(days=2)
    entries = [_debit(i, booked_on) for i in confirmed]
    creditor = [i for i in confirmed if i.kind == InstructionKind.CREDITOR]
    rent = next((i for i in creditor if i.plan_line and i.plan_line.category == "huur"), None)
    rent = rent or next(iter(creditor), None)
    if rent is not None:
        entries.append(_return(rent, booked_on + timedelta(days=3)))
    entries += [
        _credit(
            4_750,
            "Hr. P. de Vries",
            "NL91ABNA0417164300",
            "gift voor de familie",
            booked_on + timedelta(days=5),
        ),
        _credit(
            12_318,
            "Energiebedrijf Zuid B.V.",
            "NL02RABO0123456789",
            "restitutie jaarafrekening klantnummer 884213",
            booked_on + timedelta(days=6),
        ),
    ]
    return entries


def _debit(instruction, on: date) -> GenEntry:
    return GenEntry(
        -instruction.amount_cents,
        booking_date=on,
        value_date=on,
        servicer_ref=f"BNG{instruction.pk:010d}",
        details=[
            Detail(
                end_to_end_id=instruction.end_to_end_id,
                creditor_name=instruction.name,
                creditor_iban=instruction.iban,
                remittance_lines=[instruction.remittance],
            )
        ],
    )


def _return(instruction, on: date) -> GenEntry:
    return GenEntry(
        instruction.amount_cents,
        reversal=True,
        booking_date=on,
        value_date=on,
        servicer_ref=f"RET{instruction.pk:010d}",
        details=[
            Detail(
                end_to_end_id=instruction.end_to_end_id,
                creditor_name=instruction.name,
                creditor_iban=instruction.iban,
                return_reason="AC04",
            )
        ],
    )


def _credit(cents: int, name: str, iban: str, text: str, on: date) -> GenEntry:
    return GenEntry(
        cents,
        booking_date=on,
        value_date=on,
        servicer_ref=f"INC{cents:010d}",
        details=[Detail(debtor_name=name, debtor_iban=iban, remittance_lines=[text])],
    )
