"""Pages of the trajectory: a participant's trajectory (evaluation and decision, phase-out,
work, nazorg, timeline), the printable overview of fixed costs, and the week's agenda.

Views hold no business rules: `access.view` checks method, right and scope (and writes the
audit entry of a personal page); they act through `services`, which check again and write the
audit trail."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ontzorg.core import access
from ontzorg.exceptions import Refused
from ontzorg.letters.document_views import fixed_costs_page
from ontzorg.measurements import services as measurements
from ontzorg.participants.models import Participant
from ontzorg.plans import modes
from ontzorg.plans.models import PlanDecision, PlanLine

from . import agenda as week_agenda
from . import handover, services, timeline
from .forms import (
    AllowanceForm,
    EvaluationForm,
    HandBackForm,
    HandoverCheckForm,
    OutflowForm,
    ReopenForm,
)
from .models import Evaluation, Outflow, PhaseOutStep

DECIDES, GUIDES = services.DECIDES, services.GUIDES
PARTICIPANT = {"pk": Participant.objects.select_related("regeling", "case_worker", "coach")}


def _open_lines(plan):
    if plan is None or not plan.is_open:
        return PlanLine.objects.none()
    today = timezone.localdate()
    return (
        plan.lines.current()
        .open_on(today)
        .filter(phase_out_step__isnull=True)
        .select_related("creditor")
        .order_by("pk")
    )


def _context(user, participant, forms: dict) -> dict:
    plan = services.current_plan(participant)
    may_decide = services.may_decide(user)
    context = {
        "participant": participant,
        "plan": plan,
        "today": timezone.localdate(),
        "may_decide": may_decide,
        "may_guide": services.may_guide(user),
        "readiness": measurements.is_ready_to_end(participant),
        "schedule": measurements.schedule_for(participant),
        "evaluations": Evaluation.objects.filter(participant=participant)
        .select_related("recorded_by", "measurement__level", "measurement__instrument")
        .order_by("-held_on", "-created_at"),
        "steps": PhaseOutStep.objects.filter(plan__participant=participant)
        .select_related("line__creditor", "plan")
        .order_by("plan__start_on", "order"),
        "outflows": Outflow.objects.filter(participant=participant).order_by("-starts_on"),
        "mode": modes.today_mode(participant),
        "mode_decisions": modes.decisions_of(participant),
        "nazorg": services.open_nazorg(participant),
        "events": timeline.events_for(user, participant),
        # The decision letters (extension, end) of every plan, oldest first (letters app).
        "plan_decisions": PlanDecision.objects.filter(plan__participant=participant).order_by(
            "decided_on", "created_at"
        ),
    }
    latest_outflow = context["outflows"].first()
    if latest_outflow is not None:
        # Budgetbeheer that goes on on wages keeps withholding after a job (Hendrik-Ido-Ambacht).
        context["withholding_goes_on"] = modes.mode_for(
            participant, latest_outflow.starts_on
        ).continues_on_wages
    if plan is not None:
        context["needs_evaluation"] = services.needs_evaluation(plan)
        context["evaluation_due_on"] = services.evaluation_due_on(plan)
        context["allowance_possible"] = services.allowance_switch_possible(plan)
    lines = _open_lines(plan)
    context["open_lines"] = lines
    context["evaluation_form"] = forms.get("evaluation_form") or EvaluationForm()
    context["hand_back_form"] = forms.get("hand_back_form") or HandBackForm(lines=lines)
    context["allowance_form"] = forms.get("allowance_form") or AllowanceForm()
    context["outflow_form"] = forms.get("outflow_form") or OutflowForm()
    context["reopen_form"] = forms.get("reopen_form") or ReopenForm()
    context["handover_checks"] = due = handover.schedule_for(participant)
    context["may_check_handover"] = access.may(user, *handover.RECORDS)
    context["handover_form"] = forms.get("handover_form") or HandoverCheckForm(due=due)
    return context


def _page(request, participant, forms=None, status=200):
    context = _context(request.user, participant, forms or {})
    return render(request, "trajectory/participant.html", context, status=status)


@access.view(objects=PARTICIPANT, audit="traject")
def participant_trajectory(request, participant):
    return _page(request, participant)


def _done(request, participant, text, anchor):
    messages.success(request, text)
    return redirect(reverse("trajectory:participant", args=[participant.pk]) + f"#{anchor}")


@access.view(methods=("POST",), rights=(DECIDES,), objects=PARTICIPANT)
def evaluate(request, participant):
    plan = services.current_plan(participant)
    form = EvaluationForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if plan is None:
                raise Refused(_("This participant has no ontzorg plan yet."))
            evaluation = services.record_evaluation(
                request.user,
                plan,
                held_on=data["held_on"],
                participant_view=data["participant_view"],
                coach_view=data["coach_view"],
                case_worker_view=data["case_worker_view"],
                outcome=data["outcome"],
                new_end_on=data["new_end_on"],
                reason=data["reason"],
            )
        except Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            text = _("The evaluation has been recorded: %(outcome)s.") % {
                "outcome": evaluation.get_outcome_display()
            }
            return _done(request, participant, text, "evaluatie")
    return _page(request, participant, {"evaluation_form": form}, status=400)


@access.view(methods=("POST",), rights=(DECIDES,), objects=PARTICIPANT)
def hand_back(request, participant):
    lines = _open_lines(services.current_plan(participant))
    form = HandBackForm(request.POST, lines=lines)
    if form.is_valid():
        data = form.cleaned_data
        try:
            step = services.hand_back_line(
                request.user, data["line"], data["from_on"], note=data["note"]
            )
        except Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            text = _(
                "Phase-out step %(order)s: the participant pays %(category)s "
                "themselves from %(day)s."
            ) % {
                "order": step.order,
                "category": step.line.get_category_display(),
                "day": f"{step.from_on:%d-%m-%Y}",
            }
            return _done(request, participant, text, "afbouw")
    return _page(request, participant, {"hand_back_form": form}, status=400)


@access.view(methods=("POST",), rights=handover.RECORDS, objects=PARTICIPANT)
def handover_check(request, participant):
    form = HandoverCheckForm(request.POST, due=handover.schedule_for(participant))
    if form.is_valid():
        data = form.cleaned_data
        try:
            check = handover.record_check(
                request.user,
                participant,
                data["check"],
                checked_on=data["checked_on"],
                contract_in_own_name=data["contract_in_own_name"],
                contract_since_on=data["contract_since_on"],
                direct_debit_running=data["direct_debit_running"],
                direct_debit_since_on=data["direct_debit_since_on"],
                note=data["note"],
            )
        except Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            if check.passed:
                text = _("The handover check has been recorded: in order.")
            else:
                text = _(
                    "The handover check has been recorded: not in order. A signal has "
                    "been made so that it is followed up."
                )
            return _done(request, participant, text, "overdracht")
    return _page(request, participant, {"handover_form": form}, status=400)


@access.view(methods=("POST",), rights=(GUIDES, DECIDES), objects=PARTICIPANT)
def allowance(request, participant):
    plan = services.current_plan(participant)
    form = AllowanceForm(request.POST)
    if form.is_valid():
        try:
            if plan is None:
                raise Refused(_("This participant has no ontzorg plan yet."))
            services.switch_to_monthly_allowance(request.user, plan, form.cleaned_data["from_on"])
        except Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            text = _("Monthly allowance from %(day)s has been recorded.") % {
                "day": f"{form.cleaned_data['from_on']:%d-%m-%Y}"
            }
            return _done(request, participant, text, "afbouw")
    return _page(request, participant, {"allowance_form": form}, status=400)


@access.view(methods=("POST",), rights=(DECIDES,), objects=PARTICIPANT)
def outflow(request, participant):
    form = OutflowForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.record_job(
                request.user,
                participant,
                starts_on=data["starts_on"],
                employer=data["employer"],
                kind=data["kind"],
                hours_per_week=data["hours_per_week"],
                wages_cents=form.wages_cents(),
            )
        except Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            return _done(request, participant, _("The outflow to work has been recorded."), "werk")
    return _page(request, participant, {"outflow_form": form}, status=400)


@access.view(methods=("POST",), rights=(DECIDES,), objects=PARTICIPANT)
def reopen(request, participant):
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.reopen(
                request.user,
                participant,
                reason=form.cleaned_data["reason"],
                start_on=form.cleaned_data["start_on"],
            )
        except Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            text = _("The case has been reopened. Put the fixed costs in the new plan.")
            return _done(request, participant, text, "nazorg")
    return _page(request, participant, {"reopen_form": form}, status=400)


@access.view(objects=PARTICIPANT, audit="overzicht vaste lasten")
def fixed_costs(request, participant):
    """The end-of-trajectory letter to print and take home (letters): every fixed cost, whom
    to pay, how much and when, in the participant's language beside Dutch."""
    return fixed_costs_page(request, participant)


@access.view()
def agenda(request):
    today = timezone.localdate()
    mine = request.GET.get("mijn") == "1"
    sections = week_agenda.week(request.user, today, mine=mine)
    return render(
        request,
        "trajectory/agenda.html",
        {
            "today": today,
            "until": week_agenda.end_of_week(today),
            "sections": sections,
            "mine": mine,
            "total": sum(len(s.items) for s in sections),
        },
    )
