"""Read models of a plan: what a month looks like for the payment runs and the plan pages.

Nothing here changes data or checks rights; the callers do (payment runs run as a service,
the plan pages through ``core.access``). Interface used by the payment runs::

    withholding_input(plan, period) -> withholding.WithholdingInput
    withholding_inputs(plans, period) -> {plan id: WithholdingInput}  # many, fixed queries
    compute_month(plan, period) -> withholding.WithholdingResult
    payable_lines(plan, period) -> list[PayableLine]    # amount resolved, machtiging checked
    income_for_period(participant, period) -> list[Income]
    norm_for(participant, on) -> norms.Norm

Only current lines count (``PlanLine.objects.current()``: a removed line is never paid), and
the mode is the participant's own for the month (``modes.modes_for``: the regeling's default
unless a decision switched this participant).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from ontzorg.core.dates import age_on, month_end
from ontzorg.participants.constants import MemberKind, Phase
from ontzorg.participants.models import HouseholdMember, Participant
from ontzorg.regelingen import local
from ontzorg.regelingen.constants import AllowanceFrequency, CostCategory, Mode

from . import modes, norms, withholding
from .constants import TOESLAG_KINDS, IncomeKind, PlanDecisionKind
from .models import (
    BenefitNorm,
    Income,
    LineAmount,
    Machtiging,
    Plan,
    PlanDecision,
    PlanLine,
    SavingsPot,
    ShortfallDecision,
)

# --- income and norms -------------------------------------------------------------------------


def household_for_norm(participant: Participant, on: date) -> norms.Household:
    """The facts of the participant's household that decide the norm on `on`."""
    partners = list(
        Participant.objects.filter(household_id=participant.household_id).exclude(
            phase__in=(Phase.NOT_ELIGIBLE,)
        )
    )
    # Only who lives there on `on` counts (dated membership, participants.households).
    members = list(
        HouseholdMember.objects.filter(household_id=participant.household_id).living_there_on(on)
    )
    return _household(participant, partners, members, on, participant.regeling.senior_age)


def households_for_norm(participants, on: date) -> dict[int, norms.Household]:
    """`household_for_norm` for many participants at once (keyed by id), in two queries."""
    participants = list(participants)
    household_ids = {p.household_id for p in participants}
    partners, members = defaultdict(list), defaultdict(list)
    aow_age = {}
    for other in (
        Participant.objects.filter(household_id__in=household_ids)
        .exclude(phase__in=(Phase.NOT_ELIGIBLE,))
        .select_related("regeling")
    ):
        partners[other.household_id].append(other)
        aow_age[other.pk] = other.regeling.senior_age
    for member in HouseholdMember.objects.filter(household_id__in=household_ids).living_there_on(
        on
    ):
        members[member.household_id].append(member)
    return {
        p.pk: _household(
            p,
            partners[p.household_id],
            members[p.household_id],
            on,
            aow_age[p.pk] if p.pk in aow_age else p.regeling.senior_age,  # noqa: SIM401 (lazy)
        )
        for p in participants
    }


def _household(participant, partners, members, on: date, aow_age: int) -> norms.Household:
    partners = list(partners)
    if participant not in partners:
        partners.append(participant)
    children = any(m.kind == MemberKind.CHILD for m in members)
    kostendelers = sum(
        1
        for m in members
        if m.kind == MemberKind.HOUSEMATE
        and norms.counts_as_kostendeler(age_on(m.date_of_birth, on), m.is_student)
    )
    ages = [p.age_on(on) for p in partners]
    ages += [age_on(m.date_of_birth, on) for m in members if m.kind == MemberKind.PARTNER]
    return norms.Household(
        partner_ages=tuple(ages[:2]),
        with_children=children,
        kostendelers=kostendelers,
        aow_age=aow_age,
    )


def norm_rows() -> list[norms.NormRow]:
    return [
        norms.NormRow(r.household_type, r.age_band, r.with_children, r.valid_from, r.amount_cents)
        for r in BenefitNorm.objects.all()
    ]


def norm_for(participant: Participant, on: date) -> norms.Norm:
    return norms.monthly_norm(norm_rows(), household_for_norm(participant, on), on)


def income_for_period(participant, period: date) -> list[Income]:
    """Income rows that count for the month `period`.

    A row counts when it overlaps the month, unless a later row of the same kind takes over
    within the month (a changed amount): then only the later one counts. Two rows of the
    same kind that both run through the month (two jobs) both count.
    """
    last = month_end(period)
    rows = list(Income.objects.filter(participant=participant).applying_in(period, last))
    return [
        row
        for row in rows
        if not any(
            other.kind == row.kind
            and other.pk != row.pk
            and row.valid_to is not None
            and row.valid_to < other.valid_from <= last
            for other in rows
        )
    ]


def _pure_income_kind(kind: str) -> withholding.IncomeKind:
    if kind == IncomeKind.BIJSTAND:
        return withholding.IncomeKind.BIJSTAND
    if kind in TOESLAG_KINDS:
        return withholding.IncomeKind.TOESLAG
    if kind == IncomeKind.WAGES:
        return withholding.IncomeKind.WAGES
    return withholding.IncomeKind.OTHER


@dataclass(frozen=True)
class PayableLine:
    line: PlanLine
    amount_cents: int


@dataclass(frozen=True)
class LineStatus:
    """A plan line in a month: payable, or why not."""

    line: PlanLine
    amount_cents: int | None
    has_machtiging: bool

    @property
    def payable(self) -> bool:
        return self.has_machtiging and bool(self.amount_cents)


def plan_lines(plan: Plan) -> list[PlanLine]:
    return list(
        plan.lines.current()
        .select_related("creditor", "plan")
        .prefetch_related("amounts")
        .order_by("pk")
    )


def machtigingen_of(plan: Plan) -> list[Machtiging]:
    return list(Machtiging.objects.filter(participant_id=plan.participant_id))


def line_statuses(plan: Plan, period: date, *, lines=None, machtigingen=None) -> list[LineStatus]:
    lines = plan_lines(plan) if lines is None else lines
    machtigingen = machtigingen_of(plan) if machtigingen is None else machtigingen
    return [
        LineStatus(
            line=line,
            amount_cents=line.amount_for(period),
            has_machtiging=any(m.covers(line, period) for m in machtigingen),
        )
        for line in lines
        if line.applies_in(period)
    ]


def payable_lines(plan: Plan, period: date, **prefetched) -> list[PayableLine]:
    return [
        PayableLine(s.line, s.amount_cents)
        for s in line_statuses(plan, period, **prefetched)
        if s.payable
    ]


def _gives_first_rent(plan: Plan, period: date) -> bool:
    """Whether bijzondere bijstand pays this plan's rent in `period` (Capelle, "if needed":
    decided per participant when the plan was made, paid in the plan's first month)."""
    return (
        plan.regeling.first_month_rent_gift
        and plan.first_rent_gift
        and period == plan.start_on.replace(day=1)
    )


def _may_prepay(plan: Plan, period: date) -> bool:
    """Whether `period` is the plan's last month under a regeling that pays it ahead; cheap,
    without a query."""
    return plan.regeling.prepay_last_month and period == plan.end_on.replace(day=1)


def _end_decided(plan_ids) -> set[int]:
    """The plans among `plan_ids` that were ended by an end decision (not by an opt-out)."""
    return set(
        PlanDecision.objects.filter(plan_id__in=plan_ids, kind=PlanDecisionKind.END).values_list(
            "plan_id", flat=True
        )
    )


def _prepays_last_month(plan: Plan, period: date, end_decided: bool) -> bool:
    """Edam-Volendam pays the fixed costs of the month after the end ahead, in the run of the
    plan's last month, so the participant starts on their own with that month already paid.
    The run of the last month is often prepared before the end is decided, so an open plan
    pays ahead in the month of its planned end; a plan ended by an end decision (closed at
    once, paid through `ended_on`) in the month of that end. An opt-out pays nothing ahead.
    If the open plan is extended afterwards, the month paid ahead is not paid again: the run
    of that month leaves out the lines already paid ahead (`payments.services`)."""
    return _may_prepay(plan, period) and (plan.is_open or end_decided)


def _one_offs(
    plan: Plan,
    period: date,
    payable: tuple[withholding.CostLine, ...],
    rent: tuple[withholding.CostLine, ...] = (),
    end_decided: bool = False,
) -> list:
    """The gift pays the first month's rent out of the municipality's money, so it needs no
    machtiging of the participant (one signed during the first month covers only the next):
    `rent` holds the month's rent lines with or without one. The prepaid last month comes
    out of the income, or out of the overbruggingsvergoeding where the regeling says so."""
    items = []
    if _gives_first_rent(plan, period):
        items += [_one_off(p, withholding.OneOffKind.GIFT) for p in rent]
    if _prepays_last_month(plan, period, end_decided):
        kind = (
            withholding.OneOffKind.BRIDGING
            if plan.regeling.prepay_from_bridging
            else withholding.OneOffKind.PREPAYMENT
        )
        items += [_one_off(p, kind) for p in payable]
    return items


def _first_rent(plan: Plan, period: date, **prefetched) -> tuple[withholding.CostLine, ...]:
    if not _gives_first_rent(plan, period):
        return ()
    return tuple(
        withholding.CostLine(
            s.line.pk, s.line.creditor_id, s.line.category, s.amount_cents, s.line.day_of_month
        )
        for s in line_statuses(plan, period, **prefetched)
        if s.line.category == CostCategory.HUUR and s.amount_cents
    )


def _one_off(payable: withholding.CostLine, kind) -> withholding.OneOffItem:
    return withholding.OneOffItem(
        line_id=payable.line_id,
        creditor_id=payable.creditor_id,
        category=payable.category,
        amount_cents=payable.amount_cents,
        day_of_month=payable.day_of_month,
        kind=kind,
    )


def _input(
    plan: Plan,
    period: date,
    *,
    incomes: tuple[withholding.Income, ...],
    lines: tuple[withholding.CostLine, ...],
    savings_pots: tuple[withholding.SavingsPot, ...],
    decision: tuple[str, int] | None,
    mode: modes.ParticipantMode,
    settings: local.LocalSettings,
    rent: tuple[withholding.CostLine, ...] = (),
    end_decided: bool = False,
) -> withholding.WithholdingInput:
    """The input from what was read; shared by the one-plan and the many-plans read. Weekgeld
    is paid only in budgetbeheer, so a participant switched out of it gets maandgeld."""
    regeling = plan.regeling
    weekly = (
        regeling.allowance_frequency == AllowanceFrequency.WEEKLY
        and mode.mode == Mode.BUDGETBEHEER
        and not (plan.monthly_allowance_from and plan.monthly_allowance_from <= period)
    )
    return withholding.WithholdingInput(
        period=period,
        incomes=incomes,
        lines=lines,
        one_offs=tuple(_one_offs(plan, period, lines, rent, end_decided)),
        allowance=withholding.AllowanceRule(
            frequency=(
                withholding.AllowanceFrequency.WEEKLY
                if weekly
                else withholding.AllowanceFrequency.MONTHLY
            ),
            weekday=settings.allowance_weekday,
            payment_day=settings.benefit_payment_day,
        ),
        savings_pots=savings_pots,
        counts_toeslagen=regeling.counts_toeslagen,
        manages_other_income=mode.manages_other_income,
        shortfall_decision=(
            withholding.ShortfallDecision(withholding.ShortfallChoice(decision[0]), decision[1])
            if decision
            else None
        ),
    )


def withholding_input(plan: Plan, period: date, **prefetched) -> withholding.WithholdingInput:
    """Everything `withholding.compute` needs for `plan` in the month starting `period`."""
    decision = ShortfallDecision.objects.filter(plan=plan, period=period).first()
    return _input(
        plan,
        period,
        incomes=tuple(
            withholding.Income(_pure_income_kind(i.kind), i.amount_cents)
            for i in income_for_period(plan.participant_id, period)
        ),
        lines=tuple(
            withholding.CostLine(
                line_id=p.line.pk,
                creditor_id=p.line.creditor_id,
                category=p.line.category,
                amount_cents=p.amount_cents,
                day_of_month=p.line.day_of_month,
            )
            for p in payable_lines(plan, period, **prefetched)
        ),
        savings_pots=tuple(
            withholding.SavingsPot(pot.pk, pot.monthly_cents)
            for pot in plan.savings_pots.order_by("pk")
            if pot.applies_in(period)
        ),
        decision=(decision.choice, decision.extra_cents) if decision else None,
        mode=modes.modes_for({plan.participant_id: plan.regeling}, period)[plan.participant_id],
        settings=local.for_participants({plan.participant_id: plan.regeling})[plan.participant_id],
        rent=_first_rent(plan, period, **prefetched),
        end_decided=(
            not plan.is_open and _may_prepay(plan, period) and bool(_end_decided([plan.pk]))
        ),
    )


def withholding_inputs(plans, period: date) -> dict[int, withholding.WithholdingInput]:
    """`withholding_input` for many plans at once (keyed by plan id), in eight queries however
    many plans there are (nine when an ended plan may pay its last month ahead). The
    plans need their `regeling` loaded (select_related).

    The same rules as the one-plan read, applied to rows read in bulk: a line applies when it
    overlaps the month and is payable with an amount and a covering machtiging; income rows
    superseded within the month by a later row of the same kind do not count."""
    plans = list(plans)
    if not plans:
        return {}
    last = month_end(period)
    plan_ids = [plan.pk for plan in plans]
    participant_ids = {plan.participant_id for plan in plans}

    line_rows = list(
        PlanLine.objects.current()
        .filter(plan_id__in=plan_ids)
        .applying_in(period, last)
        .order_by("pk")
        .values_list("pk", "plan_id", "creditor_id", "category", "day_of_month")
    )
    amounts = defaultdict(list)
    for line_id, valid_from, cents in (
        LineAmount.objects.filter(line__plan_id__in=plan_ids, valid_from__lte=last)
        .order_by("line_id", "valid_from")
        .values_list("line_id", "valid_from", "amount_cents")
    ):
        amounts[line_id].append((valid_from, cents))
    whole_creditor, one_line = set(), set()
    for participant_id, creditor_id, line_id in Machtiging.objects.filter(
        Q(revoked_on__isnull=True) | Q(revoked_on__gt=last),
        participant_id__in=participant_ids,
        signed_on__lte=period,
    ).values_list("participant_id", "creditor_id", "line_id"):
        if line_id is None:
            whole_creditor.add((participant_id, creditor_id))
        else:
            one_line.add((participant_id, creditor_id, line_id))
    incomes = defaultdict(list)
    for row in (
        Income.objects.filter(participant_id__in=participant_ids)
        .applying_in(period, last)
        .order_by("participant_id", "valid_from", "kind", "pk")
        .values_list("participant_id", "pk", "kind", "amount_cents", "valid_from", "valid_to")
    ):
        incomes[row[0]].append(row)
    decisions = {
        plan_id: (choice, extra_cents)
        for plan_id, choice, extra_cents in ShortfallDecision.objects.filter(
            plan_id__in=plan_ids, period=period
        ).values_list("plan_id", "choice", "extra_cents")
    }
    pots = defaultdict(list)
    for plan_id, pot_id, cents in (
        SavingsPot.objects.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=period),
            plan_id__in=plan_ids,
            starts_on__lte=last,
        )
        .order_by("pk")
        .values_list("plan_id", "pk", "monthly_cents")
    ):
        pots[plan_id].append(withholding.SavingsPot(pot_id, cents))

    # One more query, only when an ended plan may pay its last month ahead.
    prepaying = [plan.pk for plan in plans if not plan.is_open and _may_prepay(plan, period)]
    end_decided = _end_decided(prepaying) if prepaying else set()

    regeling_of = {plan.participant_id: plan.regeling for plan in plans}
    mode_of = modes.modes_for(regeling_of, period)
    settings_of = local.for_participants(regeling_of)
    participant_of = {plan.pk: plan.participant_id for plan in plans}
    lines, rent = defaultdict(list), defaultdict(list)
    gift_plans = {plan.pk for plan in plans if _gives_first_rent(plan, period)}
    for line_id, plan_id, creditor_id, category, day_of_month in line_rows:
        participant_id = participant_of[plan_id]
        covered = (participant_id, creditor_id) in whole_creditor or (
            (participant_id, creditor_id, line_id) in one_line
        )
        gift = plan_id in gift_plans and category == CostCategory.HUUR
        if not covered and not gift:
            continue
        cents = _amount_for(amounts[line_id], period, day_of_month, last)
        if cents:
            cost = withholding.CostLine(line_id, creditor_id, category, cents, day_of_month)
            if covered:
                lines[plan_id].append(cost)
            if gift:
                rent[plan_id].append(cost)
    return {
        plan.pk: _input(
            plan,
            period,
            incomes=_counted_incomes(incomes[plan.participant_id], last),
            lines=tuple(lines[plan.pk]),
            savings_pots=tuple(pots[plan.pk]),
            decision=decisions.get(plan.pk),
            mode=mode_of[plan.participant_id],
            settings=settings_of[plan.participant_id],
            rent=tuple(rent[plan.pk]),
            end_decided=plan.pk in end_decided,
        )
        for plan in plans
    }


def _amount_for(rows, period: date, day_of_month: int, last: date) -> int | None:
    """`PlanLine.amount_for` on (valid_from, cents) rows sorted by date."""
    for day in (period.replace(day=day_of_month), last):
        current = None
        for valid_from, cents in rows:
            if valid_from > day:
                break
            current = cents
        if current is not None:
            return current
    return None


def _counted_incomes(rows, last: date) -> tuple[withholding.Income, ...]:
    """`income_for_period` on (participant, pk, kind, cents, from, to) rows of one month."""
    return tuple(
        withholding.Income(_pure_income_kind(kind), cents)
        for _, pk, kind, cents, _, valid_to in rows
        if not any(
            other[2] == kind
            and other[1] != pk
            and valid_to is not None
            and valid_to < other[4] <= last
            for other in rows
        )
    )


def compute_month(plan: Plan, period: date, **prefetched) -> withholding.WithholdingResult:
    return withholding.compute(withholding_input(plan, period, **prefetched))
