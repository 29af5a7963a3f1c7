import re

import pytest

from ontzorg.accounts.constants import RoleCode
from ontzorg.accounts.tests.factories import OrganisationFactory, UserFactory
from ontzorg.audit.constants import Action
from ontzorg.audit.models import AuditEntry
from ontzorg.regelingen.tests.factories import RegionFactory
from ontzorg.signals import services
from ontzorg.signals.models import Signal
from ontzorg.signals.report import Report

from .factories import SignalFactory


@pytest.fixture
def signals(guided, unguided, region, api_client_and_token):
    api, _token = api_client_and_token
    report = Report(
        kind="overig",
        reported_on=guided.arrival_on,
        bsn="111222333",
        name="Q. Onbekend",
        reference="Q1",
    )
    queued, _ = services.receive_from_api(api, report, region)
    return {
        "guided": SignalFactory(participant=guided, note="over de begeleide deelnemer"),
        "unguided": SignalFactory(participant=unguided),
        "queued": queued,
    }


@pytest.mark.django_db
def test_partner_user_sees_only_signals_of_their_participants(
    client, coach, guided, unguided, signals
):
    assert set(Signal.objects.visible_to(coach)) == {signals["guided"]}
    client.force_login(coach)
    page = client.get("/signalen/").content.decode()
    assert guided.full_name in page
    assert unguided.full_name not in page
    assert "Q. Onbekend" not in page
    assert client.get(f"/signalen/{signals['unguided'].pk}/").status_code == 404
    assert client.get(f"/signalen/{signals['queued'].pk}/").status_code == 404


@pytest.mark.django_db
def test_partner_user_sees_no_bsn(client, coach, guided, signals):
    signal = signals["guided"]
    signal.bsn = guided.bsn
    signal.save()
    client.force_login(coach)
    response = client.get(f"/signalen/{signal.pk}/")
    assert response.status_code == 200
    # the random CSRF token could spell "BSN" by chance; it is not page content
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())
    assert guided.full_name in page
    assert guided.bsn not in page
    assert "BSN" not in page


@pytest.mark.django_db
def test_klantmanager_sees_region_and_queue_and_bsn(client, klantmanager, signals):
    assert set(Signal.objects.visible_to(klantmanager)) == set(signals.values())
    client.force_login(klantmanager)
    page = client.get(f"/signalen/{signals['queued'].pk}/").content.decode()
    assert "111222333" in page
    assert "Koppelen aan een deelnemer" in page


@pytest.mark.django_db
def test_other_region_and_read_only_roles_do_not_see_the_queue(signals, region, municipality_org):
    other_org = OrganisationFactory(region=RegionFactory(slug="elders"))
    elsewhere = UserFactory(role_code=RoleCode.KLANTMANAGER, organisation=other_org)
    assert not Signal.objects.visible_to(elsewhere).exists()
    projectleider = UserFactory(role_code=RoleCode.PROJECTLEIDER, organisation=municipality_org)
    assert set(Signal.objects.visible_to(projectleider)) == {signals["guided"], signals["unguided"]}
    evaluator = UserFactory(role_code=RoleCode.EVALUATOR, organisation=municipality_org)
    assert not Signal.objects.visible_to(evaluator).exists()


@pytest.mark.django_db
def test_every_view_of_a_signal_is_audited(client, klantmanager, guided, signals):
    client.force_login(klantmanager)
    client.get(f"/signalen/{signals['guided'].pk}/")
    assert AuditEntry.objects.filter(
        actor=klantmanager, action=Action.VIEW, participant=guided
    ).exists()
    client.get(f"/signalen/{signals['queued'].pk}/")
    assert AuditEntry.objects.filter(
        actor=klantmanager,
        action=Action.VIEW,
        object_type="signals.Signal",
        object_id=str(signals["queued"].pk),
    ).exists()


@pytest.mark.django_db
def test_list_filters(client, klantmanager, signals):
    client.force_login(klantmanager)
    queue = client.get("/signalen/?wachtrij=on").content.decode()
    assert "Q. Onbekend" in queue
    assert signals["guided"].participant.full_name not in queue
    overdue = client.get("/signalen/?te_laat=on").content.decode()
    assert "te laat" in overdue  # the factory's due date lies in the past
    assert "Q. Onbekend" not in overdue
