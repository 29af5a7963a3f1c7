"""Staff limited to their municipality where the region says so: a case worker of Waterland
in the Edam-Volendam region sees the residents of Waterland only; the region-wide work
(payment runs) is not theirs. Without the region's setting, or for an organisation of the
whole region, everyone of the region is visible as before."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ontzorg.accounts.constants import RoleCode, Scope
from ontzorg.accounts.models import Organisation
from ontzorg.accounts.tests.factories import OrganisationFactory, UserFactory
from ontzorg.core import access
from ontzorg.exceptions import PermissionDenied
from ontzorg.participants import services as participants
from ontzorg.participants.models import Participant
from ontzorg.participants.tests.factories import HouseholdFactory, ParticipantFactory
from ontzorg.payments import services as payments
from ontzorg.payments.tests.factories import PERIOD, debtor_account
from ontzorg.regelingen.tests.factories import MunicipalityFactory, RegionFactory


@pytest.fixture
def towns(regeling):
    region = regeling.region
    region.staff_limited_to_municipality = True
    region.save()
    edam = MunicipalityFactory(name="Edam-Volendam", region=region, is_lead=True)
    waterland = MunicipalityFactory(name="Waterland", region=region)
    return {
        "region": region,
        "edam": edam,
        "waterland": waterland,
        "edam_resident": ParticipantFactory(
            regeling=regeling,
            last_name="Edammer",
            household=HouseholdFactory(municipality=edam),
        ),
        "waterland_resident": ParticipantFactory(
            regeling=regeling,
            last_name="Waterlander",
            household=HouseholdFactory(municipality=waterland),
        ),
    }


def _staff(towns, town, role_code=RoleCode.KLANTMANAGER):
    organisation = OrganisationFactory(
        name=f"Gemeente {town.name} {role_code}", region=towns["region"], municipality=town
    )
    return UserFactory(role_code=role_code, organisation=organisation)


def test_limited_case_worker_sees_only_their_municipality(client, towns):
    user = _staff(towns, towns["waterland"])
    assert access.scope_of(user) == Scope.MUNICIPALITY
    client.force_login(user)

    page = client.get(reverse("participants:list"))
    assert page.status_code == 200
    assert "Waterlander" in page.text and "Edammer" not in page.text
    own = client.get(reverse("participants:detail", args=[towns["waterland_resident"].pk]))
    assert own.status_code == 200
    other = client.get(reverse("participants:detail", args=[towns["edam_resident"].pk]))
    assert other.status_code == 404
    assert list(Participant.objects.visible_to(user)) == [towns["waterland_resident"]]


def test_intake_offers_only_their_own_municipality(towns):
    user = _staff(towns, towns["waterland"])
    assert list(participants.municipalities_for(user)) == [towns["waterland"]]


def test_without_the_regions_setting_staff_see_the_whole_region(client, towns):
    towns["region"].staff_limited_to_municipality = False
    towns["region"].save()
    user = _staff(towns, towns["waterland"])
    assert access.scope_of(user) == Scope.REGION
    client.force_login(user)
    page = client.get(reverse("participants:list"))
    assert "Waterlander" in page.text and "Edammer" in page.text


def test_an_organisation_of_the_whole_region_keeps_seeing_it(towns, klantmanager):
    assert klantmanager.organisation.municipality is None
    assert access.scope_of(klantmanager) == Scope.REGION
    assert set(Participant.objects.visible_to(klantmanager)) == {
        towns["edam_resident"],
        towns["waterland_resident"],
    }


def test_limited_back_office_does_no_region_wide_payment_work(client, towns, backoffice):
    debtor_account(towns["region"])
    limited = _staff(towns, towns["waterland"], RoleCode.BACKOFFICE)
    with pytest.raises(PermissionDenied):
        payments.prepare_run(limited, towns["region"], PERIOD)
    run = payments.prepare_run(backoffice, towns["region"], PERIOD)
    client.force_login(limited)
    assert client.get(reverse("payments:detail", args=[run.pk])).status_code == 404


def test_an_organisations_municipality_lies_in_its_region(towns):
    other = RegionFactory(name="Dongemond", slug="dongemond")
    organisation = Organisation(
        name="Gemeente Verkeerd", kind="municipality", region=other, municipality=towns["edam"]
    )
    with pytest.raises(ValidationError):
        organisation.full_clean()
