"""The plan overview and the confirmed forms."""

from datetime import date

import pytest
from django.urls import reverse

from ontzorg.audit.constants import Action
from ontzorg.audit.models import AuditEntry
from ontzorg.participants.tests.factories import ParticipantFactory
from ontzorg.plans.models import LineAmount
from ontzorg.regelingen.tests.factories import RegionFactory

from .factories import (
    CreditorFactory,
    IncomeFactory,
    MachtigingFactory,
    PlanFactory,
    PlanLineFactory,
)


@pytest.fixture
def line(regeling):
    plan = PlanFactory(participant=ParticipantFactory(regeling=regeling))
    line = PlanLineFactory(plan=plan, amount_cents=65000)
    IncomeFactory(participant=plan.participant)
    return line


def test_overview_shows_lines_months_and_the_missing_machtiging(client, klantmanager, line):
    MachtigingFactory(line=PlanLineFactory(plan=line.plan, category="energie", amount_cents=15000))
    client.force_login(klantmanager)
    participant = line.plan.participant
    response = client.get(reverse("plans:overview", args=[participant.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Wordt niet betaald zonder machtiging." in text
    assert line.reference in text
    assert "€ 650,00" in text and "€ 150,00" in text
    assert len(response.context["months"]) == 6
    assert response.context["months"][1].result.withheld_cents == 15000
    assert AuditEntry.objects.filter(
        participant=participant, action=Action.VIEW, summary="plan bekeken"
    ).exists()


def test_overview_is_404_for_another_region(client, line, db):
    from ontzorg.accounts.constants import RoleCode
    from ontzorg.accounts.tests.factories import OrganisationFactory, UserFactory

    other = UserFactory(
        role_code=RoleCode.KLANTMANAGER,
        organisation=OrganisationFactory(region=RegionFactory(slug="capelle", name="Capelle")),
    )
    client.force_login(other)
    response = client.get(reverse("plans:overview", args=[line.plan.participant_id]))
    assert response.status_code == 404
    response = client.get(reverse("plans:change_amount", args=[line.pk]))
    assert response.status_code == 404


def test_overview_without_plan_offers_to_create_one(client, klantmanager, regeling):
    participant = ParticipantFactory(regeling=regeling)
    client.force_login(klantmanager)
    response = client.get(reverse("plans:overview", args=[participant.pk]))
    assert response.status_code == 200
    assert reverse("plans:create", args=[participant.pk]) in response.content.decode()


def test_changing_an_amount_needs_confirmation(client, klantmanager, line):
    client.force_login(klantmanager)
    url = reverse("plans:change_amount", args=[line.pk])
    data = {
        "amount": "685,00".replace(",", "."),
        "valid_from": "2025-12-01",
        "note": "huurverhoging",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Bevestigen" in response.content.decode()
    assert LineAmount.objects.filter(line=line).count() == 1
    response = client.post(url, {**data, "confirm": "1"})
    assert response.status_code == 302
    assert list(line.amounts.values_list("amount_cents", "valid_from")) == [
        (65000, date(2025, 9, 1)),
        (68500, date(2025, 12, 1)),
    ]


def test_a_refused_change_is_shown_on_the_form(client, klantmanager, line):
    client.force_login(klantmanager)
    url = reverse("plans:change_amount", args=[line.pk])
    response = client.post(url, {"amount": "700", "valid_from": "2025-08-01", "confirm": "1"})
    assert response.status_code == 400
    assert "het verleden wordt niet herschreven" in response.content.decode()


def test_a_coach_cannot_change_a_plan(client, coach, line):
    line.plan.participant.guidance_organisation = coach.organisation
    line.plan.participant.save()
    client.force_login(coach)
    url = reverse("plans:close_line", args=[line.pk])
    entries = AuditEntry.objects.count()
    assert client.get(url).status_code == 403
    response = client.post(url, {"on": "2025-12-01", "confirm": "1"})
    assert response.status_code == 403
    line.refresh_from_db()
    assert line.ends_on is None
    assert AuditEntry.objects.count() == entries


def test_add_line_and_sign_machtiging_through_the_pages(client, klantmanager, line):
    client.force_login(klantmanager)
    participant = line.plan.participant
    water = CreditorFactory(name="Dunea", category="water")
    response = client.post(
        reverse("plans:add_line", args=[participant.pk]),
        {
            "category": "water",
            "creditor": water.pk,
            "reference": "W-778",
            "amount": "25.00",
            "starts_on": "2025-10-01",
            "day_of_month": "5",
            "confirm": "1",
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("plans:machtiging", args=[participant.pk]),
        {"creditor": water.pk, "signed_on": "2025-09-20", "confirm": "1"},
    )
    assert response.status_code == 302
    assert participant.machtigingen.get().creditor == water


def test_add_line_offers_only_the_package_categories(client, klantmanager, line):
    client.force_login(klantmanager)
    response = client.get(reverse("plans:add_line", args=[line.plan.participant_id]))
    choices = [value for value, _label in response.context["form"].fields["category"].choices]
    assert choices == ["huur", "energie", "water", "zorgverzekering"]
