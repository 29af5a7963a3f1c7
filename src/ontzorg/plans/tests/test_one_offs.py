"""The one-offs of the regelingen in the pure withholding: the first rent as a gift replaces
the month's rent line; the month paid ahead out of the overbruggingsvergoeding comes on top of
the month's own lines but is not paid out of the income."""

from datetime import date

from ontzorg.plans import withholding as w

MAY = date(2026, 5, 1)
RENT = w.CostLine(1, 10, "huur", 70_000, 1)
ENERGY = w.CostLine(2, 11, "energie", 15_000, 5)
BIJSTAND = w.Income(w.IncomeKind.BIJSTAND, 130_000)


def one_off(line, kind):
    return w.OneOffItem(
        line.line_id, line.creditor_id, line.category, line.amount_cents, line.day_of_month, kind
    )


def compute(*one_offs, lines=(RENT, ENERGY)):
    return w.compute(
        w.WithholdingInput(period=MAY, incomes=(BIJSTAND,), lines=lines, one_offs=one_offs)
    )


def check_invariant(result):
    assert (
        result.paid_to_creditors_cents + result.remainder_cents + result.reserved_cents
        == result.income_cents + result.gift_cents
    )


def test_bridging_pays_the_month_ahead_without_touching_the_income():
    result = compute(one_off(RENT, w.OneOffKind.BRIDGING), one_off(ENERGY, w.OneOffKind.BRIDGING))
    assert not result.needs_decision
    kinds = sorted((p.kind, p.line_id) for p in result.creditor_payments)
    assert kinds == [("bridging", 1), ("bridging", 2), ("regular", 1), ("regular", 2)]
    assert result.withheld_cents == 85_000
    assert result.gift_cents == 85_000
    assert result.remainder_cents == 130_000 - 85_000
    check_invariant(result)


def test_the_same_month_ahead_out_of_the_income_runs_short():
    result = compute(
        one_off(RENT, w.OneOffKind.PREPAYMENT), one_off(ENERGY, w.OneOffKind.PREPAYMENT)
    )
    assert result.needs_decision
    assert result.shortfall_cents == 2 * 85_000 - 130_000


def test_gift_replaces_the_rent_line_even_without_a_payable_one():
    """The gift's rent line need not be payable (no machtiging in the first month yet)."""
    result = compute(one_off(RENT, w.OneOffKind.GIFT), lines=(ENERGY,))
    assert sorted((p.kind, p.line_id) for p in result.creditor_payments) == [
        ("gift", 1),
        ("regular", 2),
    ]
    assert result.withheld_cents == 15_000
    check_invariant(result)
