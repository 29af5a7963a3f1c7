"""Business actions and questions on measurements: recording one, the schedule of a
participant, what is due for a user, and whether a participant is ready to end ontzorgen."""

from dataclasses import dataclass, field
from datetime import date

from django.apps import apps
from django.db import transaction
from django.db.models import Case, Max, Min, OuterRef, Subquery, When
from django.utils import timezone
from django.utils.translation import gettext as _

from ontzorg.audit import services as audit
from ontzorg.core import access, dates
from ontzorg.exceptions import PermissionDenied, Refused
from ontzorg.participants.constants import OPEN_PHASES, Phase
from ontzorg.participants.models import Participant
from ontzorg.regelingen.constants import InstrumentPurpose, PlanStart
from ontzorg.regelingen.models import Instrument, InstrumentLevel, Regeling

from . import events, schedule
from .constants import Moment, Perspective, ScheduleStatus
from .models import AssignmentScore, ChecklistAnswer, Measurement

# Phases in which measurements are scheduled (nazorg: the vervolgmeting).
SCHEDULED_PHASES = (Phase.INTAKE, Phase.ACTIVE, Phase.EXTENDED, Phase.PHASE_OUT, Phase.NAZORG)


# The right to record a measurement (the same as recording guidance).
RECORDS = "records_guidance"


def may_record(user) -> bool:
    return access.may(user, RECORDS)


def _require_record(user):
    if not may_record(user):
        raise PermissionDenied(_("Your role may not record measurements."))


def _has_plans() -> bool:
    # Plans are built separately; the schedule uses them when they exist, never needs them.
    return apps.is_installed("ontzorg.plans") and hasattr(Participant, "plans")


@dataclass(frozen=True)
class PlanDates:
    """What the schedule needs of a participant's latest plan."""

    start_on: date
    planned_end_on: date
    ended_on: date | None
    extended_on: date | None  # the day the plan was last extended


def plan_dates_of(participants) -> dict[int, PlanDates]:
    """The latest plan (by start) of each of `participants` (a queryset), in two queries
    whatever their number: the dashboard asks this for a whole caseload."""
    if not _has_plans():
        return {}
    from ontzorg.plans.constants import PlanDecisionKind

    plan_model = Participant.plans.rel.related_model
    latest: dict[int, tuple] = {}
    people = participants.values("pk")
    rows = plan_model.objects.filter(participant__in=people).values_list(
        "participant_id", "start_on", "pk", "planned_end_on", "ended_on"
    )
    for row in rows:
        if row[0] not in latest or row[1:3] > latest[row[0]][1:3]:
            latest[row[0]] = row
    decision_model = plan_model.decisions.rel.related_model
    extended = dict(
        decision_model.objects.filter(plan__participant__in=people, kind=PlanDecisionKind.EXTEND)
        .values("plan_id")
        .annotate(last=Max("decided_on"))
        .values_list("plan_id", "last")
    )
    return {
        participant_id: PlanDates(start_on, planned_end_on, ended_on, extended.get(plan_id))
        for participant_id, start_on, plan_id, planned_end_on, ended_on in latest.values()
    }


def measured_of(participants) -> dict[int, dict[str, list[date]]]:
    """Per participant (a queryset), the days each moment was measured on self-reliance."""
    measured: dict[int, dict[str, list[date]]] = {}
    rows = (
        Measurement.objects.filter(participant__in=participants.values("pk"))
        .self_reliance()
        .values_list("participant_id", "moment", "measured_on")
    )
    for participant_id, moment, measured_on in rows:
        measured.setdefault(participant_id, {}).setdefault(moment, []).append(measured_on)
    return measured


def outcomes_measured_of(participants) -> dict[tuple[int, int], dict[str, list[date]]]:
    """Per (participant, outcome instrument), the days each moment was measured."""
    measured: dict[tuple[int, int], dict[str, list[date]]] = {}
    rows = (
        Measurement.objects.filter(participant__in=participants.values("pk"))
        .outcomes()
        .values_list("participant_id", "instrument_id", "moment", "measured_on")
    )
    for participant_id, instrument_id, moment, measured_on in rows:
        key = (participant_id, instrument_id)
        measured.setdefault(key, {}).setdefault(moment, []).append(measured_on)
    return measured


def outcome_instruments_of(regeling_ids) -> dict[int, list[Instrument]]:
    """Per regeling, the instruments of other outcomes than self-reliance it uses, by name."""
    through = Regeling.instruments.through
    rows = (
        through.objects.filter(regeling_id__in=regeling_ids)
        .exclude(instrument__purpose=InstrumentPurpose.SELF_RELIANCE)
        .select_related("instrument")
        .order_by("instrument__name")
    )
    found: dict[int, list[Instrument]] = {}
    for row in rows:
        found.setdefault(row.regeling_id, []).append(row.instrument)
    return found


def _one(participant):
    return Participant.objects.filter(pk=participant.pk)


def rules_for(regeling) -> schedule.Rules:
    return schedule.Rules(
        min_duration_months=regeling.min_duration_months,
        endmeasurement_months_before_end=regeling.endmeasurement_months_before_end,
        followup_months_after_end=regeling.followup_months_after_end,
    )


def trajectory_dates(participant, end_on: date | None = None) -> tuple[date | None, date | None]:
    """(start, last day) of the trajectory by the one rule of `core.dates`: the plan's dates
    when there is one (so an extension or an end moves the schedule); otherwise the start the
    regeling names (bijstand start or lease signed) plus the minimum duration."""
    return _trajectory_dates(
        participant, plan_dates_of(_one(participant)).get(participant.pk), end_on
    )


def _trajectory_dates(participant, plan: PlanDates | None, end_on: date | None):
    regeling = participant.regeling
    if plan is not None:
        start, current_end, ended = plan.start_on, plan.planned_end_on, plan.ended_on
    elif regeling.plan_start == PlanStart.LEASE_SIGNED:
        start, current_end, ended = participant.lease_signed_on, None, None
    else:
        start, current_end, ended = participant.bijstand_start_on, None, None
    if start is None:
        return None, None
    trajectory = dates.trajectory_dates(
        start, regeling.min_duration_months, current_end_on=current_end, ended_on=ended
    )
    return start, end_on or trajectory.end_on


def schedule_for(
    participant, on: date | None = None, *, end_on: date | None = None
) -> list[schedule.ScheduledMoment]:
    """The participant's measurement moments with their status on `on` (default today)."""
    one = _one(participant)
    return _schedule(
        participant,
        plan_dates_of(one).get(participant.pk),
        measured_of(one).get(participant.pk, {}),
        on or timezone.localdate(),
        end_on,
    )


def _schedule(
    participant, plan, measured, on, end_on=None, instrument=None
) -> list[schedule.ScheduledMoment]:
    start, end = _trajectory_dates(participant, plan, end_on)
    if start is None:
        return []
    moments = schedule.due_moments(rules_for(participant.regeling), start, end)
    extended_on = plan.extended_on if plan is not None else None
    return schedule.status_on(
        moments,
        measured,
        on,
        extended_on=extended_on,
        instrument=instrument.name if instrument is not None else "",
    )


def outcome_schedules_for(participant, on: date | None = None) -> list[tuple]:
    """Per outcome instrument of the participant's regeling (stress, language, agencies
    approached): (instrument, its moments with their status on `on`). The moments are the
    same as those of self-reliance; each instrument counts only its own measurements."""
    one = _one(participant)
    plan = plan_dates_of(one).get(participant.pk)
    measured = outcomes_measured_of(one)
    on = on or timezone.localdate()
    return [
        (
            instrument,
            _schedule(
                participant,
                plan,
                measured.get((participant.pk, instrument.pk), {}),
                on,
                instrument=instrument,
            ),
        )
        for instrument in outcome_instruments_of([participant.regeling_id]).get(
            participant.regeling_id, []
        )
    ]


@dataclass(frozen=True)
class DueItem:
    participant: Participant
    moment: schedule.ScheduledMoment


def due_measurements(user, on: date | None = None, *, until: date | None = None) -> list[DueItem]:
    """Moments overdue or due (by `until`, default the schedule's due window) for the
    participants `user` sees, oldest first."""
    on = on or timezone.localdate()
    scheduled = Participant.objects.visible_to(user).filter(phase__in=SCHEDULED_PHASES)
    plans, measured = plan_dates_of(scheduled), measured_of(scheduled)
    outcomes = outcomes_measured_of(scheduled)
    instruments = outcome_instruments_of(scheduled.values("regeling_id"))
    items = []
    for participant in scheduled.select_related(
        "regeling", "household__municipality", "case_worker"
    ):
        plan = plans.get(participant.pk)
        moments = _schedule(participant, plan, measured.get(participant.pk, {}), on)
        for instrument in instruments.get(participant.regeling_id, []):
            own = outcomes.get((participant.pk, instrument.pk), {})
            moments += _schedule(participant, plan, own, on, instrument=instrument)
        for moment in moments:
            if moment.status == ScheduleStatus.DONE:
                continue
            if until is None and not moment.needs_action:
                continue
            if until is not None and moment.due_on > until:
                continue
            items.append(DueItem(participant, moment))
    items.sort(key=lambda item: (item.moment.due_on, item.participant.last_name))
    return items


@dataclass(frozen=True)
class Readiness:
    ready: bool
    explanation: str
    measurement: Measurement | None = None
    exit_level: object = field(default=None)


def is_ready_to_end(participant) -> Readiness:
    """Ready when the latest measurement (by case worker, coach or jointly) is at or above
    its instrument's exit level: ZRM Financiën 4 or 5, the 3-level scale's "zelfredzaam"."""
    latest = (
        participant.measurements.counting_for_exit()
        .select_related("instrument", "level")
        .latest_first()
        .first()
    )
    if latest is None:
        return Readiness(False, _("There is no measurement by a case worker or coach yet."))
    exit_level = latest.instrument.exit_level
    if exit_level is None:
        return Readiness(
            False,
            _("No exit level is set for %(instrument)s.") % {"instrument": latest.instrument},
            latest,
        )
    values = {
        "moment": latest.get_moment_display(),
        "day": f"{latest.measured_on:%d-%m-%Y}",
        "level": latest.level,
        "instrument": latest.instrument,
        "exit": exit_level,
    }
    if latest.level.rank >= exit_level.rank:
        text = _(
            "The latest measurement (%(moment)s of %(day)s) is %(level)s on "
            "%(instrument)s: at or above the exit level %(exit)s. The end of "
            "ontzorgen comes into sight."
        )
        return Readiness(True, text % values, latest, exit_level)
    text = _(
        "The latest measurement (%(moment)s of %(day)s) is %(level)s on "
        "%(instrument)s: below the exit level %(exit)s."
    )
    return Readiness(False, text % values, latest, exit_level)


def instruments_for(participant):
    """The instruments of the participant's regeling: self-reliance first, then the other
    outcomes it measures."""
    first = Case(When(purpose=InstrumentPurpose.SELF_RELIANCE, then=0), default=1)
    return participant.regeling.instruments.prefetch_related(
        "levels", "checklist_items", "assignments"
    ).order_by(first, "name")


@transaction.atomic
def record_measurement(
    user,
    participant,
    *,
    instrument,
    moment: str,
    measured_on: date,
    level=None,
    perspective: str,
    count: int | None = None,
    notes: str = "",
    answers: dict | None = None,
    scores: dict | None = None,
) -> Measurement:
    """Record one measurement: a `level` of the instrument, or a `count` for an instrument
    that counts (agencies approached). `answers` maps checklist item ids to "can do it" and
    `scores` maps assignment ids to a score; both must belong to the instrument."""
    _require_record(user)
    participant = access.get_or_refuse(Participant, user, pk=participant.pk)
    if not participant.regeling.instruments.filter(pk=instrument.pk).exists():
        raise Refused(_("This instrument does not belong to the participant's regeling."))
    if instrument.is_count:
        if level is not None or count is None:
            raise Refused(_("This instrument records a number, not a level."))
        if not 0 <= count <= instrument.max_count:
            raise Refused(
                _("The number for %(instrument)s is between 0 and %(max)s.")
                % {"instrument": instrument, "max": instrument.max_count}
            )
    else:
        if level is None or count is not None:
            raise Refused(_("Choose a level of this instrument."))
        if level.instrument_id != instrument.pk:
            raise Refused(_("This level does not belong to the chosen instrument."))
    if moment not in Moment.values or perspective not in Perspective.values:
        raise Refused(_("Unknown moment or unknown assessor."))
    if measured_on > timezone.localdate():
        raise Refused(_("A measurement cannot be in the future."))
    measurement = Measurement(
        participant=participant,
        instrument=instrument,
        moment=moment,
        measured_on=measured_on,
        level=level,
        count=count,
        perspective=perspective,
        assessed_by=user,
        organisation=user.organisation,
        notes=(notes or "").strip(),
    )
    measurement.full_clean()
    measurement.save()
    items = {item.pk: item for item in instrument.checklist_items.all()}
    for item_id, can_do in (answers or {}).items():
        if item_id not in items:
            raise Refused(_("This skill does not belong to the instrument."))
        ChecklistAnswer.objects.create(measurement=measurement, item=items[item_id], can_do=can_do)
    assignments = {a.pk: a for a in instrument.assignments.all()}
    for assignment_id, score in (scores or {}).items():
        assignment = assignments.get(assignment_id)
        if assignment is None:
            raise Refused(_("This assignment does not belong to the instrument."))
        if not 0 <= score <= assignment.max_score:
            raise Refused(
                _("The score of %(assignment)s is between 0 and %(max)s.")
                % {"assignment": assignment, "max": assignment.max_score}
            )
        AssignmentScore.objects.create(
            measurement=measurement,
            assignment=assignment,
            score=score,
            max_score=assignment.max_score,
        )
    audit.record(
        user,
        events.MEASUREMENT_RECORDED,
        measurement,
        participant=participant,
        changes={name: [None, value] for name, value in audit.snapshot(measurement).items()},
        moment=str(measurement.get_moment_display()),
        level=measurement.value_display,
    )
    return measurement


def ready_to_end(user) -> list[Participant]:
    """Participants in an open phase whose latest counting measurement reaches its
    instrument's exit level; the same rule as `is_ready_to_end`, in two queries."""
    latest = (
        Measurement.objects.filter(participant=OuterRef("pk")).counting_for_exit().latest_first()
    )
    participants = (
        Participant.objects.visible_to(user)
        .filter(phase__in=OPEN_PHASES)
        .annotate(
            latest_instrument=Subquery(latest.values("instrument_id")[:1]),
            latest_rank=Subquery(latest.values("level__rank")[:1]),
        )
        .exclude(latest_rank=None)
        .select_related("household__municipality", "case_worker")
    )
    exits = dict(
        InstrumentLevel.objects.filter(is_exit=True)
        .values("instrument_id")
        .annotate(rank=Min("rank"))
        .values_list("instrument_id", "rank")
    )
    return [
        p
        for p in participants
        if p.latest_instrument in exits and p.latest_rank >= exits[p.latest_instrument]
    ]
