"""Plan services: dated amounts, machtigingen, outflow, end/extend, permissions and scoping."""

from datetime import date

import pytest

from ontzorg.accounts.constants import RoleCode
from ontzorg.accounts.tests.factories import OrganisationFactory, UserFactory
from ontzorg.audit.models import AuditEntry
from ontzorg.exceptions import PermissionDenied, Refused
from ontzorg.participants.constants import Phase
from ontzorg.participants.tests.factories import ParticipantFactory
from ontzorg.plans import reading, services
from ontzorg.plans.constants import (
    CreditorCategory,
    IncomeKind,
    PlanDecisionKind,
    PlanStatus,
    ShortfallChoice,
)
from ontzorg.plans.models import Income, LineAmount, PlanLine
from ontzorg.plans.withholding import OneOffKind, PaymentKind
from ontzorg.regelingen.constants import (
    AllowanceFrequency,
    CostCategory,
    Inclusion,
    Mode,
    PlanStart,
)
from ontzorg.regelingen.models import PackageItem
from ontzorg.regelingen.tests.factories import RegelingFactory, RegionFactory

from .factories import (
    CreditorFactory,
    IncomeFactory,
    MachtigingFactory,
    PlanFactory,
    PlanLineFactory,
)

SEPT, OCT = date(2025, 9, 1), date(2025, 10, 1)


@pytest.fixture
def participant(regeling):
    return ParticipantFactory(regeling=regeling)


@pytest.fixture
def plan(participant):
    return PlanFactory(participant=participant)


@pytest.fixture
def line(plan):
    return PlanLineFactory(plan=plan, amount_cents=65000)


@pytest.fixture
def other_klantmanager(db):
    elsewhere = OrganisationFactory(region=RegionFactory(name="Den Haag", slug="den-haag"))
    return UserFactory(role_code=RoleCode.KLANTMANAGER, organisation=elsewhere)


# --- plans and dated amounts ------------------------------------------------------------------


def test_plan_starts_at_bijstand_and_runs_the_minimum_duration(klantmanager, participant):
    plan = services.create_plan(klantmanager, participant)
    assert (plan.start_on, plan.planned_end_on) == (date(2025, 9, 1), date(2026, 2, 28))
    assert len(plan.months()) == 6
    with pytest.raises(Refused):
        services.create_plan(klantmanager, participant)


def test_plan_starts_at_the_lease_signing_when_the_regeling_says_so(klantmanager, regeling):
    regeling.plan_start = PlanStart.LEASE_SIGNED
    regeling.save()
    person = ParticipantFactory(regeling=regeling, lease_signed_on=date(2025, 10, 14))
    plan = services.create_plan(klantmanager, person)
    assert (plan.start_on, plan.planned_end_on) == (date(2025, 10, 14), date(2026, 4, 13))


def test_an_amount_change_from_1_july_leaves_june_alone(klantmanager, participant):
    plan = PlanFactory(
        participant=participant, start_on=date(2026, 3, 1), planned_end_on=date(2026, 8, 31)
    )
    line = services.add_line(
        klantmanager,
        plan,
        category=CostCategory.HUUR,
        creditor=CreditorFactory(),
        reference="HUUR-123",
        amount_cents=65000,
        starts_on=date(2026, 3, 1),
    )
    first = line.amounts.get()
    services.change_amount(klantmanager, line, 68500, date(2026, 7, 1))
    line = PlanLine.objects.prefetch_related("amounts").get(pk=line.pk)
    assert line.amount_for(date(2026, 6, 1)) == 65000
    assert line.amount_for(date(2026, 7, 1)) == 68500
    assert line.amount_on(date(2026, 6, 30)) == 65000
    first.refresh_from_db()
    assert (first.amount_cents, first.valid_from) == (65000, date(2026, 3, 1))
    assert list(line.amounts.values_list("amount_cents", flat=True)) == [65000, 68500]
    entry = AuditEntry.objects.filter(participant=participant).latest("pk")
    assert entry.changes["bedrag"] == [65000, 68500]


def test_history_is_never_rewritten(klantmanager, line):
    services.change_amount(klantmanager, line, 66000, date(2025, 11, 1))
    for valid_from in (date(2025, 11, 1), date(2025, 10, 1)):
        with pytest.raises(Refused):
            services.change_amount(klantmanager, line, 70000, valid_from)
    with pytest.raises(Refused):
        services.change_amount(klantmanager, line, 0, date(2025, 12, 1))
    assert LineAmount.objects.filter(line=line).count() == 2


def test_add_line_only_for_categories_in_the_package(klantmanager, plan):
    with pytest.raises(Refused):
        services.add_line(
            klantmanager,
            plan,
            category=CostCategory.TELECOM,
            creditor=CreditorFactory(),
            reference="T-1",
            amount_cents=3000,
            starts_on=SEPT,
        )
    PackageItem.objects.create(
        regeling=plan.regeling, category=CostCategory.TELECOM, inclusion=Inclusion.OPTIONAL
    )
    line = services.add_line(
        klantmanager,
        plan,
        category=CostCategory.TELECOM,
        creditor=CreditorFactory(category=CreditorCategory.TELECOM),
        reference="T-1",
        amount_cents=3000,
        starts_on=SEPT,
        supplier_discount_cents=500,
    )
    assert line.is_optional and line.supplier_discount_cents == 500


def test_close_line_stops_payment_from_the_date(klantmanager, line):
    MachtigingFactory(line=line)
    services.close_line(klantmanager, line, date(2025, 11, 1), reason="afbouw")
    line.refresh_from_db()
    assert line.ends_on == date(2025, 10, 31)
    assert [p.line for p in reading.payable_lines(line.plan, OCT)] == [line]
    assert reading.payable_lines(line.plan, date(2025, 11, 1)) == []


# --- machtigingen -----------------------------------------------------------------------------


def test_a_line_is_only_paid_with_a_machtiging_signed_before_the_month(klantmanager, line):
    participant = line.plan.participant
    assert reading.payable_lines(line.plan, SEPT) == []
    services.sign_machtiging(klantmanager, participant, line.creditor, date(2025, 9, 10))
    assert reading.payable_lines(line.plan, SEPT) == []
    assert [p.amount_cents for p in reading.payable_lines(line.plan, OCT)] == [65000]


def test_a_machtiging_per_creditor_covers_all_its_lines_and_revoking_stops_it(klantmanager, plan):
    creditor = CreditorFactory()
    rent = PlanLineFactory(plan=plan, creditor=creditor)
    storage = PlanLineFactory(plan=plan, creditor=creditor, category=CostCategory.OVERIG)
    other = PlanLineFactory(plan=plan, category=CostCategory.ENERGIE, amount_cents=15000)
    machtiging = services.sign_machtiging(
        klantmanager, plan.participant, creditor, date(2025, 8, 1)
    )
    assert {p.line for p in reading.payable_lines(plan, SEPT)} == {rent, storage}
    services.revoke_machtiging(klantmanager, machtiging, date(2025, 10, 15))
    assert reading.payable_lines(plan, OCT) == []
    assert other not in {p.line for p in reading.payable_lines(plan, SEPT)}


def test_machtiging_cannot_be_signed_in_the_future(klantmanager, line):
    with pytest.raises(Refused):
        services.sign_machtiging(
            klantmanager, line.plan.participant, line.creditor, date(2999, 1, 1)
        )


# --- income and withholding input -------------------------------------------------------------


def test_income_change_within_a_month_counts_only_the_new_amount(participant):
    IncomeFactory(participant=participant, amount_cents=130061, valid_to=date(2025, 10, 14))
    IncomeFactory(participant=participant, amount_cents=140000, valid_from=date(2025, 10, 15))
    IncomeFactory(participant=participant, kind=IncomeKind.WAGES, amount_cents=50000)
    assert sorted(i.amount_cents for i in reading.income_for_period(participant, OCT)) == [
        50000,
        140000,
    ]
    assert sorted(i.amount_cents for i in reading.income_for_period(participant, SEPT)) == [
        50000,
        130061,
    ]


def test_compute_month_withholds_and_pays_the_rest(line):
    MachtigingFactory(line=line)
    IncomeFactory(participant=line.plan.participant, amount_cents=130061)
    IncomeFactory(participant=line.plan.participant, kind=IncomeKind.ZORGTOESLAG, amount_cents=9000)
    result = reading.compute_month(line.plan, OCT)
    assert result.withheld_cents == 65000
    assert result.remainder_cents == 130061 - 65000  # toeslagen not counted by this regeling


def test_capelle_first_month_rent_is_a_gift_if_chosen_for_the_participant(line):
    regeling = line.plan.regeling
    regeling.first_month_rent_gift = True
    regeling.save()
    IncomeFactory(participant=line.plan.participant)
    # Allowed by the regeling, but not chosen for this participant: no gift.
    assert reading.withholding_input(line.plan, SEPT).one_offs == ()
    line.plan.first_rent_gift = True
    line.plan.save(update_fields=["first_rent_gift"])
    # The machtiging is signed during the first month: it covers October, not September;
    # the gift is the municipality's money and is paid all the same.
    MachtigingFactory(line=line, signed_on=date(2025, 9, 10))
    first = reading.withholding_input(line.plan, SEPT)
    assert [o.kind for o in first.one_offs] == [OneOffKind.GIFT]
    assert first.lines == ()
    result = reading.compute_month(line.plan, SEPT)
    assert [p.kind for p in result.creditor_payments] == [PaymentKind.GIFT]
    assert result.remainder_cents == 130061
    assert reading.withholding_input(line.plan, OCT).one_offs == ()
    assert reading.withholding_inputs([line.plan], SEPT)[line.plan.pk] == first


def test_create_plan_records_the_gift_only_where_the_regeling_allows_it(klantmanager, regeling):
    with pytest.raises(Refused, match="geen eerste huur als gift"):
        services.create_plan(
            klantmanager, ParticipantFactory(regeling=regeling), first_rent_gift=True
        )
    regeling.first_month_rent_gift = True
    regeling.save()
    plan = services.create_plan(
        klantmanager, ParticipantFactory(regeling=regeling), first_rent_gift=True
    )
    assert plan.first_rent_gift


def test_edam_volendam_prepays_one_month_at_the_end(line):
    regeling = line.plan.regeling
    regeling.prepay_last_month = True
    regeling.save()
    MachtigingFactory(line=line)
    IncomeFactory(participant=line.plan.participant)
    assert reading.withholding_input(line.plan, date(2026, 1, 1)).one_offs == ()
    last = reading.compute_month(line.plan, date(2026, 2, 1))
    assert sorted(p.kind for p in last.creditor_payments) == [
        PaymentKind.PREPAYMENT,
        PaymentKind.REGULAR,
    ]
    assert last.withheld_cents == 2 * 65000


def test_edam_volendam_pays_the_month_ahead_out_of_the_bridging_allowance(line):
    regeling = line.plan.regeling
    regeling.prepay_last_month = regeling.prepay_from_bridging = True
    regeling.save()
    MachtigingFactory(line=line)
    IncomeFactory(participant=line.plan.participant, amount_cents=100000)
    last = reading.compute_month(line.plan, date(2026, 2, 1))
    # 2 x 650 would not fit in 1000 of income; the month ahead is not the income's burden.
    assert not last.needs_decision
    assert sorted(p.kind for p in last.creditor_payments) == [
        PaymentKind.BRIDGING,
        PaymentKind.REGULAR,
    ]
    assert last.withheld_cents == 65000
    assert last.gift_cents == 65000


def test_a_shortfall_needs_a_decision_and_the_decision_is_used(klantmanager, backoffice, line):
    MachtigingFactory(line=line)
    IncomeFactory(participant=line.plan.participant, amount_cents=32108)
    assert reading.compute_month(line.plan, OCT).needs_decision
    with pytest.raises(Refused):
        services.decide_shortfall(
            klantmanager,
            line.plan,
            OCT,
            choice=ShortfallChoice.PAY_PARTIALLY,
            reason="kort",
            approved_by=backoffice,
        )
    # Four eyes: the one who decides never approves.
    with pytest.raises(Refused, match="collega"):
        services.decide_shortfall(
            backoffice,
            line.plan,
            OCT,
            choice=ShortfallChoice.EXTRA_INCOME,
            extra_cents=40000,
            reason="huurtoeslag telt mee (jongerennorm)",
            approved_by=backoffice,
        )
    # Approving needs the right to approve payments.
    with pytest.raises(PermissionDenied):
        services.decide_shortfall(
            backoffice,
            line.plan,
            OCT,
            choice=ShortfallChoice.EXTRA_INCOME,
            extra_cents=40000,
            reason="huurtoeslag telt mee (jongerennorm)",
            approved_by=klantmanager,
        )
    services.decide_shortfall(
        klantmanager,
        line.plan,
        OCT,
        choice=ShortfallChoice.EXTRA_INCOME,
        extra_cents=40000,
        reason="huurtoeslag telt mee (jongerennorm)",
        approved_by=backoffice,
    )
    result = reading.compute_month(line.plan, OCT)
    assert not result.needs_decision and result.remainder_cents == 32108 + 40000 - 65000
    assert reading.compute_month(line.plan, date(2025, 11, 1)).needs_decision


def test_weekgeld_in_budgetbeheer(klantmanager, db):
    regeling = RegelingFactory(
        mode=Mode.BUDGETBEHEER, allowance_frequency=AllowanceFrequency.WEEKLY, allowance_weekday=4
    )
    plan = PlanFactory(participant=ParticipantFactory(regeling=regeling))
    IncomeFactory(participant=plan.participant, amount_cents=100000)
    result = reading.compute_month(plan, OCT)
    assert [a.pay_on.day for a in result.allowance_payments] == [3, 10, 17, 24, 31]
    assert result.remainder_cents == 100000


# --- outflow and end --------------------------------------------------------------------------


def test_outflow_closes_lines_and_ends_the_plan(klantmanager, line):
    participant = line.plan.participant
    MachtigingFactory(line=line)
    IncomeFactory(participant=participant)
    services.record_outflow(klantmanager, participant, date(2025, 11, 1), "werk gevonden bij X")
    line.refresh_from_db()
    line.plan.refresh_from_db()
    participant.refresh_from_db()
    assert line.ends_on == date(2025, 10, 31)
    assert (line.plan.status, line.plan.ended_on) == (PlanStatus.ENDED, date(2025, 10, 31))
    assert participant.phase == Phase.NAZORG
    assert Income.objects.get(participant=participant).valid_to == date(2025, 10, 31)
    assert reading.compute_month(line.plan, OCT).withheld_cents == 65000
    november = reading.compute_month(line.plan, date(2025, 11, 1))
    assert november.creditor_payments == () and november.income_cents == 0


def test_outflow_in_budgetbeheer_continues_on_wages(klantmanager, db):
    regeling = RegelingFactory(
        region__slug="zoetermeer", mode=Mode.BUDGETBEHEER, continues_on_wages=True
    )
    line = PlanLineFactory(plan=PlanFactory(participant=ParticipantFactory(regeling=regeling)))
    participant = line.plan.participant
    MachtigingFactory(line=line)
    IncomeFactory(participant=participant)
    services.record_outflow(
        klantmanager, participant, date(2025, 11, 1), "werk gevonden bij Y", wages_cents=210000
    )
    line.refresh_from_db()
    assert line.ends_on is None and line.plan.status == PlanStatus.ACTIVE
    november = reading.compute_month(line.plan, date(2025, 11, 1))
    assert november.income_cents == 210000
    assert november.withheld_cents == 65000


def test_extension_moves_the_planned_end(klantmanager, plan):
    decision = services.decide_end_or_extend(
        klantmanager, plan, PlanDecisionKind.EXTEND, date(2026, 5, 31), "ZRM nog op niveau 2"
    )
    plan.refresh_from_db()
    assert (plan.status, plan.planned_end_on) == (PlanStatus.EXTENDED, date(2026, 5, 31))
    assert decision.reason == "ZRM nog op niveau 2"
    assert plan.participant.__class__.objects.get(pk=plan.participant_id).phase == Phase.EXTENDED
    assert len(plan.months()) == 9


def test_extension_beyond_the_maximum_or_not_allowed_is_refused(klantmanager, plan):
    with pytest.raises(Refused):  # 6 + 6 months ends 31 August 2026
        services.decide_end_or_extend(
            klantmanager, plan, PlanDecisionKind.EXTEND, date(2026, 9, 1), "te lang verlengd"
        )
    services.decide_end_or_extend(
        klantmanager, plan, PlanDecisionKind.EXTEND, date(2026, 8, 31), "maximaal verlengd"
    )
    other = PlanFactory(
        participant=ParticipantFactory(regeling=RegelingFactory(extension_allowed=False))
    )
    beheerder = UserFactory(role_code=RoleCode.BEHEERDER)
    with pytest.raises(Refused):
        services.decide_end_or_extend(
            beheerder, other, PlanDecisionKind.EXTEND, date(2026, 3, 31), "mag niet verlengen"
        )
    with pytest.raises(Refused):
        services.decide_end_or_extend(klantmanager, plan, PlanDecisionKind.END, None, "kort")


def test_ending_closes_the_lines_at_the_end(klantmanager, line):
    services.decide_end_or_extend(
        klantmanager, line.plan, PlanDecisionKind.END, None, "ZRM Financiën niveau 4 bereikt"
    )
    line.refresh_from_db()
    assert line.ends_on == date(2026, 2, 28)
    assert line.plan.decisions.get().kind == PlanDecisionKind.END


# --- permissions and scoping ------------------------------------------------------------------


def every_service(plan, line, creditor):
    participant = plan.participant
    return [
        lambda u: services.create_plan(u, participant),
        lambda u: services.add_line(
            u,
            plan,
            category=CostCategory.WATER,
            creditor=creditor,
            reference="W-1",
            amount_cents=2500,
            starts_on=SEPT,
        ),
        lambda u: services.change_amount(u, line, 70000, date(2025, 12, 1)),
        lambda u: services.close_line(u, line, date(2025, 12, 1)),
        lambda u: services.sign_machtiging(u, participant, creditor, date(2025, 8, 1)),
        lambda u: services.record_income(
            u, participant, kind=IncomeKind.BIJSTAND, amount_cents=1, valid_from=SEPT
        ),
        lambda u: services.record_outflow(u, participant, date(2025, 12, 1), "werk gevonden"),
        lambda u: services.decide_end_or_extend(
            u, plan, PlanDecisionKind.EXTEND, date(2026, 3, 31), "langer nodig dan gedacht"
        ),
        lambda u: services.decide_shortfall(
            u,
            plan,
            OCT,
            choice=ShortfallChoice.PAY_PARTIALLY,
            reason="tekort door kostendelers",
            approved_by=u,
        ),
    ]


def test_roles_without_the_right_are_refused_everything(coach, line):
    for action in every_service(line.plan, line, line.creditor):
        with pytest.raises(PermissionDenied):
            action(coach)


def test_a_klantmanager_of_another_region_is_refused_everything(other_klantmanager, line):
    for action in every_service(line.plan, line, line.creditor):
        with pytest.raises(PermissionDenied):
            action(other_klantmanager)


def test_backoffice_keeps_the_creditor_register_but_not_plans(backoffice, coach, line):
    data = dict(
        name="Waterbedrijf Voorbeeld",
        iban="NL91ABNA0417164300",
        category=CreditorCategory.WATER,
        town="Den Haag",
        kvk_number="27123456",
    )
    creditor = services.create_creditor(backoffice, data)
    assert AuditEntry.objects.filter(object_id=str(creditor.pk)).exists()
    with pytest.raises(PermissionDenied):
        services.create_creditor(coach, {**data, "name": "Ander"})
    with pytest.raises(PermissionDenied):
        services.change_amount(backoffice, line, 70000, date(2025, 12, 1))


def test_creditor_iban_and_kvk_are_validated(backoffice):
    from django.core.exceptions import ValidationError

    base = dict(name="X", category=CreditorCategory.OVERIG, town="Delft")
    for wrong in (
        {"iban": "NL91ABNA0417164301"},
        {"iban": "NL91ABNA0417164300", "kvk_number": "123"},
    ):
        with pytest.raises(ValidationError):
            services.create_creditor(backoffice, {**base, **wrong})
