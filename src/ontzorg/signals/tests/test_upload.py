import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ontzorg.signals.models import Signal

URL = "/signalen/upload/"


def csv_file(*lines, bom=True):
    header = "bsn;postcode;huisnummer;geboortedatum;naam;soort;bedrag;maanden_achterstand;gemeld_op"
    text = "\r\n".join([header, *lines]) + "\r\n"
    data = (("\ufeff" if bom else "") + text).encode("utf-8")
    return SimpleUploadedFile("signalen.csv", data, "text/csv")


def upload(client, file, region, creditor="Woonstad Rotterdam"):
    return client.post(
        URL,
        {
            "region": region.pk,
            "creditor_name": creditor,
            "creditor_kind": "woningcorporatie",
            "file": file,
        },
    )


def good_lines(guided):
    return (
        f"{guided.bsn};;;;A. Haddad;betalingsachterstand;845,00;2;2025-03-01",
        # Matched by address: the creditor writes the postcode without a space, in lower case.
        ";2711ab;12 A;17-05-1990;A. Haddad;opzegging;;;01-03-2025",
        ";3011 AA;1;01-01-1980;Onbekend Persoon;betalingsachterstand;120,50;1;2025-03-02",
    )


@pytest.mark.django_db
def test_upload_stores_matches_and_queues(client, klantmanager, guided, region):
    client.force_login(klantmanager)
    response = upload(client, csv_file(*good_lines(guided)), region)
    assert response.status_code == 302
    signals = Signal.objects.order_by("pk")
    assert signals.count() == 3
    by_bsn, by_address, unknown = signals
    assert by_bsn.participant == guided and by_bsn.amount_cents == 84500
    assert by_address.participant == guided and by_address.postcode == "2711 AB"
    assert unknown.participant is None and unknown.region == region
    assert {s.uploaded_by for s in signals} == {klantmanager}
    assert {s.creditor_name for s in signals} == {"Woonstad Rotterdam"}


@pytest.mark.django_db
def test_reupload_creates_nothing_new(client, klantmanager, guided, region):
    client.force_login(klantmanager)
    upload(client, csv_file(*good_lines(guided)), region)
    response = upload(client, csv_file(*good_lines(guided), bom=False), region)
    assert response.status_code == 302
    assert Signal.objects.count() == 3
    response = client.get("/signalen/")
    assert "0 signalen ingelezen" in response.content.decode()
    assert "3 al eerder ontvangen" in response.content.decode()


@pytest.mark.django_db
def test_one_bad_line_refuses_the_whole_file(client, klantmanager, guided, region):
    client.force_login(klantmanager)
    lines = [*good_lines(guided), ";;;;Zonder adres;overig;;;2025-03-01"]
    lines.insert(1, "123456789;;;;X;betalingsachterstand;10;;2025-03-01")
    response = upload(client, csv_file(*lines), region)
    assert response.status_code == 400
    page = response.content.decode()
    assert "niets opgeslagen" in page
    assert "Regel 3: bsn:" in page
    assert "Regel 6: bsn:" in page
    assert not Signal.objects.exists()


@pytest.mark.django_db
def test_upload_size_limit(client, klantmanager, guided, region, settings):
    settings.ONTZORG_MAX_UPLOAD_BYTES = 100
    client.force_login(klantmanager)
    response = upload(client, csv_file(*good_lines(guided)), region)
    assert response.status_code == 400
    assert "groter dan" in response.content.decode()
    assert not Signal.objects.exists()


@pytest.mark.django_db
def test_coach_may_not_upload(client, coach, region):
    client.force_login(coach)
    assert client.get(URL).status_code == 403
