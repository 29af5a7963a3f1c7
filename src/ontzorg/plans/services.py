"""Business actions on plans (each one transaction, permission-checked and audited) and the
read functions that turn a plan into withholding input for a month.

Interface used by the payment runs::

    withholding_input(plan, period) -> withholding.WithholdingInput
    withholding_inputs(plans, period) -> {plan id: WithholdingInput}  # many, fixed queries
    compute_month(plan, period) -> withholding.WithholdingResult
    payable_lines(plan, period) -> list[PayableLine]    # amount resolved, machtiging checked
    income_for_period(participant, period) -> list[Income]
"""

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ontzorg.audit import services as audit
from ontzorg.audit.constants import Action
from ontzorg.exceptions import PermissionDenied, Refused
from ontzorg.participants.constants import Phase
from ontzorg.participants.models import HouseholdMember, Participant
from ontzorg.payments import withholding
from ontzorg.regelingen.constants import (
    AllowanceFrequency,
    CostCategory,
    Inclusion,
    Mode,
    PlanStart,
)

from . import norms
from .constants import (
    OPEN_PLAN_STATUSES,
    TOESLAG_KINDS,
    IncomeKind,
    PlanDecisionKind,
    PlanStatus,
    ShortfallChoice,
)
from .models import (
    BenefitNorm,
    Creditor,
    Income,
    LineAmount,
    Machtiging,
    Plan,
    PlanDecision,
    PlanLine,
    SavingsPot,
    ShortfallDecision,
    month_end,
)

MIN_REASON_LENGTH = 10


# --- helpers ----------------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def euro(cents: int) -> str:
    whole, part = divmod(abs(cents), 100)
    sign = "-" if cents < 0 else ""
    return f"{sign}€ {whole:,}".replace(",", ".") + f",{part:02d}"


def _require(user, *rights: str):
    if user.is_superuser or any(user.has_right(right) for right in rights):
        return
    raise PermissionDenied(_("Uw rol mag dit niet."))


def _visible(user, participant) -> Participant:
    try:
        return Participant.objects.visible_to(user).get(pk=participant.pk)
    except Participant.DoesNotExist:
        raise PermissionDenied(_("Deze deelnemer valt buiten uw bereik.")) from None


def _locked_plan(user, plan) -> Plan:
    _visible(user, plan.participant)
    return (
        Plan.objects.select_for_update().select_related("regeling", "participant").get(pk=plan.pk)
    )


def _locked_line(user, line) -> PlanLine:
    _visible(user, line.plan.participant)
    return (
        PlanLine.objects.select_for_update()
        .select_related("plan__regeling", "plan__participant", "creditor")
        .get(pk=line.pk)
    )


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise Refused(_("Geef een reden van ten minste tien tekens; die is verplicht."))
    return reason


def _set_phase(participant: Participant, phase: str) -> dict:
    before = participant.phase
    if before == phase:
        return {}
    participant.phase = phase
    participant.save(update_fields=["phase", "updated_at"])
    return {"fase": [before, phase]}


# --- creditors --------------------------------------------------------------------------------


@transaction.atomic
def create_creditor(user, data: dict, *, request=None) -> Creditor:
    """Klantmanagers, backoffice and beheerders keep the creditor register."""
    _require(user, "edits_participants", "prepares_payments")
    creditor = Creditor(**data)
    creditor.full_clean()
    creditor.save()
    audit.record_change(user, creditor, {}, summary="schuldeiser aangemaakt", request=request)
    return creditor


# --- plans and lines --------------------------------------------------------------------------


def default_start_on(participant: Participant) -> date | None:
    if participant.regeling.plan_start == PlanStart.LEASE_SIGNED:
        return participant.lease_signed_on
    return participant.bijstand_start_on


def planned_end(start_on: date, months: int) -> date:
    """The last day of a period of `months` months from `start_on`."""
    return add_months(start_on, months) - timedelta(days=1)


@transaction.atomic
def create_plan(user, participant, *, start_on: date | None = None, request=None) -> Plan:
    _require(user, "edits_participants")
    participant = _visible(user, participant)
    regeling = participant.regeling
    start_on = start_on or default_start_on(participant)
    if start_on is None:
        if regeling.plan_start == PlanStart.LEASE_SIGNED:
            raise Refused(_("Vul eerst de datum in waarop het huurcontract is getekend."))
        raise Refused(_("Vul eerst de startdatum van het recht op bijstand in."))
    if Plan.objects.filter(participant=participant, status__in=OPEN_PLAN_STATUSES).exists():
        raise Refused(_("Deze deelnemer heeft al een lopend plan."))
    plan = Plan.objects.create(
        participant=participant,
        regeling=regeling,
        start_on=start_on,
        planned_end_on=planned_end(start_on, regeling.min_duration_months),
    )
    audit.record_change(
        user, plan, {}, participant=participant, summary="plan aangemaakt", request=request
    )
    return plan


@transaction.atomic
def add_line(
    user,
    plan,
    *,
    category: str,
    creditor: Creditor,
    reference: str,
    amount_cents: int,
    starts_on: date,
    day_of_month: int = 1,
    supplier_discount_cents: int = 0,
    request=None,
) -> PlanLine:
    """A new fixed cost from `starts_on`; its first dated amount starts on the same day."""
    _require(user, "edits_participants")
    plan = _locked_plan(user, plan)
    if not plan.is_open:
        raise Refused(_("Dit plan is beëindigd."))
    package = {item.category: item.inclusion for item in plan.regeling.package_items.all()}
    if category not in package:
        raise Refused(
            _("%(category)s hoort niet bij het pakket van deze regeling.")
            % {"category": CostCategory(category).label}
        )
    if creditor.region_id not in (None, plan.regeling.region_id) or not creditor.is_active:
        raise Refused(_("Deze schuldeiser werkt niet in deze regio."))
    if not plan.start_on <= starts_on <= plan.end_on:
        raise Refused(_("De startdatum moet binnen de looptijd van het plan liggen."))
    if amount_cents <= 0:
        raise Refused(_("Het bedrag moet groter zijn dan nul."))
    line = PlanLine(
        plan=plan,
        category=category,
        creditor=creditor,
        reference=reference.strip(),
        day_of_month=day_of_month,
        starts_on=starts_on,
        supplier_discount_cents=supplier_discount_cents,
        is_optional=package[category] == Inclusion.OPTIONAL,
    )
    line.full_clean()
    line.save()
    LineAmount.objects.create(
        line=line, amount_cents=amount_cents, valid_from=starts_on, created_by=user
    )
    audit.record_change(
        user,
        line,
        {},
        participant=plan.participant,
        summary=f"vaste last toegevoegd: {line} {euro(amount_cents)}",
        request=request,
    )
    return line


@transaction.atomic
def change_amount(
    user, line, amount_cents: int, valid_from: date, *, note: str = "", request=None
) -> LineAmount:
    """A new amount from `valid_from`. Earlier months keep their amount: the history is only
    ever extended, so a change must start after the latest recorded change."""
    _require(user, "edits_participants")
    line = _locked_line(user, line)
    if amount_cents <= 0:
        raise Refused(_("Het bedrag moet groter zijn dan nul."))
    latest = line.amounts.order_by("-valid_from").first()
    if latest and valid_from <= latest.valid_from:
        raise Refused(
            _(
                "Een wijziging geldt vanaf een datum na de laatste wijziging "
                "(%(day)s); het verleden wordt niet herschreven."
            )
            % {"day": latest.valid_from.strftime("%d-%m-%Y")}
        )
    if line.ends_on and valid_from > line.ends_on:
        raise Refused(_("Deze vaste last is dan al beëindigd."))
    amount = LineAmount.objects.create(
        line=line, amount_cents=amount_cents, valid_from=valid_from, note=note, created_by=user
    )
    audit.record(
        user,
        Action.UPDATE,
        line,
        participant=line.plan.participant,
        summary=(
            f"bedrag {line} gewijzigd per {valid_from:%d-%m-%Y}: "
            f"{euro(latest.amount_cents if latest else 0)} naar {euro(amount_cents)}"
        ),
        changes={
            "bedrag": [latest.amount_cents if latest else None, amount_cents],
            "geldig vanaf": [None, valid_from.isoformat()],
        },
        request=request,
    )
    return amount


@transaction.atomic
def close_line(user, line, on: date, *, reason: str = "", request=None) -> PlanLine:
    """Stop paying one item from `on` (phase-out of one cost, a cancelled contract)."""
    _require(user, "edits_participants")
    line = _locked_line(user, line)
    if on < line.starts_on:
        raise Refused(_("Een vaste last kan niet stoppen voordat hij begint."))
    if line.ends_on and line.ends_on < on:
        raise Refused(_("Deze vaste last is al eerder beëindigd."))
    before = audit.snapshot(line, ["ends_on"])
    line.ends_on = on - timedelta(days=1)
    line.save(update_fields=["ends_on"])
    audit.record_change(
        user,
        line,
        before,
        participant=line.plan.participant,
        summary=f"vaste last {line} stopt per {on:%d-%m-%Y}"
        + (f": {reason.strip()}" if reason.strip() else ""),
        request=request,
    )
    return line


# --- machtigingen -----------------------------------------------------------------------------


@transaction.atomic
def sign_machtiging(
    user,
    participant,
    creditor: Creditor,
    signed_on: date,
    *,
    line: PlanLine | None = None,
    document=None,
    request=None,
) -> Machtiging:
    _require(user, "edits_participants")
    participant = _visible(user, participant)
    if signed_on > timezone.localdate():
        raise Refused(_("Een machtiging kan niet in de toekomst getekend zijn."))
    if line is not None and (
        line.plan.participant_id != participant.pk or line.creditor_id != creditor.pk
    ):
        raise Refused(_("Deze vaste last hoort niet bij deze deelnemer en schuldeiser."))
    machtiging = Machtiging(
        participant=participant,
        creditor=creditor,
        line=line,
        signed_on=signed_on,
        recorded_by=user,
    )
    if document is not None:
        machtiging.document = document
    machtiging.full_clean()
    machtiging.save()
    audit.record(
        user,
        Action.CREATE,
        machtiging,
        participant=participant,
        summary=f"machtiging {creditor} getekend op {signed_on:%d-%m-%Y}",
        changes={
            "schuldeiser": [None, creditor.pk],
            "vaste last": [None, line.pk if line else None],
            "getekend op": [None, signed_on.isoformat()],
            "scan": [None, machtiging.document.name or None],
        },
        request=request,
    )
    return machtiging


@transaction.atomic
def revoke_machtiging(user, machtiging, on: date, *, request=None) -> Machtiging:
    _require(user, "edits_participants")
    _visible(user, machtiging.participant)
    machtiging = Machtiging.objects.select_for_update().get(pk=machtiging.pk)
    if machtiging.revoked_on:
        raise Refused(_("Deze machtiging is al ingetrokken."))
    if on < machtiging.signed_on:
        raise Refused(_("Intrekken kan niet vóór de datum van ondertekening."))
    machtiging.revoked_on = on
    machtiging.save(update_fields=["revoked_on"])
    audit.record(
        user,
        Action.UPDATE,
        machtiging,
        changes={"ingetrokken op": [None, on.isoformat()]},
        participant=machtiging.participant,
        summary=f"machtiging {machtiging.creditor} ingetrokken per {on:%d-%m-%Y}",
        request=request,
    )
    return machtiging


# --- income and norms -------------------------------------------------------------------------


def household_for_norm(participant: Participant, on: date) -> norms.Household:
    """The facts of the participant's household that decide the norm on `on`."""
    partners = list(
        Participant.objects.filter(household_id=participant.household_id).exclude(
            phase__in=(Phase.NOT_ELIGIBLE,)
        )
    )
    if participant not in partners:
        partners.append(participant)
    members = list(HouseholdMember.objects.filter(household_id=participant.household_id))
    children = any(m.kind == "child" for m in members)
    kostendelers = sum(
        1
        for m in members
        if m.kind == "housemate"
        and norms.counts_as_kostendeler(_age(m.date_of_birth, on), m.is_student)
    )
    return norms.Household(
        partner_ages=tuple(p.age_on(on) for p in partners[:2]),
        with_children=children,
        kostendelers=kostendelers,
        aow_age=participant.regeling.senior_age,
    )


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def norm_rows() -> list[norms.NormRow]:
    return [
        norms.NormRow(r.household_type, r.age_band, r.with_children, r.valid_from, r.amount_cents)
        for r in BenefitNorm.objects.all()
    ]


def norm_for(participant: Participant, on: date) -> norms.Norm:
    return norms.monthly_norm(norm_rows(), household_for_norm(participant, on), on)


@transaction.atomic
def record_income(
    user,
    participant,
    *,
    kind: str,
    amount_cents: int,
    valid_from: date,
    valid_to: date | None = None,
    note: str = "",
    request=None,
) -> Income:
    _require(user, "edits_participants")
    participant = _visible(user, participant)
    income = Income(
        participant=participant,
        kind=kind,
        amount_cents=amount_cents,
        valid_from=valid_from,
        valid_to=valid_to,
        note=note,
    )
    income.full_clean()
    income.save()
    audit.record_change(
        user,
        income,
        {},
        participant=participant,
        summary=f"inkomen vastgelegd: {income.get_kind_display()} {euro(amount_cents)}",
        request=request,
    )
    return income


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


# --- withholding input ------------------------------------------------------------------------


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
        plan.lines.select_related("creditor", "plan").prefetch_related("amounts").order_by("pk")
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


def _one_offs(plan: Plan, period: date, payable: tuple[withholding.CostLine, ...]) -> list:
    regeling = plan.regeling
    items = []
    if regeling.first_month_rent_gift and period == plan.start_on.replace(day=1):
        items += [
            _one_off(p, withholding.OneOffKind.GIFT)
            for p in payable
            if p.category == CostCategory.HUUR
        ]
    if regeling.prepay_last_month and plan.is_open and period == plan.end_on.replace(day=1):
        items += [_one_off(p, withholding.OneOffKind.PREPAYMENT) for p in payable]
    return items


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
) -> withholding.WithholdingInput:
    """The input from what was read; shared by the one-plan and the many-plans read."""
    regeling = plan.regeling
    weekly = regeling.allowance_frequency == AllowanceFrequency.WEEKLY and not (
        plan.monthly_allowance_from and plan.monthly_allowance_from <= period
    )
    return withholding.WithholdingInput(
        period=period,
        incomes=incomes,
        lines=lines,
        one_offs=tuple(_one_offs(plan, period, lines)),
        allowance=withholding.AllowanceRule(
            frequency=(
                withholding.AllowanceFrequency.WEEKLY
                if weekly
                else withholding.AllowanceFrequency.MONTHLY
            ),
            weekday=regeling.allowance_weekday,
            payment_day=regeling.benefit_payment_day,
        ),
        savings_pots=savings_pots,
        counts_toeslagen=regeling.counts_toeslagen,
        manages_other_income=regeling.mode == Mode.BUDGETBEHEER,
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
    )


def withholding_inputs(plans, period: date) -> dict[int, withholding.WithholdingInput]:
    """`withholding_input` for many plans at once (keyed by plan id), in six queries however
    many plans there are. The plans need their `regeling` loaded (select_related).

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
        PlanLine.objects.filter(plan_id__in=plan_ids)
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

    participant_of = {plan.pk: plan.participant_id for plan in plans}
    lines = defaultdict(list)
    for line_id, plan_id, creditor_id, category, day_of_month in line_rows:
        participant_id = participant_of[plan_id]
        if (participant_id, creditor_id) not in whole_creditor and (
            (participant_id, creditor_id, line_id) not in one_line
        ):
            continue
        cents = _amount_for(amounts[line_id], period, day_of_month, last)
        if cents:
            lines[plan_id].append(
                withholding.CostLine(line_id, creditor_id, category, cents, day_of_month)
            )
    return {
        plan.pk: _input(
            plan,
            period,
            incomes=_counted_incomes(incomes[plan.participant_id], last),
            lines=tuple(lines[plan.pk]),
            savings_pots=tuple(pots[plan.pk]),
            decision=decisions.get(plan.pk),
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


def plan_overview(plan: Plan) -> list[tuple[date, withholding.WithholdingResult]]:
    """The computed withholding for every month of the plan."""
    lines, machtigingen = plan_lines(plan), machtigingen_of(plan)
    return [
        (period, compute_month(plan, period, lines=lines, machtigingen=machtigingen))
        for period in plan.months()
    ]


@transaction.atomic
def decide_shortfall(
    user,
    plan,
    period: date,
    *,
    choice: str,
    reason: str,
    extra_cents: int = 0,
    request=None,
) -> ShortfallDecision:
    """Record what happens in a month whose income does not cover the costs."""
    _require(user, "edits_participants", "prepares_payments")
    plan = _locked_plan(user, plan)
    reason = _reason(reason)
    if period.day != 1:
        raise Refused(_("Kies de eerste dag van de maand."))
    if choice == ShortfallChoice.EXTRA_INCOME and extra_cents <= 0:
        raise Refused(_("Geef het extra bedrag op dat deze maand meetelt."))
    if ShortfallDecision.objects.filter(plan=plan, period=period).exists():
        raise Refused(_("Voor deze maand is al besloten."))
    decision = ShortfallDecision.objects.create(
        plan=plan,
        period=period,
        choice=choice,
        extra_cents=extra_cents if choice == ShortfallChoice.EXTRA_INCOME else 0,
        reason=reason,
        decided_by=user,
    )
    audit.record(
        user,
        Action.DECISION,
        decision,
        participant=plan.participant,
        summary=f"tekort {period:%m-%Y}: {decision.get_choice_display()}",
        changes={"reden": [None, reason], "extra": [None, decision.extra_cents]},
        request=request,
    )
    return decision


# --- outflow and end --------------------------------------------------------------------------


def continues_on_wages(regeling) -> bool:
    return regeling.mode == Mode.BUDGETBEHEER and regeling.continues_on_wages


@transaction.atomic
def record_outflow(
    user, participant, on: date, reason: str, *, wages_cents: int | None = None, request=None
) -> Plan | None:
    """Bijstand ends from `on` (usually work): the bijstand income stops, and so does the
    withholding: the open lines are closed and the plan ends. Budgetbeheer regelingen that
    continue on wages keep the plan and lines; the wages (if given) are managed from `on`."""
    _require(user, "edits_participants")
    participant = _visible(user, participant)
    reason = _reason(reason)
    last_day = on - timedelta(days=1)
    closed_incomes = []
    for income in Income.objects.select_for_update().filter(
        participant=participant, kind=IncomeKind.BIJSTAND, valid_from__lt=on
    ):
        if income.valid_to is None or income.valid_to > last_day:
            income.valid_to = last_day
            income.save(update_fields=["valid_to"])
            closed_incomes.append(income.pk)
    if wages_cents:
        Income.objects.create(
            participant=participant,
            kind=IncomeKind.WAGES,
            amount_cents=wages_cents,
            valid_from=on,
            note=_("inkomen uit werk na uitstroom"),
        )
    plan = (
        Plan.objects.select_for_update()
        .filter(participant=participant, status__in=OPEN_PLAN_STATUSES)
        .first()
    )
    changes = {"reden": [None, reason], "bijstand gestopt": [None, closed_incomes]}
    if plan and not continues_on_wages(plan.regeling):
        closed = []
        for line in plan.lines.open_on(on):
            line.ends_on = last_day
            line.save(update_fields=["ends_on"])
            closed.append(line.pk)
        plan.status = PlanStatus.ENDED
        plan.ended_on = last_day
        plan.save(update_fields=["status", "ended_on"])
        changes["vaste lasten gestopt"] = [None, closed]
        changes.update(_set_phase(participant, Phase.NAZORG))
    audit.record(
        user,
        Action.DECISION,
        plan or participant,
        participant=participant,
        summary=f"uitstroom uit de bijstand per {on:%d-%m-%Y}",
        changes=changes,
        request=request,
    )
    return plan


@transaction.atomic
def decide_end_or_extend(
    user,
    plan,
    decision: str,
    new_end_on: date | None,
    reason: str,
    *,
    decided_on: date | None = None,
    request=None,
) -> PlanDecision:
    """At the end of the period: end the plan (on `new_end_on`, default the planned end), or
    extend it to `new_end_on`, as far as the regeling allows."""
    _require(user, "edits_participants")
    plan = _locked_plan(user, plan)
    reason = _reason(reason)
    regeling = plan.regeling
    if not plan.is_open:
        raise Refused(_("Dit plan is al beëindigd."))
    before = audit.snapshot(plan, ["status", "planned_end_on", "ended_on"])
    if decision == PlanDecisionKind.EXTEND:
        if not regeling.extension_allowed or not regeling.max_extension_months:
            raise Refused(_("Deze regeling staat geen verlenging toe."))
        if new_end_on is None or new_end_on <= plan.planned_end_on:
            raise Refused(_("De nieuwe einddatum moet na de huidige einddatum liggen."))
        limit = planned_end(
            plan.start_on, regeling.min_duration_months + regeling.max_extension_months
        )
        if new_end_on > limit:
            raise Refused(
                _("Verlengen kan tot uiterlijk %(day)s (%(months)d maanden verlenging).")
                % {"day": limit.strftime("%d-%m-%Y"), "months": regeling.max_extension_months}
            )
        plan.planned_end_on = new_end_on
        plan.status = PlanStatus.EXTENDED
        phase = Phase.EXTENDED
    elif decision == PlanDecisionKind.END:
        end_on = new_end_on or plan.planned_end_on
        if end_on < plan.start_on:
            raise Refused(_("Het plan kan niet eindigen voordat het begint."))
        plan.ended_on = end_on
        plan.status = PlanStatus.ENDED
        for line in plan.lines.open_on(end_on + timedelta(days=1)):
            line.ends_on = end_on
            line.save(update_fields=["ends_on"])
        phase = Phase.NAZORG
    else:
        raise Refused(_("Kies beëindigen of verlengen."))
    plan.save(update_fields=["planned_end_on", "status", "ended_on"])
    record = PlanDecision.objects.create(
        plan=plan,
        kind=decision,
        new_end_on=new_end_on if decision == PlanDecisionKind.EXTEND else plan.ended_on,
        reason=reason,
        decided_on=decided_on or timezone.localdate(),
        decided_by=user,
    )
    changes = audit.diff(before, audit.snapshot(plan, ["status", "planned_end_on", "ended_on"]))
    changes.update(_set_phase(plan.participant, phase))
    changes["reden"] = [None, reason]
    audit.record(
        user,
        Action.DECISION,
        record,
        participant=plan.participant,
        summary=f"plan {record.get_kind_display()}",
        changes=changes,
        request=request,
    )
    return record
