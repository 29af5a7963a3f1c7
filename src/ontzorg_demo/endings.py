"""Demo step: how trajectories end. Extended plans get the evaluation that extended them;
those in phase-out hand back their first fixed cost (and in budgetbeheer get maandgeld); those
in nazorg or ended get an ended plan with its end evaluation (one on request, maatwerk), a
few went to work instead, and every one of them a nazorg period (closed for the ended).
In Hendrik-Ido-Ambacht, where budgetbeheer goes on on wages, two active participants work.

Dates are relative to today. Each participant is handled once: a plan decision that already
has its evaluation, a plan with phase-out steps, a participant with a nazorg period or an
outflow is left alone, so loading twice changes nothing."""

import random
from datetime import timedelta

from django.utils import timezone

from ontzorg.core.dates import add_months, nazorg_end_on, planned_end_on
from ontzorg.measurements.models import Measurement
from ontzorg.participants.constants import HouseholdRole, Phase
from ontzorg.participants.models import Participant
from ontzorg.plans import services as plan_services
from ontzorg.plans.constants import OPEN_PLAN_STATUSES, IncomeKind, PlanDecisionKind, PlanStatus
from ontzorg.plans.models import Income, Plan, PlanDecision
from ontzorg.regelingen.constants import AllowanceFrequency, CostCategory, Mode
from ontzorg.trajectory.constants import NazorgEnd, Outcome
from ontzorg.trajectory.models import Evaluation, NazorgPeriod, Outflow, PhaseOutStep

from . import plans as demo_plans

SEED = 20260105
EMPLOYERS = [
    ("Bakkerij De Molen", 32),
    ("Schoonmaakbedrijf Glans", 24),
    ("Distributiecentrum Noordrand", 38),
    ("Zorgcentrum De Linde", 28),
    ("Installatiebedrijf Van Dijk", 40),
    ("Supermarkt Buurtwinkel", 20),
]
# One in this many participants in nazorg left through work rather than an evaluation.
WORK_EVERY = 3
WAGES_CENTS = (165_000, 210_000)

VIEWS_EXTEND = (
    "Het gaat beter, maar ik vind de brieven van de Belastingdienst nog moeilijk.",
    "Oefent met de maandbegroting; het lukt nog niet zonder hulp.",
    "Meting nog onder het exitniveau; nog een paar maanden ontzorgen.",
)
VIEWS_END = (
    "Ik betaal mijn rekeningen nu zelf en weet wat er elke maand afgaat.",
    "Maakt zelf een begroting en leest de post; vraagt hulp als het nodig is.",
    "Exitniveau bereikt; geen achterstanden in de laatste maanden.",
)


def load(stdout) -> None:
    today = timezone.localdate()
    counts = {"evaluaties": 0, "afbouw": 0, "nazorg": 0, "werk": 0}
    counts["evaluaties"] += _extension_evaluations()
    counts["afbouw"] += _phase_out(today)
    ended = _endings(today)
    counts["nazorg"] += ended["nazorg"]
    counts["werk"] += ended["werk"] + _working_in_budgetbeheer(today)
    counts["evaluaties"] += ended["evaluaties"]
    stdout.write(
        f"Einde traject: {counts['evaluaties']} evaluaties, {counts['afbouw']} in afbouw, "
        f"{counts['nazorg']} nazorgperiodes, {counts['werk']} aan het werk."
    )


def _user(participant):
    return participant.case_worker or demo_plans._any_user()


def _latest_measurement(participant, on):
    return (
        Measurement.objects.filter(participant=participant, measured_on__lte=on)
        .counting_for_exit()
        .select_related("level__instrument")
        .latest_first()
        .first()
    )


def _readiness(measurement) -> tuple[bool, str]:
    if measurement is None:
        return False, "Er was nog geen meting door klantmanager of coach."
    exit_level = measurement.instrument.exit_level
    ready = exit_level is not None and measurement.level.rank >= exit_level.rank
    where = "op of boven" if ready else "onder"
    return ready, (
        f"De laatste meting ({measurement.get_moment_display()} van "
        f"{measurement.measured_on:%d-%m-%Y}) is {measurement.level} op "
        f"{measurement.instrument}: {where} het exitniveau."
    )


def _evaluation(plan, decision, outcome, views, for_end_on) -> Evaluation:
    measurement = _latest_measurement(plan.participant, decision.decided_on)
    ready, text = _readiness(measurement)
    participant_view, coach_view, case_worker_view = views
    return Evaluation.objects.create(
        participant=plan.participant,
        plan=plan,
        held_on=decision.decided_on,
        for_end_on=for_end_on,
        participant_view=participant_view,
        coach_view=coach_view if plan.participant.coach_id else "",
        case_worker_view=case_worker_view,
        measurement=measurement,
        ready_to_end=ready,
        readiness=text,
        outcome=outcome,
        new_end_on=decision.new_end_on,
        reason=decision.reason,
        plan_decision=decision,
        recorded_by=decision.decided_by,
    )


def _extension_evaluations() -> int:
    """The evaluation behind each extension the plans step recorded."""
    decisions = (
        PlanDecision.objects.filter(kind=PlanDecisionKind.EXTEND, evaluation__isnull=True)
        .select_related("plan__participant", "plan__regeling", "decided_by")
        .order_by("pk")
    )
    created = 0
    for decision in decisions:
        plan = decision.plan
        old_end = planned_end_on(plan.start_on, plan.regeling.min_duration_months)
        _evaluation(plan, decision, Outcome.EXTEND, VIEWS_EXTEND, old_end)
        created += 1
    return created


def _phase_out(today) -> int:
    """Phase-out plans: the line the plans step closed is step 1; a second line (not the
    rent) follows from next month; budgetbeheer with weekgeld gets maandgeld from then."""
    next_month = add_months(today.replace(day=1), 1)
    plans = (
        Plan.objects.filter(participant__phase=Phase.PHASE_OUT, status__in=OPEN_PLAN_STATUSES)
        .exclude(phase_out_steps__isnull=False)
        .select_related("participant", "regeling")
        .order_by("pk")
    )
    done = 0
    for plan in plans:
        user = _user(plan.participant)
        lines = list(plan.lines.order_by("pk"))
        closed = [line for line in lines if line.ends_on is not None]
        order = 0
        for line in closed[:1]:
            order += 1
            PhaseOutStep.objects.create(
                plan=plan,
                line=line,
                order=order,
                from_on=line.ends_on + timedelta(days=1),
                note="deelnemer koos deze als eerste",
                recorded_by=user,
            )
        following = [
            line
            for line in lines
            if line.ends_on is None
            and line.category != CostCategory.HUUR
            and line.starts_on < next_month <= plan.planned_end_on
        ]
        for line in following[:1]:
            order += 1
            line.ends_on = next_month - timedelta(days=1)
            line.save(update_fields=["ends_on"])
            PhaseOutStep.objects.create(
                plan=plan,
                line=line,
                order=order,
                from_on=next_month,
                note="eigen incasso afgesproken",
                recorded_by=user,
            )
        regeling = plan.regeling
        if (
            regeling.mode == Mode.BUDGETBEHEER
            and regeling.allowance_frequency == AllowanceFrequency.WEEKLY
            and plan.monthly_allowance_from is None
            and next_month <= plan.planned_end_on
        ):
            plan.monthly_allowance_from = next_month
            plan.save(update_fields=["monthly_allowance_from"])
        done += 1 if order else 0
    return done


def _endings(today) -> dict:
    """Participants in nazorg or ended: an ended plan (applicants), its end evaluation or
    a job, and the nazorg period."""
    counts = {"nazorg": 0, "werk": 0, "evaluaties": 0}
    creditors = None
    people = (
        Participant.objects.filter(phase__in=(Phase.NAZORG, Phase.ENDED))
        .exclude(nazorg_periods__isnull=False)
        .exclude(outflows__isnull=False)
        .select_related("regeling__region", "household", "case_worker")
        .prefetch_related("regeling__package_items")
        .order_by("bsn")
    )
    for number, participant in enumerate(people):
        rng = random.Random(f"{SEED}-{participant.bsn}")
        regeling = participant.regeling
        start_on = plan_services.default_start_on(participant) or participant.arrival_on
        planned = planned_end_on(start_on, regeling.min_duration_months)
        end_on = min(planned, today - timedelta(days=rng.randint(14, 40)))
        if end_on <= start_on:
            continue
        plan = None
        if participant.household_role == HouseholdRole.APPLICANT and not participant.plans.exists():
            if creditors is None:
                creditors = demo_plans._creditors()
            demo_plans._plan(participant, creditors, rng, today)
            plan = participant.plans.get()
        elif participant.plans.exists():
            plan = participant.plans.order_by("-start_on").first()
        works = participant.phase == Phase.NAZORG and number % WORK_EVERY == 0
        if plan is not None:
            _end_plan(plan, end_on)
            if works:
                _job(participant, plan, end_on + timedelta(days=1), rng)
                counts["werk"] += 1
            else:
                early = end_on < planned
                _end_evaluation(plan, end_on, early)
                counts["evaluaties"] += 1
        _nazorg(participant, plan, end_on, today)
        counts["nazorg"] += 1
    return counts


def _end_plan(plan, end_on) -> None:
    plan.ended_on = end_on
    plan.status = PlanStatus.ENDED
    plan.save(update_fields=["ended_on", "status"])
    plan.lines.filter(ends_on__isnull=True).update(ends_on=end_on)
    plan.lines.filter(ends_on__gt=end_on).update(ends_on=end_on)


def _end_evaluation(plan, end_on, early: bool) -> None:
    participant = plan.participant
    if early:
        outcome = Outcome.EARLY_END
        reason = (
            "Maatwerk, eerder stoppen op verzoek van de deelnemer: wil zelf betalen en "
            "is volgens de meting al zelfredzaam."
        )
    else:
        outcome = Outcome.END
        reason = "Exitniveau bereikt; deelnemer betaalt de vaste lasten voortaan zelf."
    decision = PlanDecision.objects.create(
        plan=plan,
        kind=PlanDecisionKind.END,
        new_end_on=end_on,
        reason=reason,
        decided_on=end_on - timedelta(days=21),
        decided_by=_user(participant),
    )
    _evaluation(plan, decision, outcome, VIEWS_END, plan.planned_end_on)


def _job(participant, plan, starts_on, rng) -> None:
    employer, hours = rng.choice(EMPLOYERS)
    wages = rng.randint(*WAGES_CENTS) // 100 * 100
    Income.objects.filter(
        participant=participant, kind=IncomeKind.BIJSTAND, valid_from__lt=starts_on
    ).update(valid_to=starts_on - timedelta(days=1))
    Income.objects.create(
        participant=participant,
        kind=IncomeKind.WAGES,
        amount_cents=wages,
        valid_from=starts_on,
        note="inkomen uit werk na uitstroom",
    )
    Outflow.objects.create(
        participant=participant,
        plan=plan,
        starts_on=starts_on,
        employer=employer,
        hours_per_week=hours,
        wages_cents=wages,
        recorded_by=_user(participant),
    )


def _nazorg(participant, plan, end_on, today) -> None:
    starts_on = end_on + timedelta(days=1)
    regeling = participant.regeling
    ends_on = nazorg_end_on(end_on, regeling.nazorg_months, regeling.followup_months_after_end)
    if participant.phase == Phase.NAZORG:
        # Still in nazorg today, whatever the regeling's length says for these demo dates.
        NazorgPeriod.objects.create(
            participant=participant,
            plan=plan,
            starts_on=starts_on,
            ends_on=max(ends_on, today + timedelta(days=14)),
        )
    else:
        last = max(min(ends_on, today - timedelta(days=1)), starts_on)
        NazorgPeriod.objects.create(
            participant=participant,
            plan=plan,
            starts_on=starts_on,
            ends_on=last,
            closed_on=last,
            end_reason=NazorgEnd.EXPIRED,
        )


def _working_in_budgetbeheer(today) -> int:
    """Budgetbeheer that goes on on wages: two active participants found a job last month."""
    plans = (
        Plan.objects.filter(
            status__in=(PlanStatus.ACTIVE,),
            participant__phase=Phase.ACTIVE,
            regeling__mode=Mode.BUDGETBEHEER,
            regeling__continues_on_wages=True,
        )
        .select_related("participant")
        .order_by("participant__bsn")[:2]
    )
    created = 0
    starts_on = add_months(today.replace(day=1), -1)
    for plan in plans:
        participant = plan.participant
        if participant.outflows.exists() or plan.start_on >= starts_on:
            continue
        _job(participant, plan, starts_on, random.Random(f"{SEED}-{participant.bsn}"))
        created += 1
    return created
