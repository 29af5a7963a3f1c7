"""What the municipality holds for a participant, read from the ledger: per savings pot, the
participant's own money outside the pots, and per month what was really booked.

Nothing here changes data or checks rights; the callers do. Definitions:

- A pot's **booked** balance is the credit balance of its ledger account (``SAVINGS``, keyed
  by the pot's name): reservations of booked runs in, booked payouts out.
- **Promised** is what was approved but is not booked yet: payouts whose instruction is not
  in a booked run. A refund (the pot ended) promises all that is left until it is booked.
- **Available** = booked - promised: the most a new payout may take. Money reserved in a run
  that is not booked yet is not available: that run may still be cancelled.
- The participant's **own money** (``free_balance``) is the credit balance of their income
  and allowance accounts: money held for them that is neither in a pot nor withheld for a
  creditor (``WITHHELD``/``PAYABLE``). Approved one-off payments not booked yet are promised.
  It goes below zero only by an advance (voorschot) on a one-off payment.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Sum

from ontzorg.ledger.constants import AccountKind
from ontzorg.ledger.models import Entry
from ontzorg.payments.constants import InstructionKind, RunStatus

from .models import OneOffPayment, PotPayout, SavingsPot

# The participant's own money: not in a pot, not withheld for a creditor.
OWN_MONEY_KINDS = (AccountKind.INCOME_RECEIVED, AccountKind.ALLOWANCE_PAYABLE)


@dataclass(frozen=True)
class PotBalance:
    pot: SavingsPot
    booked_cents: int
    promised_cents: int
    refund_pending: bool = False

    @property
    def available_cents(self) -> int:
        if self.refund_pending:
            return 0
        return max(0, self.booked_cents - self.promised_cents)

    @property
    def goal_percent(self) -> int | None:
        if not self.pot.goal_cents:
            return None
        return max(0, min(100, self.booked_cents * 100 // self.pot.goal_cents))


@dataclass(frozen=True)
class OwnMoney:
    booked_cents: int
    promised_cents: int

    @property
    def available_cents(self) -> int:
        """May be below zero: an advance was approved."""
        return self.booked_cents - self.promised_cents


def _booked_pot_cents(participant_id: int) -> dict[str, int]:
    rows = (
        Entry.objects.filter(
            account__participant_id=participant_id, account__kind=AccountKind.SAVINGS
        )
        .values("account__pot")
        .annotate(total=Sum("amount_cents"))
        .values_list("account__pot", "total")
    )
    # Credit is negative in the ledger; money in the pot is shown as a positive amount.
    return {pot: -total for pot, total in rows}


def _booked_payout_ids(payouts) -> set[int]:
    return set(
        PotPayout.objects.filter(
            pk__in=[p.pk for p in payouts], instructions__run__status=RunStatus.BOOKED
        ).values_list("pk", flat=True)
    )


def pot_balances(pots) -> list[PotBalance]:
    """The balance of each of `pots` (of one participant), in their order."""
    pots = list(pots)
    if not pots:
        return []
    participant_ids = {pot.plan.participant_id for pot in pots}
    booked = {pid: _booked_pot_cents(pid) for pid in participant_ids}
    payouts = list(PotPayout.objects.filter(pot__in=pots))
    done = _booked_payout_ids(payouts)
    promised, refunding = defaultdict(int), set()
    for payout in payouts:
        if payout.pk in done:
            continue
        if payout.is_refund:
            refunding.add(payout.pot_id)
        else:
            promised[payout.pot_id] += payout.amount_cents
    return [
        PotBalance(
            pot=pot,
            booked_cents=booked[pot.plan.participant_id].get(pot.name[:60], 0),
            promised_cents=promised[pot.pk],
            refund_pending=pot.pk in refunding,
        )
        for pot in pots
    ]


def pot_balance(pot: SavingsPot) -> PotBalance:
    return pot_balances([pot])[0]


def refund_cents(pot: SavingsPot) -> int:
    """What ending `pot` pays back now: the booked balance, plus reservations in runs already
    exported (the bank has the file; booking follows), less other approved payouts not booked.
    A reservation in a run not exported yet is not counted: that run may be cancelled; should
    it be booked after all, the rest can be paid out of the ended pot later."""
    balance = pot_balance(pot)
    in_transit = pot.instructions.filter(
        run__status=RunStatus.EXPORTED, kind=InstructionKind.SAVINGS
    ).aggregate(total=Sum("amount_cents", default=0))["total"]
    return max(0, balance.booked_cents + in_transit - balance.promised_cents)


def free_balance(participant) -> OwnMoney:
    """The participant's own money outside the pots, and the one-off payments promised."""
    pk = getattr(participant, "pk", participant)
    booked = -Entry.objects.filter(
        account__participant_id=pk, account__kind__in=OWN_MONEY_KINDS
    ).balance_cents()
    promised = (
        OneOffPayment.objects.filter(participant_id=pk)
        .exclude(instructions__run__status=RunStatus.BOOKED)
        .aggregate(total=Sum("amount_cents", default=0))["total"]
    )
    return OwnMoney(booked_cents=booked, promised_cents=promised)


@dataclass
class BookedMonth:
    """What the ledger holds for one month of a participant: money in and really paid out."""

    period: date
    income_cents: int = 0
    to_creditors_cents: int = 0
    to_participant_cents: int = 0
    into_pots_cents: int = 0

    @property
    def paid_cents(self) -> int:
        return self.to_creditors_cents + self.to_participant_cents


def booked_months(participant) -> list[BookedMonth]:
    """Per month (the posting's period) what was booked for the participant, corrections
    included: a returned payment and its reversal cancel out in the month they belong to.

    Each payment posting runs through a 'payable' account (a creditor's, or the allowance
    account for money to the participant) to the bank: the bank's side is what left. The
    income posting moves the month's income from the bank to the participant."""
    pk = getattr(participant, "pk", participant)
    transactions = Entry.objects.filter(account__participant_id=pk).values("transaction_id")
    rows = (
        Entry.objects.filter(transaction_id__in=transactions)
        .order_by("transaction_id")
        .values_list(
            "transaction_id",
            "transaction__period",
            "account__kind",
            "account__participant_id",
            "amount_cents",
        )
    )
    by_transaction = defaultdict(list)
    for tx_id, period, kind, owner, cents in rows:
        by_transaction[(tx_id, period)].append((kind, owner, cents))
    months: dict[date, BookedMonth] = {}
    for (_tx, period), entries in by_transaction.items():
        month = months.setdefault(period, BookedMonth(period))
        kinds = {kind for kind, owner, _ in entries if owner == pk}
        bank = sum(cents for kind, _, cents in entries if kind == AccountKind.BANK)
        month.into_pots_cents -= sum(
            cents for kind, owner, cents in entries if kind == AccountKind.SAVINGS and owner == pk
        )
        if AccountKind.PAYABLE in kinds:
            month.to_creditors_cents -= bank
        elif AccountKind.ALLOWANCE_PAYABLE in kinds:
            month.to_participant_cents -= bank
        elif AccountKind.INCOME_RECEIVED in kinds:
            month.income_cents += bank
    return [months[period] for period in sorted(months)]
