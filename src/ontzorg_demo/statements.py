"""Demo step and sample files: the bank statement of each region's booked demo month.

The statement of a region's booked month (demo/payments.py) confirms every payment of that
run but two (still on their way: the internal signal "not confirmed by the bank" finds them
later), returns one rent payment (AC04, account closed), and holds two incoming amounts nobody
could be matched to, which wait in the work queue.

`load` imports Zoetermeer's statement (BOOKED_REGION) as part of the demo; `manage.py
demo_statements` writes the statement of every region to a file, to try the import screen
with. Loading twice changes nothing: a statement that is there already is not imported again."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q

from ontzorg.accounts.constants import RoleCode
from ontzorg.accounts.models import User
from ontzorg.banking import imports
from ontzorg.banking.models import BankStatement
from ontzorg.payments.constants import PAID_KINDS, InstructionKind, RunStatus
from ontzorg.payments.models import DebtorAccount, PaymentRun
from ontzorg.regelingen.models import Region
from ontzorg_demo.camtgen import Detail, GenEntry, GenStatement, build

from .payments import BOOKED_REGION

UNCONFIRMED = 2
OPENING_CENTS = 25_000_000  # the paying account's opening balance


@dataclass(frozen=True)
class DemoStatement:
    region: Region
    run: PaymentRun
    account: DebtorAccount
    statement_id: str
    file_name: str
    content: bytes

    @property
    def imported(self) -> bool:
        return BankStatement.objects.filter(
            account_iban=self.account.iban, statement_id=self.statement_id
        ).exists()


def statement_for(region: Region) -> DemoStatement | None:
    """The camt.053 statement of the region's last booked run, or None without one."""
    run = (
        PaymentRun.objects.filter(region=region, status=RunStatus.BOOKED)
        .order_by("-period")
        .first()
    )
    account = DebtorAccount.objects.filter(region=region, municipality__isnull=True).first()
    if run is None or account is None:
        return None
    statement_id = f"DEMO-{run.period:%Y-%m}"
    return DemoStatement(
        region=region,
        run=run,
        account=account,
        statement_id=statement_id,
        file_name=f"afschrift-{region.slug}-{run.period:%Y-%m}.xml",
        content=build(
            [GenStatement(statement_id, account.iban, OPENING_CENTS, _entries(run, account))]
        ),
    )


def importer(region: Region) -> User | None:
    """The region's first backoffice user: the one who imports its statements in the demo."""
    return (
        User.objects.filter(role__code=RoleCode.BACKOFFICE, organisation__region=region)
        .order_by("username")
        .first()
    )


def load(stdout) -> None:
    region = Region.objects.filter(slug=BOOKED_REGION).first()
    statement = statement_for(region) if region else None
    user = importer(region) if region else None
    if statement is None or user is None or statement.imported:
        return
    job = imports.import_statement(user, statement.content, file_name=statement.file_name)
    stdout.write(
        f"Bankafschrift {statement.run.period:%m-%Y}: {job.entries_new} posten, "
        f"{job.matched} gekoppeld, {job.unmatched} in de werkvoorraad."
    )


def paid_from(run, account):
    """The run's payments paid from `account` (the region's: also those from before the
    municipalities' own accounts, which hold no account)."""
    return run.instructions.filter(kind__in=PAID_KINDS).filter(
        Q(debtor_account=account) | Q(debtor_account__isnull=True)
    )


def _entries(run, account) -> list[GenEntry]:
    """The statement of the region's own account: the payments of a municipality with its
    own paying account are on that account's statement, not on this one."""
    instructions = list(paid_from(run, account).select_related("plan_line").order_by("pk"))
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
