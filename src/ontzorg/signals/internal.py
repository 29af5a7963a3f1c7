"""Internal signals: what Ontzorg itself notices about payments and balances.

A payment the bank returned raises a signal as soon as the statement is imported
(``returned_payment``, subscribed to ``banking.hooks.on_payment_returned`` in
``SignalsConfig.ready``). Three checks, each raising a signal through
``services.raise_internal`` with a reference, so running them every day
(``manage.py signals_scan_internal``) never makes a duplicate:

- a planned payment the bank has not confirmed within N working days after its pay date;
- a payment far from the usual: more than ``UNUSUAL_RATIO`` off the median of the earlier
  months' payments of the same plan line;
- a negative balance on the account of a budgetbeheer participant (more paid out for them
  than came in).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from statistics import median

from django.db.models import Exists, OuterRef, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ontzorg.banking.constants import RETURN_REASONS, ReconciliationKind
from ontzorg.banking.models import Reconciliation, ReturnedPayment
from ontzorg.core import money
from ontzorg.ledger.constants import AccountKind
from ontzorg.ledger.models import Entry
from ontzorg.participants.models import Participant
from ontzorg.payments.constants import PAID_KINDS, RunStatus
from ontzorg.payments.models import PaymentInstruction
from ontzorg.plans import modes
from ontzorg.regelingen.constants import Mode

from .constants import SignalKind
from .services import raise_internal
from .workdays import add_working_days

UNCONFIRMED_WORKING_DAYS = 5
UNUSUAL_RATIO = 0.5
# Months of earlier payments the usual amount is taken from, and how many are needed.
USUAL_MONTHS = 6
USUAL_MIN_PAYMENTS = 2
SENT_STATUSES = (RunStatus.EXPORTED, RunStatus.BOOKED)


@dataclass(frozen=True)
class ScanResult:
    unconfirmed: int
    unusual: int
    negative: int


def scan(today: date | None = None, *, working_days: int = UNCONFIRMED_WORKING_DAYS):
    """Run the three checks; returns how many signals each raised or found again."""
    today = today or timezone.localdate()
    return ScanResult(
        unconfirmed=unconfirmed_payments(today, working_days=working_days),
        unusual=unusual_amounts(today),
        negative=negative_balances(today),
    )


def returned_payment(returned: ReturnedPayment) -> None:
    """Tell the case worker that the bank returned a payment (once per instruction)."""
    instruction = returned.instruction
    code = returned.reason_code
    label = RETURN_REASONS.get(code, _("reason unknown"))
    raise_internal(
        SignalKind.RETURNED_PAYMENT,
        instruction.participant,
        _(
            "The payment of %(amount)s euro to %(name)s (%(what)s) was returned: "
            "%(code)s (%(reason)s). The money is back on the participant's "
            "account. Check the payee's details; the payment is then made again "
            "(next payment run or 'Pay again')."
        )
        % {
            "amount": money.amount(instruction.amount_cents),
            "name": instruction.name,
            "what": instruction.remittance or instruction.get_kind_display(),
            "code": code or _("no code"),
            "reason": label,
        },
        instruction.amount_cents,
        reference=f"return:{instruction.end_to_end_id}",
    )


def unconfirmed_payments(today: date, *, working_days: int = UNCONFIRMED_WORKING_DAYS) -> int:
    """Payments sent to the bank whose debit is not on a statement N working days after the
    pay date (and that the bank did not return either)."""
    candidates = (
        PaymentInstruction.objects.filter(
            kind__in=PAID_KINDS,
            run__status__in=SENT_STATUSES,
            # Calendar days are never more than working days: a cheap first cut.
            pay_on__lt=today - timedelta(days=working_days),
        )
        .exclude(
            Exists(
                Reconciliation.objects.filter(
                    instruction=OuterRef("pk"), kind=ReconciliationKind.PAYMENT
                )
            )
        )
        .exclude(Exists(ReturnedPayment.objects.filter(instruction=OuterRef("pk"))))
        .select_related("participant")
        .order_by("pay_on", "pk")
    )
    raised = 0
    for instruction in candidates.iterator(chunk_size=2000):
        if add_working_days(instruction.pay_on, working_days) >= today:
            continue
        raise_internal(
            SignalKind.UNCONFIRMED_PAYMENT,
            instruction.participant,
            _(
                "The payment of %(amount)s euro to %(name)s (%(what)s), planned on "
                "%(pay_on)s, is still not confirmed by the bank %(days)s working days "
                "later. Check that the payment file was submitted and the bank "
                "statement imported."
            )
            % {
                "amount": money.amount(instruction.amount_cents),
                "name": instruction.name,
                "what": instruction.remittance or instruction.get_kind_display(),
                "pay_on": f"{instruction.pay_on:%d-%m-%Y}",
                "days": working_days,
            },
            instruction.amount_cents,
            reference=f"unconfirmed:{instruction.end_to_end_id}",
        )
        raised += 1
    return raised


def unusual_amounts(today: date) -> int:
    """Payments of this month's runs far from the median of the same line's earlier ones."""
    period = today.replace(day=1)
    current = list(
        PaymentInstruction.objects.filter(period=period, plan_line__isnull=False)
        .exclude(run__status=RunStatus.CANCELLED)
        .select_related("participant")
        .order_by("pk")
    )
    first = (period - timedelta(days=31 * USUAL_MONTHS)).replace(day=1)
    earlier: dict[tuple[int, str], list[int]] = {}
    for line_id, kind, cents in (
        PaymentInstruction.objects.filter(
            plan_line_id__in={i.plan_line_id for i in current},
            period__gte=first,
            period__lt=period,
        )
        .exclude(run__status=RunStatus.CANCELLED)
        .values_list("plan_line_id", "kind", "amount_cents")
    ):
        earlier.setdefault((line_id, kind), []).append(cents)
    raised = 0
    for instruction in current:
        amounts = earlier.get((instruction.plan_line_id, instruction.kind), [])
        if len(amounts) < USUAL_MIN_PAYMENTS:
            continue
        usual = median(amounts)
        if usual <= 0 or abs(instruction.amount_cents - usual) <= UNUSUAL_RATIO * usual:
            continue
        raise_internal(
            SignalKind.UNUSUAL_AMOUNT,
            instruction.participant,
            _(
                "The payment to %(name)s (%(remittance)s) is %(amount)s euro; usual is "
                "%(usual)s euro (median of the previous months). Check the amount "
                "before the run is approved."
            )
            % {
                "name": instruction.name,
                "remittance": instruction.remittance,
                "amount": money.amount(instruction.amount_cents),
                "usual": money.amount(round(usual)),
            },
            instruction.amount_cents,
            reference=f"unusual:{instruction.end_to_end_id}",
        )
        raised += 1
    return raised


def negative_balances(today: date) -> int:
    """Budgetbeheer participants for whom more was paid out than came in. Their own money is
    the credit balance of their accounts other than what is owed to creditors."""
    rows = (
        Entry.objects.filter(account__participant__isnull=False)
        .exclude(account__kind=AccountKind.PAYABLE)
        .values("account__participant_id")
        .annotate(total=Sum("amount_cents"))
        .filter(total__gt=0)  # debit balance: the participant's money is below zero
        .order_by("account__participant_id")
    )
    totals = {row["account__participant_id"]: row["total"] for row in rows}
    # Budgetbeheer as it applies to each participant today: the regeling's default or a
    # decision for this participant (plans.modes).
    people = Participant.objects.filter(pk__in=totals).select_related("regeling").order_by("pk")
    current = modes.modes_for({p.pk: p.regeling for p in people}, today)
    raised = 0
    for participant in people:
        if current[participant.pk].mode != Mode.BUDGETBEHEER:
            continue
        short = totals[participant.pk]
        raise_internal(
            SignalKind.NEGATIVE_BALANCE,
            participant,
            _(
                "The budgetbeheer balance of %(name)s is %(amount)s euro negative: "
                "more was paid than came in. Check the income and the payments of this "
                "month."
            )
            % {"name": participant.full_name, "amount": money.amount(short)},
            short,
            reference=f"negative:{participant.pk}:{today:%Y-%m}",
        )
        raised += 1
    return raised
