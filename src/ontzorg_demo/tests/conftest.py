"""The demo, loaded once for all demo tests and rolled back afterwards."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

# force_login counts as a login with the second factor here too (see ontzorg/conftest.py).
from ontzorg.conftest import force_login_includes_the_second_factor  # noqa: F401


@pytest.fixture(scope="package")
def demo(django_db_setup, django_db_blocker):
    """Load the demo once; everything is rolled back after the last demo test."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        call_command("load_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)
