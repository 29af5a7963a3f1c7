"""Fixtures for the signals tests: participants with and without a partner organisation."""

from datetime import date

import pytest

from ontzorg.participants.tests.factories import HouseholdFactory, ParticipantFactory
from ontzorg.regelingen.tests.factories import MunicipalityFactory

from .factories import api_client_with_token


@pytest.fixture
def guided(regeling, klantmanager, coach, partner_org):
    """A participant guided by the partner organisation, at 2711 AB 12A, born 17-05-1990."""
    household = HouseholdFactory(
        municipality=MunicipalityFactory(region=regeling.region),
        postcode="2711 AB",
        house_number="12a",
    )
    return ParticipantFactory(
        regeling=regeling,
        household=household,
        case_worker=klantmanager,
        coach=coach,
        guidance_organisation=partner_org,
        date_of_birth=date(1990, 5, 17),
    )


@pytest.fixture
def unguided(regeling, klantmanager):
    """A participant in the same region whom the partner organisation does not guide."""
    return ParticipantFactory(regeling=regeling, case_worker=klantmanager)


@pytest.fixture
def api_client_and_token(region):
    return api_client_with_token(region)
