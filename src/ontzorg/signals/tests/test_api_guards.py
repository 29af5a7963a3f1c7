"""The creditor API's guards: it never tells whether a person is known, it limits each token,
it records refused tokens, concurrent re-sends are one re-send, and it refuses exactly what
its OpenAPI document refuses."""

import json
import logging
import threading
from datetime import datetime

import jsonschema_rs
import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ontzorg.audit.models import AuditEntry
from ontzorg.participants.validators import validate_bsn
from ontzorg.regelingen.tests.factories import RegionFactory
from ontzorg.signals import openapi, services
from ontzorg.signals.models import Signal
from ontzorg.signals.tests.factories import api_client_with_token

URL = "/signalen/api/v1/signalen"
UNKNOWN_BSN = "111222333"  # passes the elfproef; nobody in the fixtures has it


def post(client, body, token=None, **extra):
    if token:
        extra["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client.post(URL, data=json.dumps(body), content_type="application/json", **extra)


def arrears(reference, **person):
    return {
        "referentie": reference,
        "soort": "betalingsachterstand",
        "gemeld_op": "2025-03-01",
        "bedrag_cent": 84500,
        **person,
    }


def _is_bsn(value: str) -> bool:
    try:
        validate_bsn(value)
    except ValidationError:
        return False
    return True


# An independent JSON Schema engine reading the published schema, told what format "bsn"
# means (the document's description: the elfproef).
DOCUMENT_VALIDATOR = jsonschema_rs.Draft4Validator(
    openapi.MELDING, formats={"bsn": _is_bsn}, validate_formats=True
)


# --- the answer does not tell whether a person is known ----------------------------------


def _answer(response):
    """Everything of a response a creditor could compare, but the echoed reference."""
    body = {name: value for name, value in response.json().items() if name != "referentie"}
    return response.status_code, sorted(name.lower() for name, _ in response.items()), body


@pytest.mark.django_db
def test_a_known_and_an_unknown_person_get_the_same_answer(client, guided, api_client_and_token):
    _api, token = api_client_and_token
    address = {"postcode": "2711 AB", "huisnummer": "12A"}
    known = [
        post(client, arrears("K-1", bsn=guided.bsn), token),
        post(client, arrears("K-2", geboortedatum="1990-05-17", **address), token),
    ]
    unknown = [
        post(client, arrears("U-1", bsn=UNKNOWN_BSN), token),
        post(client, arrears("U-2", geboortedatum="1990-05-18", **address), token),
    ]
    answers = {json.dumps(_answer(r), sort_keys=True) for r in known + unknown}
    assert len(answers) == 1
    assert _answer(known[0])[0] == 201
    assert _answer(known[0])[2] == {"status": "ontvangen", "nieuw": True}
    # Matching did happen, inside.
    matched = dict(Signal.objects.values_list("reference", "participant"))
    assert matched == {"K-1": guided.pk, "K-2": guided.pk, "U-1": None, "U-2": None}
    # And a re-send is answered alike for both.
    again = [post(client, arrears("K-1", bsn=guided.bsn), token)]
    again.append(post(client, arrears("U-1", bsn=UNKNOWN_BSN), token))
    assert _answer(again[0]) == _answer(again[1])
    assert _answer(again[0])[0] == 200


def test_the_document_promises_no_match_is_told():
    answer = openapi.DOCUMENT["components"]["schemas"]["Ontvangen"]
    assert set(answer["properties"]) == {"status", "referentie", "nieuw"}
    assert answer["additionalProperties"] is False
    description = openapi.DOCUMENT["info"]["description"]
    assert "zegt nooit of de persoon bij de gemeente bekend is" in description
    assert "opnieuw versturen met dezelfde referentie is veilig" in description


# --- rate limit per token -----------------------------------------------------------------


@pytest.mark.django_db
def test_a_token_over_its_limit_gets_429_with_retry_after(
    client, frozen_clock, settings, guided, region, api_client_and_token
):
    settings.ONTZORG_API_RATE_PER_MINUTE = 3
    _api, token = api_client_and_token
    _other, other_token = api_client_with_token(region, name="Eneco")
    frozen_clock.move_to("2026-03-16 10:00:15+01:00")
    assert post(client, arrears("R-1", bsn=guided.bsn), token).status_code == 201
    # A refused body counts too: the limit is on requests, not on stored signals.
    assert post(client, {"kleur": "blauw"}, token).status_code == 400
    assert post(client, arrears("R-2", bsn=guided.bsn), token).status_code == 201

    refused = post(client, arrears("R-3", bsn=guided.bsn), token)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "45"
    assert "3 verzoeken" in refused.json()["fout"]
    assert not Signal.objects.filter(reference="R-3").exists()
    # Another creditor's token has its own count.
    assert post(client, arrears("E-1", bsn=guided.bsn), other_token).status_code == 201

    frozen_clock.move_to("2026-03-16 10:01:00+01:00")
    assert post(client, arrears("R-3", bsn=guided.bsn), token).status_code == 201


@pytest.mark.django_db
def test_the_limit_is_counted_in_the_database(frozen_clock, settings, api_client_and_token):
    """What one worker counted, another (with its own copy of the client) sees."""
    settings.ONTZORG_API_RATE_PER_MINUTE = 2
    api, _token = api_client_and_token
    assert services.count_request(api) == 0
    assert services.count_request(services.ApiClient.objects.get(pk=api.pk)) == 0
    assert services.count_request(services.ApiClient.objects.get(pk=api.pk)) == 60


@pytest.mark.django_db
def test_a_late_request_from_the_minute_before_does_not_start_the_count_again(
    frozen_clock, settings, api_client_and_token
):
    """Workers stamp a request before it commits: one stamped 10:00:59 that commits after
    one of 10:01:00 counts in the newer minute and leaves the window where it is."""
    settings.ONTZORG_API_RATE_PER_MINUTE = 2
    api, _token = api_client_and_token
    minute = datetime.fromisoformat("2026-03-16 10:01:00+01:00")
    late = datetime.fromisoformat("2026-03-16 10:00:59+01:00")
    assert services.count_request(api, now=minute) == 0
    assert services.count_request(api, now=late) == 0  # counted in 10:01, the window kept
    assert services.count_request(api, now=minute) == 60  # the third of 10:01: over


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_requests_cannot_exceed_the_limit(settings, region):
    settings.ONTZORG_API_RATE_PER_MINUTE = 5
    api, _token = api_client_with_token(region)
    now = timezone.now().replace(second=30)
    barrier = threading.Barrier(10)
    waits, errors = [], []

    def worker():
        try:
            barrier.wait()
            waits.append(services.count_request(api, now=now))
        except Exception as exc:  # the assertion below reports it
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(waits) == [0] * 5 + [30] * 5


# --- refused tokens are logged and audited --------------------------------------------------


@pytest.mark.django_db
def test_a_refused_token_is_audited_with_address_and_hash_never_the_token(
    client, caplog, api_client_and_token
):
    api, token = api_client_and_token
    forged = token[:8] + ("A" if token[8] != "A" else "B") + token[9:]
    with caplog.at_level(logging.WARNING, logger="ontzorg.signals.services"):
        response = post(client, arrears("F-1", bsn=UNKNOWN_BSN), forged, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 401

    entry = AuditEntry.objects.get(event="signal.api_token_refused")
    assert entry.ip_address == "203.0.113.9"
    assert entry.object_type == "signals.ApiClient" and entry.object_id == str(api.pk)
    mark = services.refused_token_mark(forged)
    assert entry.params["token_mark"] == mark and len(mark) == 16
    # Keyed: a dictionary of plain hashes does not find the token back.
    assert mark != services.hash_token(forged)[:16]
    assert "onjuist token" in entry.text
    stored = json.dumps([entry.summary, entry.params, entry.changes])
    logged = caplog.text
    for secret in (forged, token, forged[8:], forged[:12]):
        assert secret not in stored and secret not in logged
    assert "203.0.113.9" in logged and mark in logged


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("header", "reason"),
    [
        (None, "geen token"),
        ("Basic dXNlcjpwYXNz", "geen token"),
        ("Bearer onbekend-token-met-genoeg-tekens", "onbekend of onjuist token"),
    ],
)
def test_every_refused_request_is_audited(client, header, reason, api_client_and_token):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    assert post(client, arrears("F-2", bsn=UNKNOWN_BSN), **extra).status_code == 401
    entry = AuditEntry.objects.get(event="signal.api_token_refused")
    assert reason in entry.text
    assert entry.object_id == "" and entry.ip_address == "127.0.0.1"
    if header:
        assert header.split()[1] not in json.dumps(entry.params)


@pytest.mark.django_db
def test_a_token_of_a_withdrawn_client_is_audited_as_such(client, region):
    api, token = api_client_with_token(region, active=False)
    assert post(client, arrears("F-3", bsn=UNKNOWN_BSN), token).status_code == 401
    entry = AuditEntry.objects.get(event="signal.api_token_refused")
    assert "ingetrokken" in entry.text and entry.object_id == str(api.pk)


# --- concurrent re-sends ---------------------------------------------------------------------


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_five_simultaneous_resends_answer_as_one_resend(monkeypatch, guided, api_client_and_token):
    _api, token = api_client_and_token
    body = arrears("WS-RACE", bsn=guided.bsn)
    # Hold every request after its "is this key new?" look until all five have looked, so
    # all five really try to insert the same key.
    looked = threading.Barrier(5, timeout=20)
    find = services.find_participant

    def find_after_all_looked(report, candidates):
        looked.wait()
        return find(report, candidates)

    monkeypatch.setattr(services, "find_participant", find_after_all_looked)
    answers, errors = [], []

    def worker():
        try:
            answers.append(post(Client(raise_request_exception=False), body, token))
        except Exception as exc:  # the assertion below reports it
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(r.status_code for r in answers) == [200, 200, 200, 200, 201]
    assert {json.dumps(_answer(r)[2]) for r in answers if r.status_code == 200} == {
        json.dumps({"status": "ontvangen", "nieuw": False})
    }
    signal = Signal.objects.get(reference="WS-RACE")
    assert signal.participant == guided
    assert signal.history.count() == 1
    assert AuditEntry.objects.filter(event="signal.received_api").count() == 1


# --- the API refuses exactly what its document refuses ---------------------------------------


def _status(client, token, body):
    response = post(client, body, token)
    return response.status_code, response.json().get("velden", {})


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"referentie": ""}, "referentie", "Mag niet leeg zijn."),
        ({"referentie": " WS-1"}, "referentie", "zonder spatie aan het begin"),
        ({"referentie": "x" * 81}, "referentie", "Maximaal 80 tekens; dit zijn er 81."),
        (
            {"bsn": "000000000"},
            "bsn",
            "000000000 is geen geldig BSN: een BSN bestaat niet uit alleen nullen.",
        ),
        ({"bsn": "111222334"}, "bsn", "de elfproef klopt niet"),
        ({"bsn": "1112 22333"}, "bsn", "precies 9 cijfers"),
        ({"bsn": "999999990\n"}, "bsn", "precies 9 cijfers"),
        ({"referentie": "WS-1\n"}, "referentie", ""),
        ({"gemeld_op": "2025-03-01\n"}, "gemeld_op", "gebruik JJJJ-MM-DD"),
        ({"regio": {"slug": "zoetermeer"}}, "regio", "Geef dit veld als tekst"),
        ({"regio": ""}, "regio", "Een regiocode bestaat uit"),
        ({"soort": "BETALINGSACHTERSTAND"}, "soort", "Onbekende soort"),
        ({"gemeld_op": "01-03-2025"}, "gemeld_op", "gebruik JJJJ-MM-DD"),
        ({"gemeld_op": "2025-02-30"}, "gemeld_op", "bestaat niet als datum"),
        ({"bedrag_cent": "84500"}, "bedrag_cent", "heel getal"),
        ({"bedrag_cent": 845.5}, "bedrag_cent", "heel getal"),
        ({"bedrag_cent": True}, "bedrag_cent", "heel getal"),
        ({"bedrag_cent": 10_000_001}, "bedrag_cent", "Maximaal 10000000."),
        ({"bedrag_cent": None}, "bedrag_cent", "heel getal"),
        ({"maanden_achterstand": 121}, "maanden_achterstand", "Maximaal 120."),
        ({"toelichting": "nul\x00byte"}, "toelichting", "stuurtekens"),
        ({"naam": "A.\nHaddad"}, "naam", "stuurtekens"),
        ({"postcode": "0711 AB"}, "postcode", "Geen Nederlandse postcode"),
        ({"kleur": "blauw"}, "kleur", "Onbekend veld."),
    ],
)
def test_what_the_document_refuses_the_api_refuses_naming_the_problem(
    client, guided, api_client_and_token, change, field, message
):
    _api, token = api_client_and_token
    body = {**arrears("D-1", bsn=guided.bsn), **change}
    assert not DOCUMENT_VALIDATOR.is_valid(body)
    status, fields = _status(client, token, body)
    assert status == 400
    assert list(fields) == [field]
    assert message in " ".join(fields[field])
    assert not Signal.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        {"referentie": "x", "soort": "opzegging", "gemeld_op": "2025-03-01", "bsn": UNKNOWN_BSN},
        {
            "referentie": "Huur mrt · 2025/ß",
            "soort": "overig",
            "gemeld_op": "1990-01-01",
            "postcode": "2711ab",
            "huisnummer": "12 bis",
            "geboortedatum": "1990-05-17",
        },
        {
            **arrears("x" * 80, bsn=UNKNOWN_BSN),
            "regio": "zoetermeer",
            "naam": "",
            "toelichting": "regel 1\nregel 2\ttab",
            "maanden_achterstand": 0,
        },
    ],
)
def test_what_the_document_allows_the_api_accepts(client, api_client_and_token, body):
    _api, token = api_client_and_token
    assert DOCUMENT_VALIDATOR.is_valid(body)
    assert _status(client, token, body) == (201, {})


@pytest.mark.django_db
def test_a_missing_person_or_amount_is_refused_by_both(client, api_client_and_token):
    _api, token = api_client_and_token
    no_person = arrears("D-2", postcode="2711 AB", huisnummer="12")
    no_amount = {**arrears("D-3", bsn=UNKNOWN_BSN)}
    del no_amount["bedrag_cent"]
    for body, field in [(no_person, "bsn"), (no_amount, "bedrag_cent")]:
        assert not DOCUMENT_VALIDATOR.is_valid(body)
        status, fields = _status(client, token, body)
        assert (status, list(fields)) == (400, [field])


@pytest.mark.django_db
def test_a_region_the_token_may_not_report_for_is_403(client, api_client_and_token):
    RegionFactory(slug="elders")
    _api, token = api_client_and_token
    body = {**arrears("D-4", bsn=UNKNOWN_BSN), "regio": "elders"}
    assert DOCUMENT_VALIDATOR.is_valid(body)
    response = post(client, body, token)
    assert response.status_code == 403
    assert "elders" in response.json()["fout"]


@pytest.mark.django_db
def test_a_body_that_is_not_json_is_415(client, api_client_and_token):
    _api, token = api_client_and_token
    response = client.post(
        URL,
        data=json.dumps(arrears("D-5", bsn=UNKNOWN_BSN)),
        content_type="text/plain",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 415
    assert not Signal.objects.exists()


_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-5, max_value=10_000_005),
    st.floats(allow_nan=False),
    st.text(max_size=90),
    st.sampled_from(
        [
            "",
            " ",
            "x",
            "WS-1",
            "999999990",
            "000000000",
            "111222334",
            "2711 AB",
            "2711ab",
            "12A",
            "12-1",
            "2025-03-01",
            "2025-02-30",
            "01-03-2025",
            "opzegging",
            "overig",
            "betalingsachterstand",
            "zoetermeer",
            "x" * 81,
            "a\x00b",
            "a\nb",
        ]
    ),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
_VALID = arrears("WS-1", bsn="999999990")
# A valid body with some fields changed, added or left out: near the edge of the schema.
_bodies = st.builds(
    lambda changes, dropped: {
        name: value for name, value in {**_VALID, **changes}.items() if name not in dropped
    },
    st.dictionaries(
        st.one_of(st.sampled_from(sorted(openapi.MELDING["properties"])), st.text(max_size=5)),
        _values,
        max_size=4,
    ),
    st.sets(st.sampled_from(sorted(_VALID)), max_size=2),
)


@settings(max_examples=500, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(_bodies)
def test_the_check_and_an_independent_schema_engine_agree(body):
    assert (openapi.problems(body) == {}) == DOCUMENT_VALIDATOR.is_valid(body)
