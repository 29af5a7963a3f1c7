"""Trajectory pages: the participant's trajectory with its forms, the timeline on the
participant page, the printable overview, the week's agenda and the dashboard checks."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ontzorg.audit.models import AuditEntry
from ontzorg.core.dates import add_months, planned_end_on
from ontzorg.guidance import services as guidance
from ontzorg.participants.constants import Phase
from ontzorg.participants.tests.factories import ParticipantFactory
from ontzorg.plans import services as plans
from ontzorg.plans.constants import PlanStatus
from ontzorg.regelingen.tests.factories import InstrumentFactory, RegelingFactory
from ontzorg.signals.constants import SignalKind
from ontzorg.signals.services import raise_internal
from ontzorg.trajectory import services
from ontzorg.trajectory.constants import Outcome
from ontzorg.trajectory.models import Evaluation, PhaseOutStep

from .factories import measure, running_plan, this_month


@pytest.fixture
def running(regeling, klantmanager):
    plan, rent, energy = running_plan(regeling, case_worker=klantmanager)
    return plan, rent, energy


def test_trajectory_page_is_audited_and_shows_the_readiness(
    client, klantmanager, regeling, running
):
    plan, _, _ = running
    zrm = InstrumentFactory(name="ZRM Financiën")
    regeling.instruments.add(zrm)
    measure(plan.participant, zrm, 4)
    client.force_login(klantmanager)
    response = client.get(f"/traject/deelnemer/{plan.participant.pk}/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Exitniveau bereikt" in text and "Evaluatiegesprek en besluit vastleggen" in text
    assert AuditEntry.objects.filter(
        participant=plan.participant, action="view", summary="traject bekeken"
    ).exists()


def test_another_regions_participant_is_404(client, klantmanager):
    other = ParticipantFactory(regeling=RegelingFactory())
    client.force_login(klantmanager)
    assert client.get(f"/traject/deelnemer/{other.pk}/").status_code == 404
    assert client.post(f"/traject/deelnemer/{other.pk}/evaluatie/", {}).status_code == 404


def test_evaluation_form_extends_the_plan(client, klantmanager, running):
    plan, _, _ = running
    new_end = planned_end_on(plan.start_on, 9)
    client.force_login(klantmanager)
    response = client.post(
        f"/traject/deelnemer/{plan.participant.pk}/evaluatie/",
        {
            "held_on": timezone.localdate().isoformat(),
            "participant_view": "Het gaat beter maar brieven zijn nog moeilijk.",
            "coach_view": "",
            "case_worker_view": "Nog twee maanden oefenen met de post.",
            "outcome": Outcome.EXTEND,
            "new_end_on": new_end.isoformat(),
            "reason": "Nog niet zelfredzaam volgens de meting.",
        },
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.planned_end_on == new_end and plan.status == PlanStatus.EXTENDED


def test_a_refused_evaluation_shows_the_reason_and_changes_nothing(client, klantmanager, running):
    plan, _, _ = running
    client.force_login(klantmanager)
    response = client.post(
        f"/traject/deelnemer/{plan.participant.pk}/evaluatie/",
        {
            "held_on": timezone.localdate().isoformat(),
            "participant_view": "Ik wil stoppen, ik kan het zelf.",
            "case_worker_view": "Nog geen meting gedaan, dus niet te zeggen.",
            "outcome": Outcome.EARLY_END,
            "new_end_on": timezone.localdate().isoformat(),
            "reason": "Deelnemer vraagt om eerder te stoppen.",
        },
    )
    assert response.status_code == 400
    assert "Eerder stoppen kan alleen" in response.content.decode()
    assert not Evaluation.objects.exists()
    plan.refresh_from_db()
    assert plan.is_open


def test_coach_sees_the_page_but_may_not_decide(client, coach, partner_org, regeling):
    plan, _, _ = running_plan(regeling, guidance_organisation=partner_org)
    client.force_login(coach)
    page = client.get(f"/traject/deelnemer/{plan.participant.pk}/")
    assert page.status_code == 200
    assert "Evaluatiegesprek en besluit vastleggen" not in page.content.decode()
    entries = AuditEntry.objects.count()
    response = client.post(f"/traject/deelnemer/{plan.participant.pk}/evaluatie/", {})
    assert response.status_code == 403
    assert not Evaluation.objects.exists() and AuditEntry.objects.count() == entries


def test_hand_back_form_and_print_overview(client, klantmanager, running):
    plan, rent, energy = running
    plan.planned_end_on = planned_end_on(plan.start_on, 9)
    plan.save()
    next_month = add_months(this_month(), 1)
    client.force_login(klantmanager)
    response = client.post(
        f"/traject/deelnemer/{plan.participant.pk}/afbouw/",
        {"line": energy.pk, "from_on": next_month.isoformat(), "note": "eigen incasso"},
    )
    assert response.status_code == 302
    assert PhaseOutStep.objects.get().line == energy
    page = client.get(f"/traject/deelnemer/{plan.participant.pk}/vaste-lasten/")
    text = page.content.decode()
    assert page.status_code == 200 and "ontzorg/sheet.css" in text  # its @media print
    assert energy.creditor.iban in text and rent.reference in text
    assert f"U, vanaf {next_month.day} " in text and "Nog de gemeente" in text
    assert "€ 770,00" in text  # 650 rent + 120 energy
    assert AuditEntry.objects.filter(summary="overzicht vaste lasten bekeken").exists()


def test_timeline_on_the_participant_page_in_date_order(client, klantmanager, regeling, running):
    plan, _, _ = running
    participant = plan.participant
    zrm = InstrumentFactory(name="ZRM Financiën")
    regeling.instruments.add(zrm)
    measure(participant, zrm, 2, moment="nulmeting", days_ago=140)
    guidance.record_contact(
        klantmanager,
        participant,
        kind="home_visit",
        occurred_on=timezone.localdate() - timedelta(days=30),
        duration_minutes=45,
    )
    raise_internal(SignalKind.NEGATIVE_BALANCE, participant, "Saldo onder nul")
    services.record_evaluation(
        klantmanager,
        plan,
        held_on=timezone.localdate(),
        outcome=Outcome.END,
        reason="Zelfredzaam volgens klantmanager en coach.",
        participant_view="Ik betaal alles zelf op tijd.",
        case_worker_view="Geen achterstanden meer gezien.",
    )
    client.force_login(klantmanager)
    text = client.get(f"/deelnemers/{participant.pk}/").content.decode()
    steps = [
        "Intake vastgelegd",
        "Machtiging getekend",
        "Ontzorgplan gestart",
        "Nulmeting: niet zelfredzaam",
        "Contact: huisbezoek (45 minuten)",
        "Evaluatie: ontzorgen beëindigen",
        "Nazorg tot en met",
    ]
    positions = [text.find(step) for step in steps]
    assert -1 not in positions, dict(zip(steps, positions, strict=True))
    assert "Signaal: Negatief saldo" in text
    # The intake is today (created now); everything dated is in order around it.
    dated = positions[1:]
    assert dated == sorted(dated)


def test_agenda_lists_this_weeks_work_with_empty_states(client, klantmanager, regeling):
    client.force_login(klantmanager)
    empty = client.get("/traject/deze-week/").content.decode()
    assert "Er hoeft deze week geen evaluatiegesprek gevoerd te worden." in empty

    start = add_months(this_month(), -6) + timedelta(days=20)
    due = ParticipantFactory(regeling=regeling, case_worker=klantmanager, bijstand_start_on=start)
    plans.create_plan(klantmanager, due, start_on=start)
    later = ParticipantFactory(regeling=regeling, bijstand_start_on=this_month())
    plans.create_plan(klantmanager, later, start_on=this_month())
    text = client.get("/traject/deze-week/").content.decode()
    assert due.full_name in text and "Gesprek over stoppen of verlengen" in text
    assert later.full_name not in text.split('id="evaluaties"')[1].split("</section>")[0]


def test_dashboard_counts_outflow_and_due_evaluations(client, klantmanager, running):
    plan, _, _ = running
    services.record_job(
        klantmanager,
        plan.participant,
        starts_on=add_months(this_month(), 1),
        employer="Bakkerij De Molen",
    )
    client.force_login(klantmanager)
    text = client.get("/").content.decode()
    assert "Aan het werk (laatste 3 maanden)" in text
    listed = client.get("/deelnemers/?aandacht=uitstroom-naar-werk").content.decode()
    assert plan.participant.last_name in listed
    plan.participant.refresh_from_db()
    assert plan.participant.phase == Phase.NAZORG


def test_menu_has_this_week_for_case_workers_and_coaches_only(client, klantmanager, backoffice):
    client.force_login(klantmanager)
    assert 'href="/traject/deze-week/"' in client.get("/").content.decode()
    client.force_login(backoffice)
    assert 'href="/traject/deze-week/"' not in client.get("/").content.decode()
