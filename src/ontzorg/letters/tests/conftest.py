"""Fixtures for the overview tests outside the demo: a second backoffice user to approve runs,
and a municipality for intake."""

import pytest

from ontzorg.accounts.constants import RoleCode
from ontzorg.accounts.tests.factories import UserFactory
from ontzorg.regelingen.tests.factories import MunicipalityFactory


@pytest.fixture
def approver(municipality_org):
    return UserFactory(username="bo2", role_code=RoleCode.BACKOFFICE, organisation=municipality_org)


@pytest.fixture
def municipality(region):
    return MunicipalityFactory(name="Zoetermeer", region=region)
