"""The demo's second factor: every demo user has an authenticator app with a secret derived
from the login name, and `manage.py totp_code <login>` prints a code the login accepts."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from ontzorg.accounts.models import User
from ontzorg.accounts.tests.factories import UserFactory
from ontzorg_demo import regions, users

pytestmark = pytest.mark.django_db


def test_demo_users_get_an_app_with_a_known_secret_once(db):
    regions.load(StringIO())
    users.load(StringIO())
    users.load(StringIO())  # again, as `make run` does: nothing doubles

    evaluator = TOTPDevice.objects.get(user__username="evaluator")
    assert evaluator.confirmed
    assert evaluator.key == users.demo_totp_key("evaluator")
    assert TOTPDevice.objects.count() == len(users.demo_users())


def test_totp_code_prints_a_code_the_login_accepts(db):
    # The demo may be loaded already (the package's `demo` fixture): then evaluator exists.
    user = User.objects.filter(username="evaluator").first() or UserFactory(username="evaluator")
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(
        user=user, name="demo", key=users.demo_totp_key("evaluator"), confirmed=True
    )
    out = StringIO()
    call_command("totp_code", "evaluator", stdout=out)
    code = out.getvalue().strip()
    assert len(code) == 6 and code.isdigit()
    assert device.verify_token(code)
    # Just used: the next call gives the following code, which is accepted as well.
    out = StringIO()
    call_command("totp_code", "evaluator", stdout=out)
    assert device.verify_token(out.getvalue().strip())


def test_totp_code_is_only_for_demo_users(db):
    user = UserFactory(username="echte.gebruiker")
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    with pytest.raises(CommandError, match="geen demogebruiker"):
        call_command("totp_code", "echte.gebruiker")


def test_the_demo_is_never_loaded_into_a_database_elsewhere(db, monkeypatch):
    """Dev settings with a production DATABASE_URL (the settings module not exported): the
    demo, with its public passwords, refuses and creates no user."""
    from django.db import connection

    before = User.objects.count()
    monkeypatch.setitem(connection.settings_dict, "ENGINE", "django.db.backends.postgresql")
    monkeypatch.setitem(connection.settings_dict, "HOST", "db.gemeente.example.nl")
    with pytest.raises(CommandError, match="alleen in een database op deze computer"):
        call_command("load_demo")
    monkeypatch.undo()
    assert User.objects.count() == before
