"""The DigiD packages' admins (/beheer/) are audited like ours: adds, changes and deletions of
the SAML configuration, its certificates and the mock DigiD users."""

from datetime import timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.contrib import admin
from django.core.files.base import ContentFile
from django.utils import timezone

from ontzorg.accounts.tests.factories import UserFactory
from ontzorg.audit.admin import AuditedMixin
from ontzorg.audit.models import AuditEntry
from ontzorg.core.tests.test_admin_audit import _change_form_data

PACKAGES = {"digid_eherkenning", "simple_certmanager"}


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def beheer(client, superuser, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    client.force_login(superuser)
    return client


def test_every_admin_of_the_digid_packages_is_audited():
    labels = {
        model._meta.label: model_admin
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in PACKAGES
    }
    assert sorted(labels) == [
        "digid_eherkenning.ConfigCertificate",
        "digid_eherkenning.DigidConfiguration",
        "digid_eherkenning.EherkenningConfiguration",
        "digid_eherkenning.MockDigidUser",
        "simple_certmanager.Certificate",
        "simple_certmanager.SigningRequest",
    ]
    assert [label for label, a in labels.items() if not isinstance(a, AuditedMixin)] == []


def _entries(label):
    return AuditEntry.objects.filter(object_type=label).order_by("pk")


@pytest.mark.django_db
def test_a_mock_digid_user_added_changed_and_deleted_in_the_admin_is_audited(beheer, superuser):
    from digid_eherkenning.models.digid import MockDigidUser

    base = "/beheer/digid_eherkenning/mockdigiduser"
    response = beheer.post(f"{base}/add/", {"name": "Test Persoon", "bsn": "999990019"})
    assert response.status_code == 302
    mock_user = MockDigidUser.objects.get()
    response = beheer.post(
        f"{base}/{mock_user.pk}/change/", {"name": "Test Persoon", "bsn": "999990020"}
    )
    assert response.status_code == 302
    response = beheer.post(f"{base}/{mock_user.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    entries = list(_entries("digid_eherkenning.MockDigidUser"))
    assert [e.event for e in entries] == ["admin.added", "admin.changed", "admin.deleted"]
    assert all(e.actor == superuser for e in entries)
    assert entries[0].changes["bsn"] == [None, "999990019"]
    assert entries[1].changes == {"bsn": ["999990019", "999990020"]}
    assert entries[2].changes["name"] == ["Test Persoon", None]


@pytest.mark.django_db
def test_a_signing_request_is_audited_without_its_private_key(beheer):
    response = beheer.post(
        "/beheer/simple_certmanager/signingrequest/add/",
        {"common_name": "ontzorg.example.nl", "country_name": "NL"},
    )
    assert response.status_code == 302
    entry = _entries("simple_certmanager.SigningRequest").get()
    assert entry.event == "admin.added"
    assert entry.changes["common_name"] == [None, "ontzorg.example.nl"]
    assert entry.changes["private_key"] == [None, "(gewijzigd)"]
    assert "PRIVATE KEY" not in str(entry.changes)


def _key_pair() -> tuple[bytes, bytes]:
    """A self-signed certificate and its private key (PEM), valid for a year."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ontzorg.example.nl")])
    now = timezone.now()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    return (
        certificate.public_bytes(serialization.Encoding.PEM),
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )


IDP_METADATA = b"""<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"
    entityID="https://idp.example.nl/saml/idp/metadata">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
        Location="https://idp.example.nl/saml/idp/request_authentication"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>"""


@pytest.mark.django_db
def test_a_change_of_the_digid_configuration_is_audited(beheer, monkeypatch):
    """What a municipality sets in /beheer/ for DigiD (docs/production.md): a certificate
    linked to the configuration, then the IdP metadata address, the entity id and base URL.
    The package downloads the IdP's metadata on save; this machine has no network, so the
    download answers with a minimal metadata document."""
    from digid_eherkenning.models import base

    monkeypatch.setattr(
        base.OneLogin_Saml2_IdPMetadataParser, "get_metadata", lambda url, **kw: IDP_METADATA
    )
    from digid_eherkenning.choices import ConfigTypes
    from digid_eherkenning.models import ConfigCertificate, DigidConfiguration
    from simple_certmanager.constants import CertificateTypes
    from simple_certmanager.models import Certificate

    public, private = _key_pair()
    certificate = Certificate(label="DigiD", type=CertificateTypes.key_pair)
    certificate.public_certificate.save("cert.pem", ContentFile(public), save=False)
    certificate.private_key.save("key.pem", ContentFile(private), save=False)
    certificate.save()
    response = beheer.post(
        "/beheer/digid_eherkenning/configcertificate/add/",
        {"config_type": ConfigTypes.digid, "certificate": certificate.pk},
    )
    assert response.status_code == 302
    assert _entries("digid_eherkenning.ConfigCertificate").get().event == "admin.added"

    pk = DigidConfiguration.singleton_instance_id
    url = f"/beheer/digid_eherkenning/digidconfiguration/{pk}/change/"
    data = _change_form_data(beheer, url)
    data.update(
        entity_id="https://ontzorg.example.nl",
        base_url="https://ontzorg.example.nl",
        service_name="Ontzorg",
        service_description="Mijn overzicht",
        metadata_file_source="https://idp.example.nl/saml/idp/metadata",
    )
    # No single logout (docs/production.md): the package's SLO views are not mounted.
    data.pop("slo")
    response = beheer.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = _entries("digid_eherkenning.DigidConfiguration").last()
    assert entry.event == "admin.changed"
    assert entry.changes["entity_id"] == ["", "https://ontzorg.example.nl"]
    assert entry.changes["base_url"] == ["", "https://ontzorg.example.nl"]
    assert entry.changes["slo"] == [True, False]
    assert ConfigCertificate.objects.for_config(DigidConfiguration).exists()
    # The service provider's metadata for Logius, linked from the configuration's page.
    response = beheer.get("/mijn/digid-metadata/digid/")
    assert response.status_code == 200
    assert b"https://ontzorg.example.nl/mijn/digid/acs/" in response.content
