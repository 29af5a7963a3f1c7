"""Paying a returned payment again, exactly once: by hand (``services.retry_payment``) or in a
later payment run.

A returned payment is open until it is paid again. It may be paid again only to corrected
account data when the bank said the account itself was wrong (closed, wrong IBAN, deceased):
``payee_for`` gives the current data from the register, or None while it is unchanged.
``mark_repaid`` claims the return with one conditional update, so of two attempts (a manual
retry and a run, or two clicks) exactly one succeeds; the re-payment's unique EndToEndId and
its ledger key (``repay_key``) make the rest idempotent.

For a payment run (``payments.services``) the hook is: ``open_returns(region, period)`` gives
what to include; per return make an instruction to ``payee_for(returned)`` and call
``mark_repaid(returned, end_to_end_id=<its id>)``; skip the return when that returns False.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from ontzorg.payments.constants import CREDITOR_KINDS, InstructionKind

from .constants import ACCOUNT_REASONS, ReturnStatus
from .models import ReturnedPayment
from .reconcile import normalise_iban


@dataclass(frozen=True)
class Payee:
    name: str
    iban: str
    bic: str


def open_returns(region, period: date) -> QuerySet[ReturnedPayment]:
    """Open returns of ``region`` from runs of ``period`` or earlier, oldest first."""
    return (
        ReturnedPayment.objects.filter(
            status=ReturnStatus.OPEN,
            instruction__run__region=region,
            instruction__period__lte=period.replace(day=1),
        )
        .select_related("instruction__creditor", "instruction__participant", "entry")
        .order_by("opened_at", "pk")
    )


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


def payee_for(returned: ReturnedPayment) -> Payee | None:
    """The payee to pay again, or None while the data still need correcting."""
    payee = current_payee(returned)
    return None if needs_correction(returned, payee) else payee


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
