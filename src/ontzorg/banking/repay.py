"""Paying a returned payment again, exactly once: proposed by one user (``propose_retry``),
paid when a colleague approves the proposal (four eyes).

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
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ontzorg.approvals import proposals
from ontzorg.audit.services import record
from ontzorg.core import access, money
from ontzorg.exceptions import Refused
from ontzorg.ledger import services as ledger
from ontzorg.ledger.constants import Source
from ontzorg.ledger.models import Transaction
from ontzorg.payments import debtor_accounts, pain001
from ontzorg.payments.constants import EXTRA_KINDS, InstructionKind
from ontzorg.payments.files import write_pain001
from ontzorg.payments.models import DebtorAccount
from ontzorg.payments.sepa import make_identifier
from ontzorg.payments.services import ledger_payee

from . import events
from .constants import ACCOUNT_REASONS, BANK_RIGHT, ReturnStatus
from .models import ReturnedPayment
from .reconcile import instruction_transaction_key, normalise_iban

# The proposal kind of paying a returned payment again (``ontzorg.approvals``).
REPAY = "payment.repay"


@dataclass(frozen=True)
class Payee:
    name: str
    iban: str
    bic: str


def current_payee(returned: ReturnedPayment) -> Payee | None:
    """Whom the payment goes to now, according to the register."""
    instruction = returned.instruction
    # Fixed costs, and one-off payments or payouts from a pot made to a creditor.
    if instruction.creditor_id:
        creditor = type(instruction.creditor).objects.get(pk=instruction.creditor_id)
        return Payee(creditor.account_holder_name, normalise_iban(creditor.iban), creditor.bic)
    if instruction.kind in (InstructionKind.ALLOWANCE, *EXTRA_KINDS):
        participant = type(instruction.participant).objects.get(pk=instruction.participant_id)
        if participant.iban:
            return Payee(participant.account_holder_name, normalise_iban(participant.iban), "")
    return None


def needs_correction(returned: ReturnedPayment, payee: Payee | None) -> bool:
    """Whether paying ``payee`` would fail again for the reason the bank gave."""
    if payee is None or not payee.iban or not payee.name:
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


def _payable(returned: ReturnedPayment) -> Payee:
    """The payee to pay again, or Refused: paid again already, or the account is still the
    one the bank refused."""
    if returned.status != ReturnStatus.OPEN:
        raise Refused(_("This payment has already been made again."))
    payee = current_payee(returned)
    if needs_correction(returned, payee):
        raise Refused(
            _(
                "The bank gave as reason %(code)s (%(reason)s). First change the "
                "payee's account details; with the same IBAN the payment fails again."
            )
            % {"code": returned.reason_code, "reason": returned.reason_label}
        )
    return payee


def _locked_return(user, pk: int) -> ReturnedPayment:
    return access.get_or_refuse(
        ReturnedPayment.objects.select_for_update().select_related(
            "instruction__run__region", "instruction__participant"
        ),
        user,
        pk=pk,
    )


def _paying_account(instruction) -> DebtorAccount:
    """The account a returned payment is paid again from: the one it was paid from, else
    (approved before accounts were fixed per payment) the region's own."""
    if instruction.debtor_account_id is not None:
        return DebtorAccount.objects.get(pk=instruction.debtor_account_id)
    return debtor_accounts.regional_account(instruction.run.region)


def propose_retry(user, returned: ReturnedPayment):
    """Propose to pay a returned payment again to the payee's current account; it is paid
    when a colleague approves the proposal (four eyes)."""
    access.require(user, BANK_RIGHT)
    with transaction.atomic():
        returned = _locked_return(user, returned.pk)
        payee = _payable(returned)
        instruction = returned.instruction
        region = instruction.run.region
        _paying_account(instruction)
        return proposals.propose(
            user,
            REPAY,
            region=region,
            participant=instruction.participant,
            amount_cents=returned.amount_cents,
            target=returned,
            one_at_a_time=True,
            right=BANK_RIGHT,
            summary=_("Pay again: %(amount)s to %(name)s (%(iban)s)")
            % {"amount": money.euro(returned.amount_cents), "name": payee.name, "iban": payee.iban},
            payload={"name": payee.name, "iban": payee.iban, "bic": payee.bic},
        )


def _retry_details(proposal) -> list[tuple[str, object]]:
    data = proposal.payload
    details = [(_("Payee"), data["name"]), ("IBAN", data["iban"])]
    returned = ReturnedPayment.objects.filter(pk=proposal.target_id).first()
    if returned is not None:
        details += [
            (_("Original IBAN"), returned.instruction.iban),
            (_("Bank's reason"), f"{returned.reason_code} ({returned.reason_label})"),
            (_("Original payment"), returned.instruction.end_to_end_id),
        ]
    return details


@proposals.action(REPAY, label=gettext_lazy("Pay a returned payment again"), details=_retry_details)
def _retry_approved(proposal, approver) -> None:
    access.require(approver, BANK_RIGHT)
    returned = _locked_return(approver, proposal.target_id)
    payee = _payable(returned)
    if payee != Payee(**proposal.payload):
        raise Refused(
            _(
                "The payee's account details changed after this proposal. Reject the "
                "proposal; a new proposal is needed."
            )
        )
    _pay_again(returned, payee, proposer=proposal.proposed_by, approver=approver)


def _pay_again(returned: ReturnedPayment, payee: Payee, *, proposer, approver) -> None:
    """Post the re-payment once more in the ledger and write a pain.001 file with this one
    payment; `mark_repaid` and the unique EndToEndId make it exactly once."""
    instruction = returned.instruction
    region = instruction.run.region
    debtor_account = _paying_account(instruction)
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
            description=f"Opnieuw betaald na terugboeking: {ledger_payee(instruction)} "
            f"{money.amount(instruction.amount_cents)}",
            source=Source.INSTRUCTION,
            run=instruction.run,
            posted_by=approver,
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
        user=proposer,
        repay_file=stored.name,
        repay_transaction=repay_transaction,
    ):
        raise Refused(_("This payment has already been made again."))
    record(
        approver,
        events.PAYMENT_RETRIED,
        returned,
        participant=instruction.participant,
        changes={"iban": [instruction.iban, payee.iban], "status": ["open", "repaid"]},
        end_to_end_id=instruction.end_to_end_id,
        repay_end_to_end_id=end_to_end_id,
        proposed_by=proposer.get_username(),
    )
