"""Plausibility guards: ceilings per cost category (refused above, confirmed in the warning
band) through the services and the pages, and the warning when the leefgeld falls below the
regeling's share of the norm, on the plan page and, for the approver, on the run page."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from ontzorg.exceptions import Refused
from ontzorg.participants.tests.factories import ParticipantFactory
from ontzorg.payments import services as payments
from ontzorg.payments.models import AllowanceWarning
from ontzorg.payments.tests.factories import PERIOD, debtor_account, ready_participant
from ontzorg.plans import plausibility, services
from ontzorg.plans.models import LineAmount, PlanLine
from ontzorg.regelingen.constants import CostCategory
from ontzorg.regelingen.models import CostCeiling

from .factories import CreditorFactory, PlanFactory, PlanLineFactory

pytestmark = pytest.mark.django_db

ABSURD = 999_999_999  # € 9.999.999,99: the largest amount the euro fields accept


@pytest.fixture
def plan(regeling):
    return PlanFactory(participant=ParticipantFactory(regeling=regeling))


@pytest.fixture
def landlord():
    return CreditorFactory(name="Woonstichting De Bouw")


def add_rent(user, plan, landlord, cents, **extra):
    return services.add_line(
        user,
        plan,
        category=CostCategory.HUUR,
        creditor=landlord,
        reference="HUUR-1",
        amount_cents=cents,
        starts_on=plan.start_on,
        **extra,
    )


# --- ceilings ---------------------------------------------------------------------------------


def test_an_absurd_rent_is_refused_by_the_services(klantmanager, plan, landlord):
    with pytest.raises(Refused) as refused:
        add_rent(klantmanager, plan, landlord, ABSURD, confirm_high_amount=True)
    assert str(refused.value) == (
        "€ 9.999.999,99 per maand voor Huur is niet aannemelijk: het maximum is € 3.000,00 "
        "(volgens de standaardinstelling). Controleer het bedrag. Klopt het toch, vraag dan de "
        "beheerder het maximum voor deze regeling te verhogen."
    )
    assert not PlanLine.objects.exists()

    line = add_rent(klantmanager, plan, landlord, 65_000)
    with pytest.raises(Refused, match="niet aannemelijk"):
        services.change_amount(
            klantmanager, line, ABSURD, date(2025, 12, 1), confirm_high_amount=True
        )
    assert list(line.amounts.values_list("amount_cents", flat=True)) == [65_000]


def test_an_absurd_rent_is_refused_on_the_pages(client, klantmanager, plan, landlord):
    client.force_login(klantmanager)
    url = reverse("plans:add_line", args=[plan.participant_id])
    data = {
        "category": "huur",
        "creditor": landlord.pk,
        "reference": "HUUR-1",
        "amount": "9999999.99",
        "starts_on": "2025-09-01",
        "day_of_month": "1",
    }
    for extra in ({}, {"confirm": "1", "confirm_high_amount": "True"}):
        response = client.post(url, {**data, **extra})
        assert response.status_code == 400
        assert "niet aannemelijk: het maximum is € 3.000,00" in response.content.decode()
    assert not PlanLine.objects.exists()

    line = PlanLineFactory(plan=plan, amount_cents=65_000)
    url = reverse("plans:change_amount", args=[line.pk])
    response = client.post(
        url, {"amount": "9999999.99", "valid_from": "2025-12-01", "confirm": "1"}
    )
    assert "niet aannemelijk" in response.content.decode()
    assert LineAmount.objects.filter(line=line).count() == 1


def test_an_amount_in_the_warning_band_needs_a_confirmation(klantmanager, plan, landlord):
    with pytest.raises(Refused, match="hoger dan gebruikelijk"):
        add_rent(klantmanager, plan, landlord, 200_000)
    assert not PlanLine.objects.exists()
    line = add_rent(klantmanager, plan, landlord, 200_000, confirm_high_amount=True)
    assert line.amount_on(plan.start_on) == 200_000

    with pytest.raises(Refused, match="hoger dan gebruikelijk"):
        services.change_amount(klantmanager, line, 210_000, date(2025, 12, 1))
    services.change_amount(klantmanager, line, 210_000, date(2025, 12, 1), confirm_high_amount=True)
    assert line.amounts.count() == 2


def test_the_warning_band_asks_for_a_tick_on_the_page(client, klantmanager, plan, landlord):
    client.force_login(klantmanager)
    url = reverse("plans:add_line", args=[plan.participant_id])
    data = {
        "category": "huur",
        "creditor": landlord.pk,
        "reference": "HUUR-1",
        "amount": "2000.00",
        "starts_on": "2025-09-01",
        "day_of_month": "1",
    }
    response = client.post(url, data)
    text = response.content.decode()
    assert "€ 2.000,00 per maand voor Huur is hoger dan gebruikelijk" in text
    assert 'type="checkbox" name="confirm_high_amount"' in text
    assert "Bevestigen en vastleggen" not in text

    response = client.post(url, {**data, "confirm_high_amount": "on"})
    assert "Bevestigen en vastleggen" in response.content.decode()
    response = client.post(url, {**data, "confirm_high_amount": "True", "confirm": "1"})
    assert response.status_code == 302
    assert PlanLine.objects.get().amount_on(plan.start_on) == 200_000


def test_the_most_specific_configured_ceiling_counts(beheerder, klantmanager, plan, landlord):
    regeling = plan.regeling
    CostCeiling.objects.create(category=CostCategory.HUUR, refuse_above_cents=100_000)
    with pytest.raises(Refused, match=r"€ 1\.000,00 \(volgens het landelijke maximum\)"):
        add_rent(klantmanager, plan, landlord, 120_000)

    CostCeiling.objects.create(
        region=regeling.region, category=CostCategory.HUUR, refuse_above_cents=150_000
    )
    add_rent(klantmanager, plan, landlord, 120_000)

    CostCeiling.objects.create(
        regeling=regeling,
        category=CostCategory.HUUR,
        warn_above_cents=50_000,
        refuse_above_cents=110_000,
    )
    with pytest.raises(Refused, match=r"€ 1\.100,00 \(volgens de regeling\)"):
        add_rent(klantmanager, plan, landlord, 120_000)
    with pytest.raises(Refused, match="hoger dan gebruikelijk"):
        add_rent(klantmanager, plan, landlord, 60_000)


# --- leefgeld below a share of the norm -------------------------------------------------------


@pytest.fixture
def little_leefgeld(frozen_clock, regeling):
    """A single adult on the norm (€ 1.300,61) with a rent of € 1.208,45: € 92,16 to live on."""
    frozen_clock.move_to("2025-11-10 10:00:00+01:00")
    debtor_account(regeling.region)
    return ready_participant(
        regeling, rent_cents=120_845, energy_cents=0, first_name="Samira", last_name="Nour"
    )


def test_little_leefgeld_warns_on_the_plan_page(client, klantmanager, little_leefgeld):
    plan = little_leefgeld.plans.get()
    floor = plausibility.allowance_floor(plan, PERIOD)
    assert (floor.norm_cents, floor.share, floor.floor_cents) == (130_061, Decimal("0.25"), 32_515)

    client.force_login(klantmanager)
    response = client.get(reverse("plans:overview", args=[little_leefgeld.pk]))
    text = response.content.decode()
    assert "Weinig leefgeld" in text
    assert "In november 2025 houdt de deelnemer € 92,16 over om van te leven" in text


def test_enough_leefgeld_or_no_share_gives_no_warning(client, klantmanager, little_leefgeld):
    comfortable = ready_participant(little_leefgeld.regeling)  # € 530,61 to live on
    client.force_login(klantmanager)
    response = client.get(reverse("plans:overview", args=[comfortable.pk]))
    assert "Weinig leefgeld" not in response.content.decode()

    regeling = little_leefgeld.regeling
    regeling.low_allowance_share = Decimal("0")
    regeling.save()
    response = client.get(reverse("plans:overview", args=[little_leefgeld.pk]))
    assert "Weinig leefgeld" not in response.content.decode()


def test_little_leefgeld_is_listed_for_the_approver(client, backoffice, little_leefgeld, region):
    from ontzorg.approvals.tests.helpers import colleague_of

    comfortable = ready_participant(little_leefgeld.regeling)
    run = payments.prepare_run(backoffice, region, PERIOD)
    warning = AllowanceWarning.objects.get(run=run)
    assert warning.participant == little_leefgeld
    assert (warning.allowance_cents, warning.floor_cents) == (9_216, 32_515)

    client.force_login(colleague_of(backoffice))
    text = client.get(reverse("payments:detail", args=[run.pk])).content.decode()
    assert "Weinig leefgeld" in text
    assert reverse("plans:overview", args=[little_leefgeld.pk]) in text
    assert "€ 92,16" in text
    assert reverse("plans:overview", args=[comfortable.pk]) not in text


def test_high_amounts_are_shown_to_the_approver(client, backoffice, region, regeling):
    """Point 4: ceilings are visible to the approver too. An amount in the warning band (or
    one stored before a ceiling was set, above it) is listed on the draft run's page."""
    from ontzorg.payments import services as payments
    from ontzorg.payments.tests.factories import PERIOD, debtor_account, ready_participant
    from ontzorg.regelingen.models import CostCeiling

    debtor_account(region)
    modest = ready_participant(regeling, rent_cents=45_000, last_name="Bescheiden")
    high = ready_participant(regeling, rent_cents=55_000, last_name="Hoog")
    absurd = ready_participant(regeling, rent_cents=65_000, last_name="Absurd")
    # Set after the rents were entered: warn above € 500, refuse above € 600.
    CostCeiling.objects.create(
        region=region,
        category=CostCategory.HUUR,
        warn_above_cents=50_000,
        refuse_above_cents=60_000,
    )
    run = payments.prepare_run(backoffice, region, PERIOD)
    client.force_login(backoffice)
    page = client.get(reverse("payments:detail", args=[run.pk])).content.decode()
    start = page.index('id="hoge-bedragen"')
    section = page[start : page.index("</section>", start)]
    assert "Hoog" in section and "Absurd" in section and "Bescheiden" not in section
    assert "boven het maximum van € 600,00" in section
    assert "waarschuwing boven € 500,00" in section
    assert reverse("plans:overview", args=[absurd.pk]) in section
    assert reverse("plans:overview", args=[high.pk]) in section
    assert reverse("plans:overview", args=[modest.pk]) not in section
