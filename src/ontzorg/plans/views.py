"""Plan pages: a participant's plan and money overview, and the forms that change a plan.

Every change goes through a confirmation page first and is then done by a service."""

from dataclasses import dataclass
from datetime import date

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ontzorg.approvals import proposals
from ontzorg.core import access
from ontzorg.core.confirm import confirmed_action
from ontzorg.core.money import to_cents
from ontzorg.ledger import services as ledger
from ontzorg.participants.models import Participant
from ontzorg.payments.constants import RunStatus

from . import balances, modes, payees, payouts, plausibility, reading, services, withholding
from . import lines as line_service
from .constants import ShortfallChoice
from .forms import (
    AddLineForm,
    ChangeAmountForm,
    CloseLineForm,
    CreatePlanForm,
    EndOrExtendForm,
    IncomeForm,
    MachtigingForm,
    ModeDecisionForm,
    OutflowForm,
    RemoveLineForm,
)
from .models import Income, Machtiging, OneOffPayment, PlanLine, PotPayout

PARTICIPANT = (
    "participant",
    Participant.objects.select_related(
        "household__municipality",
        "regeling__region",
        "case_worker",
        "guidance_organisation",
        "coach",
    ),
)
LINE = ("line", PlanLine.objects.select_related("plan__participant", "creditor"))
EDITS = ("edits_participants",)
FORM_METHODS = ("GET", "POST")


def _current_plan(participant):
    return participant.plans.select_related("regeling").order_by("-start_on", "-pk").first()


@dataclass
class LineRow:
    line: PlanLine
    current_cents: int | None
    history: list
    has_machtiging: bool
    is_open: bool
    removable: bool = False


@dataclass
class MonthRow:
    period: date
    result: withholding.WithholdingResult
    is_current: bool
    payments: list
    decision_label: str


@dataclass
class Approved:
    """An approved payout or one-off payment and where it is in the payment runs."""

    item: object
    amount_cents: int | None
    status: str


def _status(item) -> tuple[int | None, str]:
    instruction = (
        item.instructions.exclude(run__status=RunStatus.CANCELLED).select_related("run").first()
    )
    if instruction is None:
        return item.amount_cents, _("approved, waiting for the payment run")
    return instruction.amount_cents, _("in the payment run: %(status)s") % {
        "status": instruction.run.get_status_display()
    }


def _money_context(participant, plan) -> dict:
    """What the plan page shows from the ledger: the balances, the pots and what was booked
    per month, with the approved and proposed payments out of the held money."""
    pots = (
        balances.pot_balances(plan.savings_pots.select_related("plan").order_by("starts_on", "pk"))
        if plan
        else []
    )
    approved = [
        Approved(item, *_status(item))
        for item in [
            *PotPayout.objects.filter(pot__plan__participant=participant).select_related(
                "pot", "creditor"
            ),
            *OneOffPayment.objects.filter(participant=participant).select_related("creditor"),
        ]
    ]
    approved.sort(key=lambda a: (a.item.period, a.item.approved_at), reverse=True)
    return {
        "pots": pots,
        "own_money": balances.free_balance(participant),
        "ledger_balances": ledger.participant_balances(participant),
        "booked_months": balances.booked_months(participant),
        "approved_payments": approved,
        "pending_payments": proposals.pending(participant=participant).filter(
            kind__in=payouts.KINDS
        ),
    }


@access.view(objects={"participant_pk": PARTICIPANT}, audit="plan")
def overview(request, participant):
    plan = _current_plan(participant)
    today = timezone.localdate()
    period = today.replace(day=1)
    context = {
        "participant": participant,
        "plan": plan,
        "today": today,
        "incomes": Income.objects.filter(participant=participant).order_by("valid_from", "kind"),
        "can_edit": access.may(request.user, *EDITS),
        "may_change_payees": access.may(request.user, payees.RIGHT),
        "mode": modes.mode_for(participant, today),
        "mode_decisions": modes.decisions_of(participant),
        "may_propose": access.may(request.user, payouts.PROPOSE_RIGHT),
        "may_create_pot": access.may(request.user, "edits_participants", "prepares_payments"),
        **_money_context(participant, plan),
    }
    try:
        context["norm"] = reading.norm_for(participant, today)
    except (LookupError, ValueError):
        context["norm"] = None
    if plan:
        lines = reading.plan_lines(plan)
        machtigingen = list(
            Machtiging.objects.filter(participant=participant).select_related("creditor", "line")
        )
        check_period = max(period, plan.start_on.replace(day=1))
        paid = line_service.paid_line_ids(line.pk for line in lines)
        context["lines"] = [
            LineRow(
                line=line,
                current_cents=line.amount_on(max(today, line.starts_on)),
                history=sorted(line.amounts.all(), key=lambda a: a.valid_from),
                has_machtiging=any(m.covers(line, check_period) for m in machtigingen),
                is_open=line.ends_on is None or line.ends_on >= today,
                removable=line.pk not in paid,
            )
            for line in lines
        ]
        context["removed_lines"] = plan.lines.removed().select_related("creditor", "removed_by")
        context["machtigingen"] = machtigingen
        names = {line.creditor_id: line.creditor.name for line in lines}
        context["months"] = [
            MonthRow(
                period=month,
                result=result,
                is_current=month == period,
                payments=[(names[p.creditor_id], p) for p in result.creditor_payments],
                decision_label=(
                    ShortfallChoice(result.decision.choice).label if result.decision else ""
                ),
            )
            for month, result in (
                (m, reading.compute_month(plan, m, lines=lines, machtigingen=machtigingen))
                for m in plan.months()
            )
        ]
        context["decisions"] = plan.decisions.select_related("decided_by")
        context["allowance_warnings"] = _allowance_warnings(plan, context["months"], period)
    return render(request, "plans/overview.html", context)


def _allowance_warnings(plan, months, period) -> list[str]:
    """Texts for this month and later months that leave less to live on than the
    regeling's share of the norm (``plausibility``)."""
    warnings = []
    for row in months:
        if row.period < period:
            continue
        floor = plausibility.allowance_floor(plan, row.period)
        if plausibility.is_low(row.result, floor):
            warnings.append(plausibility.low_allowance_text(row.result, floor))
    return warnings


def _confirmed_action(request, participant, form, **action):
    """Confirm-then-act (core.confirm) on a participant's plan page."""
    return confirmed_action(
        request,
        form,
        participant=participant,
        back_url=reverse("plans:overview", args=[participant.pk]),
        back_label=_("Back to the plan of %(name)s") % {"name": participant.full_name},
        **action,
    )


def _form(form_class, request, **kwargs):
    if request.method == "POST":
        return form_class(request.POST, request.FILES, **kwargs)
    return form_class(**kwargs)


@access.view(
    methods=FORM_METHODS,
    rights=EDITS,
    objects={"participant_pk": PARTICIPANT},
    audit="planformulier",
)
def create_plan(request, participant):
    form = _form(
        CreatePlanForm,
        request,
        gift_allowed=participant.regeling.first_month_rent_gift,
        default_start_on=services.default_start_on(participant),
    )
    return _confirmed_action(
        request,
        participant,
        form,
        title=_("Create plan"),
        intro=_("The plan runs for the minimum duration of the regeling from the start."),
        perform=lambda d: services.create_plan(
            request.user,
            participant,
            start_on=d["start_on"],
            first_rent_gift=d.get("first_rent_gift", False),
        ),
        done=_("The plan has been created."),
    )


def _open_plan(participant):
    plan = _current_plan(participant)
    if plan is None:
        raise Http404
    return plan


@access.view(
    methods=FORM_METHODS,
    rights=EDITS,
    objects={"participant_pk": PARTICIPANT},
    audit="planformulier",
)
def add_line(request, participant):
    plan = _open_plan(participant)
    form = _form(AddLineForm, request, plan=plan)
    return _confirmed_action(
        request,
        participant,
        form,
        title=_("Add fixed cost"),
        intro=_("Without a signed machtiging this item is not paid."),
        perform=lambda d: services.add_line(
            request.user,
            plan,
            category=d["category"],
            creditor=d["creditor"],
            reference=d["reference"],
            amount_cents=to_cents(d["amount"]),
            starts_on=d["starts_on"],
            day_of_month=d["day_of_month"],
            supplier_discount_cents=to_cents(d["supplier_discount"]),
            confirm_high_amount=d.get("confirm_high_amount", False),
        ),
        done=_("The fixed cost has been added."),
        warnings=lambda d: [line_service.duplicate_warning(plan, d["category"], d["starts_on"])],
    )


@access.view(methods=FORM_METHODS, rights=EDITS, objects={"line_pk": LINE}, audit="planformulier")
def change_amount(request, line):
    participant = line.plan.participant
    form = _form(ChangeAmountForm, request, line=line)
    return _confirmed_action(
        request,
        participant,
        form,
        title=_("Change amount: %(line)s") % {"line": line},
        intro=_("The change applies from the chosen date; earlier months stay as they are."),
        perform=lambda d: services.change_amount(
            request.user,
            line,
            to_cents(d["amount"]),
            d["valid_from"],
            note=d["note"],
            confirm_high_amount=d.get("confirm_high_amount", False),
        ),
        done=_("The new amount has been recorded."),
    )


@access.view(methods=FORM_METHODS, rights=EDITS, objects={"line_pk": LINE}, audit="planformulier")
def close_line(request, line):
    participant = line.plan.participant
    form = _form(CloseLineForm, request)
    return _confirmed_action(
        request,
        participant,
        form,
        title=_("Stop fixed cost: %(line)s") % {"line": line},
        intro=_("From this date the municipality no longer withholds this item."),
        perform=lambda d: services.close_line(request.user, line, d["on"], reason=d["reason"]),
        done=_("The fixed cost stops on the chosen date."),
    )


@access.view(
    methods=FORM_METHODS,
    rights=EDITS,
    objects={"participant_pk": PARTICIPANT},
    audit="planformulier",
)
def sign_machtiging(request, participant):
    plan = _current_plan(participant)
    form = _form(MachtigingForm, request, plan=plan)
    return _confirmed_action(
        request,
        participant,
        form,
        title=_("Record machtiging"),
        intro=_("An item is paid from the first month that starts after signing."),
        perform=lambda d: services.sign_machtiging(
            request.user,
            participant,
            d["creditor"],
            d["signed_on"],
            line=d["line"],
            document=request.FILES.get("document"),
        ),
        done=_("The machtiging has been recorded."),
    )


@access.view(
    methods=FORM_METHODS,
    rights=EDITS,
    objects={"participant_pk": PARTICIPANT},
    audit="planformulier",
)
def record_income(request, participant):
    form = _form(IncomeForm, request)
    return _confirmed_action(
        request,
        participant,
        form,
        title=_("Record income"),
        intro=_("Toeslagen only count if the regeling says so."),
        perform=lambda d: services.record_income(
            request.user,
            participant,
            kind=d["kind"],
            amount_cents=to_cents(d["amount"]),
            valid_from=d["valid_from"],
            valid_to=d["valid_to"],
        ),
        done=_("The income has been recorded."),
    )


@access.view(
    methods=FORM_METHODS,
    rights=EDITS,
    objects={"participant_pk": PARTICIPANT},
    audit="planformulier",
)
def record_outflow(request, participant):
    form = _form(OutflowForm, request)
    return _confirmed_action(
        request,
        participant,
        form,
        title=_("Outflow from bijstand"),
        intro=_(
            "Bijstand and withholding stop on this date and the open items are "
            "closed, except for budgetbeheer that continues on income from work."
        ),
        perform=lambda d: services.record_outflow(
            request.user,
            participant,
            d["on"],
            d["reason"],
            wages_cents=to_cents(d["wages"]) or None,
        ),
        done=_("The outflow has been recorded."),
    )


@access.view(
    methods=FORM_METHODS,
    rights=EDITS,
    objects={"participant_pk": PARTICIPANT},
    audit="planformulier",
)
def end_or_extend(request, participant):
    plan = _open_plan(participant)
    form = _form(EndOrExtendForm, request)
    return _confirmed_action(
        request,
        participant,
        form,
        title=_("End or extend plan"),
        intro=_("The plan runs through %(day)s.") % {"day": plan.end_on.strftime("%d-%m-%Y")},
        perform=lambda d: services.decide_end_or_extend(
            request.user, plan, d["decision"], d["new_end_on"], d["reason"]
        ),
        done=_("The decision has been recorded."),
    )


@access.view(methods=FORM_METHODS, rights=EDITS, objects={"line_pk": LINE}, audit="planformulier")
def remove_line(request, line):
    """Remove a line entered by mistake; only while no payment run holds it."""
    participant = line.plan.participant
    if line.is_removed:
        raise Http404
    form = _form(RemoveLineForm, request)
    return _confirmed_action(
        request,
        participant,
        form,
        title=_("Remove fixed cost: %(line)s") % {"line": line},
        intro=_(
            "Only remove a fixed cost that was entered by mistake and has never "
            "been paid. The participant no longer sees it anywhere; it stays in "
            "the history. Has it been paid already? Then stop it from a date."
        ),
        perform=lambda d: line_service.remove_line(request.user, line, d["reason"]),
        done=_("The fixed cost has been removed."),
        warnings=lambda d: (
            []
            if line_service.is_removable(line)
            else [
                _(
                    "This fixed cost is already in a payment run. Removing is then not "
                    "possible; stop it from a date or correct it with a reversal."
                )
            ]
        ),
    )


@access.view(
    methods=FORM_METHODS,
    rights=EDITS,
    objects={"participant_pk": PARTICIPANT},
    audit="planformulier",
)
def decide_mode(request, participant):
    """Switch one participant to another mode of ontzorgen from a month on."""
    today = timezone.localdate()
    current = modes.mode_for(participant, today)
    wages = "1" if current.continues_on_wages else "0"
    initial = {"mode": current.mode, "continues_on_wages": wages}
    form = _form(ModeDecisionForm, request, initial=initial)
    return _confirmed_action(
        request,
        participant,
        form,
        title=_("Change mode of ontzorgen"),
        intro=_(
            "Now: %(mode)s. In regeling %(regeling)s the default is: %(default)s. "
            "A decision applies only to this participant, from the chosen month; "
            "the payment run follows it."
        )
        % {
            "mode": current.label,
            "regeling": participant.regeling,
            "default": modes.default_mode(participant.regeling).label,
        },
        perform=lambda d: modes.decide_mode(
            request.user,
            participant,
            mode=d["mode"],
            continues_on_wages=d["continues_on_wages"],
            from_on=d["from_on"],
            reason=d["reason"],
        ),
        done=_("The decision on the mode of ontzorgen has been recorded."),
    )
