"""Changes made in the admin (/beheer/) are audited by construction."""

import pytest
from django.contrib import admin
from django.forms import MultiWidget

from ontzorg.accounts.models import Role
from ontzorg.accounts.tests.factories import UserFactory
from ontzorg.audit.admin import AuditedMixin
from ontzorg.audit.models import AuditEntry

# Read-only or framework admins that hold no configuration or money data of ours.
NOT_OURS = {"audit.AuditEntry", "auth.Group"}


def _our_admins():
    for model, model_admin in admin.site._registry.items():
        if model._meta.label in NOT_OURS or not model.__module__.startswith("ontzorg."):
            continue
        yield model, model_admin


def test_every_admin_of_ours_is_audited():
    admins = list(_our_admins())
    assert len(admins) > 10
    unaudited = [m._meta.label for m, a in admins if not isinstance(a, AuditedMixin)]
    assert unaudited == []


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


def _change_form_data(client, url) -> dict:
    """The admin's change form as a browser would post it back unchanged."""
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        widget = form.fields[name].widget
        if value is None:
            continue
        if isinstance(widget, MultiWidget):
            parts = value if isinstance(value, list) else widget.decompress(value)
            for index, part in enumerate(parts):
                data[f"{name}_{index}"] = "" if part is None else str(part)
        elif isinstance(value, (list, tuple)):
            data[name] = [str(v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = str(value)
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = str(management[name].value() or 0)
    return data


@pytest.mark.django_db
def test_changing_a_role_right_in_the_admin_is_audited_with_before_and_after(client, superuser):
    role = Role.objects.get(code="budgetcoach")
    assert role.sees_bsn is False
    client.force_login(superuser)
    url = f"/beheer/accounts/role/{role.pk}/change/"
    data = _change_form_data(client, url)
    data["sees_bsn"] = "on"
    before = AuditEntry.objects.count()
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    role.refresh_from_db()
    assert role.sees_bsn is True
    entry = AuditEntry.objects.latest("pk")
    assert AuditEntry.objects.count() == before + 1
    assert entry.event == "admin.changed"
    assert entry.actor == superuser
    assert entry.changes == {"sees_bsn": [False, True]}
    assert entry.text == "rol gewijzigd in het beheer"


@pytest.mark.django_db
def test_changing_a_creditors_iban_in_the_admin_is_audited(client, superuser):
    from ontzorg.plans.tests.factories import CreditorFactory

    creditor = CreditorFactory(iban="NL91ABNA0417164300")
    client.force_login(superuser)
    url = f"/beheer/plans/creditor/{creditor.pk}/change/"
    data = _change_form_data(client, url)
    data["iban"] = "NL44RABO0123456789"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = AuditEntry.objects.filter(object_type="plans.Creditor").latest("pk")
    assert entry.changes["iban"] == ["NL91ABNA0417164300", "NL44RABO0123456789"]


@pytest.mark.django_db
def test_a_users_password_change_is_audited_without_the_hash(client, superuser):
    user = UserFactory(username="nieuw")
    client.force_login(superuser)
    url = f"/beheer/accounts/user/{user.pk}/change/"
    data = _change_form_data(client, url)
    data["first_name"] = "Selam"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = AuditEntry.objects.filter(object_type="accounts.User").latest("pk")
    assert entry.changes["first_name"][1] == "Selam"
    assert "pbkdf2" not in str(entry.changes) and "md5" not in str(entry.changes)
