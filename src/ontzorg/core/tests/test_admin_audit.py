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
# Admins that only set up new objects: every field of an existing one is money data, changed
# by a four-eyes proposal (approvals/tests/test_matrix.py), never in the admin.
SET_UP_ONLY = {"payments.DebtorAccount"}


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


def _extra_objects(region, participant, user):
    """Objects of the admin models the URL-walk world does not make."""
    from datetime import date

    from ontzorg.banking.models import AccountAlias
    from ontzorg.guidance.models import PracticalCondition
    from ontzorg.guidance.tests.factories import ContactFactory
    from ontzorg.measurements.models import Assignment, ChecklistItem
    from ontzorg.measurements.tests.factories import MeasurementFactory, three_level_instrument
    from ontzorg.monitor.models import Study
    from ontzorg.participants.constants import DecisionKind, DecisionOutcome
    from ontzorg.participants.services import record_decision
    from ontzorg.participants.tests.factories import ParticipantFactory
    from ontzorg.plans.models import BenefitNorm
    from ontzorg.regelingen.models import CostCeiling
    from ontzorg.signals.models import SignalRoute
    from ontzorg.signals.tests.factories import api_client_with_token

    instrument = three_level_instrument()
    ChecklistItem.objects.create(instrument=instrument, order=1, text="Post openen")
    Assignment.objects.create(instrument=instrument, order=1, text="Begroting maken")
    MeasurementFactory(participant=participant, instrument=instrument, rank=2)
    ContactFactory(participant=participant, recorded_by=user)
    PracticalCondition.objects.create(
        participant=participant,
        kind="childcare",
        provided_on=date(2025, 10, 1),
        cost_cents=2500,
        recorded_by=user,
    )
    api_client_with_token(region)
    SignalRoute.objects.create(region=region, creditor_kind="water", target="case_worker")
    CostCeiling.objects.create(
        region=region, category="huur", warn_above_cents=140_000, refuse_above_cents=280_000
    )
    AccountAlias.objects.create(region=region, identifier="0285001234")
    Study.objects.create(name="Evaluatie 2027")
    candidate = ParticipantFactory(regeling=participant.regeling)
    record_decision(
        user,
        candidate,
        kind=DecisionKind.MAATWERK,
        outcome=DecisionOutcome.ONTZORGING_ANYWAY,
        reason="Maatwerk: ondanks de leeftijd wel ontzorgen.",
    )
    _inventory_and_referral(participant, user)
    assert BenefitNorm.objects.exists()


def _inventory_and_referral(participant, user):
    """A debt, an asset, duaal-traject facts and a referral, recorded as a case worker does."""
    from datetime import date

    from ontzorg.guidance import services as guidance
    from ontzorg.inventory import services as inventory

    day = date(2025, 10, 1)
    inventory.record_debt(user, participant, kind="cjib", amount_cents=25_000, known_on=day)
    inventory.record_asset(
        user, participant, kind="ind_compensation", amount_cents=900_000, valued_on=day
    )
    inventory.record_integration(user, participant, recorded_on=day, route="b1")
    guidance.record_referral(
        user, participant, kind="wijkteam", referred_on=day, reason="Hulp bij post"
    )


def _try_a_change(client, url, form_data) -> str | None:
    """Change one text, number or yes/no field through the admin form; the field's name
    when the admin saved it, None when no field could be changed validly."""
    for name, value in list(form_data.items()):
        skip = name.startswith(("_", "csrf")) or name == "password" or "-" in name
        if skip or isinstance(value, list):
            continue
        for new in (f"{value} (gewijzigd)", str(int(value) + 1) if value.isdigit() else None):
            if new is None:
                continue
            response = client.post(url, {**form_data, name: new})
            if response.status_code == 302:
                return name
    bools = [n for n, v in form_data.items() if v == "on" and "-" not in n]
    for name in bools:
        data = dict(form_data)
        data.pop(name)
        if client.post(url, data).status_code == 302:
            return name
    return None


@pytest.mark.django_db
def test_a_change_through_every_admin_is_audited(client, superuser):
    """For every admin of ours: change one field of a real object through the change form,
    and find it, with its before and after, in the audit trail; a read-only admin offers
    no way to change anything at all."""
    from ontzorg.core.tests.test_url_walk import _region_world
    from ontzorg.participants.models import Participant

    region, _, boss = _region_world("Zoetermeer", "zoetermeer")
    _extra_objects(region, Participant.objects.first(), boss)
    client.force_login(superuser)
    request = type("Request", (), {"user": superuser})()
    problems, changed = [], []
    for model, model_admin in _our_admins():
        obj = model._default_manager.order_by("pk").first()
        if obj is None:
            problems.append(f"{model._meta.label}: no object to change")
            continue
        label = model._meta.label
        base = f"/beheer/{model._meta.app_label}/{model._meta.model_name}/{obj.pk}"
        last_pk = AuditEntry.objects.order_by("pk").values_list("pk", flat=True).last() or 0
        if not model_admin.has_change_permission(request, obj):
            if model_admin.has_add_permission(request):
                problems.append(f"{label}: read-only, yet adds")
            elif model_admin.has_delete_permission(request, obj):
                response = client.post(f"{base}/delete/", {"post": "yes"})
                deleted = AuditEntry.objects.filter(
                    event="admin.deleted", object_type=label, pk__gt=last_pk
                )
                if response.status_code == 302 and not deleted.exists():
                    problems.append(f"{label}: the deletion was not audited")
                elif response.status_code == 302:
                    changed.append(label)
            continue
        url = f"{base}/change/"
        field = _try_a_change(client, url, _change_form_data(client, url))
        if label in SET_UP_ONLY:
            if field is not None:
                problems.append(f"{label}: {field} changed in the admin")
            continue
        if field is None:
            problems.append(f"{label}: no field could be changed")
            continue
        # The admin's own entry, or the service's where the admin saves through one.
        written = AuditEntry.objects.filter(
            object_type=label, object_id=str(obj.pk), pk__gt=last_pk
        ).values_list("changes", flat=True)
        if any(key.startswith(field) or field.startswith(key) for c in written for key in c):
            changed.append(label)
        else:
            problems.append(f"{label}: the change of {field} was not audited: {list(written)}")
    assert problems == [], "\n".join(problems)
    assert len(changed) >= 15


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
        for inline in formset.formset.initial_forms:
            for name in inline.fields:
                value = inline[name].value()
                if value is None or value is False:
                    continue
                data[inline.add_prefix(name)] = "on" if value is True else str(value)
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
def test_changing_a_creditor_in_the_admin_is_audited(client, superuser):
    """Its address, that is: the IBAN and the account holder's name are read-only in the
    admin, they change only by four eyes (plans.payees)."""
    from ontzorg.plans.tests.factories import CreditorFactory

    creditor = CreditorFactory(iban="NL91ABNA0417164300", town="Zoetermeer")
    client.force_login(superuser)
    url = f"/beheer/plans/creditor/{creditor.pk}/change/"
    data = _change_form_data(client, url)
    assert "iban" not in data
    data["town"] = "Delft"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = AuditEntry.objects.filter(object_type="plans.Creditor").latest("pk")
    assert entry.changes == {"town": ["Zoetermeer", "Delft"]}


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
