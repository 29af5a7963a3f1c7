"""The plan page's pots, payouts and one-off payments, through the pages: create a pot,
propose a payout, a colleague approves (the proposer cannot), and the page shows the
forecast and what was booked separately, with the balances from the ledger."""

from datetime import date

import pytest
from django.urls import reverse

from ontzorg.accounts.constants import RoleCode
from ontzorg.accounts.tests.factories import UserFactory
from ontzorg.approvals.models import Proposal, ProposalStatus
from ontzorg.participants.tests.factories import ParticipantFactory
from ontzorg.payments import services as payments
from ontzorg.payments.constants import InstructionKind
from ontzorg.payments.tests.factories import debtor_account
from ontzorg.plans.constants import CreditorCategory
from ontzorg.plans.models import PotPayout, SavingsPot
from ontzorg.regelingen.tests.factories import RegelingFactory

from .factories import (
    CreditorFactory,
    IncomeFactory,
    MachtigingFactory,
    PlanFactory,
    PlanLineFactory,
)

pytestmark = pytest.mark.django_db

MARCH, APRIL = date(2026, 3, 1), date(2026, 4, 1)


@pytest.fixture
def participant(region, frozen_clock):
    debtor_account(region)
    regeling = RegelingFactory(region=region, has_savings_pots=True)
    participant = ParticipantFactory(regeling=regeling)
    plan = PlanFactory(participant=participant, start_on=MARCH, planned_end_on=date(2026, 8, 31))
    MachtigingFactory(line=PlanLineFactory(plan=plan, amount_cents=65_000), signed_on=MARCH)
    IncomeFactory(participant=participant, amount_cents=130_061, valid_from=MARCH)
    return participant


@pytest.fixture
def colleague(municipality_org):
    return UserFactory(username="bo2", role_code=RoleCode.BACKOFFICE, organisation=municipality_org)


@pytest.fixture
def third(municipality_org):
    return UserFactory(username="bo3", role_code=RoleCode.BACKOFFICE, organisation=municipality_org)


def confirm(client, url, data):
    """Fill in a plan form, then confirm it on the confirmation page."""
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Bevestigen" in response.content.decode(), response.content.decode()
    return client.post(url, {**data, "confirm": "1"})


def test_pot_payout_through_the_pages(
    client, participant, klantmanager, backoffice, colleague, third, region, frozen_clock
):
    client.force_login(klantmanager)
    response = confirm(
        client,
        reverse("plans:create_pot", args=[participant.pk]),
        {"name": "Wasmachine", "goal": "400.00", "monthly": "50.00", "starts_on": "2026-03-01"},
    )
    assert response.status_code == 302
    pot = SavingsPot.objects.get()
    assert (pot.name, pot.goal_cents, pot.monthly_cents) == ("Wasmachine", 40_000, 5_000)

    run = payments.prepare_run(backoffice, region, MARCH)
    payments.approve_run(third, run)
    payments.export_run(third, run)
    payments.book_run(backoffice, run)

    client.force_login(backoffice)
    shop = CreditorFactory(name="Witgoed", category=CreditorCategory.OVERIG, region=region)
    response = confirm(
        client,
        reverse("plans:pot_payout", args=[pot.pk]),
        {
            "amount": "50.00",
            "period": "2026-04-01",
            "creditor": shop.pk,
            "reference": "F-88",
            "reason": "Aanbetaling nieuwe wasmachine",
        },
    )
    assert response.status_code == 302
    proposal = Proposal.objects.get(kind="pot.payout")
    assert not PotPayout.objects.exists()

    # The proposer cannot approve it, also not through the page.
    approve_url = reverse("approvals:approve", args=[proposal.pk])
    client.post(approve_url, {"confirm": "1"})
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING
    page = client.get(reverse("plans:overview", args=[participant.pk])).content.decode()
    assert "Uw voorstel: een collega keurt het goed." in page

    client.force_login(colleague)
    client.post(approve_url, {"confirm": "1"})
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.APPROVED
    assert PotPayout.objects.get().amount_cents == 5_000

    frozen_clock.move_to("2026-04-16 10:00:00+01:00")
    april = payments.prepare_run(backoffice, region, APRIL)
    assert april.instructions.filter(kind=InstructionKind.POT_PAYOUT).count() == 1


def test_plan_page_shows_forecast_and_booked_apart(
    client, participant, klantmanager, backoffice, third, region
):
    plan = participant.plans.get()
    client.force_login(klantmanager)
    confirm(
        client,
        reverse("plans:create_pot", args=[participant.pk]),
        {"name": "Buffer", "monthly": "25.00", "starts_on": "2026-03-01"},
    )
    run = payments.prepare_run(backoffice, region, MARCH)
    payments.approve_run(third, run)
    payments.export_run(third, run)
    payments.book_run(backoffice, run)

    response = client.get(reverse("plans:overview", args=[participant.pk]))
    page = response.content.decode()
    assert "Per maand: prognose" in page and "Per maand: geboekt" in page
    forecast = {row.period: row.result for row in response.context["months"]}
    booked = {month.period: month for month in response.context["booked_months"]}
    assert list(booked) == [MARCH]  # only the booked month; the forecast runs on
    assert len(forecast) == len(plan.months()) > 1
    march = booked[MARCH]
    assert march.income_cents == forecast[MARCH].income_cents == 130_061
    assert march.to_creditors_cents == 65_000
    assert march.to_participant_cents == forecast[MARCH].remainder_cents == 130_061 - 65_000 - 2_500
    assert march.into_pots_cents == 2_500
    [pot] = response.context["pots"]
    assert pot.booked_cents == 2_500
    assert response.context["own_money"].booked_cents == 0
    assert "Geld van de deelnemer" in page and "Spaarpotjes" in page
