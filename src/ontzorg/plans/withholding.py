"""What one participant's income pays in one month: creditors, savings, living allowance.

Pure: plain data in, plain data out; no Django, no database. The plans app resolves the
inputs (``ontzorg.plans.reading.withholding_input``); payment runs and the plan overview
call :func:`compute`.

Interface (stable)::

    compute(WithholdingInput) -> WithholdingResult

Rules:

- ``period`` is the first day of the month. All amounts are integer cents, never negative.
- Counted income = bijstand + other managed income (wages, other) when
  ``manages_other_income`` (budgetbeheer) + toeslagen when ``counts_toeslagen``
  + the ``extra_cents`` of an ``EXTRA_INCOME`` shortfall decision.
- Costs = the payable ``lines`` + ``PREPAYMENT`` one-offs (one month of fixed costs paid
  ahead at the end, out of the income). A ``GIFT`` one-off (Capelle: first month's rent out
  of bijzondere bijstand) is paid to the creditor but funded by the gift, so the line it
  replaces (same ``line_id``) is not withheld that month. A ``BRIDGING`` one-off (Edam-
  Volendam: the month paid ahead at the end out of the overbruggingsvergoeding) is also
  funded outside the income, but replaces nothing: the month's own line is withheld as usual.
- Costs above the counted income are a **shortfall**. Without a decision the result has
  ``needs_decision`` set and contains no payments at all. ``PAY_PARTIALLY`` pays the costs
  in order of priority (huur, energie, water, zorgverzekering, the rest; prepayments last)
  until the income runs out. ``EXTRA_INCOME`` adds its amount to the income; if that is
  still not enough, the result again needs a decision.
- After the costs, savings pots are filled (partly, if the money runs out), and what is left
  is the living allowance: one payment on ``payment_day`` (maandgeld) or one per
  ``weekday`` in the month (weekgeld), split so that the parts add up to the cent; the
  earlier weeks get the odd cents.

Invariant for every result without ``needs_decision``::

    paid_to_creditors_cents + remainder_cents + reserved_cents == income_cents + gift_cents
"""

import calendar
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

PRIORITY = ("huur", "energie", "water", "zorgverzekering")


class IncomeKind(StrEnum):
    BIJSTAND = "bijstand"
    TOESLAG = "toeslag"
    WAGES = "wages"
    OTHER = "other"


class OneOffKind(StrEnum):
    GIFT = "gift"
    PREPAYMENT = "prepayment"
    BRIDGING = "bridging"


class PaymentKind(StrEnum):
    REGULAR = "regular"
    GIFT = "gift"
    PREPAYMENT = "prepayment"
    BRIDGING = "bridging"


# Paid to a creditor out of bijzondere bijstand, not out of the participant's income.
FUNDED_BY_GIFT = {OneOffKind.GIFT: PaymentKind.GIFT, OneOffKind.BRIDGING: PaymentKind.BRIDGING}


class AllowanceFrequency(StrEnum):
    MONTHLY = "monthly"
    WEEKLY = "weekly"


class ShortfallChoice(StrEnum):
    PAY_PARTIALLY = "pay_partially"
    EXTRA_INCOME = "extra_income"


@dataclass(frozen=True)
class Income:
    kind: IncomeKind
    amount_cents: int


@dataclass(frozen=True)
class CostLine:
    """A plan line payable this month, with the amount that applies to this month."""

    line_id: int
    creditor_id: int
    category: str
    amount_cents: int
    day_of_month: int


@dataclass(frozen=True)
class OneOffItem:
    line_id: int
    creditor_id: int
    category: str
    amount_cents: int
    day_of_month: int
    kind: OneOffKind


@dataclass(frozen=True)
class SavingsPot:
    pot_id: int
    monthly_cents: int


@dataclass(frozen=True)
class AllowanceRule:
    frequency: AllowanceFrequency = AllowanceFrequency.MONTHLY
    weekday: int = 0  # Monday is 0, as in date.weekday()
    payment_day: int = 1


@dataclass(frozen=True)
class ShortfallDecision:
    choice: ShortfallChoice
    extra_cents: int = 0


@dataclass(frozen=True)
class WithholdingInput:
    period: date
    incomes: tuple[Income, ...] = ()
    lines: tuple[CostLine, ...] = ()
    one_offs: tuple[OneOffItem, ...] = ()
    allowance: AllowanceRule = AllowanceRule()
    savings_pots: tuple[SavingsPot, ...] = ()
    counts_toeslagen: bool = False
    manages_other_income: bool = False
    shortfall_decision: ShortfallDecision | None = None


@dataclass(frozen=True)
class CreditorPayment:
    line_id: int
    creditor_id: int
    category: str
    kind: PaymentKind
    amount_cents: int
    due_cents: int
    pay_on: date

    @property
    def funded_by_gift(self) -> bool:
        return self.kind in (PaymentKind.GIFT, PaymentKind.BRIDGING)


@dataclass(frozen=True)
class AllowancePayment:
    pay_on: date
    amount_cents: int


@dataclass(frozen=True)
class SavingsTransfer:
    pot_id: int
    amount_cents: int
    due_cents: int


@dataclass(frozen=True)
class WithholdingResult:
    period: date
    income_cents: int
    gift_cents: int
    costs_cents: int
    shortfall_cents: int
    needs_decision: bool
    creditor_payments: tuple[CreditorPayment, ...] = ()
    allowance_payments: tuple[AllowancePayment, ...] = ()
    savings: tuple[SavingsTransfer, ...] = ()
    decision: ShortfallDecision | None = None

    @property
    def paid_to_creditors_cents(self) -> int:
        return sum(p.amount_cents for p in self.creditor_payments)

    @property
    def withheld_cents(self) -> int:
        """Paid to creditors out of the income (not out of a gift)."""
        return sum(p.amount_cents for p in self.creditor_payments if not p.funded_by_gift)

    @property
    def reserved_cents(self) -> int:
        return sum(s.amount_cents for s in self.savings)

    @property
    def remainder_cents(self) -> int:
        return sum(a.amount_cents for a in self.allowance_payments)


def _priority(category: str) -> int:
    return PRIORITY.index(category) if category in PRIORITY else len(PRIORITY)


def _check(data: WithholdingInput) -> None:
    if data.period.day != 1:
        raise ValueError("period must be the first day of a month")
    amounts = [i.amount_cents for i in data.incomes]
    amounts += [c.amount_cents for c in data.lines]
    amounts += [o.amount_cents for o in data.one_offs]
    amounts += [p.monthly_cents for p in data.savings_pots]
    if data.shortfall_decision:
        amounts.append(data.shortfall_decision.extra_cents)
    if any(not isinstance(a, int) or a < 0 for a in amounts):
        raise ValueError("amounts must be non-negative integer cents")
    days = [c.day_of_month for c in data.lines] + [o.day_of_month for o in data.one_offs]
    if any(not 1 <= d <= 28 for d in [*days, data.allowance.payment_day]):
        raise ValueError("payment days must be 1-28")


def counted_income(data: WithholdingInput) -> int:
    """The income that funds this month, before any shortfall decision."""
    total = 0
    for income in data.incomes:
        kind = IncomeKind(income.kind)
        if (
            kind == IncomeKind.BIJSTAND
            or (kind == IncomeKind.TOESLAG and data.counts_toeslagen)
            or (kind in (IncomeKind.WAGES, IncomeKind.OTHER) and data.manages_other_income)
        ):
            total += income.amount_cents
    return total


def allowance_dates(period: date, rule: AllowanceRule) -> list[date]:
    if AllowanceFrequency(rule.frequency) == AllowanceFrequency.MONTHLY:
        return [period.replace(day=rule.payment_day)]
    days = calendar.monthrange(period.year, period.month)[1]
    first = (rule.weekday - period.weekday()) % 7 + 1
    return [period.replace(day=d) for d in range(first, days + 1, 7)]


def split_evenly(total_cents: int, parts: int) -> list[int]:
    """`parts` amounts adding up to `total_cents` exactly; the first ones get the odd cents."""
    base, extra = divmod(total_cents, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def compute(data: WithholdingInput) -> WithholdingResult:
    _check(data)
    period = data.period
    gifts = [o for o in data.one_offs if OneOffKind(o.kind) in FUNDED_BY_GIFT]
    gifted_lines = {g.line_id for g in gifts if OneOffKind(g.kind) == OneOffKind.GIFT}
    # (sort key, payment kind, item) for everything withheld from the income.
    due = [
        ((_priority(c.category), 0, c.line_id), PaymentKind.REGULAR, c)
        for c in data.lines
        if c.line_id not in gifted_lines
    ]
    due += [
        ((len(PRIORITY) + 1, _priority(o.category), o.line_id), PaymentKind.PREPAYMENT, o)
        for o in data.one_offs
        if OneOffKind(o.kind) == OneOffKind.PREPAYMENT
    ]
    due.sort(key=lambda entry: entry[0])

    income = counted_income(data)
    decision = data.shortfall_decision
    if decision and ShortfallChoice(decision.choice) == ShortfallChoice.EXTRA_INCOME:
        income += decision.extra_cents
    gift_cents = sum(g.amount_cents for g in gifts)
    costs = sum(item.amount_cents for _key, _kind, item in due)
    shortfall = max(0, costs - income)
    pays_partially = decision and ShortfallChoice(decision.choice) == ShortfallChoice.PAY_PARTIALLY
    if shortfall and not pays_partially:
        return WithholdingResult(
            period=period,
            income_cents=income,
            gift_cents=gift_cents,
            costs_cents=costs,
            shortfall_cents=shortfall,
            needs_decision=True,
            decision=decision,
        )

    payments = [
        CreditorPayment(
            line_id=g.line_id,
            creditor_id=g.creditor_id,
            category=g.category,
            kind=FUNDED_BY_GIFT[OneOffKind(g.kind)],
            amount_cents=g.amount_cents,
            due_cents=g.amount_cents,
            pay_on=period.replace(day=g.day_of_month),
        )
        for g in gifts
        if g.amount_cents
    ]
    available = income
    for _key, kind, item in due:
        paid = min(item.amount_cents, available)
        available -= paid
        if paid:
            payments.append(
                CreditorPayment(
                    line_id=item.line_id,
                    creditor_id=item.creditor_id,
                    category=item.category,
                    kind=kind,
                    amount_cents=paid,
                    due_cents=item.amount_cents,
                    pay_on=period.replace(day=item.day_of_month),
                )
            )

    savings = []
    for pot in data.savings_pots:
        put = min(pot.monthly_cents, available)
        available -= put
        savings.append(SavingsTransfer(pot.pot_id, put, pot.monthly_cents))

    allowance = []
    if available:
        dates = allowance_dates(period, data.allowance)
        allowance = [
            AllowancePayment(day, amount)
            for day, amount in zip(dates, split_evenly(available, len(dates)), strict=True)
            if amount
        ]

    return WithholdingResult(
        period=period,
        income_cents=income,
        gift_cents=gift_cents,
        costs_cents=costs,
        shortfall_cents=shortfall,
        needs_decision=False,
        creditor_payments=tuple(payments),
        allowance_payments=tuple(allowance),
        savings=tuple(s for s in savings if s.amount_cents),
        decision=decision,
    )
