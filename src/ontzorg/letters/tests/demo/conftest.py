"""The demo data, loaded once per package with the clock frozen (as in privacy's demo tests),
rolled back after the last test; each test runs in a savepoint of its own."""

from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction

from ontzorg.conftest import FROZEN_NOW


@pytest.fixture(scope="package")
def demo(django_db_setup, django_db_blocker):
    with (
        django_db_blocker.unblock(),
        time_machine.travel(FROZEN_NOW, tick=False),
        transaction.atomic(),
    ):
        call_command("load_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def on_demo(demo, db):
    with time_machine.travel(FROZEN_NOW, tick=False), transaction.atomic():
        yield
        transaction.set_rollback(True)
