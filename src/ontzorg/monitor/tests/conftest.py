"""Users of the monitor's own roles."""

import pytest

from ontzorg.accounts.constants import OrganisationKind, RoleCode
from ontzorg.accounts.tests.factories import OrganisationFactory, UserFactory


@pytest.fixture
def projectleider(municipality_org):
    return UserFactory(
        username="pl", role_code=RoleCode.PROJECTLEIDER, organisation=municipality_org
    )


@pytest.fixture
def evaluator(db):
    organisation = OrganisationFactory(
        name="Verwey-Jonker Instituut", kind=OrganisationKind.EVALUATOR, region=None
    )
    return UserFactory(username="eval", role_code=RoleCode.EVALUATOR, organisation=organisation)


@pytest.fixture
def other_pl(db):
    return UserFactory(username="pl2", role_code=RoleCode.PROJECTLEIDER)
