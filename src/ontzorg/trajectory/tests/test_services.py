"""Trajectory services: evaluation and decisions, phase-out, weekgeld to maandgeld, outflow
to work, nazorg. Money effects are checked through the payment run's own reads."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ontzorg.audit.models import AuditEntry
from ontzorg.core.dates import add_months, planned_end_on
from ontzorg.exceptions import PermissionDenied, Refused
from ontzorg.participants.constants import Phase
from ontzorg.payments import services as payments
from ontzorg.payments.models import PaymentInstruction
from ontzorg.payments.tests.factories import debtor_account
from ontzorg.plans import reading
from ontzorg.plans.constants import PlanDecisionKind, PlanStatus
from ontzorg.regelingen.constants import AllowanceFrequency, Mode, Weekday
from ontzorg.regelingen.tests.factories import InstrumentFactory, RegelingFactory
from ontzorg.trajectory import services
from ontzorg.trajectory.constants import NazorgEnd, Outcome
from ontzorg.trajectory.models import Evaluation, NazorgPeriod, PhaseOutStep

from .factories import measure, running_plan, this_month

VIEWS = dict(
    participant_view="Ik kan het nu zelf, ik betaal mijn rekeningen op tijd.",
    case_worker_view="Geen achterstanden, post wordt zelf gelezen en begrepen.",
    coach_view="Maakt zelf een maandbegroting.",
)


@pytest.fixture
def zrm(regeling):
    instrument = InstrumentFactory(name="ZRM Financiën")
    regeling.instruments.add(instrument)
    return instrument


@pytest.fixture
def running(regeling):
    return running_plan(regeling)


def _paid_lines(backoffice, region, period) -> set[int]:
    """The plan lines the real payment run pays in `period`; the run is cancelled after, so
    the month can be computed again."""
    debtor_account(region)
    run = payments.prepare_run(backoffice, region, period)
    paid = set(
        PaymentInstruction.objects.filter(run=run, plan_line__isnull=False).values_list(
            "plan_line_id", flat=True
        )
    )
    payments.cancel_run(backoffice, run)
    return paid


# --- evaluation and decisions -----------------------------------------------------------------


def test_extension_moves_the_planned_end_and_the_payment_run_follows(
    klantmanager, backoffice, regeling, running
):
    plan, rent, energy = running
    old_end = plan.planned_end_on
    after_old_end = add_months(old_end.replace(day=1), 1)
    assert _paid_lines(backoffice, regeling.region, after_old_end) == set()

    new_end = planned_end_on(plan.start_on, 9)
    evaluation = services.record_evaluation(
        klantmanager,
        plan,
        held_on=timezone.localdate(),
        outcome=Outcome.EXTEND,
        new_end_on=new_end,
        reason="Nog niet zelfredzaam: brieven van de Belastingdienst blijven lastig.",
        **VIEWS,
    )

    plan.refresh_from_db()
    assert (plan.planned_end_on, plan.status) == (new_end, PlanStatus.EXTENDED)
    assert evaluation.plan_decision.kind == PlanDecisionKind.EXTEND
    assert evaluation.for_end_on == old_end and evaluation.new_end_on == new_end
    # The month after the old end is now withheld by the payment run.
    assert _paid_lines(backoffice, regeling.region, after_old_end) == {rent.pk, energy.pk}
    plan.participant.refresh_from_db()
    assert plan.participant.phase == Phase.EXTENDED
    # The new end gets its own evaluation, a month before it.
    assert services.needs_evaluation(plan)
    assert services.evaluation_due_on(plan) == new_end - timedelta(days=30)


def test_extension_beyond_the_regelings_maximum_changes_nothing(klantmanager, running):
    plan, _, _ = running
    with pytest.raises(Refused, match="uiterlijk"):
        services.record_evaluation(
            klantmanager,
            plan,
            held_on=timezone.localdate(),
            outcome=Outcome.EXTEND,
            new_end_on=planned_end_on(plan.start_on, 13),
            reason="Nog een jaar nodig volgens de coach.",
            **VIEWS,
        )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE and not Evaluation.objects.exists()


def test_end_keeps_the_latest_measurement_beside_the_decision_and_starts_nazorg(
    klantmanager, regeling, zrm, running
):
    plan, _rent, _ = running
    regeling.nazorg_months = 6
    regeling.save()
    measure(plan.participant, zrm, 2, days_ago=60)
    latest = measure(plan.participant, zrm, 4)
    evaluation = services.record_evaluation(
        klantmanager,
        plan,
        held_on=timezone.localdate(),
        outcome=Outcome.END,
        reason="Exitniveau bereikt en zelf in staat de vaste lasten te betalen.",
        **VIEWS,
    )
    assert evaluation.measurement == latest and evaluation.ready_to_end
    plan.refresh_from_db()
    assert plan.ended_on == plan.planned_end_on and plan.status == PlanStatus.ENDED
    period = NazorgPeriod.objects.get(participant=plan.participant)
    assert period.starts_on == plan.ended_on + timedelta(days=1)
    assert period.ends_on == add_months(plan.ended_on, 6)
    plan.participant.refresh_from_db()
    assert plan.participant.phase == Phase.NAZORG
    entry = AuditEntry.objects.get(object_type="trajectory.Evaluation")
    assert entry.participant_id == plan.participant.pk and entry.changes["besluit"][1] == "end"


def test_end_before_the_planned_end_is_only_an_early_end(klantmanager, running):
    plan, _, _ = running
    with pytest.raises(Refused, match="eerder stoppen"):
        services.record_evaluation(
            klantmanager,
            plan,
            held_on=timezone.localdate(),
            outcome=Outcome.END,
            new_end_on=timezone.localdate(),
            reason="Wil graag stoppen met ontzorgen.",
            **VIEWS,
        )
    plan.refresh_from_db()
    assert plan.is_open


def test_early_end_on_request_needs_the_exit_level_and_records_the_maatwerk_reason(
    klantmanager, backoffice, regeling, zrm, running
):
    plan, _rent, _ = running
    plan.planned_end_on = planned_end_on(plan.start_on, 9)
    plan.save()
    end_on = add_months(this_month(), 1) - timedelta(days=1)  # last day of this month
    measure(plan.participant, zrm, 3)
    arguments = dict(
        held_on=timezone.localdate(),
        outcome=Outcome.EARLY_END,
        new_end_on=end_on,
        reason="Deelnemer vraagt zelf te stoppen; betaalt alles zelf.",
        **VIEWS,
    )
    with pytest.raises(Refused, match="exitniveau"):
        services.record_evaluation(klantmanager, plan, **arguments)
    measure(plan.participant, zrm, 4, days_ago=1)

    evaluation = services.record_evaluation(klantmanager, plan, **arguments)

    assert evaluation.reason.startswith("Maatwerk, eerder stoppen op verzoek van de deelnemer")
    assert evaluation.plan_decision.reason == evaluation.reason
    plan.refresh_from_db()
    assert plan.ended_on == end_on
    next_month = add_months(this_month(), 1)
    assert _paid_lines(backoffice, regeling.region, next_month) == set()


def test_switch_to_bewindvoering_ends_ontzorgen_with_the_switch_in_the_reason(
    klantmanager, running
):
    plan, _, _ = running
    evaluation = services.record_evaluation(
        klantmanager,
        plan,
        held_on=timezone.localdate(),
        outcome=Outcome.BEWINDVOERING,
        reason="Schulden te groot, beschermingsbewind aangevraagd bij de rechtbank.",
        **VIEWS,
    )
    assert evaluation.plan_decision.kind == PlanDecisionKind.END
    assert evaluation.plan_decision.reason.startswith("overstap naar beschermingsbewind")


def test_evaluation_needs_the_views_and_the_right(klantmanager, coach, running):
    plan, _, _ = running
    with pytest.raises(Refused, match="deelnemer zegt"):
        services.record_evaluation(
            klantmanager,
            plan,
            held_on=timezone.localdate(),
            outcome=Outcome.END,
            reason="Exitniveau bereikt, zelf betalen.",
            participant_view="",
            case_worker_view=VIEWS["case_worker_view"],
        )
    with pytest.raises(PermissionDenied):
        services.record_evaluation(
            coach,
            plan,
            held_on=timezone.localdate(),
            outcome=Outcome.END,
            reason="Exitniveau bereikt, zelf betalen.",
            **VIEWS,
        )
    assert not Evaluation.objects.exists()


# --- phase-out ----------------------------------------------------------------------------


def test_phasing_out_one_item_stops_exactly_that_line_from_its_date(
    klantmanager, backoffice, regeling, running
):
    plan, rent, energy = running
    plan.planned_end_on = planned_end_on(plan.start_on, 9)
    plan.save()
    next_month = add_months(this_month(), 1)

    step = services.hand_back_line(klantmanager, energy, next_month, note="eigen incasso")

    assert step.order == 1
    energy.refresh_from_db()
    rent.refresh_from_db()
    assert energy.ends_on == next_month - timedelta(days=1) and rent.ends_on is None
    this = reading.compute_month(plan, this_month())
    assert {p.line_id for p in this.creditor_payments} == {rent.pk, energy.pk}
    assert _paid_lines(backoffice, regeling.region, next_month) == {rent.pk}
    plan.participant.refresh_from_db()
    assert plan.participant.phase == Phase.PHASE_OUT


def test_the_participant_chooses_the_order_and_a_line_is_handed_back_once(klantmanager, running):
    plan, rent, energy = running
    plan.planned_end_on = planned_end_on(plan.start_on, 9)
    plan.save()
    later = timezone.localdate() + timedelta(days=20)
    services.hand_back_line(klantmanager, rent, later)
    services.hand_back_line(klantmanager, energy, later)
    assert list(PhaseOutStep.objects.values_list("line_id", "order")) == [
        (rent.pk, 1),
        (energy.pk, 2),
    ]
    with pytest.raises(Refused, match="al teruggegeven"):
        services.hand_back_line(klantmanager, rent, later)


def test_phase_out_is_never_backdated(klantmanager, running):
    _plan, rent, _ = running
    with pytest.raises(Refused, match="terugwerkende kracht"):
        services.hand_back_line(klantmanager, rent, timezone.localdate() - timedelta(days=1))
    rent.refresh_from_db()
    assert rent.ends_on is None and not PhaseOutStep.objects.exists()


def test_coach_switches_weekgeld_to_maandgeld_and_the_payment_run_follows(coach, partner_org):
    regeling = RegelingFactory(
        region=partner_org.region,
        mode=Mode.BUDGETBEHEER,
        allowance_frequency=AllowanceFrequency.WEEKLY,
        allowance_weekday=Weekday.FRIDAY,
        benefit_payment_day=1,
    )
    plan, _, _ = running_plan(regeling, guidance_organisation=partner_org)
    plan.planned_end_on = planned_end_on(plan.start_on, 9)
    plan.save()
    next_month = add_months(this_month(), 1)

    services.switch_to_monthly_allowance(coach, plan, next_month)

    plan.refresh_from_db()
    for month, read in [(this_month(), "weekly"), (next_month, "monthly")]:
        one = reading.compute_month(plan, month)
        bulk = reading.withholding_inputs([plan], month)[plan.pk]
        days = [a.pay_on.day for a in one.allowance_payments]
        if read == "weekly":
            assert len(days) >= 4 and all(
                month.replace(day=d).weekday() == Weekday.FRIDAY for d in days
            )
        else:
            assert days == [1]
        assert bulk.allowance.frequency == read
    with pytest.raises(Refused, match="al besloten"):
        services.switch_to_monthly_allowance(coach, plan, add_months(next_month, 1))


def test_maandgeld_only_from_the_first_of_a_coming_month(klantmanager, regeling):
    regeling.mode, regeling.allowance_frequency = Mode.BUDGETBEHEER, AllowanceFrequency.WEEKLY
    regeling.save()
    plan, _, _ = running_plan(regeling)
    for day in (this_month(), add_months(this_month(), 1) + timedelta(days=3)):
        with pytest.raises(Refused):
            services.switch_to_monthly_allowance(klantmanager, plan, day)
    plan.refresh_from_db()
    assert plan.monthly_allowance_from is None


# --- outflow to work and nazorg -------------------------------------------------------------


def test_a_job_stops_withholding_starts_nazorg_and_guidance_goes_on(
    klantmanager, backoffice, regeling, running
):
    from ontzorg.guidance import services as guidance
    from ontzorg.measurements import services as measurements

    plan, _, _ = running
    next_month = add_months(this_month(), 1)
    outflow = services.record_job(
        klantmanager,
        plan.participant,
        starts_on=next_month,
        employer="Bakkerij De Molen",
        hours_per_week=32,
        wages_cents=180_000,
    )
    plan.refresh_from_db()
    assert outflow.plan == plan and plan.status == PlanStatus.ENDED
    assert _paid_lines(backoffice, regeling.region, next_month) == set()
    participant = plan.participant
    participant.refresh_from_db()
    assert participant.phase == Phase.NAZORG
    assert NazorgPeriod.objects.get(participant=participant).starts_on == next_month
    contact = guidance.record_contact(
        klantmanager,
        participant,
        kind="phone",
        occurred_on=timezone.localdate(),
        duration_minutes=20,
    )
    assert contact.pk
    assert measurements.schedule_for(participant)  # measurements still scheduled


def test_nazorg_expires_into_ended_and_a_case_can_be_reopened(klantmanager, running):
    plan, _, _ = running
    services.record_evaluation(
        klantmanager,
        plan,
        held_on=timezone.localdate(),
        outcome=Outcome.END,
        reason="Zelfredzaam, betaalt zelf.",
        **VIEWS,
    )
    period = NazorgPeriod.objects.get()
    assert services.end_expired_nazorg(period.ends_on) == 0  # the last day still counts
    participant = plan.participant

    new_plan = services.reopen(
        klantmanager,
        participant,
        reason="Huurachterstand gemeld door de corporatie.",
        start_on=plan.planned_end_on + timedelta(days=10),
    )

    period.refresh_from_db()
    participant.refresh_from_db()
    assert period.end_reason == NazorgEnd.REOPENED and participant.phase == Phase.ACTIVE
    assert new_plan.is_open and new_plan.start_on == plan.planned_end_on + timedelta(days=10)
    assert AuditEntry.objects.filter(summary__startswith="dossier heropend").count() == 1
    assert services.end_expired_nazorg(period.ends_on + timedelta(days=1)) == 0


def test_end_expired_nazorg_moves_to_ended_once(klantmanager, running):
    plan, _, _ = running
    services.record_evaluation(
        klantmanager,
        plan,
        held_on=timezone.localdate(),
        outcome=Outcome.END,
        reason="Zelfredzaam, betaalt zelf.",
        **VIEWS,
    )
    period = NazorgPeriod.objects.get()
    day_after = period.ends_on + timedelta(days=1)
    assert services.end_expired_nazorg(day_after) == 1
    assert services.end_expired_nazorg(day_after) == 0
    plan.participant.refresh_from_db()
    assert plan.participant.phase == Phase.ENDED
    period.refresh_from_db()
    assert (period.closed_on, period.end_reason) == (period.ends_on, NazorgEnd.EXPIRED)


def test_nazorg_lasts_until_the_vervolgmeting_can_be_done(klantmanager, regeling, running):
    plan, _rent, _ = running
    regeling.nazorg_months = 6
    regeling.followup_months_after_end = 12
    regeling.save()

    services.record_evaluation(
        klantmanager,
        plan,
        held_on=timezone.localdate(),
        outcome=Outcome.END,
        reason="Zelf in staat de vaste lasten te betalen, vervolgmeting over een jaar.",
        **VIEWS,
    )

    plan.refresh_from_db()
    period = NazorgPeriod.objects.get(participant=plan.participant)
    grace = timedelta(days=services.FOLLOW_UP_GRACE_DAYS)
    assert period.ends_on == add_months(plan.ended_on, 12) + grace


def test_a_reopen_outside_nazorg_is_refused(klantmanager, running):
    plan, _, _ = running
    with pytest.raises(Refused, match="nazorg"):
        services.reopen(klantmanager, plan.participant, reason="Zomaar heropenen graag.")


def test_with_afbouw_per_vaste_last_the_end_waits_until_one_cost_is_left(klantmanager, running):
    """Capelle: the participant takes the fixed costs over one by one; the plan can end only
    when one is left, and that one stops with the plan."""
    plan, _rent, energy = running
    plan.regeling.ends_all_at_once = False  # afbouw per vaste last, the default
    plan.regeling.save()
    end = dict(held_on=timezone.localdate(), outcome=Outcome.END, reason="Zelfredzaam genoeg.")

    with pytest.raises(Refused, match="per vaste last"):
        services.record_evaluation(klantmanager, plan, **end, **VIEWS)
    plan.refresh_from_db()
    assert plan.is_open and not Evaluation.objects.exists()

    services.hand_back_line(klantmanager, energy, timezone.localdate())
    services.record_evaluation(klantmanager, plan, **end, **VIEWS)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ENDED
    plan.participant.refresh_from_db()
    assert plan.participant.phase == Phase.NAZORG


def test_an_end_decided_on_the_plan_page_opens_nazorg_and_it_ends_in_time(klantmanager, running):
    """Every move into nazorg opens the nazorg period (a listener of the lifecycle), also
    when the plan page decided the end rather than the evaluation."""
    from ontzorg.plans import services as plans

    plan, _, _ = running
    plans.decide_end_or_extend(
        klantmanager,
        plan,
        PlanDecisionKind.END,
        plan.planned_end_on,
        "Zelfredzaam; betaalt de vaste lasten voortaan zelf.",
        decided_on=timezone.localdate(),
    )
    period = NazorgPeriod.objects.get(participant=plan.participant)
    assert period.starts_on == plan.planned_end_on + timedelta(days=1)
    services.end_expired_nazorg(period.ends_on + timedelta(days=1))
    plan.participant.refresh_from_db()
    assert plan.participant.phase == Phase.ENDED
