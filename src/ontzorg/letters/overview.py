"""The monthly overview ("Uw maand"): what happened to a participant's money in one month,
read from the ledger, with the payment instructions for who and when.

The figures come from the postings of the month (``ledger`` transactions whose period is the
month), never from the plan: income received is the credit on the participant's income
account in the run's income posting; each payment is the posting of its instruction (key
``instruction:<EndToEndId>``) and is "returned" when that posting was reversed (the bank gave
it back, ``banking.reconcile.open_return``) and not paid again (``banking.repay``), "pending"
when its run is not booked yet. Pots are the participant's savings accounts.

Amounts are integer cents and dates are dates: the templates format them in the reader's
language. ``MonthOverview.as_data`` and ``from_data`` turn an overview into plain JSON data
and back (``letters.models.MonthlyOverview.figures``)."""

from collections import defaultdict
from dataclasses import asdict, dataclass, field, fields
from datetime import date

from django.utils import timezone

from ontzorg.core.dates import month_end, month_start, next_month
from ontzorg.ledger.constants import AccountKind
from ontzorg.ledger.models import Entry
from ontzorg.payments import files
from ontzorg.payments.constants import CREDITOR_KINDS, EXTRA_KINDS, InstructionKind, RunStatus
from ontzorg.payments.models import PaymentInstruction

from .terms import category_label

PAID, RETURNED, PENDING = "paid", "returned", "pending"
# Changes next month.
HANDED_BACK, LINE_ENDS, LINE_STARTS, AMOUNT_CHANGES, ONTZORGEN_ENDS = (
    "handed_back",
    "line_ends",
    "line_starts",
    "amount_changes",
    "ontzorgen_ends",
)
MEASUREMENT, EVALUATION = "measurement", "evaluation"
# Runs whose instructions the overview shows: computed and agreed, not (yet) cancelled.
SHOWN_RUNS = (RunStatus.APPROVED, RunStatus.EXPORTED, RunStatus.BOOKED)


def _category_label(category: str):
    # The participant's wording, translated with the glossary (terms.py), lazily.
    return category_label(category)


@dataclass(frozen=True)
class Payment:
    """A fixed cost paid to a creditor for the participant."""

    payee: str
    category: str
    kind: str
    amount_cents: int
    status: str
    paid_on: date | None = None

    @property
    def category_label(self) -> str:
        return _category_label(self.category)

    @property
    def from_gift(self) -> bool:
        return self.kind == InstructionKind.GIFT


@dataclass(frozen=True)
class Allowance:
    """Leefgeld paid to the participant's own account, and the day it arrives."""

    amount_cents: int
    arrives_on: date | None
    status: str


@dataclass(frozen=True)
class Pot:
    """A savings pot (spaarpotje): what is in it at the end of the month, and what went in
    and out in the month."""

    name: str
    balance_cents: int
    in_cents: int
    out_cents: int
    goal_cents: int | None = None


@dataclass(frozen=True)
class OneOff:
    """A one-off payment or a payout from a pot."""

    payee: str
    kind: str
    amount_cents: int
    status: str
    pot: str = ""
    paid_on: date | None = None

    @property
    def to_participant(self) -> bool:
        return not self.payee


@dataclass(frozen=True)
class Change:
    """Something that is different next month."""

    kind: str
    on: date
    payee: str = ""
    category: str = ""
    amount_cents: int | None = None
    new_amount_cents: int | None = None

    @property
    def category_label(self) -> str:
        return _category_label(self.category)


@dataclass(frozen=True)
class Appointment:
    """The next measurement or evaluation talk."""

    kind: str
    on: date
    moment: str = ""

    @property
    def moment_label(self) -> str:
        from ontzorg.measurements.constants import Moment

        return Moment(self.moment).label if self.moment in Moment.values else self.moment


@dataclass(frozen=True)
class MonthOverview:
    participant_id: int
    month: date
    run_id: int | None
    income_cents: int
    withheld_cents: int
    payments: tuple[Payment, ...] = ()
    allowances: tuple[Allowance, ...] = ()
    pots: tuple[Pot, ...] = ()
    one_offs: tuple[OneOff, ...] = ()
    changes: tuple[Change, ...] = ()
    next_appointment: Appointment | None = None
    benefit_on: date | None = None

    @property
    def month_end(self) -> date:
        return month_end(self.month)

    @property
    def allowance_cents(self) -> int:
        return sum(a.amount_cents for a in self.allowances if a.status != RETURNED)

    @property
    def paid_to_creditors_cents(self) -> int:
        return sum(p.amount_cents for p in self.payments if p.status == PAID)

    @property
    def has_returns(self) -> bool:
        return any(p.status == RETURNED for p in (*self.payments, *self.one_offs)) or any(
            a.status == RETURNED for a in self.allowances
        )

    def as_data(self) -> dict:
        """Plain JSON data: dates as ISO strings."""
        return _plain(asdict(self))

    @classmethod
    def from_data(cls, data: dict) -> "MonthOverview":
        return _build(cls, data)


_NESTED = {
    "payments": Payment,
    "allowances": Allowance,
    "pots": Pot,
    "one_offs": OneOff,
    "changes": Change,
    "next_appointment": Appointment,
}
_DATES = {"month", "paid_on", "arrives_on", "on", "benefit_on"}


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def _build(cls, data: dict):
    values = {}
    for f in fields(cls):
        if f.name not in data:
            continue
        value = data[f.name]
        if f.name in _NESTED and value is not None:
            nested = _NESTED[f.name]
            value = (
                _build(nested, value)
                if isinstance(value, dict)
                else tuple(_build(nested, v) for v in value)
            )
        elif f.name in _DATES and value:
            value = date.fromisoformat(value)
        elif isinstance(value, list):
            value = tuple(value)
        values[f.name] = value
    return cls(**values)


# --- computing --------------------------------------------------------------------------------


def month_overview(participant, month: date, *, today: date | None = None) -> MonthOverview:
    """The overview of `participant` for the month of `month`, from the ledger."""
    month = month_start(month)
    today = today or timezone.localdate()
    postings = _postings(participant.pk, month)
    instructions = _instructions(participant.pk, month)
    status = _statuses(postings, instructions)

    income_cents = withheld_cents = 0
    for tx in postings.values():
        if tx.key.startswith("run:") and ":income:" in tx.key:
            income_cents -= tx.own_credit(AccountKind.INCOME_RECEIVED)
            withheld_cents -= tx.own_credit(AccountKind.WITHHELD)

    payments, allowances, one_offs = [], [], []
    for i in instructions:
        tx = postings.get(_key(i.end_to_end_id))
        amount = tx.paid_cents() if tx is not None else i.amount_cents
        paid_on = files.execution_on(i.pay_on, i.run.exported_at) if i.run.exported_at else None
        state = status[i.pk]
        if i.kind in CREDITOR_KINDS:
            category = i.plan_line.category if i.plan_line_id else ""
            payments.append(Payment(i.name, category, i.kind, amount, state, paid_on))
        elif i.kind == InstructionKind.ALLOWANCE:
            allowances.append(Allowance(amount, paid_on, state))
        elif i.kind in EXTRA_KINDS:
            pot = i.savings_pot.name if i.savings_pot_id else ""
            payee = i.name if i.creditor_id else ""
            one_offs.append(OneOff(payee, i.kind, amount, state, pot, paid_on))
    payments.sort(key=lambda p: (p.category, p.payee, p.paid_on or month))
    allowances.sort(key=lambda a: a.arrives_on or month)

    runs = {i.run for i in instructions}
    booked = sorted((r for r in runs if r.status == RunStatus.BOOKED), key=lambda r: r.pk)
    run = booked[-1] if booked else (max(runs, key=lambda r: r.pk) if runs else None)
    return MonthOverview(
        participant_id=participant.pk,
        month=month,
        run_id=run.pk if run else None,
        income_cents=income_cents,
        withheld_cents=withheld_cents,
        payments=tuple(payments),
        allowances=tuple(allowances),
        pots=tuple(_pots(participant, month)),
        one_offs=tuple(one_offs),
        changes=tuple(_changes(participant, month)),
        next_appointment=_next_appointment(participant, today),
        benefit_on=_benefit_on(participant, month),
    )


def _key(end_to_end_id: str) -> str:
    return f"instruction:{end_to_end_id}"


@dataclass
class _Posting:
    key: str
    reverses_id: int | None
    pk: int
    entries: list[tuple[str, bool, int]] = field(default_factory=list)  # kind, own, cents

    def own_credit(self, kind: str) -> int:
        return sum(c for k, own, c in self.entries if own and k == kind and c < 0)

    def paid_cents(self) -> int:
        """What left the bank (a payment), or went into a pot (a savings reservation)."""
        bank = -sum(c for k, _own, c in self.entries if k == AccountKind.BANK)
        if bank:
            return bank
        return -sum(c for k, own, c in self.entries if own and k == AccountKind.SAVINGS)


def _postings(participant_id: int, month: date) -> dict[str, _Posting]:
    """The month's transactions that touch the participant, by key, with all their entries."""
    touching = Entry.objects.filter(
        account__participant_id=participant_id, transaction__period=month
    ).values("transaction_id")
    rows = (
        Entry.objects.filter(transaction_id__in=touching)
        .order_by("transaction_id", "pk")
        .values_list(
            "transaction_id",
            "transaction__key",
            "transaction__reverses_id",
            "account__kind",
            "account__participant_id",
            "amount_cents",
        )
    )
    found: dict[str, _Posting] = {}
    for tx_id, key, reverses_id, kind, owner, cents in rows:
        posting = found.setdefault(key, _Posting(key, reverses_id, tx_id))
        posting.entries.append((kind, owner == participant_id, cents))
    return found


def _instructions(participant_id: int, month: date) -> list[PaymentInstruction]:
    return list(
        PaymentInstruction.objects.filter(
            participant_id=participant_id, run__period=month, run__status__in=SHOWN_RUNS
        )
        .select_related("run", "plan_line", "savings_pot")
        .order_by("pay_on", "pk")
    )


def _statuses(postings: dict[str, _Posting], instructions) -> dict[int, str]:
    """paid / returned / pending per instruction, from its posting and any reversal and
    re-payment of it."""
    reversed_ids = {p.reverses_id for p in postings.values() if p.reverses_id}
    result = {}
    for i in instructions:
        posting = postings.get(_key(i.end_to_end_id))
        if posting is None:
            result[i.pk] = PENDING
        elif posting.pk in reversed_ids and f"repay:{i.end_to_end_id}"[:120] not in postings:
            result[i.pk] = RETURNED
        else:
            result[i.pk] = PAID
    return result


def _pots(participant, month: date) -> list[Pot]:
    """Each savings account of the participant with a balance or a movement up to the month."""
    from ontzorg.plans.models import SavingsPot

    rows = Entry.objects.filter(
        account__participant=participant,
        account__kind=AccountKind.SAVINGS,
        transaction__period__lte=month,
    ).values_list("account__pot", "transaction__period", "amount_cents")
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for name, period, cents in rows:
        total = totals[name]
        total[0] -= cents
        if period == month:
            if cents < 0:
                total[1] -= cents
            else:
                total[2] += cents
    goals = dict(
        SavingsPot.objects.filter(plan__participant=participant).values_list("name", "goal_cents")
    )
    return [
        Pot(name, balance, in_cents, out_cents, goals.get(name))
        for name, (balance, in_cents, out_cents) in sorted(totals.items())
    ]


def _open_plan(participant, month: date):
    from ontzorg.plans.models import Plan

    return (
        Plan.objects.filter(participant=participant, start_on__lte=month_end(month))
        .order_by("-start_on", "-pk")
        .prefetch_related("lines__amounts", "lines__creditor", "phase_out_steps")
        .first()
    )


def _changes(participant, month: date) -> list[Change]:
    """What is different next month: a cost handed back to the participant, a cost that ends
    or starts, a changed amount, the end of ontzorgen."""
    plan = _open_plan(participant, month)
    if plan is None:
        return []
    following = next_month(month)
    changes = []
    handed_back = {
        step.line_id: step.from_on
        for step in plan.phase_out_steps.all()
        if following <= step.from_on <= month_end(following)
    }
    for line in plan.lines.all():
        if line.is_removed:
            continue
        now, then = line.applies_in(month), line.applies_in(following)
        now_cents = line.amount_for(month) if now else None
        then_cents = line.amount_for(following) if then else None
        common = dict(payee=line.creditor.name, category=line.category)
        if line.pk in handed_back:
            changes.append(
                Change(HANDED_BACK, handed_back[line.pk], amount_cents=now_cents, **common)
            )
        elif now and not then:
            changes.append(Change(LINE_ENDS, line.ends_on, amount_cents=now_cents, **common))
        elif then and not now:
            changes.append(
                Change(LINE_STARTS, max(line.starts_on, following), None, then_cents, **common)
            )
        elif now and then and now_cents != then_cents and None not in (now_cents, then_cents):
            changes.append(
                Change(
                    AMOUNT_CHANGES,
                    following,
                    amount_cents=now_cents,
                    new_amount_cents=then_cents,
                    **common,
                )
            )
    if month <= plan.end_on <= month_end(following):
        changes.append(Change(ONTZORGEN_ENDS, plan.end_on))
    return sorted(changes, key=lambda c: (c.on, c.kind, c.payee))


def _next_appointment(participant, today: date) -> Appointment | None:
    """The first measurement still to do, or the evaluation talk before the plan's end."""
    from ontzorg.measurements import schedule
    from ontzorg.measurements import services as measurements
    from ontzorg.trajectory.models import Evaluation
    from ontzorg.trajectory.services import evaluation_due_on

    found = [
        Appointment(MEASUREMENT, moment.due_on, moment.moment)
        for moment in measurements.schedule_for(participant, today)
        if moment.status != schedule.DONE and moment.due_on >= today
    ]
    plan = _open_plan(participant, today)
    if plan is not None and plan.is_open:
        due_on = evaluation_due_on(plan)
        done = Evaluation.objects.filter(plan=plan, for_end_on=plan.planned_end_on).exists()
        if not done and due_on >= today:
            found.append(Appointment(EVALUATION, due_on))
    return min(found, key=lambda a: (a.on, a.kind)) if found else None


def _benefit_on(participant, month: date) -> date | None:
    """The day the month's income reached the municipality's account: the first bank entry
    of the month matched to the participant as income (none before the statement is read)."""
    from ontzorg.banking.constants import ReconciliationKind
    from ontzorg.banking.models import Reconciliation

    return (
        Reconciliation.objects.filter(
            participant=participant,
            kind=ReconciliationKind.INCOME,
            entry__booked_on__range=(month, month_end(month)),
        )
        .order_by("entry__booked_on")
        .values_list("entry__booked_on", flat=True)
        .first()
    )
