"""Recording measurements, the exit level driving "ready to end", and what is due."""

from datetime import date

import pytest

from ontzorg.audit.models import AuditEntry
from ontzorg.core.dates import planned_end_on
from ontzorg.exceptions import PermissionDenied, Refused
from ontzorg.measurements import services
from ontzorg.measurements.constants import Moment, Perspective, ScheduleStatus
from ontzorg.measurements.models import Assignment, ChecklistItem, Measurement
from ontzorg.participants.constants import Phase
from ontzorg.participants.tests.factories import (
    ParticipantFactory,
    active_participant,
    participant_in,
)
from ontzorg.plans import services as plans
from ontzorg.plans.constants import PlanDecisionKind
from ontzorg.regelingen.constants import PlanStart
from ontzorg.regelingen.tests.factories import InstrumentFactory, RegelingFactory

from .factories import MeasurementFactory, three_level_instrument

pytestmark = pytest.mark.django_db


@pytest.fixture
def zrm(regeling):
    instrument = InstrumentFactory(name="ZRM Financiën")
    regeling.instruments.add(instrument)
    return instrument


@pytest.fixture
def participant(regeling):
    return ParticipantFactory(regeling=regeling, bijstand_start_on=date(2025, 9, 1))


def _record(user, participant, instrument, rank, **kwargs):
    values = dict(
        instrument=instrument,
        moment=Moment.NULMETING,
        measured_on=date(2025, 9, 15),
        level=instrument.levels.get(rank=rank),
        perspective=Perspective.CASE_WORKER,
    )
    return services.record_measurement(user, participant, **{**values, **kwargs})


@pytest.mark.parametrize(("rank", "ready"), [(3, False), (4, True), (5, True)])
def test_zrm_exit_level_drives_ready_to_end(klantmanager, participant, zrm, rank, ready):
    _record(klantmanager, participant, zrm, 1)
    _record(
        klantmanager, participant, zrm, rank, moment=Moment.EINDMETING, measured_on=date(2026, 2, 1)
    )

    readiness = services.is_ready_to_end(participant)

    assert readiness.ready is ready
    assert readiness.measurement.level.rank == rank
    assert "exitniveau 4. voldoende zelfredzaam" in readiness.explanation


def test_three_level_scale_is_ready_only_at_zelfredzaam(klantmanager, participant, regeling):
    scale = three_level_instrument()
    regeling.instruments.add(scale)

    _record(klantmanager, participant, scale, 2)
    assert not services.is_ready_to_end(participant).ready

    _record(klantmanager, participant, scale, 3, measured_on=date(2026, 1, 10))
    assert services.is_ready_to_end(participant).ready


def test_the_latest_measurement_counts_not_the_best(klantmanager, participant, zrm):
    _record(klantmanager, participant, zrm, 4, measured_on=date(2025, 12, 1))
    _record(klantmanager, participant, zrm, 2, measured_on=date(2026, 1, 5))

    readiness = services.is_ready_to_end(participant)

    assert not readiness.ready
    assert "2. niet zelfredzaam" in readiness.explanation


def test_own_view_alone_does_not_make_ready(klantmanager, participant, zrm):
    _record(klantmanager, participant, zrm, 2)
    _record(
        klantmanager,
        participant,
        zrm,
        5,
        perspective=Perspective.PARTICIPANT,
        measured_on=date(2026, 1, 1),
    )

    assert not services.is_ready_to_end(participant).ready


def test_no_measurement_is_not_ready(participant):
    readiness = services.is_ready_to_end(participant)

    assert not readiness.ready
    assert readiness.measurement is None


def test_a_level_of_another_instrument_is_refused(klantmanager, participant, zrm, regeling):
    scale = three_level_instrument()
    regeling.instruments.add(scale)

    with pytest.raises(Refused):
        _record(klantmanager, participant, zrm, 1, level=scale.levels.get(rank=1))
    assert not Measurement.objects.exists()


def test_model_validation_refuses_a_foreign_level(zrm):
    from django.core.exceptions import ValidationError

    other = three_level_instrument()
    measurement = MeasurementFactory.build(instrument=zrm, level=other.levels.get(rank=1))

    with pytest.raises(ValidationError):
        measurement.clean()


def test_an_instrument_outside_the_regeling_is_refused(klantmanager, participant):
    stranger = InstrumentFactory(name="Andere regio")

    with pytest.raises(Refused):
        _record(klantmanager, participant, stranger, 1)


def test_recording_is_audited_with_the_participant(klantmanager, participant, zrm):
    measurement = _record(klantmanager, participant, zrm, 3, notes="  samen met de coach  ")

    entry = AuditEntry.objects.get(
        object_id=str(measurement.pk), object_type="measurements.Measurement"
    )
    assert entry.participant == participant
    assert entry.actor == klantmanager
    assert measurement.notes == "samen met de coach"
    assert measurement.organisation == klantmanager.organisation


def test_checklist_answers_and_assignment_scores(klantmanager, participant, regeling):
    checklist = three_level_instrument("Vaardighedenchecklist")
    regeling.instruments.add(checklist)
    bill = ChecklistItem.objects.create(instrument=checklist, order=1, text="betaalt een rekening")
    letter = ChecklistItem.objects.create(instrument=checklist, order=2, text="leest een brief")
    budget = Assignment.objects.create(
        instrument=checklist, order=1, text="maakt een maandbegroting", max_score=5
    )

    measurement = _record(
        klantmanager,
        participant,
        checklist,
        2,
        answers={bill.pk: True, letter.pk: False},
        scores={budget.pk: 4},
    )

    assert {(a.item.text, a.can_do) for a in measurement.answers.all()} == {
        ("betaalt een rekening", True),
        ("leest een brief", False),
    }
    assert [(s.score, s.max_score) for s in measurement.scores.all()] == [(4, 5)]
    with pytest.raises(Refused):
        _record(klantmanager, participant, checklist, 2, scores={budget.pk: 6})


def test_only_roles_that_record_guidance(backoffice, participant, zrm):
    with pytest.raises(PermissionDenied):
        _record(backoffice, participant, zrm, 1)


def test_a_participant_of_another_region_is_not_found(klantmanager, zrm):
    elsewhere = ParticipantFactory()
    elsewhere.regeling.instruments.add(zrm)

    with pytest.raises(PermissionDenied):
        _record(klantmanager, elsewhere, zrm, 1)


def test_a_future_measurement_is_refused(klantmanager, participant, zrm):
    with pytest.raises(Refused):
        _record(klantmanager, participant, zrm, 1, measured_on=date(2999, 1, 1))


def test_schedule_starts_on_lease_signed_when_the_regeling_says_so(participant):
    regeling = RegelingFactory(
        plan_start=PlanStart.LEASE_SIGNED, min_duration_months=12, followup_months_after_end=12
    )
    person = ParticipantFactory(
        regeling=regeling, bijstand_start_on=date(2025, 9, 1), lease_signed_on=date(2025, 10, 15)
    )

    moments = {m.moment: m.due_on for m in services.schedule_for(person, date(2025, 10, 15))}

    assert moments[Moment.NULMETING] == date(2025, 10, 15)
    # The last day is 14 October 2026 (inclusive, as a plan's); the vervolgmeting a year after.
    assert moments[Moment.FOLLOW_UP] == date(2027, 10, 15)


def test_due_measurements_on_a_given_day(klantmanager, regeling, zrm):
    regeling.endmeasurement_months_before_end = 2
    regeling.save()
    measured = active_participant(regeling, bijstand_start_on=date(2025, 9, 1), last_name="Bakker")
    MeasurementFactory(participant=measured, instrument=zrm, measured_on=date(2025, 9, 2))
    late = active_participant(regeling, bijstand_start_on=date(2025, 9, 1), last_name="Amrani")
    participant_in(Phase.ENDED, regeling, bijstand_start_on=date(2025, 9, 1))
    active_participant(bijstand_start_on=date(2025, 9, 1))  # another region

    items = services.due_measurements(klantmanager, date(2025, 11, 20))

    assert [(i.participant, i.moment.moment, i.moment.status) for i in items] == [
        (late, Moment.NULMETING, ScheduleStatus.OVERDUE),
        (late, Moment.TUSSENMETING, ScheduleStatus.DUE),
        (measured, Moment.TUSSENMETING, ScheduleStatus.DUE),
    ]
    assert all(i.moment.moment != Moment.EINDMETING for i in items)  # 1 January: later


def test_the_schedule_ends_on_the_plans_last_day_and_follows_an_extension(
    klantmanager, regeling, frozen_clock
):
    regeling.min_duration_months, regeling.max_extension_months = 6, 6
    regeling.save()
    person = ParticipantFactory(regeling=regeling, bijstand_start_on=date(2026, 1, 1))
    before_the_plan = services.trajectory_dates(person)

    plan = plans.create_plan(klantmanager, person)

    # One rule: the schedule without a plan ends where the plan does, on its last day.
    assert before_the_plan == services.trajectory_dates(person)
    assert (
        before_the_plan
        == (date(2026, 1, 1), date(2026, 6, 30))
        == (
            plan.start_on,
            plan.planned_end_on,
        )
    )
    new_end = planned_end_on(plan.start_on, 9)
    plans.decide_end_or_extend(
        klantmanager, plan, PlanDecisionKind.EXTEND, new_end, "Nog niet zelfredzaam genoeg."
    )

    due = {m.moment: m.due_on for m in services.schedule_for(person)}
    assert services.trajectory_dates(person) == (date(2026, 1, 1), date(2026, 9, 30))
    assert due[Moment.EINDMETING] == date(2026, 9, 30)
