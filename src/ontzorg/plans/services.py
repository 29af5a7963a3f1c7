"""Business actions on plans: each one transaction, permission-checked and audited.

What a month of a plan looks like (the withholding input, payable lines, income, norms) is
read in ``reading.py``; the arithmetic itself is ``withholding.py``."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ontzorg.audit import services as audit
from ontzorg.core import access, dates
from ontzorg.core.money import euro
from ontzorg.exceptions import Refused
from ontzorg.participants import lifecycle
from ontzorg.participants.constants import Phase
from ontzorg.participants.models import Participant
from ontzorg.payments import sepa
from ontzorg.payments.constants import RunStatus
from ontzorg.regelingen.constants import CostCategory, Inclusion, PlanStart

from . import events, modes, plausibility
from .constants import (
    OPEN_PLAN_STATUSES,
    IncomeKind,
    PlanDecisionKind,
    PlanStatus,
    ShortfallChoice,
)
from .models import (
    Creditor,
    Income,
    LineAmount,
    Machtiging,
    Plan,
    PlanDecision,
    PlanLine,
    SavingsPot,
    ShortfallDecision,
)

MIN_REASON_LENGTH = 10


# --- helpers ----------------------------------------------------------------------------------


def _locked_plan(user, plan) -> Plan:
    access.visible(user, plan)
    return (
        Plan.objects.select_for_update().select_related("regeling", "participant").get(pk=plan.pk)
    )


def _locked_line(user, line) -> PlanLine:
    access.visible(user, line)
    line = (
        PlanLine.objects.select_for_update()
        .select_related("plan__regeling", "plan__participant", "creditor")
        .get(pk=line.pk)
    )
    if line.is_removed:
        raise Refused(_("This fixed cost has been removed."))
    return line


def _created(obj) -> dict:
    """The values of a new object as audit changes (nothing before)."""
    return {key: [None, value] for key, value in audit.snapshot(obj).items()}


def required_reason(reason: str, what: str = "") -> str:
    """`reason` tidied; refused (with `what` as the message, if given) when too short."""
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise Refused(what or _("Give a reason of at least ten characters; it is required."))
    return reason


# --- creditors --------------------------------------------------------------------------------


@transaction.atomic
def create_creditor(user, data: dict) -> Creditor:
    """Klantmanagers, backoffice and beheerders keep the creditor register."""
    access.require(user, "edits_participants", "prepares_payments")
    creditor = Creditor(**data)
    if not creditor.account_holder_name:
        creditor.account_holder_name = sepa.latin_form(creditor.name) or ""
    creditor.full_clean()
    creditor.save()
    audit.record(user, events.CREDITOR_CREATED, creditor, changes=_created(creditor))
    return creditor


# --- plans and lines --------------------------------------------------------------------------


def default_start_on(participant: Participant) -> date | None:
    if participant.regeling.plan_start == PlanStart.LEASE_SIGNED:
        return participant.lease_signed_on
    return participant.bijstand_start_on


@transaction.atomic
def create_plan(
    user, participant, *, start_on: date | None = None, first_rent_gift: bool = False
) -> Plan:
    """`first_rent_gift`: bijzondere bijstand pays the first month's rent, where the regeling
    allows it and the klantmanager finds it needed for this participant."""
    access.require(user, "edits_participants")
    participant = access.visible(user, participant)
    refusal = lifecycle.plan_refusal(participant)
    if refusal:
        raise Refused(refusal)
    regeling = participant.regeling
    start_on = start_on or default_start_on(participant)
    if start_on is None:
        if regeling.plan_start == PlanStart.LEASE_SIGNED:
            raise Refused(_("First fill in the date on which the tenancy agreement was signed."))
        raise Refused(_("First fill in the start date of the right to bijstand."))
    if Plan.objects.filter(participant=participant, status__in=OPEN_PLAN_STATUSES).exists():
        raise Refused(_("This participant already has a running plan."))
    if first_rent_gift and not regeling.first_month_rent_gift:
        raise Refused(_("This regeling has no first rent as a gift."))
    plan = Plan.objects.create(
        participant=participant,
        regeling=regeling,
        start_on=start_on,
        planned_end_on=dates.planned_end_on(start_on, regeling.min_duration_months),
        first_rent_gift=first_rent_gift,
    )
    audit.record(user, events.PLAN_CREATED, plan, participant=participant, changes=_created(plan))
    lifecycle.plan_started(participant, on=start_on, user=user)
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
    confirm_high_amount: bool = False,
) -> PlanLine:
    """A new fixed cost from `starts_on`; its first dated amount starts on the same day.
    An amount above the category's ceiling is refused, one in its warning band needs
    `confirm_high_amount` (``plausibility``)."""
    access.require(user, "edits_participants")
    plan = _locked_plan(user, plan)
    if not plan.is_open:
        raise Refused(_("This plan has ended."))
    package = {item.category: item.inclusion for item in plan.regeling.package_items.all()}
    if category not in package:
        raise Refused(
            _("%(category)s is not part of the package of this regeling.")
            % {"category": CostCategory(category).label}
        )
    if creditor.region_id not in (None, plan.regeling.region_id) or not creditor.is_active:
        raise Refused(_("This creditor does not work in this region."))
    if not plan.start_on <= starts_on <= plan.end_on:
        raise Refused(_("The start date must be within the term of the plan."))
    if amount_cents <= 0:
        raise Refused(_("The amount must be greater than zero."))
    plausibility.check_amount(plan.regeling, category, amount_cents, confirmed=confirm_high_amount)
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
    audit.record(
        user,
        events.LINE_ADDED,
        line,
        participant=plan.participant,
        changes=_created(line),
        line=str(line),
        amount=euro(amount_cents),
    )
    return line


@transaction.atomic
def change_amount(
    user,
    line,
    amount_cents: int,
    valid_from: date,
    *,
    note: str = "",
    confirm_high_amount: bool = False,
) -> LineAmount:
    """A new amount from `valid_from`. Earlier months keep their amount: the history is only
    ever extended, so a change must start after the latest recorded change. The ceilings of
    `add_line` apply."""
    access.require(user, "edits_participants")
    line = _locked_line(user, line)
    if amount_cents <= 0:
        raise Refused(_("The amount must be greater than zero."))
    plausibility.check_amount(
        line.plan.regeling, line.category, amount_cents, confirmed=confirm_high_amount
    )
    latest = line.amounts.order_by("-valid_from").first()
    if latest and valid_from <= latest.valid_from:
        raise Refused(
            _(
                "A change applies from a date after the last change (%(day)s); the "
                "past is not rewritten."
            )
            % {"day": latest.valid_from.strftime("%d-%m-%Y")}
        )
    if line.ends_on and valid_from > line.ends_on:
        raise Refused(_("This fixed cost has already ended by then."))
    amount = LineAmount.objects.create(
        line=line, amount_cents=amount_cents, valid_from=valid_from, note=note, created_by=user
    )
    audit.record(
        user,
        events.AMOUNT_CHANGED,
        line,
        participant=line.plan.participant,
        changes={
            "bedrag": [latest.amount_cents if latest else None, amount_cents],
            "geldig vanaf": [None, valid_from.isoformat()],
        },
        line=str(line),
        valid_from=f"{valid_from:%d-%m-%Y}",
        old=euro(latest.amount_cents if latest else 0),
        new=euro(amount_cents),
    )
    return amount


@transaction.atomic
def close_line(user, line, on: date, *, reason: str = "") -> PlanLine:
    """Stop paying one item from `on` (phase-out of one cost, a cancelled contract)."""
    access.require(user, "edits_participants")
    line = _locked_line(user, line)
    if on < line.starts_on:
        raise Refused(_("A fixed cost cannot stop before it starts."))
    if line.ends_on and line.ends_on < on:
        raise Refused(_("This fixed cost has already ended earlier."))
    before = audit.snapshot(line, ["ends_on"])
    line.ends_on = on - timedelta(days=1)
    line.save(update_fields=["ends_on"])
    audit.record(
        user,
        events.LINE_CLOSED,
        line,
        participant=line.plan.participant,
        changes=audit.diff(before, audit.snapshot(line, ["ends_on"])),
        line=str(line),
        on=f"{on:%d-%m-%Y}",
        reason=f": {reason.strip()}" if reason.strip() else "",
    )
    return line


# --- savings pots ----------------------------------------------------------------------------


def first_month_without_run(region) -> date:
    """The first month from this one on for which no payment run was made yet."""
    period = timezone.localdate().replace(day=1)
    made = set(
        region.payment_runs.filter(period__gte=period)
        .exclude(status=RunStatus.CANCELLED)
        .values_list("period", flat=True)
    )
    while period in made:
        period = dates.next_month(period)
    return period


@transaction.atomic
def create_pot(
    user,
    plan,
    *,
    name: str,
    monthly_cents: int,
    starts_on: date,
    ends_on: date | None = None,
    goal_cents: int | None = None,
) -> SavingsPot:
    """A savings pot that the runs fill with `monthly_cents` from `starts_on` (through
    `ends_on`). Reserving is like a plan line: the money stays the participant's and leaves
    the pot only through an approved payout (``plans.payouts``), so it needs no second pair of
    eyes. The first month reserved is one whose run is not yet computed."""
    access.require(user, "edits_participants", "prepares_payments")
    plan = _locked_plan(user, plan)
    if not plan.regeling.has_savings_pots:
        raise Refused(_("This regeling has no savings pots."))
    if not plan.is_open:
        raise Refused(_("This plan has ended."))
    name = " ".join((name or "").split())
    if not name:
        raise Refused(_("Give the savings pot a name."))
    if plan.savings_pots.filter(name__iexact=name).exists():
        raise Refused(_("This plan already has a savings pot with this name; choose another name."))
    if monthly_cents <= 0:
        raise Refused(_("The amount per month must be greater than zero."))
    if goal_cents is not None and goal_cents <= 0:
        raise Refused(_("The savings goal must be greater than zero, or empty."))
    if not plan.start_on <= starts_on <= plan.end_on:
        raise Refused(_("The start date must be within the term of the plan."))
    if ends_on is not None and ends_on < starts_on:
        raise Refused(_("The end date is before the start date."))
    first_free = first_month_without_run(plan.regeling.region)
    if starts_on < first_free:
        raise Refused(
            _(
                "A savings pot starts in a month for which no payment run has been "
                "made yet: from %(free)s."
            )
            % {"free": date_format(first_free, "F Y")}
        )
    pot = SavingsPot(
        plan=plan,
        name=name,
        monthly_cents=monthly_cents,
        goal_cents=goal_cents,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=user,
    )
    pot.full_clean()
    pot.save()
    audit.record(
        user,
        events.POT_CREATED,
        pot,
        participant=plan.participant,
        changes=_created(pot),
        pot=pot.name,
        amount=euro(monthly_cents),
    )
    return pot


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
) -> Machtiging:
    access.require(user, "edits_participants")
    participant = access.visible(user, participant)
    if signed_on > timezone.localdate():
        raise Refused(_("A machtiging cannot have been signed in the future."))
    if line is not None and (
        line.plan.participant_id != participant.pk or line.creditor_id != creditor.pk
    ):
        raise Refused(_("This fixed cost does not belong to this participant and creditor."))
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
        events.MACHTIGING_SIGNED,
        machtiging,
        participant=participant,
        creditor=str(creditor),
        signed_on=f"{signed_on:%d-%m-%Y}",
        changes={
            "schuldeiser": [None, creditor.pk],
            "vaste last": [None, line.pk if line else None],
            "getekend op": [None, signed_on.isoformat()],
            "scan": [None, machtiging.document.name or None],
        },
    )
    return machtiging


@transaction.atomic
def revoke_machtiging(user, machtiging, on: date) -> Machtiging:
    access.require(user, "edits_participants")
    access.visible(user, machtiging)
    machtiging = Machtiging.objects.select_for_update().get(pk=machtiging.pk)
    if machtiging.revoked_on:
        raise Refused(_("This machtiging has already been revoked."))
    if on < machtiging.signed_on:
        raise Refused(_("Revoking is not possible before the date of signing."))
    machtiging.revoked_on = on
    machtiging.save(update_fields=["revoked_on"])
    audit.record(
        user,
        events.MACHTIGING_REVOKED,
        machtiging,
        changes={"ingetrokken op": [None, on.isoformat()]},
        participant=machtiging.participant,
        creditor=str(machtiging.creditor),
        on=f"{on:%d-%m-%Y}",
    )
    return machtiging


# --- income and norms -------------------------------------------------------------------------


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
) -> Income:
    access.require(user, "edits_participants")
    participant = access.visible(user, participant)
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
    audit.record(
        user,
        events.INCOME_RECORDED,
        income,
        participant=participant,
        changes=_created(income),
        kind=str(income.get_kind_display()),
        amount=euro(amount_cents),
    )
    return income


@transaction.atomic
def decide_shortfall(
    user,
    plan,
    period: date,
    *,
    choice: str,
    reason: str,
    extra_cents: int = 0,
    approved_by,
) -> ShortfallDecision:
    """Record what happens in a month whose income does not cover the costs: decided by
    `user` (who proposed it) and approved by `approved_by`, a colleague with the right to
    approve payments. Only the approval of a proposal (``payments.services``) calls this."""
    access.require(user, "edits_participants", "prepares_payments")
    check_shortfall_decision(
        user, plan, period, choice=choice, reason=reason, extra_cents=extra_cents
    )
    if approved_by is None or approved_by.pk == user.pk:
        raise Refused(_("A colleague must approve this decision (four-eyes principle)."))
    access.require(approved_by, "approves_payments")
    plan = _locked_plan(approved_by, plan)
    reason = required_reason(reason)
    decision = ShortfallDecision.objects.create(
        plan=plan,
        period=period,
        choice=choice,
        extra_cents=extra_cents if choice == ShortfallChoice.EXTRA_INCOME else 0,
        reason=reason,
        decided_by=user,
        approved_by=approved_by,
    )
    audit.record(
        approved_by,
        events.SHORTFALL_DECIDED,
        decision,
        participant=plan.participant,
        changes={
            "reden": [None, reason],
            "extra": [None, decision.extra_cents],
            "besloten door": [None, user.get_username()],
        },
        period=f"{period:%m-%Y}",
        choice=str(decision.get_choice_display()),
    )
    return decision


def check_shortfall_decision(
    user, plan, period: date, *, choice: str, reason: str, extra_cents: int = 0
) -> None:
    """Refuse a shortfall decision that could not be recorded (before it is proposed)."""
    access.visible(user, plan)
    required_reason(reason)
    if period.day != 1:
        raise Refused(_("Choose the first day of the month."))
    if choice == ShortfallChoice.EXTRA_INCOME and extra_cents <= 0:
        raise Refused(_("Give the extra amount that counts this month."))
    if ShortfallDecision.objects.filter(plan=plan, period=period).exists():
        raise Refused(_("This month has already been decided."))


# --- outflow and end --------------------------------------------------------------------------


def continues_on_wages(participant, on: date) -> bool:
    """Whether the participant's budgetbeheer goes on on wages on `on` (their own mode:
    the regeling's default or a recorded decision, `plans.modes`)."""
    return modes.mode_for(participant, on).continues_on_wages


@transaction.atomic
def record_outflow(
    user, participant, on: date, reason: str, *, wages_cents: int | None = None
) -> Plan | None:
    """Bijstand ends from `on` (usually work): the bijstand income stops, and so does the
    withholding: the open lines are closed and the plan ends. Budgetbeheer regelingen that
    continue on wages keep the plan and lines; the wages (if given) are managed from `on`."""
    access.require(user, "edits_participants")
    participant = access.visible(user, participant)
    reason = required_reason(reason)
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
            note=_("income from work after outflow"),
        )
    plan = (
        Plan.objects.select_for_update()
        .filter(participant=participant, status__in=OPEN_PLAN_STATUSES)
        .first()
    )
    changes = {"reden": [None, reason], "bijstand gestopt": [None, closed_incomes]}
    if plan and not continues_on_wages(participant, on):
        closed = []
        for line in plan.lines.open_on(on):
            line.ends_on = last_day
            line.save(update_fields=["ends_on"])
            closed.append(line.pk)
        plan.status = PlanStatus.ENDED
        plan.ended_on = last_day
        plan.save(update_fields=["status", "ended_on"])
        changes["vaste lasten gestopt"] = [None, closed]
        changes.update(
            lifecycle.move(participant, Phase.NAZORG, on=on, reason=reason, user=user).changes
        )
    audit.record(
        user,
        events.OUTFLOW_RECORDED,
        plan or participant,
        participant=participant,
        changes=changes,
        on=f"{on:%d-%m-%Y}",
    )
    return plan


@transaction.atomic
def close_for_opt_out(user, participant, on: date, reason: str) -> Plan | None:
    """'Geen ontzorging' from `on`: the open plan and its lines stop the day before, so no
    payment run pays them from then on. Returns the closed plan (None if there was none)."""
    access.require(user, "edits_participants")
    participant = access.visible(user, participant)
    plan = (
        Plan.objects.select_for_update()
        .filter(participant=participant, status__in=OPEN_PLAN_STATUSES)
        .first()
    )
    if plan is None:
        return None
    last_day = on - timedelta(days=1)
    before = audit.snapshot(plan, ["status", "ended_on"])
    closed = []
    for line in plan.lines.open_on(on):
        line.ends_on = last_day
        line.save(update_fields=["ends_on"])
        closed.append(line.pk)
    plan.status = PlanStatus.ENDED
    plan.ended_on = last_day
    plan.save(update_fields=["status", "ended_on"])
    changes = audit.diff(before, audit.snapshot(plan, ["status", "ended_on"]))
    changes["vaste lasten gestopt"] = [None, closed]
    changes["reden"] = [None, reason]
    audit.record(
        user,
        events.PLAN_CLOSED_OPT_OUT,
        plan,
        participant=participant,
        changes=changes,
        on=f"{on:%d-%m-%Y}",
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
) -> PlanDecision:
    """At the end of the period: end the plan (on `new_end_on`, default the planned end), or
    extend it to `new_end_on`, as far as the regeling allows."""
    access.require(user, "edits_participants")
    plan = _locked_plan(user, plan)
    reason = required_reason(reason)
    regeling = plan.regeling
    if not plan.is_open:
        raise Refused(_("This plan has already ended."))
    before = audit.snapshot(plan, ["status", "planned_end_on", "ended_on"])
    if decision == PlanDecisionKind.EXTEND:
        if not regeling.extension_allowed or not regeling.max_extension_months:
            raise Refused(_("This regeling does not allow an extension."))
        if new_end_on is None or new_end_on <= plan.planned_end_on:
            raise Refused(_("The new end date must be after the current end date."))
        limit = dates.planned_end_on(
            plan.start_on, regeling.min_duration_months + regeling.max_extension_months
        )
        if new_end_on > limit:
            raise Refused(
                _(
                    "Extending is possible until %(day)s at the latest (%(months)d months "
                    "of extension)."
                )
                % {"day": limit.strftime("%d-%m-%Y"), "months": regeling.max_extension_months}
            )
        plan.planned_end_on = new_end_on
        plan.status = PlanStatus.EXTENDED
        phase = Phase.EXTENDED
    elif decision == PlanDecisionKind.END:
        end_on = new_end_on or plan.planned_end_on
        if end_on < plan.start_on:
            raise Refused(_("The plan cannot end before it starts."))
        plan.ended_on = end_on
        plan.status = PlanStatus.ENDED
        for line in plan.lines.open_on(end_on + timedelta(days=1)):
            line.ends_on = end_on
            line.save(update_fields=["ends_on"])
        phase = Phase.NAZORG
    else:
        raise Refused(_("Choose end or extend."))
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
    changes.update(
        lifecycle.move(
            plan.participant, phase, on=decided_on or timezone.localdate(), reason=reason, user=user
        ).changes
    )
    changes["reden"] = [None, reason]
    audit.record(
        user,
        events.PLAN_DECIDED,
        record,
        participant=plan.participant,
        changes=changes,
        kind=str(record.get_kind_display()),
    )
    return record
