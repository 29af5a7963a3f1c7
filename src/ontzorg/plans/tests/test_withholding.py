"""The pure withholding computation: examples from the pilots and hypothesis invariants."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ontzorg.plans.withholding import (
    AllowanceFrequency,
    AllowanceRule,
    CostLine,
    Income,
    IncomeKind,
    OneOffItem,
    OneOffKind,
    PaymentKind,
    SavingsPot,
    ShortfallChoice,
    ShortfallDecision,
    WithholdingInput,
    allowance_dates,
    compute,
    split_evenly,
)

PERIOD = date(2025, 10, 1)
RENT = CostLine(1, 10, "huur", 65000, 1)
ENERGY = CostLine(2, 20, "energie", 15000, 5)
WATER = CostLine(3, 30, "water", 2500, 5)
INSURANCE = CostLine(4, 40, "zorgverzekering", 14500, 1)
PHONE = CostLine(5, 50, "telecom", 3000, 10)
BIJSTAND = Income(IncomeKind.BIJSTAND, 130061)


def run(**kwargs):
    return compute(WithholdingInput(period=PERIOD, **kwargs))


def test_standard_month_pays_creditors_and_the_rest_as_maandgeld():
    result = run(
        incomes=(BIJSTAND,),
        lines=(RENT, ENERGY, WATER, INSURANCE),
        allowance=AllowanceRule(payment_day=3),
    )
    assert not result.needs_decision
    assert {p.line_id: p.amount_cents for p in result.creditor_payments} == {
        1: 65000,
        2: 15000,
        3: 2500,
        4: 14500,
    }
    assert [p.pay_on for p in result.creditor_payments if p.line_id == 2] == [date(2025, 10, 5)]
    assert [(a.pay_on, a.amount_cents) for a in result.allowance_payments] == [
        (date(2025, 10, 3), 130061 - 97000)
    ]


def test_shortfall_without_decision_pays_nothing():
    result = run(incomes=(Income(IncomeKind.BIJSTAND, 32108),), lines=(RENT, ENERGY))
    assert result.needs_decision
    assert result.shortfall_cents == 80000 - 32108
    assert result.creditor_payments == ()
    assert result.allowance_payments == ()
    assert result.savings == ()


def test_partial_payment_follows_priority_huur_energie_water_zorg_rest():
    result = run(
        incomes=(Income(IncomeKind.BIJSTAND, 83000),),
        lines=(PHONE, INSURANCE, WATER, ENERGY, RENT),
        shortfall_decision=ShortfallDecision(ShortfallChoice.PAY_PARTIALLY),
    )
    assert not result.needs_decision
    paid = [(p.category, p.amount_cents, p.due_cents) for p in result.creditor_payments]
    assert paid == [
        ("huur", 65000, 65000),
        ("energie", 15000, 15000),
        ("water", 2500, 2500),
        ("zorgverzekering", 500, 14500),
    ]
    assert result.remainder_cents == 0


def test_extra_income_decision_covers_the_shortfall():
    result = run(
        incomes=(Income(IncomeKind.BIJSTAND, 64216),),
        lines=(RENT,),
        shortfall_decision=ShortfallDecision(ShortfallChoice.EXTRA_INCOME, 40000),
    )
    assert not result.needs_decision
    assert result.income_cents == 104216
    assert result.remainder_cents == 104216 - 65000


def test_extra_income_that_is_not_enough_still_needs_a_decision():
    result = run(
        incomes=(Income(IncomeKind.BIJSTAND, 32108),),
        lines=(RENT,),
        shortfall_decision=ShortfallDecision(ShortfallChoice.EXTRA_INCOME, 100),
    )
    assert result.needs_decision
    assert result.creditor_payments == ()


def test_toeslagen_count_only_when_the_regeling_says_so():
    incomes = (Income(IncomeKind.BIJSTAND, 50000), Income(IncomeKind.TOESLAG, 40000))
    assert run(incomes=incomes, lines=(RENT,)).needs_decision
    counted = run(incomes=incomes, lines=(RENT,), counts_toeslagen=True)
    assert counted.income_cents == 90000 and not counted.needs_decision


def test_wages_are_managed_only_in_budgetbeheer():
    incomes = (Income(IncomeKind.WAGES, 200000),)
    assert run(incomes=incomes).income_cents == 0
    assert run(incomes=incomes, manages_other_income=True).remainder_cents == 200000


def test_first_month_rent_gift_is_paid_but_not_withheld():
    gift = OneOffItem(1, 10, "huur", 65000, 1, OneOffKind.GIFT)
    result = run(incomes=(BIJSTAND,), lines=(RENT, ENERGY), one_offs=(gift,))
    kinds = {(p.line_id, p.kind): p.amount_cents for p in result.creditor_payments}
    assert kinds == {(1, PaymentKind.GIFT): 65000, (2, PaymentKind.REGULAR): 15000}
    assert result.gift_cents == 65000
    assert result.withheld_cents == 15000
    assert result.remainder_cents == 130061 - 15000


def test_prepayment_at_the_end_withholds_one_month_extra_after_the_regular_costs():
    prepay = OneOffItem(2, 20, "energie", 15000, 5, OneOffKind.PREPAYMENT)
    result = run(incomes=(BIJSTAND,), lines=(RENT, ENERGY), one_offs=(prepay,))
    assert [(p.line_id, p.kind) for p in result.creditor_payments] == [
        (1, PaymentKind.REGULAR),
        (2, PaymentKind.REGULAR),
        (2, PaymentKind.PREPAYMENT),
    ]
    assert result.remainder_cents == 130061 - 95000


def test_weekgeld_is_paid_on_every_chosen_weekday_of_the_month():
    # October 2025 has five Wednesdays: 1, 8, 15, 22, 29.
    result = run(
        incomes=(Income(IncomeKind.BIJSTAND, 100003),),
        allowance=AllowanceRule(AllowanceFrequency.WEEKLY, weekday=2),
    )
    assert [a.pay_on.day for a in result.allowance_payments] == [1, 8, 15, 22, 29]
    assert [a.amount_cents for a in result.allowance_payments] == [
        20001,
        20001,
        20001,
        20000,
        20000,
    ]


def test_savings_pots_are_filled_before_the_allowance_and_only_as_far_as_money_allows():
    result = run(
        incomes=(Income(IncomeKind.BIJSTAND, 70000),),
        lines=(RENT,),
        savings_pots=(SavingsPot(7, 2000), SavingsPot(8, 5000)),
    )
    assert [(s.pot_id, s.amount_cents, s.due_cents) for s in result.savings] == [
        (7, 2000, 2000),
        (8, 3000, 5000),
    ]
    assert result.remainder_cents == 0


@pytest.mark.parametrize(
    "data",
    [
        WithholdingInput(period=date(2025, 10, 2)),
        WithholdingInput(period=PERIOD, incomes=(Income(IncomeKind.BIJSTAND, -1),)),
        WithholdingInput(period=PERIOD, lines=(CostLine(1, 1, "huur", 100, 29),)),
    ],
)
def test_bad_input_is_refused(data):
    with pytest.raises(ValueError):
        compute(data)


# --- properties -------------------------------------------------------------------------------

cents = st.integers(min_value=0, max_value=500_000)
categories = st.sampled_from(["huur", "energie", "water", "zorgverzekering", "telecom", "overig"])
periods = st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 1)).map(
    lambda d: d.replace(day=1)
)


@st.composite
def inputs(draw):
    lines = tuple(
        CostLine(
            i, draw(st.integers(1, 5)), draw(categories), draw(cents), draw(st.integers(1, 28))
        )
        for i in range(draw(st.integers(0, 8)))
    )
    one_offs = []
    for line in lines:
        kind = draw(st.sampled_from([None, OneOffKind.GIFT, OneOffKind.PREPAYMENT]))
        if kind:
            one_offs.append(
                OneOffItem(
                    line.line_id,
                    line.creditor_id,
                    line.category,
                    line.amount_cents,
                    line.day_of_month,
                    kind,
                )
            )
    return WithholdingInput(
        period=draw(periods),
        incomes=tuple(
            Income(draw(st.sampled_from(list(IncomeKind))), draw(cents))
            for _ in range(draw(st.integers(0, 4)))
        ),
        lines=lines,
        one_offs=tuple(one_offs),
        allowance=AllowanceRule(
            draw(st.sampled_from(list(AllowanceFrequency))),
            weekday=draw(st.integers(0, 6)),
            payment_day=draw(st.integers(1, 28)),
        ),
        savings_pots=tuple(SavingsPot(i, draw(cents)) for i in range(draw(st.integers(0, 3)))),
        counts_toeslagen=draw(st.booleans()),
        manages_other_income=draw(st.booleans()),
        shortfall_decision=draw(
            st.one_of(
                st.none(),
                st.builds(
                    ShortfallDecision,
                    st.sampled_from(list(ShortfallChoice)),
                    cents,
                ),
            )
        ),
    )


@given(inputs())
def test_money_in_equals_money_out(data):
    result = compute(data)
    if result.needs_decision:
        assert result.shortfall_cents > 0
        assert not (result.creditor_payments or result.allowance_payments or result.savings)
        return
    assert (
        result.paid_to_creditors_cents + result.remainder_cents + result.reserved_cents
        == result.income_cents + result.gift_cents
    )
    assert result.withheld_cents + result.remainder_cents + result.reserved_cents == (
        result.income_cents
    )


@given(inputs())
def test_never_pays_more_than_due_and_never_a_negative_amount(data):
    result = compute(data)
    for payment in result.creditor_payments:
        assert 0 < payment.amount_cents <= payment.due_cents
        assert payment.pay_on.month == data.period.month
    for allowance in result.allowance_payments:
        assert allowance.amount_cents > 0
        assert allowance.pay_on.month == data.period.month
    assert all(s.amount_cents > 0 for s in result.savings)


@given(inputs())
def test_a_shortfall_is_only_paid_with_a_recorded_decision(data):
    result = compute(data)
    if result.shortfall_cents and not result.needs_decision:
        assert result.decision is not None
        assert result.decision.choice == ShortfallChoice.PAY_PARTIALLY
        assert result.remainder_cents == 0
    if not result.shortfall_cents:
        due = {(p.line_id, p.kind): p for p in result.creditor_payments}
        assert all(p.amount_cents == p.due_cents for p in due.values())


@given(
    periods,
    st.integers(min_value=0, max_value=10_000_000),
    st.integers(min_value=0, max_value=6),
)
def test_weekly_allowance_adds_up_exactly(period, total, weekday):
    result = compute(
        WithholdingInput(
            period=period,
            incomes=(Income(IncomeKind.BIJSTAND, total),),
            allowance=AllowanceRule(AllowanceFrequency.WEEKLY, weekday=weekday),
        )
    )
    days = allowance_dates(period, AllowanceRule(AllowanceFrequency.WEEKLY, weekday=weekday))
    assert len(days) in (4, 5)
    assert all(d.weekday() == weekday and d.month == period.month for d in days)
    assert result.remainder_cents == total
    amounts = [a.amount_cents for a in result.allowance_payments]
    assert max(amounts, default=0) - min(amounts, default=0) <= 1


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=1, max_value=6))
def test_split_evenly(total, parts):
    split = split_evenly(total, parts)
    assert sum(split) == total and len(split) == parts
    assert split == sorted(split, reverse=True)
