"""Reconciliation: what each newly imported bank entry is, decided by rules.

Called by the import (``imports.import_statement``) for each batch of new entries, inside
the import's transaction, so an entry is stored and matched together or not at all. Matching
decides first, before the batch is written, so each entry is written once with its match
status; what refers to the entries (reconciliations, returns) is written after them.

- A debit is matched on its EndToEndId to the payment instruction it confirms (same amount,
  on the account it was paid from: the region's or its municipality's own, not confirmed
  before), or to the re-payment of a returned payment.
- A credit with a return reason or reversal indicator and the EndToEndId of one of our
  payments is a returned payment (R-transaction): its ledger booking is reversed, so the
  money is back on the participant's account, and the case worker gets a task (through
  ``hooks.payment_returned``, to which the signals app subscribes).
- Any other credit is income: matched to a participant of the account's region by the
  participant's BSN in the description, their own IBAN, or the amount of exactly one
  expected income (narrowed by name when several participants expect the same amount).

Accounting: ``payments.services.book_run`` already posts each payment as paid from the
region's bank account (payable → bank) and the month's income as received (bank → income).
A confirmation therefore moves no money; it links the bank entry to that ledger posting, so
"paid" is the posting plus the bank's confirmation of it. A return does move money: the
posting is reversed (``ledger.services.reverse``) and the re-payment posts it once more.
Whatever matches nothing stays unmatched and waits in the work queue.
"""

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Subquery, Value
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from ontzorg.bulk import insert_rows
from ontzorg.exceptions import Refused
from ontzorg.ledger import services as ledger
from ontzorg.ledger.models import Transaction
from ontzorg.participants.models import Participant
from ontzorg.payments.models import DebtorAccount, PaymentInstruction
from ontzorg.plans.models import Income

from . import hooks
from .constants import RETURN_REASONS, MatchRule, MatchStatus, ReconciliationKind
from .models import BankEntry, Reconciliation, ReturnedPayment

_DIGITS = re.compile(r"\d{9}")


def normalise_iban(iban: str) -> str:
    return iban.replace(" ", "").upper()


def region_by_account() -> dict[str, int]:
    """The region whose payments are made from (and income received on) each IBAN: the
    region's own account and its municipalities' own accounts alike."""
    return {
        normalise_iban(iban): region_id
        for iban, region_id in DebtorAccount.objects.order_by("pk").values_list("iban", "region_id")
    }


def regional_iban() -> dict[int, str]:
    """Each region's own account (not a municipality's), by region."""
    return {
        region_id: normalise_iban(iban)
        for iban, region_id in DebtorAccount.objects.filter(municipality__isnull=True)
        .order_by("pk")
        .values_list("iban", "region_id")
    }


def instruction_transaction_key(end_to_end_id: str) -> str:
    """The key under which ``payments.services.book_participants`` posts an instruction."""
    return f"instruction:{end_to_end_id}"


# The columns of a reconciliation made by a rule, in the order of ``_Context.pending``; the
# decision time and an empty note are added when they are written.
_PENDING_FIELDS = (
    "entry_id",
    "kind",
    "rule",
    "instruction_id",
    "participant_id",
    "income_id",
    "returned_payment_id",
    "transaction_id",
    "decided_at",
    "note",
)


def reconcile(user, entries: list[BankEntry], *, income: dict | None = None) -> Callable[[], None]:
    """Match new entries, not yet written: sets ``match_status`` on each entry that matched
    and returns the function that writes what they matched, to call once they are written.

    Confirmations and income matches are plain rows written in bulk (they are most of a
    statement); each return also posts to the ledger and opens a task. ``income`` keeps each
    region's participants and expected income across the batches of one import (matching
    changes neither)."""
    context = _Context.load(entries)
    if income is not None:
        context.income = income
    for entry in entries:
        if _match(user, entry, context):
            entry.match_status = MatchStatus.MATCHED

    def write() -> None:
        now = timezone.now()
        insert_rows(Reconciliation, _PENDING_FIELDS, [(*row, now, "") for row in context.pending])
        for entry, instruction_pk in context.returns:
            instruction = PaymentInstruction.objects.select_related("run", "participant").get(
                pk=instruction_pk
            )
            try:
                with transaction.atomic():
                    open_return(user, entry, instruction)
            except Refused:
                entry.match_status = MatchStatus.UNMATCHED
                entry.save(update_fields=["match_status"])

    return write


def matcher_for(user):
    """The matcher to pass to ``imports.import_statement``."""
    income: dict = {}
    return lambda entries: reconcile(user, entries, income=income)


class _Instruction(NamedTuple):
    """The few values of a payment instruction that matching needs."""

    pk: int
    end_to_end_id: str
    region_id: int
    amount_cents: int
    participant_id: int
    transaction_id: int | None  # its posting by the payment run
    debtor_iban: str | None  # the account it was paid from (None: approved before that)

    def paid_from(self, iban: str, region_id: int | None) -> bool:
        """Whether a statement of our account `iban` (of `region_id`) can show this payment:
        the account it was paid from, or for an older payment any account of its region."""
        if self.debtor_iban:
            return normalise_iban(self.debtor_iban) == normalise_iban(iban)
        return self.region_id == region_id


@dataclass
class _Context:
    """What one batch needs, read in a few queries, as plain values."""

    regions: dict[str, int]
    instructions: dict[str, _Instruction]
    confirmed: set[int]
    returned: set[int]
    repayments: dict[str, ReturnedPayment]
    income: dict[int, "_RegionIncome"] = field(default_factory=dict)
    pending: list[tuple] = field(default_factory=list)  # see _PENDING_FIELDS
    returns: list[tuple[BankEntry, int]] = field(default_factory=list)  # entry, instruction

    @classmethod
    def load(cls, entries):
        ids = {e.end_to_end_id for e in entries if e.end_to_end_id}
        instructions = {}
        confirmed, returned = set(), set()
        # One query for the instructions with whether each was confirmed or returned before
        # and its posting, rather than one query per question with the same long id list.
        rows = (
            PaymentInstruction.objects.filter(end_to_end_id__in=ids)
            .order_by()
            .annotate(
                was_confirmed=Exists(
                    Reconciliation.objects.filter(
                        kind=ReconciliationKind.PAYMENT, instruction_id=OuterRef("pk")
                    )
                ),
                was_returned=Exists(ReturnedPayment.objects.filter(instruction_id=OuterRef("pk"))),
                posting=Subquery(
                    Transaction.objects.filter(
                        key=Concat(
                            Value(instruction_transaction_key("")),
                            OuterRef("end_to_end_id"),
                            output_field=CharField(),
                        )
                    ).values("pk")[:1]
                ),
            )
            .values_list(
                "pk",
                "end_to_end_id",
                "run__region_id",
                "amount_cents",
                "participant_id",
                "posting",
                "debtor_account__iban",
                "was_confirmed",
                "was_returned",
            )
        )
        for *values, was_confirmed, was_returned in rows:
            instruction = _Instruction(*values)
            instructions[instruction.end_to_end_id] = instruction
            if was_confirmed:
                confirmed.add(instruction.pk)
            if was_returned:
                returned.add(instruction.pk)
        regions = region_by_account()
        # A debit is looked up as a re-payment only when it confirms no instruction of its
        # region (see _match); most debits do, and then no query is needed for them.
        repay_ids = set()
        for entry in entries:
            if entry.end_to_end_id and entry.amount_cents < 0:
                instruction = instructions.get(entry.end_to_end_id)
                region_id = regions.get(normalise_iban(entry.account_iban))
                if instruction is None or not instruction.paid_from(entry.account_iban, region_id):
                    repay_ids.add(entry.end_to_end_id)
        return cls(
            regions=regions,
            instructions=instructions,
            confirmed=confirmed,
            returned=returned,
            repayments={
                r.repay_end_to_end_id: r
                for r in ReturnedPayment.objects.filter(repay_end_to_end_id__in=repay_ids)
                .exclude(reconciliations__kind=ReconciliationKind.REPAYMENT)
                .select_related("instruction")
            },
        )

    def region_income(self, region_id: int) -> "_RegionIncome":
        if region_id not in self.income:
            self.income[region_id] = _RegionIncome.load(region_id)
        return self.income[region_id]


def _match(user, entry: BankEntry, context: _Context) -> bool:
    """Whether ``entry`` matched; what it matched waits in ``context.pending`` or, for a
    return, in ``context.returns``, until the entries are written."""
    region_id = context.regions.get(normalise_iban(entry.account_iban))
    if region_id is None:
        return False
    instruction = context.instructions.get(entry.end_to_end_id)
    if instruction is not None and not instruction.paid_from(entry.account_iban, region_id):
        instruction = None
    if entry.amount_cents < 0:
        if instruction is not None:
            return _confirm(entry, instruction, context)
        repayment = context.repayments.get(entry.end_to_end_id)
        if repayment is not None:
            return _confirm_repayment(entry, repayment, context)
        return False
    if instruction is not None and (entry.reversal or entry.return_reason):
        return _return(user, entry, instruction, context)
    return _income(entry, context.region_income(region_id), context)


def _confirm(entry, instruction, context) -> bool:
    if instruction.pk in context.confirmed or -entry.amount_cents != instruction.amount_cents:
        return False
    context.confirmed.add(instruction.pk)
    context.pending.append(
        (
            entry.pk,
            ReconciliationKind.PAYMENT,
            MatchRule.END_TO_END,
            instruction.pk,
            instruction.participant_id,
            None,
            None,
            instruction.transaction_id,
        )
    )
    return True


def _confirm_repayment(entry, repayment, context) -> bool:
    if -entry.amount_cents != repayment.amount_cents:
        return False
    del context.repayments[entry.end_to_end_id]
    context.pending.append(
        (
            entry.pk,
            ReconciliationKind.REPAYMENT,
            MatchRule.END_TO_END,
            None,
            repayment.instruction.participant_id,
            None,
            repayment.pk,
            repayment.repay_transaction_id,
        )
    )
    return True


def open_return(user, entry, instruction, *, rule=MatchRule.END_TO_END, decided_by=None, note=""):
    """Record a returned payment: reverse its posting, flag it, and tell the subscribers of
    ``hooks.on_payment_returned`` (the signals app opens a task for the case worker).

    Refused while the payment is not posted yet (its run exported, not booked): booking the
    run later would post as paid what the bank gave back. The entry then waits in the work
    queue until the run is booked."""
    code = entry.return_reason
    label = RETURN_REASONS.get(code, "reden onbekend")
    original = Transaction.objects.filter(
        key=instruction_transaction_key(instruction.end_to_end_id)
    ).first()
    if original is None:
        raise Refused(
            _(
                "This payment is not in the ledger yet: the payment run has not been "
                "booked. Book the payment run first and then match this return."
            )
        )
    reversal = Transaction.objects.filter(reverses=original).first()
    if reversal is None:
        reversal = ledger.reverse(
            user,
            original,
            reason=f"betaling teruggeboekt door de bank ({code or '-'}: {label})",
            booked_on=entry.booked_on,
        )
    returned = ReturnedPayment.objects.create(
        instruction=instruction,
        entry=entry,
        reason_code=code,
        amount_cents=instruction.amount_cents,
        reversal=reversal,
    )
    reconciliation = Reconciliation.objects.create(
        entry=entry,
        kind=ReconciliationKind.RETURN,
        rule=rule,
        instruction=instruction,
        participant=instruction.participant,
        returned_payment=returned,
        transaction=reversal,
        decided_by=decided_by,
        note=note,
    )
    hooks.payment_returned(returned)
    return reconciliation


def _return(user, entry, instruction, context) -> bool:
    if instruction.pk in context.returned or entry.amount_cents != instruction.amount_cents:
        return False
    context.returned.add(instruction.pk)
    context.returns.append((entry, instruction.pk))
    return True


@dataclass
class _Candidate:
    participant_id: int
    bsn: str
    iban: str
    last_name: str
    incomes: list[tuple[int, date, date | None, int]]  # (income id, from, to, cents)

    def income_of(self, cents: int, on: date | None):
        for income_id, start, end, amount in self.incomes:
            if amount == cents and (on is None or (start <= on and (end is None or on <= end))):
                return income_id
        return None


@dataclass
class _RegionIncome:
    by_bsn: dict[str, _Candidate]
    by_iban: dict[str, list[_Candidate]]
    by_amount: dict[int, list[_Candidate]]

    @classmethod
    def load(cls, region_id: int):
        candidates = {
            pk: _Candidate(pk, bsn, normalise_iban(iban), last_name.casefold(), [])
            for pk, bsn, iban, last_name in Participant.objects.filter(
                regeling__region_id=region_id
            ).values_list("pk", "bsn", "iban", "last_name")
        }
        for income_id, pk, start, end, cents in Income.objects.filter(
            participant_id__in=candidates
        ).values_list("pk", "participant_id", "valid_from", "valid_to", "amount_cents"):
            candidates[pk].incomes.append((income_id, start, end, cents))
        by_iban = defaultdict(list)
        by_amount = defaultdict(list)
        for candidate in candidates.values():
            if candidate.iban:
                by_iban[candidate.iban].append(candidate)
            for cents in {income[3] for income in candidate.incomes}:
                by_amount[cents].append(candidate)
        return cls({c.bsn: c for c in candidates.values()}, by_iban, by_amount)


def _income(entry, region: _RegionIncome, context: _Context) -> bool:
    text = " ".join((entry.remittance, entry.creditor_reference, entry.end_to_end_id))
    found, rule = None, None
    bsns = {number for number in _DIGITS.findall(text) if number in region.by_bsn}
    if len(bsns) == 1:
        found, rule = region.by_bsn[bsns.pop()], MatchRule.REFERENCE
    if found is None and entry.counterparty_iban:
        same = region.by_iban.get(normalise_iban(entry.counterparty_iban), [])
        if len(same) == 1:
            found, rule = same[0], MatchRule.IBAN
    if found is None:
        expecting = [
            c
            for c in region.by_amount.get(entry.amount_cents, [])
            if c.income_of(entry.amount_cents, entry.booked_on)
        ]
        if len(expecting) > 1:
            words = f"{entry.remittance} {entry.counterparty_name}".casefold()
            expecting = [c for c in expecting if c.last_name and c.last_name in words]
        if len(expecting) == 1:
            found, rule = expecting[0], MatchRule.AMOUNT
    if found is None:
        return False
    context.pending.append(
        (
            entry.pk,
            ReconciliationKind.INCOME,
            rule,
            None,
            found.participant_id,
            found.income_of(entry.amount_cents, entry.booked_on),
            None,
            None,
        )
    )
    return True
