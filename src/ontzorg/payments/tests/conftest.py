"""Fixtures for payment runs: a region ready to run, and a second backoffice user."""

import pytest

from ontzorg.accounts.constants import RoleCode
from ontzorg.accounts.tests.factories import UserFactory

from .factories import debtor_account, ready_participant


@pytest.fixture
def approver(municipality_org):
    return UserFactory(username="bo2", role_code=RoleCode.BACKOFFICE, organisation=municipality_org)


@pytest.fixture
def ready_region(regeling):
    """Two participants who can be paid and one whose income is below the costs."""
    debtor_account(regeling.region)
    return {
        "paid": [ready_participant(regeling), ready_participant(regeling, pots=[("Buffer", 2500)])],
        "short": ready_participant(regeling, income_cents=50_000),
    }
