import json

import pytest

from ontzorg.audit.models import AuditEntry
from ontzorg.participants.constants import Phase
from ontzorg.participants.tests.factories import ParticipantFactory, participant_in
from ontzorg.regelingen.tests.factories import RegelingFactory, RegionFactory
from ontzorg.signals.constants import Status
from ontzorg.signals.models import ApiClient, Signal
from ontzorg.signals.openapi import DOCUMENT, EXAMPLE_REQUEST
from ontzorg.signals.tests.factories import api_client_with_token

URL = "/signalen/api/v1/signalen"


def post(client, body, token=None, raw=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    data = raw if raw is not None else json.dumps(body)
    return client.post(URL, data=data, content_type="application/json", **headers)


def arrears(bsn, reference="WS-1", **extra):
    return {
        "referentie": reference,
        "soort": "betalingsachterstand",
        "gemeld_op": "2025-03-01",
        "bsn": bsn,
        "bedrag_cent": 84500,
        "maanden_achterstand": 2,
        **extra,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("header", [None, "Bearer", "Bearer nonsense-token-123", "Basic abc"])
def test_missing_or_wrong_token_is_refused_and_nothing_stored(
    client, guided, header, api_client_and_token
):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.post(
        URL, data=json.dumps(arrears(guided.bsn)), content_type="application/json", **extra
    )
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "token" in response.json()["fout"]
    assert not Signal.objects.exists()


@pytest.mark.django_db
def test_token_of_right_prefix_but_wrong_rest_is_refused(client, guided, api_client_and_token):
    _client, token = api_client_and_token
    forged = token[:8] + ("A" if token[8] != "A" else "B") + token[9:]
    assert post(client, arrears(guided.bsn), forged).status_code == 401
    assert not Signal.objects.exists()


@pytest.mark.django_db
def test_inactive_client_is_refused(client, guided, region):
    _api, token = api_client_with_token(region, active=False)
    assert post(client, arrears(guided.bsn), token).status_code == 401
    assert not Signal.objects.exists()


@pytest.mark.django_db
def test_only_the_hash_of_the_token_is_stored(api_client_and_token):
    api, token = api_client_and_token
    stored = ApiClient.objects.values().get(pk=api.pk)
    assert token not in json.dumps(stored, default=str)


@pytest.mark.django_db
def test_valid_report_is_matched_by_bsn_and_routed(
    client, guided, klantmanager, partner_org, api_client_and_token
):
    api, token = api_client_and_token
    response = post(client, arrears(guided.bsn), token)
    assert response.status_code == 201
    assert response.json() == {"status": "ontvangen", "referentie": "WS-1", "nieuw": True}
    signal = Signal.objects.get(reference="WS-1")
    assert signal.participant == guided
    assert signal.assigned_to == klantmanager
    assert signal.assigned_organisation == partner_org
    assert signal.status == Status.NEW and signal.due_on is not None
    assert signal.amount_cents == 84500 and signal.creditor_name == api.name
    assert not signal.after_end
    api.refresh_from_db()
    assert api.last_used_at is not None
    assert AuditEntry.objects.filter(
        participant=guided, object_type="signals.Signal", object_id=str(signal.pk)
    ).exists()


@pytest.mark.django_db
def test_unknown_person_is_queued_not_dropped(client, guided, region, api_client_and_token):
    _api, token = api_client_and_token
    response = post(client, arrears("111222333", reference="WS-2"), token)
    assert response.status_code == 201
    assert response.json() == {"status": "ontvangen", "referentie": "WS-2", "nieuw": True}
    signal = Signal.objects.get()
    assert signal.participant is None
    assert signal.region == region
    assert signal.bsn == "111222333"
    assert Signal.objects.unmatched().count() == 1


@pytest.mark.django_db
def test_client_cannot_reach_participants_of_another_region(client, api_client_and_token):
    elsewhere = ParticipantFactory(regeling=RegelingFactory(region=RegionFactory(slug="elders")))
    _api, token = api_client_and_token
    response = post(client, arrears(elsewhere.bsn), token)
    assert response.status_code == 201
    assert Signal.objects.get().participant is None


@pytest.mark.django_db
def test_region_is_required_when_a_client_reports_for_several(client, region, guided):
    api, token = api_client_with_token(region)
    api.regions.add(RegionFactory(slug="tweede"))
    response = post(client, arrears(guided.bsn), token)
    assert response.status_code == 400
    assert "regio" in response.json()["velden"]
    response = post(client, arrears(guided.bsn, regio=region.slug), token)
    assert response.status_code == 201
    assert Signal.objects.get().participant == guided


@pytest.mark.django_db
def test_invalid_json_is_refused(client, api_client_and_token):
    _api, token = api_client_and_token
    for raw in ["{not json", "[1, 2]", '"tekst"']:
        response = post(client, None, token, raw=raw)
        assert response.status_code == 400
        assert "JSON-object" in response.json()["fout"]
    assert not Signal.objects.exists()


@pytest.mark.django_db
def test_invalid_fields_are_all_reported_and_nothing_stored(client, api_client_and_token):
    _api, token = api_client_and_token
    body = {
        "soort": "huur",
        "gemeld_op": "1 maart",
        "bsn": "123456789",
        "bedrag_cent": "veel",
        "maanden_achterstand": -1,
        "kleur": "blauw",
    }
    response = post(client, body, token)
    assert response.status_code == 400
    errors = response.json()["velden"]
    assert set(errors) == {
        "referentie",
        "soort",
        "gemeld_op",
        "bsn",
        "bedrag_cent",
        "maanden_achterstand",
        "kleur",
    }
    assert "elfproef" in errors["bsn"][0]
    assert errors["kleur"] == ["Onbekend veld."]
    assert not Signal.objects.exists()


@pytest.mark.django_db
def test_reposting_a_reference_stores_nothing_new(client, guided, api_client_and_token):
    _api, token = api_client_and_token
    first = post(client, arrears(guided.bsn), token)
    again = post(client, arrears(guided.bsn), token)
    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json() == {**first.json(), "nieuw": False}
    assert Signal.objects.count() == 1
    changed = post(client, arrears(guided.bsn, bedrag_cent=1), token)
    assert changed.status_code == 409
    assert Signal.objects.count() == 1


@pytest.mark.django_db
def test_after_end_flag_for_nazorg_and_ended(client, regeling, api_client_and_token):
    _api, token = api_client_and_token
    for n, phase in enumerate([Phase.NAZORG, Phase.ENDED, Phase.ACTIVE]):
        person = participant_in(phase, regeling)
        assert post(client, arrears(person.bsn, reference=f"R{n}"), token).status_code == 201
        signal = Signal.objects.get(reference=f"R{n}")
        assert signal.after_end is (phase != Phase.ACTIVE)


@pytest.mark.django_db
def test_get_is_not_allowed_and_the_api_needs_no_login_or_csrf(api_client_and_token, guided):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    _api, token = api_client_and_token
    assert strict.get(URL).status_code == 405
    assert post(strict, arrears(guided.bsn), token).status_code == 201


@pytest.mark.django_db
def test_openapi_document_is_public_and_its_example_is_accepted(client, api_client_and_token):
    response = client.get("/signalen/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    operation = document["paths"]["/signalen"]["post"]
    example = operation["requestBody"]["content"]["application/json"]["example"]
    assert example == EXAMPLE_REQUEST
    schema = DOCUMENT["components"]["schemas"]["Melding"]
    assert set(example) <= set(schema["properties"])
    assert set(schema["required"]) <= set(example)
    _api, token = api_client_and_token
    result = post(client, example, token)
    assert str(result.status_code) in operation["responses"]
    assert result.status_code == 201
    assert set(result.json()) == set(DOCUMENT["components"]["schemas"]["Ontvangen"]["properties"])
