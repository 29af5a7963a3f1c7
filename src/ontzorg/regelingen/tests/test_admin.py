"""The admin (/beheer/): every page opens for the beheerder, configuration errors come back in
Dutch, personal data stay scoped and audited, and the audit trail cannot be changed."""

from unittest import mock

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from ontzorg.accounts.constants import RoleCode
from ontzorg.accounts.tests.factories import UserFactory
from ontzorg.audit.constants import Action
from ontzorg.audit.models import AuditEntry
from ontzorg.participants import selection, services
from ontzorg.participants.constants import DecisionKind, DecisionOutcome, MemberKind
from ontzorg.participants.models import HouseholdMember, Participant
from ontzorg.participants.tests.factories import ParticipantFactory
from ontzorg.regelingen.constants import CostCategory
from ontzorg.regelingen.models import CostCeiling, Instrument, PackageItem, Regeling, Training
from ontzorg.regelingen.tests.factories import InstrumentFactory

pytestmark = pytest.mark.django_db

# The apps whose admin this file covers; other apps test their own admin pages.
ADMIN_APPS = {"accounts", "regelingen", "participants", "audit"}


@pytest.fixture
def admin_user(municipality_org):
    return UserFactory(
        username="beheerder",
        role_code=RoleCode.BEHEERDER,
        organisation=municipality_org,
        is_staff=True,
        is_superuser=True,
    )


@pytest.fixture
def client_admin(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def dataset(regeling, klantmanager, coach, partner_org):
    """At least one object of every model the admin shows."""
    instrument = InstrumentFactory()
    regeling.instruments.add(instrument)
    Training.objects.create(regeling=regeling, name="Geldwijzer", sessions=4)
    CostCeiling.objects.create(
        regeling=regeling, category=CostCategory.HUUR, warn_above_cents=120_000
    )
    people = [
        ParticipantFactory(regeling=regeling, guidance_organisation=partner_org) for _ in range(3)
    ]
    HouseholdMember.objects.create(
        household=people[0].household,
        kind=MemberKind.CHILD,
        first_name="Lina",
        date_of_birth="2019-04-02",
    )
    services.record_decision(
        klantmanager,
        people[0],
        kind=DecisionKind.OPT_OUT,
        outcome=DecisionOutcome.NO_ONTZORGING,
        reason="Betaalt de vaste lasten al zelf.",
    )
    # A fixed seed keeps the data set the same on every run (the server draws its own).
    with mock.patch.object(selection, "new_seed", return_value=7):
        services.draw_selection(klantmanager, regeling, 1)
    return people


def form_data(response) -> dict:
    """The POST data the change form would send as it is, inlines included."""
    data = {}
    _fields(response.context["adminform"].form, data)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        _fields(formset.management_form, data)
        for form in formset.forms:
            _fields(form, data)
    return data


def _fields(form, data):
    for name in form.fields:
        bound = form[name]
        value = bound.value()
        if isinstance(value, bool):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [str(getattr(v, "pk", v)) for v in value]
        elif value is not None:
            data[bound.html_name] = str(getattr(value, "pk", value))


def test_every_admin_page_opens_for_the_beheerder(client_admin, admin_user, dataset):
    request = RequestFactory().get("/")
    request.user = admin_user
    models = [m for m in admin.site._registry if m._meta.app_label in ADMIN_APPS]
    assert len(models) == 12
    for model in models:
        model_admin = admin.site._registry[model]
        meta = model._meta
        changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        assert client_admin.get(changelist).status_code == 200, changelist
        obj = model._default_manager.first()
        assert obj is not None, f"no {meta.label} in the dataset"
        change = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
        assert client_admin.get(change).status_code == 200, change
        if model_admin.has_add_permission(request):
            add = reverse(f"admin:{meta.app_label}_{meta.model_name}_add")
            assert client_admin.get(add).status_code == 200, add


def test_admin_is_in_dutch(client_admin):
    response = client_admin.get(reverse("admin:index"))
    assert "Ontzorg beheer" in response.content.decode()
    assert "Regelingen" in response.content.decode()
    assert "Afmelden" in response.content.decode()


def test_non_staff_users_cannot_open_the_admin(client, coach):
    client.force_login(coach)
    response = client.get(reverse("admin:participants_participant_changelist"))
    assert response.status_code == 302
    assert "/beheer/login/" in response["Location"]


# Instruments


def instrument_post(levels: list[tuple[int, str, int, bool]], name="Testschaal") -> dict:
    data = {
        "name": name,
        "description": "",
        "purpose": "self_reliance",
        "scale": "levels",
        "levels-TOTAL_FORMS": str(len(levels)),
        "levels-INITIAL_FORMS": "0",
        "levels-MIN_NUM_FORMS": "2",
        "levels-MAX_NUM_FORMS": "1000",
    }
    for i, (rank, label, category, is_exit) in enumerate(levels):
        data[f"levels-{i}-rank"] = str(rank)
        data[f"levels-{i}-label"] = label
        data[f"levels-{i}-category"] = str(category)
        if is_exit:
            data[f"levels-{i}-is_exit"] = "on"
    return data


def add_instrument(client, levels):
    return client.post(reverse("admin:regelingen_instrument_add"), instrument_post(levels))


def test_a_valid_instrument_is_saved(client_admin):
    response = add_instrument(
        client_admin, [(1, "niet", 1, False), (2, "beperkt", 2, False), (3, "wel", 3, True)]
    )
    assert response.status_code == 302
    instrument = Instrument.objects.get(name="Testschaal")
    assert instrument.exit_level.rank == 3
    assert instrument.levels.count() == 3


@pytest.mark.parametrize(
    ("levels", "message"),
    [
        ([(1, "alleen", 1, True)], "Een meetinstrument heeft ten minste twee niveaus."),
        (
            [(1, "niet", 1, False), (3, "wel", 3, True)],
            "Nummer de niveaus 1 tot en met 2, zonder gaten of dubbele nummers (nu: 1, 3).",
        ),
        (
            [(1, "niet", 1, False), (2, "wel", 3, False)],
            "Geef aan vanaf welk niveau het ontzorgen kan stoppen",
        ),
        (
            [(1, "niet", 1, False), (2, "wel", 3, True), (3, "meer", 3, False)],
            "Alle niveaus vanaf niveau 2 moeten &#x27;voldoende om te stoppen&#x27; zijn",
        ),
        (
            [(1, "niet", 1, True), (2, "wel", 3, True)],
            "Het laagste niveau kan niet voldoende zijn om te stoppen met ontzorgen.",
        ),
        (
            [(1, "niet", 2, False), (2, "half", 1, False), (3, "wel", 3, True)],
            "Een hoger niveau kan niet in een lagere categorie van zelfredzaamheid vallen",
        ),
    ],
)
def test_an_invalid_instrument_is_refused_in_dutch(client_admin, levels, message):
    response = add_instrument(client_admin, levels)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Instrument.objects.filter(name="Testschaal").exists()


# Regelingen


def change_regeling(client, regeling, **changes):
    url = reverse("admin:regelingen_regeling_change", args=[regeling.pk])
    data = form_data(client.get(url))
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return client.post(url, data, follow=True)


def test_regeling_saves_unchanged(client_admin, regeling):
    response = change_regeling(client_admin, regeling, name="Ontzorgen Zoetermeer 2026")
    assert response.redirect_chain, response.content.decode()[:2000]
    regeling.refresh_from_db()
    assert regeling.name == "Ontzorgen Zoetermeer 2026"
    assert "Let op" not in response.content.decode()


def test_a_regeling_change_in_the_admin_is_audited_with_before_and_after(
    client_admin, admin_user, regeling
):
    change_regeling(client_admin, regeling, min_duration_months="12")
    entry = AuditEntry.objects.get(event="admin.changed", object_type="regelingen.Regeling")
    assert entry.changes == {"min_duration_months": [6, 12]}
    assert entry.actor == admin_user
    assert entry.text == "regeling gewijzigd in het beheer"


def test_category_both_standard_and_optional_is_a_form_error(client_admin, regeling):
    huur = PackageItem.objects.get(regeling=regeling, category="huur")
    extra = {
        "package_items-TOTAL_FORMS": "5",
        "package_items-4-category": "huur",
        "package_items-4-inclusion": "optional",
        "package_items-4-regeling": str(regeling.pk),
    }
    response = change_regeling(client_admin, regeling, **extra)
    assert response.status_code == 200
    content = response.content.decode()
    assert "&#x27;Huur&#x27; staat twee keer in het pakket" in content
    assert "óf standaard óf optioneel" in content
    assert PackageItem.objects.filter(regeling=regeling, category="huur").get() == huur


def test_missing_legal_category_saves_with_a_warning(client_admin, regeling):
    water = PackageItem.objects.get(regeling=regeling, category="water")
    prefix = next(
        key.rsplit("-", 1)[0]
        for key, value in form_data(
            client_admin.get(reverse("admin:regelingen_regeling_change", args=[regeling.pk]))
        ).items()
        if key.startswith("package_items-") and key.endswith("-id") and value == str(water.pk)
    )
    response = change_regeling(client_admin, regeling, **{f"{prefix}-DELETE": "on"})
    assert response.redirect_chain
    assert not PackageItem.objects.filter(pk=water.pk).exists()
    content = response.content.decode()
    assert "Let op: Water staat niet in het standaardpakket" in content


def test_model_rules_of_the_regeling_come_back_in_dutch(client_admin, regeling):
    response = change_regeling(client_admin, regeling, allowance_frequency="weekly")
    assert response.status_code == 200
    assert "Weekgeld kan alleen bij volledig budgetbeheer." in response.content.decode()
    regeling.refresh_from_db()
    assert regeling.allowance_frequency == "monthly"


def test_differentiated_packages_need_an_optional_category(client_admin, regeling):
    response = change_regeling(client_admin, regeling, mode="differentiated")
    assert "ten minste één optionele kostensoort" in response.content.decode()
    assert Regeling.objects.get(pk=regeling.pk).mode == "standard"


def test_end_measurement_must_fall_within_the_duration(client_admin, regeling):
    response = change_regeling(client_admin, regeling, endmeasurement_months_before_end="6")
    assert "De eindmeting moet binnen de minimale duur van 6 maanden vallen." in (
        response.content.decode()
    )


# Personal data in the admin


def test_participant_page_in_the_admin_is_audited(client_admin, admin_user, dataset):
    participant = dataset[1]
    before = AuditEntry.objects.filter(participant_id=participant.pk, action=Action.VIEW).count()
    url = reverse("admin:participants_participant_change", args=[participant.pk])
    assert client_admin.get(url).status_code == 200
    views = AuditEntry.objects.filter(participant_id=participant.pk, action=Action.VIEW)
    assert views.count() == before + 1
    assert views.first().actor == admin_user


def test_participant_change_in_the_admin_goes_through_the_service(client_admin, dataset):
    participant = dataset[1]
    url = reverse("admin:participants_participant_change", args=[participant.pk])
    data = form_data(client_admin.get(url))
    data["languages"] = "Arabisch, Engels"
    response = client_admin.post(url, data)
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.languages == "Arabisch, Engels"
    change = AuditEntry.objects.filter(participant_id=participant.pk, action=Action.UPDATE).get()
    assert change.changes["languages"] == ["Arabisch", "Arabisch, Engels"]


def test_participant_admin_uses_the_scoping_queryset(dataset, coach, partner_org, regeling):
    other = ParticipantFactory()
    model_admin = admin.site._registry[Participant]
    request = RequestFactory().get("/")
    request.user = coach
    visible = set(model_admin.get_queryset(request))
    assert visible == {p for p in dataset if p.guidance_organisation_id == partner_org.pk}
    assert other not in visible


def test_audit_trail_is_read_only_even_for_a_superuser(client_admin, dataset):
    entry = AuditEntry.objects.first()
    assert client_admin.get(reverse("admin:audit_auditentry_add")).status_code == 403
    delete = reverse("admin:audit_auditentry_delete", args=[entry.pk])
    assert client_admin.post(delete, {"post": "yes"}).status_code == 403
    change = reverse("admin:audit_auditentry_change", args=[entry.pk])
    response = client_admin.post(change, {"summary": "gewist"})
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.summary != "gewist"
    assert 'name="_save"' not in client_admin.get(change).content.decode()
