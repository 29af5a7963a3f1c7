"""Login and logout, throttling by the client's address behind a trusted proxy, the shipped
roles, and the audited admin of users and roles."""

import pytest
from django.urls import reverse

from ontzorg.accounts.models import FailedLogin, Role
from ontzorg.accounts.roles import ROLES
from ontzorg.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"


def test_migration_ships_the_roles_of_roles_py():
    # The migration holds its own frozen copy; a change of rights needs a new migration.
    for code, fields in ROLES.items():
        role = Role.objects.get(code=code)
        assert {name: getattr(role, name) for name in fields} == fields, code
    assert Role.objects.count() == len(ROLES)


def fail_login(client, address: str, username: str = "km"):
    return client.post(
        reverse("login"),
        {"username": username, "password": "fout"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=address,
    )


def test_behind_a_trusted_proxy_failures_count_per_client_address(client, klantmanager, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.LOGIN_MAX_FAILURES_PER_IP = 3
    for username in ("a", "b", "c"):
        fail_login(client, "203.0.113.7", username)

    assert set(FailedLogin.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}
    refused = fail_login(client, "203.0.113.7", "d")
    assert "Te veel mislukte pogingen." in refused.content.decode()
    other_client = fail_login(client, "198.51.100.9", "e")
    assert "Gebruikersnaam of wachtwoord klopt niet." in other_client.content.decode()


def test_a_forwarded_header_from_an_untrusted_address_is_ignored(client, klantmanager, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    client.post(
        reverse("login"),
        {"username": "km", "password": "fout"},
        REMOTE_ADDR="192.0.2.1",
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    assert FailedLogin.objects.get().ip_address == "192.0.2.1"


def test_a_failed_login_is_audited_with_the_username(client, klantmanager):
    client.post(reverse("login"), {"username": "km", "password": "fout"})
    entry = AuditEntry.objects.get(event="account.login_failed")
    assert entry.text == "mislukte aanmelding voor 'km'"
    assert entry.ip_address == "127.0.0.1"


def test_logout_is_a_post(client, klantmanager):
    client.force_login(klantmanager)
    assert client.get(reverse("logout")).status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response.url == reverse("login")
    assert "_auth_user_id" not in client.session


def test_a_change_of_role_rights_in_the_admin_is_audited(client, beheerder):
    beheerder.is_staff = beheerder.is_superuser = True
    beheerder.save()
    client.force_login(beheerder)
    role = Role.objects.get(code="projectleider")
    url = reverse("admin:accounts_role_change", args=[role.pk])
    data = {"name": role.name, "scope": role.scope, "exports_pseudonymised": "on", "sees_bsn": "on"}

    assert client.post(url, data).status_code == 302

    role.refresh_from_db()
    assert role.sees_bsn
    entry = AuditEntry.objects.get(event="admin.changed", object_type="accounts.Role")
    assert entry.changes == {"sees_bsn": [False, True]}
    assert entry.actor == beheerder


def test_a_user_change_in_the_admin_is_audited_without_the_password(client, beheerder):
    beheerder.is_staff = beheerder.is_superuser = True
    beheerder.save()
    client.force_login(beheerder)
    url = reverse("admin:accounts_user_change", args=[beheerder.pk])
    response = client.get(url)
    data = {
        "username": beheerder.username,
        "first_name": "Nieuwe",
        "last_name": beheerder.last_name,
        "email": "",
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "organisation": beheerder.organisation_id,
        "role": beheerder.role_id,
        "date_joined_0": response.context["adminform"]
        .form["date_joined"]
        .value()
        .strftime("%Y-%m-%d"),
        "date_joined_1": "10:00:00",
    }
    assert client.post(url, data).status_code == 302
    entry = AuditEntry.objects.get(event="admin.changed", object_type="accounts.User")
    assert entry.changes["first_name"][1] == "Nieuwe"
    assert "password" not in entry.changes
