"""Demo step: a plausible trajectory for every demo participant who has started: a
nulmeting, for longer-running ones a tussenmeting and eindmeting (and the vervolgmeting in
Hendrik-Ido-Ambacht), contacts with their durations, group activities per regeling with
sessions and attendance, and a few practical conditions (childcare, travel costs).

Levels rise over the trajectory; those in phase-out, nazorg or ended reach the exit level,
extended ones stay below it. A few moments are left open so the agenda shows overdue work.
Planned from a fixed seed; a participant who already has measurements (or contacts) and a
regeling that already has activities are left alone, so loading twice changes nothing."""

import random
from datetime import timedelta

from django.utils import timezone

from ontzorg.accounts.constants import RoleCode
from ontzorg.accounts.models import User
from ontzorg.guidance.constants import ConditionKind, ContactKind, LevelGroup
from ontzorg.guidance.models import (
    Activity,
    Attendance,
    Contact,
    Enrollment,
    PracticalCondition,
    Session,
)
from ontzorg.measurements import schedule, services
from ontzorg.measurements.constants import Moment, Perspective
from ontzorg.measurements.models import (
    Assignment,
    AssignmentScore,
    ChecklistAnswer,
    ChecklistItem,
    Measurement,
)
from ontzorg.participants.constants import Phase
from ontzorg.participants.models import Participant
from ontzorg.regelingen.constants import InstrumentPurpose
from ontzorg.regelingen.models import Instrument, Regeling

from .regions import CHECKLIST

SEED = 20251201

STARTED = (Phase.ACTIVE, Phase.EXTENDED, Phase.PHASE_OUT, Phase.NAZORG, Phase.ENDED)
# Phases whose last measurement reached the exit level (the decision to end followed it).
REACHED_EXIT = (Phase.PHASE_OUT, Phase.NAZORG, Phase.ENDED)

SKILLS = [
    "betaalt een rekening via internetbankieren",
    "leest een brief van de Belastingdienst",
    "maakt een maandbegroting",
    "weet welke vaste lasten er zijn en wanneer ze worden betaald",
    "vraagt toeslagen aan of wijzigt ze",
    "herkent een aanmaning en weet wat te doen",
    "bewaart belangrijke papieren geordend",
    "spaart voor onverwachte uitgaven",
    "controleert het saldo voordat er iets wordt gekocht",
    "weet waar hulp te vragen bij geldzorgen",
]
ASSIGNMENTS = [
    ("Maak een maandbegroting met de eigen inkomsten en vaste lasten", 10),
    ("Betaal een (oefen)rekening via internetbankieren", 10),
    ("Lees een brief van de Belastingdienst en zeg wat er moet gebeuren", 10),
    ("Zoek de betaaldatum van de uitkering en plan de incasso's erna", 10),
]
CONTACT_KINDS = [ContactKind.HOME_VISIT, ContactKind.PHONE, ContactKind.OFFICE, ContactKind.VIDEO]
CONTACT_WEIGHTS = [4, 4, 3, 1]


def load(stdout) -> None:
    today = timezone.localdate()
    rng = random.Random(SEED)
    _checklist_content()
    staff = _staff()
    participants = list(
        Participant.objects.filter(phase__in=(Phase.INTAKE, *STARTED))
        .select_related("regeling__region", "case_worker", "coach", "guidance_organisation")
        .prefetch_related("regeling__instruments__levels", "plans")
        .order_by("pk")
    )
    measured = set(Measurement.objects.values_list("participant_id", flat=True).distinct())
    contacted = set(Contact.objects.values_list("participant_id", flat=True).distinct())
    counts = {"metingen": 0, "contacten": 0, "activiteiten": 0}
    for participant in participants:
        start, end = services.trajectory_dates(participant)
        if start is None or start > today:
            continue
        assessor = _assessor(participant, staff)
        if assessor is None:
            continue
        # One generator per person: a rerun makes the same choices, also the choice to skip.
        own = random.Random(f"{SEED}-{participant.bsn}")
        if participant.pk not in measured:
            counts["metingen"] += _measurements(own, participant, start, end, today, assessor)
        if participant.pk not in contacted:
            counts["contacten"] += _contacts(own, participant, start, end, today, assessor)
    for regeling in Regeling.objects.prefetch_related("trainings").select_related("region"):
        if not regeling.activities.exists():
            counts["activiteiten"] += _activities(rng, regeling, today, staff)
    stdout.write(
        f"Traject: {counts['metingen']} metingen, {counts['contacten']} contacten, "
        f"{counts['activiteiten']} groepsactiviteiten."
    )


def _checklist_content():
    instrument = Instrument.objects.filter(name=CHECKLIST).first()
    if instrument is None:
        return
    for order, text in enumerate(SKILLS, start=1):
        ChecklistItem.objects.get_or_create(
            instrument=instrument, order=order, defaults={"text": text}
        )
    for order, (text, max_score) in enumerate(ASSIGNMENTS, start=1):
        Assignment.objects.get_or_create(
            instrument=instrument, order=order, defaults={"text": text, "max_score": max_score}
        )


def _staff() -> dict:
    """Per region id the klantmanagers; per organisation id its coaches."""
    result = {"km": {}, "coach": {}}
    users = User.objects.filter(
        role__code__in=(RoleCode.KLANTMANAGER, RoleCode.BUDGETCOACH), is_active=True
    ).select_related("organisation", "role")
    for user in users.order_by("pk"):
        if user.organisation is None:
            continue
        if user.role.code == RoleCode.KLANTMANAGER and user.organisation.region_id:
            result["km"].setdefault(user.organisation.region_id, user)
        elif user.role.code == RoleCode.BUDGETCOACH:
            result["coach"].setdefault(user.organisation_id, user)
    return result


def _assessor(participant, staff):
    coach = participant.coach or staff["coach"].get(participant.guidance_organisation_id)
    return coach or participant.case_worker or staff["km"].get(participant.regeling.region_id)


def _perspective(participant, user, rng) -> str:
    if participant.regeling.region.slug == "capelle":
        return Perspective.JOINT  # Capelle assesses together with the participant
    if user.role.code == RoleCode.BUDGETCOACH:
        return Perspective.COACH
    return Perspective.CASE_WORKER if rng.random() < 0.8 else Perspective.JOINT


def _measurements(rng, participant, start, end, today, user) -> int:
    instruments = [i for i in participant.regeling.instruments.all() if i.is_self_reliance]
    if not instruments:
        return 0
    instrument = instruments[0]
    levels = sorted(instrument.levels.all(), key=lambda lv: lv.rank)
    exit_rank = min((lv.rank for lv in levels if lv.is_exit), default=levels[-1].rank)
    rules = services.rules_for(participant.regeling)
    rank = rng.choice([1, 1, 2]) if exit_rank > 2 else 1
    created = 0
    due = schedule.due_moments(rules, start, end)
    for index, moment in enumerate(due):
        # A few intakes and tussenmetingen stay open, so the agenda has overdue work.
        if moment.due_on > today or rng.random() < 0.08:
            continue
        is_last_done = index + 1 == len(due) or due[index + 1].due_on > today
        if index:
            rank = min(rank + rng.choice([0, 1, 1, 2]), levels[-1].rank)
        if moment.moment in (Moment.EINDMETING, Moment.FOLLOW_UP) or is_last_done:
            if participant.phase in REACHED_EXIT:
                rank = max(rank, exit_rank)
            elif participant.phase == Phase.EXTENDED:
                rank = min(rank, exit_rank - 1)
        measured_on = min(moment.due_on + timedelta(days=rng.randint(-5, 10)), today)
        level = next(lv for lv in levels if lv.rank == rank)
        measurement = Measurement.objects.create(
            participant=participant,
            instrument=instrument,
            moment=moment.moment,
            measured_on=max(measured_on, start),
            level=level,
            perspective=_perspective(participant, user, rng),
            assessed_by=user,
            organisation=user.organisation,
        )
        _details(rng, measurement, rank, levels[-1].rank)
        created += 1
    outcomes = [i for i in participant.regeling.instruments.all() if not i.is_self_reliance]
    if outcomes:
        done = list(participant.measurements.self_reliance().values_list("moment", "measured_on"))
        # Its own generator, so the choices for contacts stay what they were without it.
        own = random.Random(f"{SEED}-{participant.bsn}-uitkomsten")
        created += sum(_outcome(own, participant, i, done, user) for i in outcomes)
    return created


def _outcome(rng, participant, instrument, done, user) -> int:
    """Stress, language or agencies approached at the moments self-reliance was measured:
    mostly a little better each time."""
    levels = sorted(instrument.levels.all(), key=lambda lv: lv.rank)
    value = rng.randint(1, 2) if levels else rng.randint(0, 2)
    for index, (moment, measured_on) in enumerate(done):
        if index:
            value += rng.choice([0, 1, 1]) if levels else rng.randint(0, 4)
        Measurement.objects.create(
            participant=participant,
            instrument=instrument,
            moment=moment,
            measured_on=measured_on,
            level=levels[min(value, len(levels)) - 1] if levels else None,
            count=None if levels else min(value, instrument.max_count),
            perspective=Perspective.PARTICIPANT
            if instrument.purpose == InstrumentPurpose.STRESS
            else _perspective(participant, user, rng),
            assessed_by=user,
            organisation=user.organisation,
        )
    return len(done)


def _details(rng, measurement, rank, top):
    """Edam-Volendam: checklist answers at intake, assignment scores at the re-test."""
    share = rank / top
    if measurement.moment == Moment.NULMETING:
        ChecklistAnswer.objects.bulk_create(
            ChecklistAnswer(measurement=measurement, item=item, can_do=rng.random() < share)
            for item in ChecklistItem.objects.filter(instrument=measurement.instrument_id)
        )
    else:
        AssignmentScore.objects.bulk_create(
            AssignmentScore(
                measurement=measurement,
                assignment=a,
                score=min(a.max_score, round(a.max_score * share) + rng.randint(-2, 1)),
                max_score=a.max_score,
            )
            for a in Assignment.objects.filter(instrument=measurement.instrument_id)
        )


def _contacts(rng, participant, start, end, today, user) -> int:
    last = min(today, end + timedelta(days=60))
    day, rows = start + timedelta(days=rng.randint(0, 7)), []
    while day <= last:
        rows.append(
            Contact(
                participant=participant,
                kind=rng.choices(CONTACT_KINDS, CONTACT_WEIGHTS)[0],
                occurred_on=day,
                duration_minutes=rng.choice([15, 20, 30, 45, 45, 60, 60, 90]),
                with_interpreter=participant.needs_interpreter and rng.random() < 0.7,
                recorded_by=user,
                organisation=user.organisation,
            )
        )
        # Weekly at first, then less often as the participant manages more alone.
        gap = 7 if day - start < timedelta(days=60) else rng.choice([14, 21, 28])
        day += timedelta(days=gap)
    Contact.objects.bulk_create(rows)
    return len(rows)


def _activities(rng, regeling, today, staff) -> int:
    trainings = [t for t in regeling.trainings.all() if t.sessions > 1][:2]
    members = list(Participant.objects.filter(regeling=regeling, phase__in=STARTED).order_by("pk"))
    organiser = staff["km"].get(regeling.region_id)
    if not trainings or not members or organiser is None:
        return 0
    created = 0
    for number, training in enumerate(trainings):
        if regeling.region.slug == "den-haag":
            group = [LevelGroup.BASIC, LevelGroup.ADVANCED][number % 2]
        else:
            group = LevelGroup.ALL
        partner = next(
            (m.guidance_organisation for m in members if m.guidance_organisation_id), None
        )
        activity = Activity.objects.create(
            regeling=regeling,
            training=training,
            name=f"{training.name} {today.year}",
            level_group=group,
            organisation=partner,
            location="Buurthuis De Brug",
            created_by=organiser,
        )
        first_on = today - timedelta(days=7 * (training.sessions - 2) + rng.randint(0, 6))
        sessions = [
            Session.objects.create(
                activity=activity,
                held_on=first_on + timedelta(days=7 * i),
                duration_minutes=120,
                topic=f"Bijeenkomst {i + 1}",
            )
            for i in range(training.sessions)
        ]
        group_members = rng.sample(members, min(len(members), rng.randint(8, 12)))
        Enrollment.objects.bulk_create(
            Enrollment(activity=activity, participant=m, enrolled_on=first_on - timedelta(days=7))
            for m in group_members
        )
        # The latest past session's attendance is left open, as it often is in practice.
        past = [s for s in sessions if s.held_on < today][:-1]
        Attendance.objects.bulk_create(
            Attendance(session=s, participant=m, attended=rng.random() < 0.8, recorded_by=organiser)
            for s in past
            for m in group_members
        )
        PracticalCondition.objects.bulk_create(
            PracticalCondition(
                participant=m,
                activity=activity,
                kind=kind,
                description=description,
                provided_on=first_on,
                cost_cents=cost,
                recorded_by=organiser,
            )
            for m, (kind, description, cost) in zip(
                group_members[:3],
                [
                    (ConditionKind.CHILDCARE, "oppas tijdens de bijeenkomsten", 4800),
                    (ConditionKind.TRAVEL, "buskaart", 1250),
                    (ConditionKind.TRAVEL, "buskaart", 1250),
                ],
                strict=False,
            )
        )
        created += 1
    return created
