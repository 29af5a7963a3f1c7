"""The request context: acting user, request id and the client IP through trusted proxies."""

import pytest
from django.test import override_settings

from ontzorg.audit.models import AuditEntry
from ontzorg.core.context import client_ip


def meta(remote, forwarded=None):
    values = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        values["HTTP_X_FORWARDED_FOR"] = forwarded
    return values


@override_settings(TRUSTED_PROXIES=[])
def test_without_trusted_proxies_the_header_is_ignored():
    assert client_ip(meta("203.0.113.9", "198.51.100.7")) == "203.0.113.9"


@override_settings(TRUSTED_PROXIES=["10.0.0.0/8"])
def test_behind_a_trusted_proxy_the_forwarded_client_counts():
    assert client_ip(meta("10.1.2.3", "198.51.100.7")) == "198.51.100.7"
    # A client that sends its own header gets it prepended to, not replaced: the nearest
    # untrusted hop is what the proxy saw.
    assert client_ip(meta("10.1.2.3", "1.2.3.4, 198.51.100.7")) == "198.51.100.7"
    # Chains of our own proxies are skipped.
    assert client_ip(meta("10.1.2.3", "198.51.100.7, 10.9.9.9")) == "198.51.100.7"


@override_settings(TRUSTED_PROXIES=["10.0.0.0/8"])
def test_an_untrusted_sender_cannot_choose_its_address():
    assert client_ip(meta("203.0.113.9", "1.2.3.4")) == "203.0.113.9"
    assert client_ip(meta("10.1.2.3", "not-an-ip")) == "10.1.2.3"


@pytest.mark.django_db
@override_settings(TRUSTED_PROXIES=["10.0.0.0/8"])
def test_the_audit_trail_records_the_client_behind_the_proxy(client, klantmanager, regeling):
    from ontzorg.participants.tests.factories import ParticipantFactory

    participant = ParticipantFactory(regeling=regeling)
    client.force_login(klantmanager)
    response = client.get(
        f"/deelnemers/{participant.pk}/",
        REMOTE_ADDR="10.0.0.5",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
        HTTP_X_REQUEST_ID="req-123",
    )
    assert response.status_code == 200
    assert response["X-Request-ID"] == "req-123"
    entry = AuditEntry.objects.filter(participant=participant).latest("pk")
    assert entry.ip_address == "198.51.100.7"
    assert entry.request_id == "req-123"
    assert entry.actor == klantmanager
