"""The household pages, driven through the Django test client as the pages send them: every
change is a form, then a confirmation, then the service (participants.households)."""

from datetime import date

import pytest
from django.urls import reverse

from ontzorg.accounts.tests.factories import OrganisationFactory, UserFactory
from ontzorg.audit.models import AuditEntry
from ontzorg.participants.constants import MemberKind
from ontzorg.participants.models import HouseholdMember, HouseholdMove
from ontzorg.participants.tests.factories import ParticipantFactory
from ontzorg.plans import reading
from ontzorg.plans.tests.factories import PlanFactory
from ontzorg.regelingen.tests.factories import MunicipalityFactory, RegionFactory


@pytest.fixture
def amina(regeling, klantmanager, partner_org, frozen_clock):
    person = ParticipantFactory(
        first_name="Amina",
        regeling=regeling,
        date_of_birth=date(1990, 1, 1),
        case_worker=klantmanager,
        guidance_organisation=partner_org,
    )
    PlanFactory(participant=person, regeling=regeling)
    return person


@pytest.fixture
def client_km(client, klantmanager):
    client.force_login(klantmanager)
    return client


def confirmed(client, url, data):
    """Send a form as the page does: first to check (confirmation page), then confirmed."""
    check = client.post(url, data)
    assert check.status_code == 200, check.content.decode()[:2000]
    assert "Bevestigen" in check.content.decode()
    return client.post(url, {**data, "confirm": "1"})


PARTNER = {
    "kind": MemberKind.PARTNER,
    "first_name": "Omar",
    "date_of_birth": "1988-04-02",
    "starts_on": "2026-03-01",
    "income": "450.00",
}


def test_the_detail_page_links_to_the_household(client_km, amina):
    response = client_km.get(reverse("participants:detail", args=[amina.pk]))
    assert reverse("participants:household", args=[amina.pk]) in response.content.decode()


def test_add_a_partner_through_the_pages(client_km, amina):
    url = reverse("participants:member_add", args=[amina.pk])
    assert client_km.get(url).status_code == 200
    check = client_km.post(url, PARTNER)
    assert "€ 450,00" in check.content.decode()  # the summary to confirm
    assert not HouseholdMember.objects.exists()  # nothing before confirming

    response = client_km.post(url, {**PARTNER, "confirm": "1"})
    assert response.status_code == 302
    assert response["Location"] == reverse("participants:household", args=[amina.pk])
    partner = HouseholdMember.objects.get()
    assert (partner.kind, partner.starts_on, partner.income_cents) == (
        MemberKind.PARTNER,
        date(2026, 3, 1),
        45_000,
    )
    assert reading.norm_for(amina, date(2026, 3, 1)).amount_cents == 185801

    page = client_km.get(response["Location"]).content.decode()
    assert "Omar" in page and "01-03-2026" in page


def test_a_date_in_a_past_month_is_refused_on_the_page(client_km, amina):
    url = reverse("participants:member_add", args=[amina.pk])
    response = client_km.post(url, {**PARTNER, "starts_on": "2026-02-01", "confirm": "1"})
    assert response.status_code == 400
    assert "De maanden daarvoor zijn al berekend" in response.content.decode()
    assert not HouseholdMember.objects.exists()


def test_change_and_end_a_housemate_through_the_pages(client_km, amina, klantmanager):
    from ontzorg.participants import households

    housemate = households.add_member(
        klantmanager,
        amina,
        kind=MemberKind.HOUSEMATE,
        first_name="Samir",
        date_of_birth=date(1995, 6, 1),
        starts_on=date(2026, 3, 1),
    )
    change = reverse("participants:member_change", args=[housemate.pk])
    assert "Samir" in client_km.get(change).content.decode()
    data = {
        "first_name": "Samir",
        "date_of_birth": "1995-06-01",
        "is_student": "on",
        "income": "",
        "on": "2026-04-01",
    }
    assert confirmed(client_km, change, data).status_code == 302
    current = HouseholdMember.objects.get(replaces=housemate)
    assert current.is_student and current.starts_on == date(2026, 4, 1)

    end = reverse("participants:member_end", args=[current.pk])
    assert confirmed(client_km, end, {"on": "2026-05-01"}).status_code == 302
    current.refresh_from_db()
    assert current.ends_on == date(2026, 4, 30)


def test_record_a_move_through_the_pages(client_km, amina):
    elsewhere = MunicipalityFactory(name="Lansingerland", region=amina.regeling.region)
    url = reverse("participants:move", args=[amina.pk])
    assert client_km.get(url).status_code == 200
    data = {
        "street": "Nieuwe Weg",
        "house_number": "12",
        "postcode": "2651ab",
        "city": "Berkel",
        "municipality": elsewhere.pk,
        "moves_on": "2026-03-10",
    }
    assert confirmed(client_km, url, data).status_code == 302
    amina.household.refresh_from_db()
    assert amina.household.municipality == elsewhere
    assert HouseholdMove.objects.get().moves_on == date(2026, 3, 10)
    page = client_km.get(reverse("participants:household", args=[amina.pk])).content.decode()
    assert "Nieuwe Weg 12" in page and "10-03-2026" in page


def test_the_household_page_is_audited_as_seen(client_km, amina):
    client_km.get(reverse("participants:household", args=[amina.pk]))
    assert AuditEntry.objects.filter(event="participant.viewed", participant=amina).exists()


def test_a_coach_sees_the_household_but_may_not_change_it(client, coach, amina, klantmanager):
    from ontzorg.participants import households

    housemate = households.add_member(
        klantmanager,
        amina,
        kind=MemberKind.HOUSEMATE,
        first_name="Samir",
        date_of_birth=date(1995, 6, 1),
        starts_on=date(2026, 3, 1),
    )
    client.force_login(coach)
    page = client.get(reverse("participants:household", args=[amina.pk]))
    assert page.status_code == 200
    assert reverse("participants:member_add", args=[amina.pk]) not in page.content.decode()
    for url in (
        reverse("participants:member_add", args=[amina.pk]),
        reverse("participants:move", args=[amina.pk]),
        reverse("participants:member_change", args=[housemate.pk]),
        reverse("participants:member_end", args=[housemate.pk]),
    ):
        assert client.get(url).status_code == 403
        assert client.post(url, {**PARTNER, "confirm": "1"}).status_code == 403
    assert HouseholdMember.objects.count() == 1


def test_another_regions_household_is_not_found(client, amina, klantmanager):
    from ontzorg.participants import households

    housemate = households.add_member(
        klantmanager,
        amina,
        kind=MemberKind.HOUSEMATE,
        first_name="Samir",
        date_of_birth=date(1995, 6, 1),
        starts_on=date(2026, 3, 1),
    )
    other = RegionFactory(name="Den Haag", slug="den-haag")
    stranger = UserFactory(
        username="km-dh",
        role_code="klantmanager",
        organisation=OrganisationFactory(name="Gemeente Den Haag", region=other),
    )
    client.force_login(stranger)
    for url in (
        reverse("participants:household", args=[amina.pk]),
        reverse("participants:member_add", args=[amina.pk]),
        reverse("participants:move", args=[amina.pk]),
        reverse("participants:member_change", args=[housemate.pk]),
        reverse("participants:member_end", args=[housemate.pk]),
    ):
        assert client.get(url).status_code == 404
    assert (
        client.post(
            reverse("participants:member_end", args=[housemate.pk]),
            {"on": "2026-04-01", "confirm": "1"},
        ).status_code
        == 404
    )
    housemate.refresh_from_db()
    assert housemate.ends_on is None
