"""Inzage (AVG art. 15) on the demo data: the JSON holds the participant's data from every
app and nothing of anyone else, only the case worker's rights produce it, and each is
audited."""

import json

import pytest
from django.db.models import Count, Q
from django.test import Client

from ontzorg.accounts.models import User
from ontzorg.audit.models import AuditEntry
from ontzorg.participants.models import Participant

# Sections the demo's most complete participant has at least one record of.
KINDS = [
    "deelnemer",
    "huishouden",
    "plannen",
    "vaste_lasten",
    "machtigingen",
    "inkomen",
    "betalingen",
    "metingen",
    "contacten",
    "signalen",
    "signaalopvolging",
    "rekeningen",
    "boekingen",
    "audit",
]


@pytest.fixture
def person(on_demo):
    """A participant with a plan, payments, measurements, contacts and signals."""
    found = (
        Participant.objects.annotate(
            n_plans=Count("plans", distinct=True),
            n_payments=Count("payment_instructions", distinct=True),
            n_measurements=Count("measurements", distinct=True),
            n_contacts=Count("contacts", distinct=True),
            n_signals=Count("signals", distinct=True),
        )
        .filter(
            Q(n_plans__gt=0)
            & Q(n_payments__gt=0)
            & Q(n_measurements__gt=0)
            & Q(n_contacts__gt=0)
            & Q(n_signals__gt=0)
        )
        .select_related("regeling__region")
        .order_by("pk")
        .first()
    )
    assert found is not None
    return found


def demo_user(prefix, person):
    """The demo login `prefix.<regio>` of the person's region."""
    users = User.objects.filter(
        username__startswith=f"{prefix}.", organisation__region=person.regeling.region
    )
    return users.order_by("username").first()


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_json_holds_every_kind_and_nothing_of_anyone_else(person):
    km = demo_user("km", person)
    response = client_for(km).get(f"/deelnemers/{person.pk}/inzage.json")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    parts = data["onderdelen"]
    for kind in KINDS:
        assert parts[kind]["rijen"], kind
    assert parts["deelnemer"]["rijen"][0]["bsn"] == person.bsn
    assert parts["deelnemer"]["rijen"][0]["last_name"] == person.last_name
    assert {row["first_name"] for row in parts["gezinsleden"]["rijen"]} == set(
        person.household.members.values_list("first_name", flat=True)
    )
    # Who looked: the inzage itself is among the audit rows it shows.
    assert any("inzage" in row["text"] for row in parts["audit"]["rijen"])

    text = response.content.decode()
    others = Participant.objects.exclude(pk=person.pk)
    for bsn, iban in others.values_list("bsn", "iban"):
        assert bsn not in text
        assert not iban or iban not in text


def test_the_page_is_readable_printable_and_audited(person):
    km = demo_user("km", person)
    seen = AuditEntry.objects.filter(participant_id=person.pk).count()

    response = client_for(km).get(f"/deelnemers/{person.pk}/inzage/")

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert person.last_name in page and "Inzage in uw persoonsgegevens" in page
    assert "Contacten met de begeleiding" in page and "data-print" in page
    produced = AuditEntry.objects.filter(event="privacy.inzage_produced", participant=person)
    entry = produced.get()
    assert entry.actor == km and entry.params["form"] == "pagina"
    assert AuditEntry.objects.filter(participant_id=person.pk).count() == seen + 2


def test_the_json_download_is_audited(person):
    km = demo_user("km", person)
    client_for(km).get(f"/deelnemers/{person.pk}/inzage.json")
    entry = AuditEntry.objects.get(event="privacy.inzage_produced", participant=person)
    assert (entry.actor, entry.params["form"]) == (km, "JSON")


@pytest.mark.parametrize(
    ("prefix", "status"),
    [("backoffice", 403), ("coach", 403), ("pl", 403), ("evaluator", 403), ("km-other", 404)],
)
def test_other_roles_get_nothing(person, prefix, status):
    if prefix == "evaluator":
        user = User.objects.get(username="evaluator")
    elif prefix == "km-other":
        user = (
            User.objects.filter(username__startswith="km.")
            .exclude(organisation__region=person.regeling.region)
            .first()
        )
    else:
        user = demo_user(prefix, person)
    client = client_for(user)
    for url in (f"/deelnemers/{person.pk}/inzage/", f"/deelnemers/{person.pk}/inzage.json"):
        response = client.get(url)
        assert response.status_code == status, url
        assert person.bsn not in response.content.decode()
    assert not AuditEntry.objects.filter(event="privacy.inzage_produced").exists()


@pytest.mark.parametrize(("prefix", "shown"), [("km", True), ("coach", False), ("beheerder", True)])
def test_the_participant_page_links_to_it_for_those_allowed(person, prefix, shown):
    user = User.objects.get(username="beheerder") if prefix == "beheerder" else None
    user = user or demo_user(prefix, person)
    page = client_for(user).get(f"/deelnemers/{person.pk}/")
    if page.status_code == 404:  # a coach of another organisation does not see this person
        person.guidance_organisation = user.organisation
        person.save(update_fields=["guidance_organisation"])
        page = client_for(user).get(f"/deelnemers/{person.pk}/")
    assert page.status_code == 200
    assert (f"/deelnemers/{person.pk}/inzage/" in page.content.decode()) == shown
