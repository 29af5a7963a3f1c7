"""Signal routing per region and kind of creditor (issue 12): configured in the admin, applied
when a signal is matched (API, CSV upload, matching by hand), and followed in the work
queues: the list's "for me" filter, the dashboard and the week agenda. Without a route,
signals go to the case worker and the guidance organisation, as before."""

import json

import pytest
from django.urls import reverse

from ontzorg.accounts.constants import OrganisationKind, RoleCode
from ontzorg.accounts.tests.factories import OrganisationFactory, UserFactory
from ontzorg.audit.models import AuditEntry
from ontzorg.regelingen.tests.factories import RegionFactory
from ontzorg.signals import dashboard, services
from ontzorg.signals.constants import CreditorKind, RouteTarget, Status
from ontzorg.signals.models import Signal, SignalRoute
from ontzorg.trajectory import agenda

from .test_upload import csv_file

pytestmark = pytest.mark.django_db

API = "/signalen/api/v1/signalen"


@pytest.fixture
def debt_org(region):
    return OrganisationFactory(
        name="Schuldhulpverlening Waterland", kind=OrganisationKind.KREDIETBANK, region=region
    )


@pytest.fixture
def counsellor(debt_org):
    """A debt counsellor: the existing budget coach role, at the debt counselling organisation."""
    return UserFactory(username="shv", role_code=RoleCode.BUDGETCOACH, organisation=debt_org)


@pytest.fixture
def admin_client(client, municipality_org):
    user = UserFactory(
        username="beheerder",
        role_code=RoleCode.BEHEERDER,
        organisation=municipality_org,
        is_staff=True,
        is_superuser=True,
    )
    client.force_login(user)
    return client


@pytest.fixture
def energy_route(admin_client, region, debt_org, client):
    """Energy arrears to the debt counsellor, set in the admin as a beheerder does."""
    response = admin_client.post(
        reverse("admin:signals_signalroute_add"),
        {
            "region": region.pk,
            "creditor_kind": CreditorKind.ENERGY,
            "target": RouteTarget.DEBT_COUNSELLOR,
            "debt_counsellor": debt_org.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    return SignalRoute.objects.get()


def report(client, token, bsn, reference):
    body = {
        "referentie": reference,
        "soort": "betalingsachterstand",
        "gemeld_op": "2026-03-02",
        "bsn": bsn,
        "bedrag_cent": 23000,
        "maanden_achterstand": 2,
    }
    response = client.post(
        API,
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 201, response.content
    return Signal.objects.get(reference=reference)


@pytest.fixture
def energy_token(region):
    _client, token = services.create_api_client(
        None, name="Vattenfall", creditor_kind=CreditorKind.ENERGY, regions=[region]
    )
    return token


def test_without_a_route_a_signal_goes_to_case_worker_and_guidance(
    client, guided, klantmanager, partner_org, energy_token
):
    signal = report(client, energy_token, guided.bsn, "E-1")
    assert signal.route == RouteTarget.CASE_WORKER_AND_GUIDANCE
    assert signal.assigned_to == klantmanager
    assert signal.assigned_organisation == partner_org


def test_admin_route_sends_energy_arrears_to_the_debt_counsellor_and_rent_as_before(
    client,
    guided,
    klantmanager,
    partner_org,
    debt_org,
    energy_route,
    energy_token,
    api_client_and_token,
):
    energy = report(client, energy_token, guided.bsn, "E-1")
    assert energy.route == RouteTarget.DEBT_COUNSELLOR
    assert energy.assigned_to is None
    assert energy.assigned_organisation == debt_org
    entry = AuditEntry.objects.get(event="signal.received_api", object_id=str(energy.pk))
    assert "naar: Schuldhulpverlening" in entry.text

    _housing_client, housing_token = api_client_and_token
    rent = report(client, housing_token, guided.bsn, "H-1")
    assert rent.route == RouteTarget.CASE_WORKER_AND_GUIDANCE
    assert (rent.assigned_to, rent.assigned_organisation) == (klantmanager, partner_org)


def test_admin_refuses_a_debt_counsellor_of_another_region(admin_client, region):
    elsewhere = OrganisationFactory(name="SHV elders", region=RegionFactory())
    response = admin_client.post(
        reverse("admin:signals_signalroute_add"),
        {
            "region": region.pk,
            "creditor_kind": CreditorKind.ENERGY,
            "target": RouteTarget.DEBT_COUNSELLOR,
            "debt_counsellor": elsewhere.pk,
        },
    )
    assert response.status_code == 200
    assert "De schuldhulpverlening moet in deze regio werken." in response.content.decode()
    assert not SignalRoute.objects.exists()


def test_routes_to_the_case_worker_or_the_guidance_organisation_alone(
    admin_client,
    client,
    guided,
    klantmanager,
    coach,
    partner_org,
    region,
    energy_token,
    api_client_and_token,
):
    for kind, target in (
        (CreditorKind.ENERGY, RouteTarget.CASE_WORKER),
        (CreditorKind.HOUSING, RouteTarget.GUIDANCE),
    ):
        response = admin_client.post(
            reverse("admin:signals_signalroute_add"),
            {"region": region.pk, "creditor_kind": kind, "target": target},
        )
        assert response.status_code == 302
    energy = report(client, energy_token, guided.bsn, "E-1")
    assert (energy.assigned_to, energy.assigned_organisation) == (klantmanager, None)
    rent = report(client, api_client_and_token[1], guided.bsn, "H-1")
    assert (rent.assigned_to, rent.assigned_organisation) == (coach, partner_org)


def test_the_debt_counsellor_follows_up_only_the_signals_routed_there(
    client, guided, klantmanager, counsellor, energy_route, energy_token, api_client_and_token
):
    energy = report(client, energy_token, guided.bsn, "E-1")
    rent = report(client, api_client_and_token[1], guided.bsn, "H-1")
    client.force_login(counsellor)

    listed = client.get("/signalen/?voor_mij=on").content.decode()
    assert reverse("signals:detail", args=[energy.pk]) in listed
    assert reverse("signals:detail", args=[rent.pk]) not in listed
    assert client.get(reverse("signals:detail", args=[rent.pk])).status_code == 404
    page = client.get(reverse("signals:detail", args=[energy.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert guided.full_name in html
    # The counsellor sees the signal, not the participant's file.
    assert reverse("participants:detail", args=[guided.pk]) not in html
    assert client.get(reverse("participants:detail", args=[guided.pk])).status_code == 404
    viewed = AuditEntry.objects.filter(
        actor=counsellor, participant=guided, event="participant.viewed"
    )
    assert viewed.count() == 1  # the signal page; the refused participant page is no view

    response = client.post(
        reverse("signals:status", args=[energy.pk]),
        {"status": Status.CONTACTED, "note": "Betalingsregeling met Vattenfall besproken"},
    )
    assert response.status_code == 302
    energy.refresh_from_db()
    assert energy.status == Status.CONTACTED

    items = {i["label"]: i["count"] for i in dashboard.attention_items(counsellor)}
    assert "Nieuwe signalen voor u of uw organisatie" not in items  # contacted now
    assert items == {}


def test_the_case_workers_own_queue_leaves_out_what_went_to_the_debt_counsellor(
    client,
    frozen_clock,
    guided,
    klantmanager,
    counsellor,
    energy_route,
    energy_token,
    api_client_and_token,
):
    energy = report(client, energy_token, guided.bsn, "E-1")
    rent = report(client, api_client_and_token[1], guided.bsn, "H-1")
    client.force_login(klantmanager)

    mine = client.get("/signalen/?voor_mij=on").content.decode()
    everything = client.get("/signalen/").content.decode()
    assert reverse("signals:detail", args=[rent.pk]) in mine
    assert reverse("signals:detail", args=[energy.pk]) not in mine
    assert reverse("signals:detail", args=[energy.pk]) in everything  # still in the overview

    counsellor_items = {i["label"]: i for i in dashboard.attention_items(counsellor)}
    routed = counsellor_items["Nieuwe signalen voor u of uw organisatie"]
    assert routed["count"] == 1
    assert routed["url"] == "/signalen/?voor_mij=on&status=new"

    # The week agenda of the week the first contact is due: each sees their own signal.
    today = energy.due_on
    frozen_clock.move_to(f"{today.isoformat()} 09:00:00+01:00")

    def signal_texts(user):
        sections = {s.key: s for s in agenda.week(user, today, mine=True)}
        return [item.url for item in sections["signalen"].items]

    assert signal_texts(counsellor) == [reverse("signals:detail", args=[energy.pk])]
    assert signal_texts(klantmanager) == [reverse("signals:detail", args=[rent.pk])]


def test_an_uploaded_csv_and_a_match_by_hand_are_routed_too(
    client, guided, backoffice, debt_org, energy_route, region
):
    client.force_login(backoffice)
    response = client.post(
        "/signalen/upload/",
        {
            "region": region.pk,
            "creditor_name": "Eneco",
            "creditor_kind": CreditorKind.ENERGY,
            "file": csv_file(
                f"{guided.bsn};;;;A. Haddad;betalingsachterstand;230,00;2;2026-03-02",
                "999999990;;;;Z. Onbekend;betalingsachterstand;120,50;1;2026-03-02",
            ),
        },
    )
    assert response.status_code == 302
    matched = Signal.objects.get(participant=guided)
    assert (matched.route, matched.assigned_organisation) == (
        RouteTarget.DEBT_COUNSELLOR,
        debt_org,
    )
    queued = Signal.objects.get(participant=None)
    assert queued.route == "" and queued.assigned_organisation is None

    response = client.post(
        reverse("signals:match", args=[queued.pk]), {"bsn": guided.bsn, "note": "zelfde adres"}
    )
    assert response.status_code == 302
    queued.refresh_from_db()
    assert (queued.route, queued.assigned_organisation) == (
        RouteTarget.DEBT_COUNSELLOR,
        debt_org,
    )
