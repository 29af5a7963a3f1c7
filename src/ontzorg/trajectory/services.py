"""Business actions at the end of a trajectory, each one transaction, permission-checked and
audited: the evaluation and its decision, phase-out of fixed costs, the switch from weekgeld
to maandgeld, outflow to work, nazorg (start, reopen, expiry).

The money engine is reached only through `plans.services`: an end or extension goes through
`decide_end_or_extend` (so the payment run follows the plan's new end), a phase-out step
through `close_line`, a job through `record_outflow`."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ontzorg.audit import services as audit
from ontzorg.core import access, dates
from ontzorg.exceptions import Refused
from ontzorg.measurements import services as measurements
from ontzorg.participants import lifecycle
from ontzorg.participants.constants import Phase
from ontzorg.participants.models import Participant
from ontzorg.plans import modes
from ontzorg.plans import services as plans
from ontzorg.plans.constants import PlanDecisionKind, PlanStatus
from ontzorg.plans.models import Plan, PlanLine
from ontzorg.regelingen.constants import AllowanceFrequency, Mode

from . import events
from .constants import ENDING_OUTCOMES, SWITCH_OUTCOMES, NazorgEnd, Outcome, OutflowKind
from .models import Evaluation, NazorgPeriod, Outflow, PhaseOutStep

# The evaluation talk is due this long before the planned end, so that the decision is
# known before the payment run of the last month is prepared.
EVALUATION_LEAD_DAYS = 30
# Nazorg lasts at least until this long after the vervolgmeting is due, so the vervolgmeting
# is still scheduled (and can be recorded) while the participant is in nazorg.
FOLLOW_UP_GRACE_DAYS = 30
MIN_TEXT_LENGTH = 10


# Deciding on the trajectory (evaluation, phase-out, work, reopening) is the case worker's;
# the switch to maandgeld may also be made by whoever guides the participant.
DECIDES = "edits_participants"
GUIDES = "records_guidance"


def may_decide(user) -> bool:
    return access.may(user, DECIDES)


def may_guide(user) -> bool:
    return access.may(user, GUIDES)


def _participant(user, participant) -> Participant:
    """The participant again, with what the trajectory needs, if `user` may see it."""
    return access.get_or_refuse(
        Participant.objects.select_related("regeling", "case_worker", "coach"),
        user,
        pk=participant.pk,
    )


def _text(value: str, what: str) -> str:
    value = (value or "").strip()
    if len(value) < MIN_TEXT_LENGTH:
        raise Refused(
            _("Fill in %(what)s, in at least ten characters.") % {"what": what},
        )
    return value


def current_plan(participant) -> Plan | None:
    return participant.plans.select_related("regeling").order_by("-start_on", "-pk").first()


def evaluation_due_on(plan: Plan) -> date:
    return plan.planned_end_on - timedelta(days=EVALUATION_LEAD_DAYS)


def needs_evaluation(plan: Plan) -> bool:
    """An open plan whose current planned end has not been evaluated yet (an extension
    moves the end, so a new evaluation becomes due before the new end)."""
    return plan.is_open and not plan.evaluations.filter(for_end_on=plan.planned_end_on).exists()


# --- evaluation and decision ------------------------------------------------------------------


@transaction.atomic
def record_evaluation(
    user,
    plan,
    *,
    held_on: date,
    participant_view: str,
    case_worker_view: str,
    coach_view: str = "",
    outcome: str,
    new_end_on: date | None = None,
    reason: str,
) -> Evaluation:
    """Record the evaluation talk and take its decision on the plan.

    End: on the planned end (or later, never earlier). Extend: to `new_end_on`, within the
    regeling's maximum. Early end on request: only when the latest measurement reaches the
    exit level, before the planned end, with the maatwerk reason. A switch to budgetbeheer,
    bewindvoering or schuldhulp ends ontzorgen like an end. Every ending starts nazorg."""
    access.require(user, DECIDES)
    participant = _participant(user, plan.participant)
    plan = Plan.objects.select_for_update().select_related("regeling").get(pk=plan.pk)
    if plan.participant_id != participant.pk or not plan.is_open:
        raise Refused(_("This plan has already ended."))
    if outcome not in Outcome.values:
        raise Refused(_("Choose a decision."))
    if held_on is None or held_on > timezone.localdate():
        raise Refused(_("The meeting cannot be in the future."))
    participant_view = _text(participant_view, _("what the participant says"))
    case_worker_view = _text(case_worker_view, _("what the case worker says"))
    reason = _text(reason, _("the reason for the decision"))
    readiness = measurements.is_ready_to_end(participant)
    for_end_on = plan.planned_end_on

    if outcome == Outcome.EXTEND:
        decision = plans.decide_end_or_extend(
            user,
            plan,
            PlanDecisionKind.EXTEND,
            new_end_on,
            reason,
            decided_on=held_on,
        )
    else:
        end_on = new_end_on or plan.planned_end_on
        if outcome == Outcome.EARLY_END:
            if not readiness.ready:
                raise Refused(
                    _(
                        "Stopping early is only possible when the latest measurement reaches "
                        "the exit level. %(why)s"
                    )
                    % {"why": readiness.explanation}
                )
            if new_end_on is None or not held_on <= new_end_on < plan.planned_end_on:
                raise Refused(
                    _("To stop early, choose an end date between the meeting and %(day)s.")
                    % {"day": plan.planned_end_on.strftime("%d-%m-%Y")}
                )
            reason = _(
                "Tailored decision, stopping early at the participant's request: %(reason)s"
            ) % {"reason": reason}
        elif outcome == Outcome.END and not plan.regeling.ends_all_at_once:
            open_lines = _still_withheld(plan, end_on)
            if len(open_lines) > 1:
                raise Refused(
                    _(
                        "In this regeling ontzorgen stops per fixed cost. First hand the fixed "
                        "costs back one by one (phase-out), in the order the participant "
                        "chooses; the last one stops with the plan. Still withheld: %(lines)s."
                    )
                    % {"lines": ", ".join(str(line) for line in open_lines)}
                )
        if outcome != Outcome.EARLY_END and end_on < plan.planned_end_on:
            raise Refused(
                _(
                    "An end before the planned end date (%(day)s) is only possible as "
                    "'stop early on request', with the reason for the tailored decision."
                )
                % {"day": plan.planned_end_on.strftime("%d-%m-%Y")}
            )
        if outcome in SWITCH_OUTCOMES:
            reason = f"{Outcome(outcome).label}: {reason}"
        decision = plans.decide_end_or_extend(
            user, plan, PlanDecisionKind.END, end_on, reason, decided_on=held_on
        )
    evaluation = Evaluation.objects.create(
        participant=participant,
        plan=plan,
        held_on=held_on,
        for_end_on=for_end_on,
        participant_view=participant_view,
        coach_view=(coach_view or "").strip(),
        case_worker_view=case_worker_view,
        measurement=readiness.measurement,
        ready_to_end=readiness.ready,
        readiness=str(readiness.explanation)[:400],
        outcome=outcome,
        new_end_on=decision.new_end_on,
        reason=reason,
        plan_decision=decision,
        recorded_by=user,
    )
    changes = {
        "besluit": [None, outcome],
        "exitniveau bereikt": [None, readiness.ready],
        "laatste meting": [None, readiness.measurement.pk if readiness.measurement else None],
        "reden": [None, reason],
    }
    if outcome in ENDING_OUTCOMES:
        participant.refresh_from_db(fields=["phase"])
        period = _start_nazorg(user, participant, plan, decision.new_end_on)
        changes["nazorg tot en met"] = [None, period.ends_on.isoformat()]
    audit.record(
        user,
        events.EVALUATION_RECORDED,
        evaluation,
        participant=participant,
        changes=changes,
        outcome=str(evaluation.get_outcome_display()),
    )
    return evaluation


# --- phase-out ----------------------------------------------------------------------------


def _still_withheld(plan: Plan, end_on: date) -> list[PlanLine]:
    """The plan's lines that are still withheld up to `end_on`: not handed back, not stopped
    before it, not removed."""
    return list(
        plan.lines.current()
        .open_on(end_on)
        .exclude(pk__in=PhaseOutStep.objects.filter(plan=plan).values("line_id"))
        .select_related("creditor")
        .order_by("pk")
    )


@transaction.atomic
def hand_back_line(user, line, from_on: date, *, note: str = "") -> PhaseOutStep:
    """The participant pays this fixed cost themselves from `from_on`: the line stops in the
    plan (and so in the payment run) from that day. The participant chooses the order; each
    step gets the next number. Not in the past: months already paid are not rewritten."""
    access.require(user, DECIDES)
    line = PlanLine.objects.select_related("plan__participant", "plan__regeling").get(pk=line.pk)
    participant = _participant(user, line.plan.participant)
    plan = line.plan
    if not plan.is_open:
        raise Refused(_("This plan has ended."))
    if PhaseOutStep.objects.filter(line=line).exists():
        raise Refused(_("This fixed cost has already been handed back to the participant."))
    if from_on is None or from_on < timezone.localdate():
        raise Refused(_("Handing back is possible from today or later, not retroactively."))
    if from_on > plan.planned_end_on:
        raise Refused(_("This fixed cost stops anyway after the end of the plan."))
    if line.ends_on is not None and line.ends_on < from_on:
        raise Refused(_("This fixed cost has already stopped."))
    note = (note or "").strip()
    plans.close_line(
        user,
        line,
        from_on,
        reason=_("phase-out, the participant pays themselves") + (f" ({note})" if note else ""),
    )
    order = PhaseOutStep.objects.filter(plan=plan).count() + 1
    step = PhaseOutStep.objects.create(
        plan=plan, line=line, order=order, from_on=from_on, note=note[:200], recorded_by=user
    )
    changes = {"stap": [None, order], "vanaf": [None, from_on.isoformat()]}
    if participant.phase in (Phase.ACTIVE, Phase.EXTENDED):
        reason = _("phase-out: the participant pays %(line)s themselves") % {"line": line}
        changes.update(
            lifecycle.move(
                participant, Phase.PHASE_OUT, on=from_on, reason=reason, user=user
            ).changes
        )
    audit.record(
        user,
        events.LINE_HANDED_BACK,
        step,
        participant=participant,
        changes=changes,
        order=order,
        line=str(line),
        from_on=f"{from_on:%d-%m-%Y}",
    )
    return step


def allowance_switch_possible(plan: Plan) -> bool:
    regeling = plan.regeling
    return (
        plan.is_open
        and _in_budgetbeheer(plan)
        and regeling.allowance_frequency == AllowanceFrequency.WEEKLY
        and plan.monthly_allowance_from is None
    )


def _in_budgetbeheer(plan: Plan) -> bool:
    """Budgetbeheer as it applies to this participant today (regeling or own decision)."""
    return modes.mode_for(plan.participant, timezone.localdate()).mode == Mode.BUDGETBEHEER


@transaction.atomic
def switch_to_monthly_allowance(user, plan, from_on: date) -> Plan:
    """Budgetbeheer: leefgeld once a month instead of weekly, from the first day of a coming
    month, when the coach (or case worker) decides the participant is ready for it."""
    access.require(user, GUIDES, DECIDES)
    participant = _participant(user, plan.participant)
    plan = Plan.objects.select_for_update().select_related("regeling").get(pk=plan.pk)
    if plan.participant_id != participant.pk:
        raise Refused(_("This plan does not belong to this participant."))
    regeling = plan.regeling
    if not _in_budgetbeheer(plan) or regeling.allowance_frequency != AllowanceFrequency.WEEKLY:
        raise Refused(_("This regeling pays no weekly allowance."))
    if not plan.is_open:
        raise Refused(_("This plan has ended."))
    if plan.monthly_allowance_from is not None:
        raise Refused(
            _("This has already been decided: monthly allowance from %(day)s.")
            % {"day": plan.monthly_allowance_from.strftime("%d-%m-%Y")}
        )
    if from_on is None or from_on.day != 1:
        raise Refused(
            _("Choose the first day of a month: the living allowance is calculated per month.")
        )
    if from_on <= timezone.localdate():
        raise Refused(_("The monthly allowance starts on the first of a coming month."))
    if from_on > plan.end_on:
        raise Refused(_("That month falls after the end of the plan."))
    before = audit.snapshot(plan, ["monthly_allowance_from"])
    plan.monthly_allowance_from = from_on
    plan.save(update_fields=["monthly_allowance_from"])
    audit.record(
        user,
        events.MONTHLY_ALLOWANCE,
        plan,
        participant=participant,
        changes=audit.diff(before, audit.snapshot(plan, ["monthly_allowance_from"])),
        from_on=f"{from_on:%d-%m-%Y}",
    )
    return plan


# --- outflow to work ----------------------------------------------------------------------


@transaction.atomic
def record_job(
    user,
    participant,
    *,
    starts_on: date,
    employer: str,
    kind: str = OutflowKind.JOB,
    hours_per_week: int | None = None,
    wages_cents: int | None = None,
) -> Outflow:
    """A job ends the bijstand from `starts_on`: `plans.record_outflow` stops the bijstand
    income and the withholding (budgetbeheer that goes on on wages keeps its plan). Guidance
    and measurements go on; when the plan ended, nazorg starts."""
    access.require(user, DECIDES)
    participant = _participant(user, participant)
    employer = (employer or "").strip()
    if not employer:
        raise Refused(_("Fill in the employer."))
    if kind not in OutflowKind.values:
        raise Refused(_("Choose the kind of work."))
    if starts_on is None:
        raise Refused(_("Fill in the date the work starts."))
    if hours_per_week is not None and not 0 < hours_per_week <= 80:
        raise Refused(_("The number of hours per week is between 1 and 80."))
    if wages_cents is not None and wages_cents <= 0:
        raise Refused(_("The wages must be more than zero."))
    if Outflow.objects.filter(participant=participant, starts_on=starts_on).exists():
        raise Refused(_("This outflow has already been recorded."))
    label = OutflowKind(kind).label
    plan = plans.record_outflow(
        user,
        participant,
        starts_on,
        _("outflow to %(kind)s at %(employer)s") % {"kind": label, "employer": employer},
        wages_cents=wages_cents,
    )
    outflow = Outflow.objects.create(
        participant=participant,
        plan=plan,
        kind=kind,
        starts_on=starts_on,
        employer=employer,
        hours_per_week=hours_per_week,
        wages_cents=wages_cents,
        recorded_by=user,
    )
    changes = {"werkgever": [None, employer], "vanaf": [None, starts_on.isoformat()]}
    if plan is not None and plan.status == PlanStatus.ENDED:
        participant.refresh_from_db(fields=["phase"])
        period = _start_nazorg(user, participant, plan, plan.ended_on)
        changes["nazorg tot en met"] = [None, period.ends_on.isoformat()]
    audit.record(
        user,
        events.JOB_RECORDED,
        outflow,
        participant=participant,
        changes=changes,
        kind=str(label),
        employer=employer,
        starts_on=f"{starts_on:%d-%m-%Y}",
    )
    return outflow


# --- nazorg -------------------------------------------------------------------------------


def _start_nazorg(user, participant, plan, end_on: date) -> NazorgPeriod:
    """Open the nazorg period after `end_on` (the plan's last day); phase NAZORG."""
    period = ensure_nazorg_period(participant, plan, end_on)
    lifecycle.move(
        participant, Phase.NAZORG, on=period.starts_on, reason=_("nazorg starts"), user=user
    )
    return period


def ensure_nazorg_period(participant, plan, end_on: date) -> NazorgPeriod:
    """The open nazorg period, opened after `end_on` (the plan's last day) when there is
    none. Nazorg lasts the regeling's nazorg months, and at least until the vervolgmeting is
    due plus FOLLOW_UP_GRACE_DAYS to record it (`core.dates.nazorg_end_on`)."""
    period = NazorgPeriod.objects.filter(participant=participant, closed_on=None).first()
    if period is not None:
        return period
    regeling = plan.regeling
    return NazorgPeriod.objects.create(
        participant=participant,
        plan=plan,
        starts_on=end_on + timedelta(days=1),
        ends_on=dates.nazorg_end_on(
            end_on,
            regeling.nazorg_months,
            regeling.followup_months_after_end,
            FOLLOW_UP_GRACE_DAYS,
        ),
    )


def nazorg_entered(participant, change, user) -> None:
    """Listener of `lifecycle.move` into nazorg, whichever page or service moved there: the
    nazorg period opens after the plan's last day, so the daily job can close it."""
    plan = participant.plans.order_by("-start_on", "-pk").select_related("regeling").first()
    if plan is None:
        return
    ensure_nazorg_period(participant, plan, plan.ended_on or change.on - timedelta(days=1))


def open_nazorg(participant) -> NazorgPeriod | None:
    return NazorgPeriod.objects.filter(participant=participant, closed_on=None).first()


@transaction.atomic
def reopen(user, participant, *, reason: str, start_on: date | None = None) -> Plan:
    """Reopen the case of a participant in nazorg (or ended): nazorg closes, a new plan
    starts on `start_on` (default today) and the participant is ontzorgd again; the case
    worker then puts the fixed costs back in the plan."""
    access.require(user, DECIDES)
    participant = _participant(user, participant)
    reason = _text(reason, _("the reason to reopen"))
    if participant.phase not in (Phase.NAZORG, Phase.ENDED):
        raise Refused(_("Only a case in nazorg or closed can be reopened."))
    start_on = start_on or timezone.localdate()
    last = participant.plans.order_by("-start_on", "-pk").first()
    if last is not None and start_on <= last.end_on:
        raise Refused(
            _("The new plan starts after the end of the previous one (%(day)s).")
            % {"day": last.end_on.strftime("%d-%m-%Y")}
        )
    period = (
        NazorgPeriod.objects.select_for_update()
        .filter(participant=participant, closed_on=None)
        .first()
    )
    changes = {"reden": [None, reason]}
    if period is not None:
        period.closed_on = timezone.localdate()
        period.end_reason = NazorgEnd.REOPENED
        period.note = reason
        period.save(update_fields=["closed_on", "end_reason", "note"])
        changes["nazorg afgesloten"] = [None, period.pk]
    changes.update(
        lifecycle.move(
            participant, Phase.ACTIVE, on=start_on, reason=_("reopened: %s") % reason, user=user
        ).changes
    )
    plan = plans.create_plan(user, participant, start_on=start_on)
    changes["nieuw plan"] = [None, plan.pk]
    audit.record(
        user,
        events.REOPENED,
        participant,
        participant=participant,
        changes=changes,
        start_on=f"{start_on:%d-%m-%Y}",
    )
    return plan


@transaction.atomic
def end_expired_nazorg(today: date | None = None) -> int:
    """Close every nazorg period whose last day has passed and move its participant from
    NAZORG to ENDED. Safe to run as often as you like (daily, `manage.py end_nazorg`)."""
    today = today or timezone.localdate()
    periods = list(
        NazorgPeriod.objects.select_for_update()
        .filter(closed_on=None, ends_on__lt=today)
        .select_related("participant")
        .order_by("pk")
    )
    for period in periods:
        period.closed_on = period.ends_on
        period.end_reason = NazorgEnd.EXPIRED
        period.save(update_fields=["closed_on", "end_reason"])
        participant = period.participant
        changes = {"nazorg tot en met": [None, period.ends_on.isoformat()]}
        if participant.phase == Phase.NAZORG:
            change = lifecycle.move(
                participant, Phase.ENDED, on=period.ends_on, reason=_("nazorg over")
            )
            changes.update(change.changes)
        audit.record(None, events.NAZORG_EXPIRED, period, participant=participant, changes=changes)
    return len(periods)
