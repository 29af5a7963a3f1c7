"""Plan lines that users get wrong: the warning on a second line of the same cost type, and
removing a line that was never paid (a paid one is refused), which the payment run and the
participant's letter then leave out."""

from datetime import date

import pytest
from django.urls import reverse

from ontzorg.accounts.constants import RoleCode
from ontzorg.accounts.tests.factories import UserFactory
from ontzorg.audit.models import AuditEntry
from ontzorg.exceptions import PermissionDenied, Refused
from ontzorg.payments import services as payments
from ontzorg.payments.tests.factories import PERIOD, debtor_account, ready_participant
from ontzorg.plans import lines, reading, services
from ontzorg.plans.models import PlanLine
from ontzorg.regelingen.constants import CostCategory

from .factories import MachtigingFactory

PAID = "Deze vaste last is al betaald; stop hem per een datum of corrigeer met een terugboeking."


@pytest.fixture
def participant(regeling):
    debtor_account(regeling.region)
    return ready_participant(regeling)


@pytest.fixture
def plan(participant):
    return participant.plans.get()


@pytest.fixture
def rent(plan):
    return plan.lines.get(category=CostCategory.HUUR)


@pytest.fixture
def approver(municipality_org):
    return UserFactory(username="bo2", role_code=RoleCode.BACKOFFICE, organisation=municipality_org)


def second_rent(user, plan, rent):
    """The same rent entered a second time, with its machtiging: the mistake of the issue."""
    line = services.add_line(
        user,
        plan,
        category=CostCategory.HUUR,
        creditor=rent.creditor,
        reference=rent.reference,
        amount_cents=65_000,
        starts_on=plan.start_on,
    )
    MachtigingFactory(line=line)
    return line


# --- duplicates -----------------------------------------------------------------------------


def test_a_second_line_of_the_same_type_gets_a_warning(plan, rent):
    warning = lines.duplicate_warning(plan, CostCategory.HUUR, plan.start_on)
    assert "al een vaste last huur" in warning
    assert rent.reference in warning and "€ 650,00" in warning
    assert lines.duplicate_warning(plan, CostCategory.WATER, plan.start_on) == ""


def test_a_stopped_or_removed_line_is_no_duplicate(klantmanager, plan, rent):
    services.close_line(klantmanager, rent, date(2025, 10, 1), reason="verhuisd")
    assert lines.duplicate_warning(plan, CostCategory.HUUR, date(2025, 10, 1)) == ""
    assert lines.duplicate_warning(plan, CostCategory.HUUR, date(2025, 9, 1)) != ""
    energy = plan.lines.get(category=CostCategory.ENERGIE)
    lines.remove_line(klantmanager, energy, "per ongeluk ingevoerd")
    assert lines.duplicate_warning(plan, CostCategory.ENERGIE, plan.start_on) == ""


def test_the_confirmation_page_warns_and_the_user_may_still_confirm(
    client, klantmanager, plan, rent
):
    client.force_login(klantmanager)
    url = reverse("plans:add_line", args=[plan.participant_id])
    data = {
        "category": CostCategory.HUUR,
        "creditor": rent.creditor_id,
        "reference": "POLIS-2",
        "amount": "12.50",
        "starts_on": "2025-10-01",
        "day_of_month": "1",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Let op: in dit plan staat al een vaste last huur" in text
    assert "Bevestigen en vastleggen" in text
    response = client.post(url, {**data, "confirm": "1"})
    assert response.status_code == 302
    assert plan.lines.filter(category=CostCategory.HUUR).count() == 2


def test_no_warning_for_a_new_cost_type(client, klantmanager, plan, rent):
    client.force_login(klantmanager)
    response = client.post(
        reverse("plans:add_line", args=[plan.participant_id]),
        {
            "category": CostCategory.WATER,
            "creditor": rent.creditor_id,
            "reference": "WATER-1",
            "amount": "20.00",
            "starts_on": "2025-10-01",
            "day_of_month": "1",
        },
    )
    assert response.status_code == 200
    assert "Let op" not in response.content.decode()


# --- removing -------------------------------------------------------------------------------


def test_an_unpaid_line_is_removed_with_audit(klantmanager, plan, rent):
    duplicate = second_rent(klantmanager, plan, rent)
    lines.remove_line(klantmanager, duplicate, "per ongeluk twee keer ingevoerd")
    duplicate.refresh_from_db()
    assert duplicate.is_removed and duplicate.removed_by == klantmanager
    assert duplicate.removal_reason == "per ongeluk twee keer ingevoerd"
    assert list(PlanLine.objects.filter(plan=plan).current()) == list(
        plan.lines.exclude(pk=duplicate.pk)
    )
    entry = AuditEntry.objects.get(event="plan.line_removed")
    assert entry.participant_id == plan.participant_id
    assert entry.object_id == str(duplicate.pk)
    assert "per ongeluk twee keer ingevoerd" in entry.summary
    assert "removed_at" in entry.changes
    with pytest.raises(Refused, match="al verwijderd"):
        lines.remove_line(klantmanager, duplicate, "nog een keer verwijderen")


def test_removing_needs_a_reason_and_the_right(klantmanager, coach, plan, rent):
    with pytest.raises(Refused, match="reden"):
        lines.remove_line(klantmanager, rent, "fout")
    with pytest.raises(PermissionDenied):
        lines.remove_line(coach, rent, "per ongeluk ingevoerd")
    rent.refresh_from_db()
    assert not rent.is_removed


def test_a_removed_line_cannot_be_changed_or_stopped(klantmanager, plan, rent):
    duplicate = second_rent(klantmanager, plan, rent)
    lines.remove_line(klantmanager, duplicate, "per ongeluk twee keer ingevoerd")
    with pytest.raises(Refused, match="verwijderd"):
        services.change_amount(klantmanager, duplicate, 70_000, date(2025, 12, 1))
    with pytest.raises(Refused, match="verwijderd"):
        services.close_line(klantmanager, duplicate, date(2025, 12, 1))


def test_a_removed_line_is_never_paid_by_a_run(backoffice, klantmanager, region, plan, rent):
    duplicate = second_rent(klantmanager, plan, rent)
    # Twice the rent is more than the bijstand: the run would stop at a shortfall.
    assert reading.compute_month(plan, PERIOD).costs_cents == 65_000 * 2 + 12_000
    lines.remove_line(klantmanager, duplicate, "per ongeluk twee keer ingevoerd")
    assert reading.compute_month(plan, PERIOD).withheld_cents == 65_000 + 12_000
    bulk = reading.withholding_inputs([plan], PERIOD)[plan.pk]
    assert duplicate.pk not in {line.line_id for line in bulk.lines}
    run = payments.prepare_run(backoffice, region, PERIOD)
    assert not run.instructions.filter(plan_line=duplicate).exists()
    assert run.instructions.filter(plan_line=rent).count() == 1


def test_a_paid_line_refuses_removal(backoffice, approver, klantmanager, region, rent):
    run = payments.prepare_run(backoffice, region, PERIOD)
    with pytest.raises(Refused, match="nog niet is goedgekeurd"):
        lines.remove_line(klantmanager, rent, "per ongeluk ingevoerd")
    payments.approve_run(approver, run)
    with pytest.raises(Refused) as refusal:
        lines.remove_line(klantmanager, rent, "per ongeluk ingevoerd")
    assert str(refusal.value) == PAID
    rent.refresh_from_db()
    assert not rent.is_removed
    # The way to correct it: stop it from a date.
    services.close_line(klantmanager, rent, date(2025, 12, 1), reason="dubbel")


def test_a_line_only_in_a_cancelled_run_can_be_removed(backoffice, klantmanager, region, rent):
    run = payments.prepare_run(backoffice, region, PERIOD)
    payments.cancel_run(backoffice, run)
    assert lines.is_removable(rent)
    lines.remove_line(klantmanager, rent, "per ongeluk ingevoerd")
    rent.refresh_from_db()
    assert rent.is_removed


# --- pages ----------------------------------------------------------------------------------


def test_remove_page_confirms_then_removes(client, klantmanager, plan, rent):
    duplicate = second_rent(klantmanager, plan, rent)
    client.force_login(klantmanager)
    overview = client.get(reverse("plans:overview", args=[plan.participant_id])).content.decode()
    url = reverse("plans:remove_line", args=[duplicate.pk])
    assert url in overview
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "per ongeluk twee keer ingevoerd"})
    assert response.status_code == 200
    assert "Bevestigen en vastleggen" in response.content.decode()
    duplicate.refresh_from_db()
    assert not duplicate.is_removed
    response = client.post(url, {"reason": "per ongeluk twee keer ingevoerd", "confirm": "1"})
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.is_removed
    overview = client.get(reverse("plans:overview", args=[plan.participant_id]))
    assert "Verwijderde vaste lasten (1)" in overview.content.decode()
    assert [row.line for row in overview.context["lines"]] == [
        rent,
        plan.lines.get(category=CostCategory.ENERGIE),
    ]
    assert client.get(url).status_code == 404


def test_remove_page_refuses_a_paid_line(client, backoffice, approver, klantmanager, region, rent):
    payments.approve_run(approver, payments.prepare_run(backoffice, region, PERIOD))
    client.force_login(klantmanager)
    overview = client.get(reverse("plans:overview", args=[rent.plan.participant_id]))
    url = reverse("plans:remove_line", args=[rent.pk])
    assert url not in overview.content.decode()
    response = client.post(url, {"reason": "per ongeluk ingevoerd", "confirm": "1"})
    assert response.status_code == 400
    assert PAID in response.content.decode()
    rent.refresh_from_db()
    assert not rent.is_removed


def test_the_letter_never_shows_a_removed_line(client, klantmanager, plan, rent):
    duplicate = second_rent(klantmanager, plan, rent)
    services.change_amount(klantmanager, duplicate, 66_600, date(2025, 10, 1))
    lines.remove_line(klantmanager, duplicate, "per ongeluk twee keer ingevoerd")
    client.force_login(klantmanager)
    response = client.get(reverse("trajectory:fixed_costs", args=[plan.participant_id]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Uw vaste lasten" in text
    assert [row["line"] for row in response.context["rows"]] == [
        rent,
        plan.lines.get(category=CostCategory.ENERGIE),
    ]
    assert "€ 666,00" not in text
    assert response.context["total_cents"] == 65_000 + 12_000
    trajectory = client.get(reverse("trajectory:participant", args=[plan.participant_id]))
    assert duplicate not in list(trajectory.context["open_lines"])
