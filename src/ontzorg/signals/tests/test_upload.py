"""The CSV upload of a creditor's signals: checked whole at once, read in as a background
task in short chunks, with its progress on the job's page; resumable when it stopped."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ontzorg.signals import uploads
from ontzorg.signals.constants import ImportStatus
from ontzorg.signals.models import Signal, SignalImport

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
    job = SignalImport.objects.get()
    assert response.url == reverse("signals:import", args=[job.pk])
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
    page = client.get(response.url).content.decode()
    assert "0 signalen ingelezen" in page
    assert "3 al eerder ontvangen" in page


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
    assert not SignalImport.objects.exists()


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


def many_lines(count: int) -> list[str]:
    return [
        f";3011 AA;{n + 1};01-01-1980;Huurder {n};betalingsachterstand;{100 + n},00;1;2025-03-02"
        for n in range(count)
    ]


@pytest.mark.django_db
def test_a_large_file_is_read_in_by_a_task_in_chunks_with_progress(
    client, klantmanager, region, monkeypatch
):
    monkeypatch.setattr(uploads, "CHUNK_SIGNALS", 7)
    client.force_login(klantmanager)
    chunks = []
    store = uploads._store

    def counting(job, token):
        original = uploads.transaction.atomic

        def atomic(*args, **kwargs):
            chunks.append(1)
            return original(*args, **kwargs)

        monkeypatch.setattr(uploads.transaction, "atomic", atomic)
        try:
            return store(job, token)
        finally:
            monkeypatch.setattr(uploads.transaction, "atomic", original)

    monkeypatch.setattr(uploads, "_store", counting)
    response = upload(client, csv_file(*many_lines(40)), region)
    job = SignalImport.objects.get()
    assert (job.status, job.rows_total, job.cursor, job.created_count) == (
        ImportStatus.DONE,
        40,
        40,
        40,
    )
    assert len(chunks) == 6  # 40 signals in chunks of at most 7, each committed
    assert Signal.objects.count() == 40
    page = client.get(response.url).content.decode()
    assert "40 signalen ingelezen: 0 gekoppeld, 40 in de wachtrij" in page
    progress = client.get(reverse("signals:import_progress", args=[job.pk]))
    assert progress["HX-Refresh"] == "true"


class _Killed(BaseException):
    """Stands for the worker being killed in the middle of a chunk."""


@pytest.mark.django_db
def test_a_crashed_upload_resumes_after_its_last_chunk(
    client, klantmanager, region, monkeypatch, frozen_clock
):
    monkeypatch.setattr(uploads, "CHUNK_SIGNALS", 5)
    client.force_login(klantmanager)
    created = []
    original = uploads._create

    def dying(**kwargs):
        if len(created) == 12:
            raise _Killed
        created.append(1)
        return original(**kwargs)

    monkeypatch.setattr(uploads, "_create", dying)
    response = upload(client, csv_file(*many_lines(20)), region)
    job = SignalImport.objects.get()
    # Two chunks of five are stored; the third died with its transaction.
    assert (job.status, job.cursor, Signal.objects.count()) == (ImportStatus.RUNNING, 10, 10)
    page = client.get(response.url).content.decode()
    assert "Inlezen hervatten" not in page
    frozen_clock.shift(timedelta(minutes=3))
    page = client.get(response.url).content.decode()
    assert "Het inlezen is onderbroken" in page and "10 van 20" in page
    monkeypatch.setattr(uploads, "_create", original)
    client.post(reverse("signals:import_resume", args=[job.pk]))
    job.refresh_from_db()
    assert (job.status, job.cursor, job.created_count, job.duplicates) == (
        ImportStatus.DONE,
        20,
        20,
        0,
    )
    assert Signal.objects.count() == 20


@pytest.mark.django_db
def test_another_regions_upload_page_is_not_found(client, klantmanager, region):
    from ontzorg.accounts.tests.factories import UserFactory
    from ontzorg.regelingen.tests.factories import RegionFactory

    client.force_login(klantmanager)
    upload(client, csv_file(*many_lines(1)), region)
    job = SignalImport.objects.get()
    other = UserFactory(
        username="km-elders",
        role=klantmanager.role,
        organisation__region=RegionFactory(name="Elders", slug="elders"),
    )
    client.force_login(other)
    assert client.get(reverse("signals:import", args=[job.pk])).status_code == 404
