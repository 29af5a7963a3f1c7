"""The many-plans read (`withholding_inputs`) gives exactly what the one-plan read gives, for
varied plans and months, in a number of queries that does not grow with the plans."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ontzorg.participants.tests.factories import ParticipantFactory
from ontzorg.plans import reading
from ontzorg.plans.constants import IncomeKind, PlanStatus, ShortfallChoice
from ontzorg.plans.models import LineAmount, Plan, SavingsPot, ShortfallDecision
from ontzorg.regelingen.constants import AllowanceFrequency, CostCategory, Mode
from ontzorg.regelingen.tests.factories import RegelingFactory

from .factories import (
    CreditorFactory,
    IncomeFactory,
    MachtigingFactory,
    PlanFactory,
    PlanLineFactory,
)

PERIODS = [date(2025, m, 1) for m in (8, 9, 10, 11, 12)] + [date(2026, 1, 1), date(2026, 2, 1)]


def _plan(regeling, **fields):
    return PlanFactory(participant=ParticipantFactory(regeling=regeling), **fields)


@pytest.fixture
def varied_plans(regeling, backoffice):
    """Plans that between them hit every rule of the read side."""
    gift = RegelingFactory(
        region=regeling.region,
        valid_from=date(2025, 2, 1),
        first_month_rent_gift=True,
        prepay_last_month=True,
    )
    weekly = RegelingFactory(
        region=regeling.region,
        valid_from=date(2025, 3, 1),
        mode=Mode.BUDGETBEHEER,
        allowance_frequency=AllowanceFrequency.WEEKLY,
        allowance_weekday=3,
        counts_toeslagen=True,
    )
    landlord, energy = CreditorFactory(), CreditorFactory(name="Stroom BV")

    # Dated amounts: a change on the 15th, a line that starts after its payment day, a line
    # that is closed, and a line-specific and a whole-creditor machtiging.
    changing = _plan(regeling)
    rent = PlanLineFactory(plan=changing, creditor=landlord, amount_cents=60_000, day_of_month=1)
    LineAmount.objects.create(line=rent, amount_cents=62_000, valid_from=date(2025, 10, 15))
    LineAmount.objects.create(line=rent, amount_cents=63_000, valid_from=date(2026, 1, 1))
    MachtigingFactory(line=rent)
    late = PlanLineFactory(
        plan=changing,
        category=CostCategory.ENERGIE,
        creditor=energy,
        amount_cents=11_000,
        day_of_month=5,
        starts_on=date(2025, 10, 20),
    )
    MachtigingFactory(line=None, participant=changing.participant, creditor=energy)
    closed = PlanLineFactory(
        plan=changing, category=CostCategory.WATER, creditor=energy, amount_cents=2_500
    )
    closed.ends_on = date(2025, 10, 31)
    closed.save()
    IncomeFactory(participant=changing.participant, valid_to=date(2025, 10, 14))
    IncomeFactory(
        participant=changing.participant, amount_cents=140_000, valid_from=date(2025, 10, 15)
    )
    IncomeFactory(
        participant=changing.participant, kind=IncomeKind.ZORGTOESLAG, amount_cents=12_300
    )

    # Machtigingen that do not cover: signed too late, revoked within the month, another
    # participant's, and one for a different line of the same creditor.
    uncovered = _plan(regeling)
    late_signed = PlanLineFactory(plan=uncovered, creditor=landlord, amount_cents=50_000)
    MachtigingFactory(line=late_signed, signed_on=date(2025, 10, 2))
    revoked = PlanLineFactory(
        plan=uncovered, category=CostCategory.ENERGIE, creditor=energy, amount_cents=9_000
    )
    MachtigingFactory(line=revoked, revoked_on=date(2025, 11, 10))
    other = PlanLineFactory(plan=uncovered, category=CostCategory.WATER, amount_cents=3_000)
    MachtigingFactory(line=None, participant=changing.participant, creditor=other.creditor)
    PlanLineFactory(
        plan=uncovered, category=CostCategory.ZORGVERZEKERING, creditor=energy, amount_cents=1
    )
    MachtigingFactory(line=late, participant=uncovered.participant, creditor=energy)
    IncomeFactory(participant=uncovered.participant, amount_cents=40_000)

    # Gift in the first month and prepayment in the last; a shortfall decision.
    one_offs = _plan(
        gift, start_on=date(2025, 10, 1), planned_end_on=date(2026, 1, 31), first_rent_gift=True
    )
    for category in (CostCategory.HUUR, CostCategory.ENERGIE):
        MachtigingFactory(line=PlanLineFactory(plan=one_offs, category=category))
    IncomeFactory(participant=one_offs.participant, amount_cents=90_000)
    ShortfallDecision.objects.create(
        plan=one_offs,
        period=date(2025, 11, 1),
        choice=ShortfallChoice.EXTRA_INCOME,
        extra_cents=50_000,
        reason="Bijzondere bijstand deze maand",
        decided_by=backoffice,
    )
    ShortfallDecision.objects.create(
        plan=one_offs,
        period=date(2025, 12, 1),
        choice=ShortfallChoice.PAY_PARTIALLY,
        reason="Huur gaat voor, rest later",
        decided_by=backoffice,
    )

    # Budgetbeheer with weekgeld, two jobs at once, a toeslag and savings pots that start
    # and stop.
    managed = _plan(weekly)
    MachtigingFactory(line=PlanLineFactory(plan=managed, amount_cents=45_000, day_of_month=25))
    for amount in (80_000, 30_000):
        IncomeFactory(participant=managed.participant, kind=IncomeKind.WAGES, amount_cents=amount)
    IncomeFactory(participant=managed.participant, kind=IncomeKind.HUURTOESLAG, amount_cents=2)
    SavingsPot.objects.create(
        plan=managed, name="Buffer", monthly_cents=2_500, starts_on=date(2025, 9, 1)
    )
    SavingsPot.objects.create(
        plan=managed,
        name="Verjaardag",
        monthly_cents=1_000,
        starts_on=date(2025, 11, 1),
        ends_on=date(2025, 12, 31),
    )

    # Nothing to pay: no lines, no income; and an ended plan.
    _plan(regeling)
    _plan(regeling, status=PlanStatus.ENDED, ended_on=date(2025, 11, 30))

    return list(Plan.objects.select_related("regeling").order_by("pk"))


@pytest.mark.django_db
@pytest.mark.parametrize("period", PERIODS, ids=[f"{p:%Y-%m}" for p in PERIODS])
def test_bulk_read_equals_one_plan_read(varied_plans, period):
    bulk = reading.withholding_inputs(varied_plans, period)

    assert set(bulk) == {plan.pk for plan in varied_plans}
    for plan in varied_plans:
        assert bulk[plan.pk] == reading.withholding_input(plan, period), plan


@pytest.mark.django_db
def test_the_rules_are_exercised(varied_plans):
    """Guard against a fixture that no longer tests what it claims."""
    reads = {p: reading.withholding_inputs(varied_plans, p) for p in PERIODS}
    inputs = [i for read in reads.values() for i in read.values()]
    assert {len(i.lines) for i in inputs} >= {0, 1, 2, 3}
    assert any(i.one_offs for i in inputs)
    assert any(i.shortfall_decision for i in inputs)
    assert any(len(i.savings_pots) == 2 for i in inputs)
    assert any(len(i.incomes) == 3 for i in inputs)
    amounts = {line.amount_cents for i in inputs for line in i.lines}
    assert {60_000, 62_000, 63_000, 11_000} <= amounts
    assert not amounts & {3_000, 1}

    def paid(period):
        return {line.amount_cents for i in reads[period].values() for line in i.lines}

    assert 9_000 in paid(date(2025, 10, 1)) and 9_000 not in paid(date(2025, 11, 1))
    assert 50_000 not in paid(date(2025, 10, 1)) and 50_000 in paid(date(2025, 11, 1))


@pytest.mark.django_db
def test_bulk_read_queries_do_not_grow_with_the_plans(regeling):
    def plans(n):
        for _ in range(n):
            plan = _plan(regeling)
            MachtigingFactory(line=PlanLineFactory(plan=plan))
            IncomeFactory(participant=plan.participant)
        return list(Plan.objects.select_related("regeling").order_by("pk"))

    def queries(plan_list):
        with CaptureQueriesContext(connection) as captured:
            reading.withholding_inputs(plan_list, date(2025, 10, 1))
        return len(captured)

    few = queries(plans(2))
    many = queries(plans(20))
    assert few == many <= 8  # the participants' mode decisions and own municipal settings
