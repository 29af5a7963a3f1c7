"""Mode per participant: the regeling gives the default, a recorded decision switches one
participant from a month on; the payment run, the outflow to work, the trajectory page and the
monitor snapshot follow it."""

from datetime import date

import pytest
from django.urls import reverse

from ontzorg.accounts.constants import RoleCode
from ontzorg.accounts.tests.factories import UserFactory
from ontzorg.audit.models import AuditEntry
from ontzorg.core.appendonly import AppendOnlyError
from ontzorg.exceptions import PermissionDenied, Refused
from ontzorg.monitor import facts
from ontzorg.payments import services as payments
from ontzorg.payments.constants import InstructionKind
from ontzorg.payments.tests.factories import PERIOD, debtor_account, ready_participant
from ontzorg.plans import modes, reading
from ontzorg.plans.constants import IncomeKind, PlanStatus
from ontzorg.plans.models import ModeDecision
from ontzorg.regelingen.constants import AllowanceFrequency, Mode
from ontzorg.regelingen.tests.factories import RegelingFactory
from ontzorg.trajectory.tests.factories import running_plan

from .factories import IncomeFactory

DEC = date(2025, 12, 1)
WAGES = 40_000
ALLOWANCE = 130_061 - 65_000 - 12_000


@pytest.fixture
def participant(regeling):
    """Standard withholding, with bijstand and a small wage that only budgetbeheer manages."""
    debtor_account(regeling.region)
    person = ready_participant(regeling)
    IncomeFactory(participant=person, kind=IncomeKind.WAGES, amount_cents=WAGES)
    return person


def budgetbeheer(user, participant, from_on=DEC, *, wages=False, reason="eigen wens, vaak tekort"):
    return modes.decide_mode(
        user,
        participant,
        mode=Mode.BUDGETBEHEER,
        continues_on_wages=wages,
        from_on=from_on,
        reason=reason,
    )


def allowance(run, participant) -> int:
    return sum(
        run.instructions.filter(
            participant=participant, kind=InstructionKind.ALLOWANCE
        ).values_list("amount_cents", flat=True)
    )


# --- the service ----------------------------------------------------------------------------


def test_the_regeling_gives_the_default(participant):
    assert modes.mode_for(participant, DEC) == (Mode.STANDARD, False)
    hia = RegelingFactory(mode=Mode.BUDGETBEHEER, continues_on_wages=True)
    assert modes.default_mode(hia) == (Mode.BUDGETBEHEER, True)


def test_a_decision_switches_one_participant_from_its_date(klantmanager, regeling, participant):
    other = ready_participant(regeling)
    decision = budgetbeheer(klantmanager, participant, wages=True)
    assert modes.mode_for(participant, date(2025, 11, 30)) == (Mode.STANDARD, False)
    assert modes.mode_for(participant, DEC) == (Mode.BUDGETBEHEER, True)
    assert modes.mode_for(other, DEC) == (Mode.STANDARD, False)
    # A later decision takes over, also one recorded later for the same date.
    modes.decide_mode(
        klantmanager,
        participant,
        mode=Mode.STANDARD,
        from_on=date(2026, 3, 1),
        reason="gaat het zelf weer proberen",
    )
    assert modes.mode_for(participant, date(2026, 3, 1)) == (Mode.STANDARD, False)
    budgetbeheer(klantmanager, participant, date(2026, 3, 1), reason="toch budgetbeheer houden")
    assert modes.mode_for(participant, date(2026, 3, 1)) == (Mode.BUDGETBEHEER, False)
    entry = AuditEntry.objects.filter(event="plan.mode_decided").order_by("pk").first()
    assert entry.participant_id == participant.pk
    assert entry.changes["vorm"] == [Mode.STANDARD, Mode.BUDGETBEHEER]
    assert "Volledig budgetbeheer, gaat door op inkomen uit werk" in entry.summary
    with pytest.raises(AppendOnlyError):
        decision.save()


@pytest.mark.parametrize(
    ("mode", "wages", "from_on", "reason", "message"),
    [
        (Mode.STANDARD, True, DEC, "werk erbij gevonden", "alleen bij volledig budgetbeheer"),
        (Mode.BUDGETBEHEER, False, date(2025, 12, 15), "eigen wens", "eerste dag"),
        (Mode.BUDGETBEHEER, False, DEC, "wens", "reden"),
        ("bewind", False, DEC, "eigen wens van haar", "Kies een vorm"),
    ],
)
def test_a_decision_is_checked(klantmanager, participant, mode, wages, from_on, reason, message):
    with pytest.raises(Refused, match=message):
        modes.decide_mode(
            klantmanager,
            participant,
            mode=mode,
            continues_on_wages=wages,
            from_on=from_on,
            reason=reason,
        )
    assert not ModeDecision.objects.exists()


def test_only_a_case_worker_in_scope_decides(coach, participant):
    with pytest.raises(PermissionDenied):
        budgetbeheer(coach, participant)
    stranger = UserFactory(role_code=RoleCode.KLANTMANAGER)
    with pytest.raises(PermissionDenied):
        budgetbeheer(stranger, participant)


# --- the payment run follows ----------------------------------------------------------------


def test_the_run_follows_the_decision_from_its_date(backoffice, klantmanager, region, participant):
    november = payments.prepare_run(backoffice, region, PERIOD)
    assert allowance(november, participant) == ALLOWANCE  # wages are not managed
    with pytest.raises(Refused, match="11-2025 is al een betaalrun"):
        budgetbeheer(klantmanager, participant, PERIOD)
    budgetbeheer(klantmanager, participant, DEC)
    december = payments.prepare_run(backoffice, region, DEC)
    assert allowance(december, participant) == ALLOWANCE + WAGES
    plan = participant.plans.get()
    assert reading.compute_month(plan, PERIOD).income_cents == 130_061
    assert reading.compute_month(plan, DEC).income_cents == 130_061 + WAGES
    assert reading.withholding_inputs([plan], DEC)[plan.pk] == reading.withholding_input(plan, DEC)


def test_switching_out_of_budgetbeheer_ends_weekgeld(klantmanager, region):
    regeling = RegelingFactory(
        region=region, mode=Mode.BUDGETBEHEER, allowance_frequency=AllowanceFrequency.WEEKLY
    )
    person = ready_participant(regeling)
    plan = person.plans.get()
    assert len(reading.compute_month(plan, DEC).allowance_payments) > 1
    modes.decide_mode(
        klantmanager, person, mode=Mode.STANDARD, from_on=DEC, reason="kan het leefgeld zelf"
    )
    assert len(reading.compute_month(plan, DEC).allowance_payments) == 1
    assert len(reading.compute_month(plan, PERIOD).allowance_payments) > 1


# --- outflow to work (Hendrik-Ido-Ambacht) --------------------------------------------------


@pytest.fixture
def hia(region):
    return RegelingFactory(region=region, mode=Mode.BUDGETBEHEER, continues_on_wages=True)


def record_job(client, participant, starts_on):
    return client.post(
        reverse("trajectory:outflow", args=[participant.pk]),
        {
            "starts_on": starts_on.isoformat(),
            "employer": "Bakkerij De Korenaar",
            "kind": "job",
            "hours_per_week": "24",
            "wages": "1650.00",
        },
    )


def test_hia_budgetbeheer_goes_on_on_wages_after_a_job(client, klantmanager, hia, frozen_clock):
    plan, rent, _ = running_plan(hia, months_ago=2)
    participant = plan.participant
    client.force_login(klantmanager)
    response = record_job(client, participant, date(2026, 4, 1))
    assert response.status_code == 302
    plan.refresh_from_db()
    rent.refresh_from_db()
    assert plan.status != PlanStatus.ENDED and rent.ends_on is None
    april = reading.compute_month(plan, date(2026, 4, 1))
    assert april.withheld_cents == 65_000 + 12_000
    page = client.get(reverse("trajectory:participant", args=[participant.pk])).content.decode()
    assert "Het budgetbeheer gaat door op het inkomen uit werk" in page
    assert "De inhouding is gestopt" not in page
    assert "Volledig budgetbeheer, gaat door op inkomen uit werk" in page


def test_a_decision_keeps_one_participant_on_wages(client, klantmanager, region, frozen_clock):
    plain = RegelingFactory(region=region, mode=Mode.BUDGETBEHEER)
    plan, _, _ = running_plan(plain, months_ago=2)
    other, _, _ = running_plan(plain, months_ago=2)
    participant = plan.participant
    budgetbeheer(klantmanager, participant, date(2026, 4, 1), wages=True)
    client.force_login(klantmanager)
    assert record_job(client, participant, date(2026, 4, 15)).status_code == 302
    assert record_job(client, other.participant, date(2026, 4, 15)).status_code == 302
    plan.refresh_from_db()
    other.refresh_from_db()
    assert plan.is_open and other.status == PlanStatus.ENDED
    page = client.get(reverse("trajectory:participant", args=[other.participant_id]))
    assert "De inhouding is gestopt" in page.content.decode()


# --- pages ----------------------------------------------------------------------------------


def test_the_mode_page_confirms_then_records(client, klantmanager, participant):
    client.force_login(klantmanager)
    url = reverse("plans:mode", args=[participant.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert "Nu: Standaard inhouding" in response.content.decode()
    data = {
        "mode": Mode.BUDGETBEHEER,
        "continues_on_wages": "1",
        "from_on": "2025-12-01",
        "reason": "eigen wens, vaak tekort",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Bevestigen en vastleggen" in text
    assert "Ja: het budgetbeheer gaat door op het inkomen uit werk" in text
    assert not ModeDecision.objects.exists()
    response = client.post(url, {**data, "confirm": "1"})
    assert response.status_code == 302
    decision = ModeDecision.objects.get()
    assert (decision.mode, decision.continues_on_wages, decision.from_on) == (
        Mode.BUDGETBEHEER,
        True,
        DEC,
    )
    assert decision.decided_by == klantmanager
    overview = client.get(reverse("plans:overview", args=[participant.pk])).content.decode()
    assert "vanaf 01-12-2025: Volledig budgetbeheer, gaat door op inkomen uit werk" in overview


def test_the_mode_form_refuses_wages_without_budgetbeheer(client, klantmanager, participant):
    client.force_login(klantmanager)
    response = client.post(
        reverse("plans:mode", args=[participant.pk]),
        {
            "mode": Mode.STANDARD,
            "continues_on_wages": "1",
            "from_on": "2025-12-01",
            "reason": "eigen wens, vaak tekort",
            "confirm": "1",
        },
    )
    assert response.status_code == 400
    assert "alleen bij volledig budgetbeheer" in response.content.decode()
    assert not ModeDecision.objects.exists()


def test_the_coach_may_not_open_the_mode_page(client, coach, participant):
    client.force_login(coach)
    assert client.get(reverse("plans:mode", args=[participant.pk])).status_code == 403


# --- the monitor ----------------------------------------------------------------------------


def test_the_snapshot_has_the_participants_own_mode(klantmanager, region, participant):
    budgetbeheer(klantmanager, participant, DEC)
    index = facts.ROW_FIELDS.index("mode")

    def mode_on(day):
        return {row[0]: row[index] for row in facts.rows(region.pk, day)}[participant.pk]

    assert mode_on(date(2025, 11, 30)) == Mode.STANDARD
    assert mode_on(DEC) == Mode.BUDGETBEHEER
