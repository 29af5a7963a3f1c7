"""Paying a returned payment again, exactly once (``retry_payment``).

A returned payment is open until it is paid again. It may be paid again only to corrected
account data when the bank said the account itself was wrong (closed, wrong IBAN, deceased):
``current_payee`` gives the current data from the register and ``needs_correction`` says
whether they are still the data the bank refused. ``mark_repaid`` claims the return with one
conditional update, so of two attempts (two clicks, two screens) exactly one succeeds; the
re-payment's unique EndToEndId and its ledger key (``repay_key``) make the rest idempotent.
The pain.001 file is written by the payments app's one writer (``payments.files``).
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from ontzorg.audit.services import record
from ontzorg.core import access, money
from ontzorg.exceptions import Refused
from ontzorg.ledger import services as ledger
from ontzorg.ledger.constants import Source
from ontzorg.ledger.models import Transaction
from ontzorg.payments import pain001
from ontzorg.payments.constants import CREDITOR_KINDS, InstructionKind
from ontzorg.payments.files import write_pain001
from ontzorg.payments.models import DebtorAccount
from ontzorg.payments.sepa import make_identifier

from . import events
from .constants import ACCOUNT_REASONS, BANK_RIGHT, ReturnStatus
from .models import ReturnedPayment
from .reconcile import instruction_transaction_key, normalise_iban


@dataclass(frozen=True)
class Payee:
    name: str
    iban: str
    bic: str


def current_payee(returned: ReturnedPayment) -> Payee | None:
    """Whom the payment goes to now, according to the register."""
    instruction = returned.instruction
    if instruction.kind in CREDITOR_KINDS and instruction.creditor_id:
        creditor = type(instruction.creditor).objects.get(pk=instruction.creditor_id)
        return Payee(creditor.name[:140], normalise_iban(creditor.iban), creditor.bic)
    if instruction.kind == InstructionKind.ALLOWANCE:
        participant = type(instruction.participant).objects.get(pk=instruction.participant_id)
        if participant.iban:
            return Payee(participant.full_name[:140], normalise_iban(participant.iban), "")
    return None


def needs_correction(returned: ReturnedPayment, payee: Payee | None) -> bool:
    """Whether paying ``payee`` would fail again for the reason the bank gave."""
    if payee is None or not payee.iban:
        return True
    return returned.reason_code in ACCOUNT_REASONS and payee.iban == normalise_iban(
        returned.instruction.iban
    )


def repay_key(returned: ReturnedPayment) -> str:
    """The ledger key of the re-payment: one per returned instruction."""
    return f"repay:{returned.instruction.end_to_end_id}"[:120]


def mark_repaid(
    returned: ReturnedPayment, *, end_to_end_id: str, payee: Payee, user=None, **extra
) -> bool:
    """Claim an open return as paid again; False if it was paid again already."""
    claimed = ReturnedPayment.objects.filter(pk=returned.pk, status=ReturnStatus.OPEN).update(
        status=ReturnStatus.REPAID,
        repay_end_to_end_id=end_to_end_id,
        repay_name=payee.name,
        repay_iban=payee.iban,
        repaid_at=timezone.now(),
        repaid_by=user if getattr(user, "is_authenticated", False) else None,
        **extra,
    )
    return claimed == 1


@transaction.atomic
def retry_payment(user, returned: ReturnedPayment) -> ReturnedPayment:
    """Pay a returned payment again, now, to the corrected account: posts it once more in the
    ledger and writes a pain.001 file with this one payment. Exactly once."""
    access.require(user, BANK_RIGHT)
    returned = access.get_or_refuse(
        ReturnedPayment.objects.select_for_update().select_related(
            "instruction__run__region", "instruction__participant"
        ),
        user,
        pk=returned.pk,
    )
    instruction = returned.instruction
    region = instruction.run.region
    if returned.status != ReturnStatus.OPEN:
        raise Refused("Deze betaling is al opnieuw gedaan.")
    payee = current_payee(returned)
    if needs_correction(returned, payee):
        raise Refused(
            f"De bank gaf als reden {returned.reason_code} ({returned.reason_label}). Pas eerst "
            "de rekeninggegevens van de begunstigde aan; met dezelfde IBAN mislukt de betaling "
            "opnieuw."
        )
    try:
        debtor_account = DebtorAccount.objects.get(region=region)
    except DebtorAccount.DoesNotExist:
        raise Refused(f"Voor {region} is geen betaalrekening ingesteld.") from None
    end_to_end_id = make_identifier("OZR", returned.pk, instruction.pk)
    today = timezone.localdate()
    repay_transaction = None
    original = Transaction.objects.filter(
        key=instruction_transaction_key(instruction.end_to_end_id)
    ).first()
    if returned.reversal_id and original is not None:
        repay_transaction, _created = ledger.post(
            repay_key(returned),
            list(original.entries.values_list("account_id", "amount_cents")),
            booked_on=today,
            period=original.period,
            description=f"Opnieuw betaald na terugboeking: {instruction.name} "
            f"{money.amount(instruction.amount_cents)}",
            source=Source.INSTRUCTION,
            run=instruction.run,
            posted_by=user,
        )
    stored = write_pain001(
        region.slug,
        message_id=end_to_end_id,
        created_at=timezone.now(),
        debtor=pain001.Debtor(
            name=debtor_account.name, iban=debtor_account.iban, bic=debtor_account.bic
        ),
        payments=[
            pain001.Payment(
                end_to_end_id=end_to_end_id,
                amount_cents=instruction.amount_cents,
                creditor_name=payee.name,
                creditor_iban=payee.iban,
                creditor_bic=payee.bic,
                execution_on=today,
                remittance_text=f"Herbetaling {instruction.remittance}"[:140],
            )
        ],
        version=instruction.run.pain_version,
    )
    if not mark_repaid(
        returned,
        end_to_end_id=end_to_end_id,
        payee=payee,
        user=user,
        repay_file=stored.name,
        repay_transaction=repay_transaction,
    ):
        raise Refused("Deze betaling is al opnieuw gedaan.")
    returned.refresh_from_db()
    record(
        user,
        events.PAYMENT_RETRIED,
        returned,
        participant=instruction.participant,
        changes={"iban": [instruction.iban, payee.iban], "status": ["open", "repaid"]},
        end_to_end_id=instruction.end_to_end_id,
        repay_end_to_end_id=end_to_end_id,
    )
    return returned
