"""Acceptance of issue 5 at trajectory level: the schedule follows the regeling and the
plan (also after an extension and after the end), the exit level per instrument drives the
"ready to end" indication beside the decision, signals in nazorg still reach the former case
worker, and guidance (recorded by a partner coach for their own participants only) adds up
per participant and per organisation, also after a job."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ontzorg.core.dates import add_months, planned_end_on
from ontzorg.exceptions import PermissionDenied, Refused
from ontzorg.guidance import services as guidance
from ontzorg.measurements import services as measurements
from ontzorg.measurements.constants import Moment, ScheduleStatus
from ontzorg.measurements.tests.factories import three_level_instrument
from ontzorg.participants.constants import Phase
from ontzorg.participants.models import Participant
from ontzorg.participants.tests.factories import ParticipantFactory
from ontzorg.regelingen.tests.factories import InstrumentFactory, RegelingFactory
from ontzorg.signals.constants import SignalKind
from ontzorg.signals.services import raise_internal
from ontzorg.trajectory import services
from ontzorg.trajectory.constants import Outcome

from .factories import measure, running_plan

VIEWS = dict(
    participant_view="Ik kan het nu zelf, ik betaal op tijd.",
    case_worker_view="Geen achterstanden gezien het afgelopen halfjaar.",
)


def _due(participant) -> dict:
    return {m.moment: m.due_on for m in measurements.schedule_for(participant)}


def test_edam_volendam_eindmeting_two_months_before_the_end_moves_with_an_extension(
    klantmanager, region
):
    edam = RegelingFactory(region=region, endmeasurement_months_before_end=2)
    plan, _, _ = running_plan(edam, months_ago=3)
    participant = plan.participant
    assert _due(participant)[Moment.EINDMETING] == add_months(
        plan.planned_end_on + timedelta(days=1), -2
    )

    new_end = planned_end_on(plan.start_on, 9)
    services.record_evaluation(
        klantmanager,
        plan,
        held_on=timezone.localdate(),
        outcome=Outcome.EXTEND,
        new_end_on=new_end,
        reason="Nog niet zelfredzaam, verlengen met drie maanden.",
        **VIEWS,
    )
    participant = Participant.objects.get(pk=participant.pk)
    assert _due(participant)[Moment.EINDMETING] == add_months(new_end + timedelta(days=1), -2)


def test_hendrik_ido_ambacht_follow_up_one_year_after_the_end_in_nazorg(klantmanager, region):
    hia = RegelingFactory(
        region=region, min_duration_months=12, followup_months_after_end=12, ends_all_at_once=True
    )
    plan, _, _ = running_plan(hia, months_ago=11)
    services.record_evaluation(
        klantmanager,
        plan,
        held_on=timezone.localdate(),
        outcome=Outcome.END,
        reason="Zelfredzaam, het budgetbeheer stopt.",
        **VIEWS,
    )
    plan.refresh_from_db()
    participant = Participant.objects.get(pk=plan.participant_id)
    assert participant.phase == Phase.NAZORG
    follow_up = next(
        m for m in measurements.schedule_for(participant) if m.moment == Moment.FOLLOW_UP
    )
    assert follow_up.due_on == add_months(plan.ended_on + timedelta(days=1), 12)
    assert follow_up.status == ScheduleStatus.PLANNED
    # Nazorg lasts until the vervolgmeting can be done, so it stays on the agenda.
    day = follow_up.due_on - timedelta(days=1)
    assert services.end_expired_nazorg(day) == 0
    due = measurements.due_measurements(klantmanager, day, until=follow_up.due_on)
    assert (participant.pk, Moment.FOLLOW_UP) in [(d.participant.pk, d.moment.moment) for d in due]


@pytest.mark.parametrize(("rank", "allowed"), [(3, False), (4, True), (5, True)])
def test_zrm_exit_level_decides_whether_an_early_end_is_possible(
    klantmanager, regeling, rank, allowed
):
    zrm = InstrumentFactory(name="ZRM Financiën")  # exit at 4 (and 5)
    regeling.instruments.add(zrm)
    plan, _, _ = running_plan(regeling, months_ago=3)
    measure(plan.participant, zrm, rank)
    arguments = dict(
        held_on=timezone.localdate(),
        outcome=Outcome.EARLY_END,
        new_end_on=timezone.localdate() + timedelta(days=10),
        reason="Deelnemer vraagt zelf om te stoppen.",
        **VIEWS,
    )
    if not allowed:
        with pytest.raises(Refused, match="exitniveau"):
            services.record_evaluation(klantmanager, plan, **arguments)
        return
    evaluation = services.record_evaluation(klantmanager, plan, **arguments)
    assert evaluation.ready_to_end and evaluation.measurement.level.rank == rank


def test_three_level_scale_exit_is_zelfredzaam(klantmanager, regeling):
    scale = three_level_instrument()
    regeling.instruments.add(scale)
    plan, _, _ = running_plan(regeling, months_ago=3)
    measure(plan.participant, scale, 2)
    evaluation = services.record_evaluation(
        klantmanager,
        plan,
        held_on=timezone.localdate(),
        outcome=Outcome.END,
        reason="Einde van de minimale periode bereikt.",
        **VIEWS,
    )
    assert not evaluation.ready_to_end  # recorded beside the decision as it was
    assert "onder het exitniveau" in evaluation.readiness


def test_signals_in_nazorg_still_reach_the_former_case_worker(klantmanager, coach, regeling):
    plan, _, _ = running_plan(regeling, case_worker=klantmanager, coach=coach)
    services.record_evaluation(
        klantmanager,
        plan,
        held_on=timezone.localdate(),
        outcome=Outcome.END,
        reason="Zelfredzaam, ontzorgen stopt.",
        **VIEWS,
    )
    participant = Participant.objects.get(pk=plan.participant_id)
    signal = raise_internal(SignalKind.NEGATIVE_BALANCE, participant, "Saldo onder nul")
    assert signal.after_end and signal.assigned_to == klantmanager


def test_partner_coach_records_contacts_for_own_participants_only_and_hours_add_up(
    coach, klantmanager, partner_org, regeling
):
    mine, _, _ = running_plan(regeling, guidance_organisation=partner_org)
    other = ParticipantFactory(regeling=regeling)
    today = timezone.localdate()
    guidance.record_contact(
        coach, mine.participant, kind="home_visit", occurred_on=today, duration_minutes=60
    )
    with pytest.raises(PermissionDenied):
        guidance.record_contact(coach, other, kind="phone", occurred_on=today, duration_minutes=15)
    # After a job, guidance goes on and keeps adding up.
    services.record_job(
        klantmanager,
        mine.participant,
        starts_on=today.replace(day=1),
        employer="Zorgcentrum De Linde",
    )
    guidance.record_contact(
        coach, mine.participant, kind="phone", occurred_on=today, duration_minutes=30
    )
    guidance.record_contact(
        klantmanager, mine.participant, kind="office", occurred_on=today, duration_minutes=45
    )
    guidance.record_contact(
        klantmanager, other, kind="office", occurred_on=today, duration_minutes=20
    )
    hours = {p.pk: p.guidance_minutes for p in guidance.hours_per_participant(klantmanager)}
    assert hours[mine.participant_id] == 135 and hours[other.pk] == 20
    per_org = {
        (row.organisation.name if row.organisation else None): row.total_minutes
        for row in guidance.hours_per_organisation(klantmanager)
    }
    assert per_org == {"VluchtelingenWerk": 90, klantmanager.organisation.name: 65}
    # The coach sees only their own participant's hours.
    assert {p.pk for p in guidance.hours_per_participant(coach)} == {mine.participant_id}
