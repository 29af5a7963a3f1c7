"""The second factor in the admin (/beheer/): django-otp's admins for TOTP devices and
recovery codes, audited like every admin of ours, without the TOTP key or a recovery code
ever reaching the audit trail, and with the secrets still hidden on the admin's pages."""

import pytest
from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ontzorg.accounts import services
from ontzorg.accounts.services import next_code
from ontzorg.accounts.tests.factories import UserFactory
from ontzorg.audit.admin import AuditedMixin
from ontzorg.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def codes(klantmanager):
    """The klantmanager's app, set up as at the first login, and its recovery codes."""
    device = TOTPDevice.objects.create(user=klantmanager, name="app", confirmed=False)
    return services.confirm_device(klantmanager, device, next_code(device))


def trail_text() -> str:
    return str(list(AuditEntry.objects.values_list("changes", "params", "summary")))


def test_the_second_factor_admins_are_audited():
    for model in (TOTPDevice, StaticDevice):
        assert isinstance(admin.site._registry[model], AuditedMixin), model


def test_removing_a_users_app_in_the_admin_is_audited_without_the_key(
    client, superuser, klantmanager, codes
):
    device = TOTPDevice.objects.get(user=klantmanager)
    client.force_login(superuser)
    page = client.get(f"/beheer/otp_totp/totpdevice/{device.pk}/change/").content.decode()
    assert device.key not in page  # OTP_ADMIN_HIDE_SENSITIVE_DATA

    response = client.post(f"/beheer/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    entry = AuditEntry.objects.get(event="admin.deleted", object_type="otp_totp.TOTPDevice")
    assert entry.actor == superuser and entry.object_id == str(device.pk)
    assert entry.changes["user"] == [klantmanager.pk, None]
    assert entry.changes["key"] == ["(gewijzigd)", None]
    assert device.key not in trail_text()


def test_removing_recovery_codes_in_the_admin_is_audited_without_the_codes(
    client, superuser, klantmanager, codes
):
    device = StaticDevice.objects.get(user=klantmanager, name=services.RECOVERY_NAME)
    client.force_login(superuser)
    page = client.get(f"/beheer/otp_static/staticdevice/{device.pk}/change/").content.decode()
    assert codes[0] not in page  # OTP_ADMIN_HIDE_SENSITIVE_DATA

    # From the list, as the delete action does it.
    response = client.post(
        "/beheer/otp_static/staticdevice/",
        {"action": "delete_selected", "_selected_action": [device.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not StaticDevice.objects.filter(pk=device.pk).exists()
    entry = AuditEntry.objects.get(event="admin.deleted", object_type="otp_static.StaticDevice")
    assert entry.changes["user"] == [klantmanager.pk, None]
    assert not any(code in trail_text() for code in codes)


def test_recovery_codes_added_in_the_admin_are_audited_as_changed_only(
    client, superuser, klantmanager
):
    client.force_login(superuser)
    url = "/beheer/otp_static/staticdevice/add/"
    formset = client.get(url).context["inline_admin_formsets"][0].formset
    prefix = formset.prefix
    response = client.post(
        url,
        {
            "user": klantmanager.pk,
            "name": "door de beheerder",
            "confirmed": "on",
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
            f"{prefix}-0-token": "geheimecode",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert StaticToken.objects.filter(token="geheimecode").exists()
    assert AuditEntry.objects.filter(
        event="admin.added", object_type="otp_static.StaticDevice"
    ).exists()
    token_entry = AuditEntry.objects.get(event="admin.added", object_type="otp_static.StaticToken")
    assert token_entry.changes["token"] == [None, "(gewijzigd)"]
    assert "geheimecode" not in trail_text()
