"""Trajectory fixtures. Most tests here end a plan while several fixed costs are still
withheld, which only a regeling that ends all at once allows; afbouw per vaste last (the
default) has its own tests, which switch it back on."""

import pytest

from ontzorg.regelingen.tests.factories import RegelingFactory


@pytest.fixture
def regeling(region):
    return RegelingFactory(region=region, ends_all_at_once=True)
