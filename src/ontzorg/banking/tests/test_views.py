"""Bank screens: upload with the import report, the work queue, returns; rights and regions."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ontzorg.accounts.constants import RoleCode
from ontzorg.accounts.tests.factories import OrganisationFactory, UserFactory
from ontzorg.approvals.models import Proposal
from ontzorg.audit.constants import Action
from ontzorg.audit.models import AuditEntry
from ontzorg.banking.constants import ImportStatus, MatchStatus, ReturnStatus
from ontzorg.banking.models import BankEntry, Reconciliation, StatementImport
from ontzorg.participants.tests.factories import ParticipantFactory
from ontzorg.payments.constants import InstructionKind
from ontzorg.payments.models import DebtorAccount
from ontzorg.regelingen.tests.factories import RegionFactory
from ontzorg_demo.camtgen import Detail, GenEntry

from .conftest import DEBTOR_IBAN, debit_of, paid, return_of, statement

FILES = Path(__file__).parent / "files"


@pytest.fixture
def bo_client(client, backoffice):
    client.force_login(backoffice)
    return client


@pytest.fixture
def account(region):
    return DebtorAccount.objects.create(region=region, name="Gemeente", iban=DEBTOR_IBAN)


def upload(client, region, data, name="afschrift.xml"):
    return client.post(
        reverse("banking:upload"),
        {"region": region.pk, "file": SimpleUploadedFile(name, data, "application/xml")},
    )


def test_upload_runs_the_import_and_shows_the_report(bo_client, booked_run):
    data = statement([debit_of(i) for i in paid(booked_run)] + [GenEntry(-250)])
    response = upload(bo_client, booked_run.region, data)
    job = StatementImport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("banking:import", args=[job.pk])
    assert (job.status, job.region, job.matched, job.unmatched) == (
        ImportStatus.BOOKED,
        booked_run.region,
        6,
        1,
    )
    page = bo_client.get(response.url).content.decode()
    assert "betalingen bevestigd: 6" in page
    assert "Niet gekoppeld</dt><dd>1" in page
    progress = bo_client.get(reverse("banking:progress", args=[job.pk]))
    assert progress["HX-Refresh"] == "true"
    listing = bo_client.get(reverse("banking:list")).content.decode()
    assert "afschrift.xml" in listing and "1 post in de werkvoorraad" in listing


def test_hostile_upload_fails_with_a_clear_message_and_stores_nothing(bo_client, region, account):
    response = upload(bo_client, region, (FILES / "hostile_billion_laughs.xml").read_bytes())
    job = StatementImport.objects.get()
    assert job.status == ImportStatus.FAILED
    page = bo_client.get(response.url).content.decode()
    assert "er is niets opgeslagen" in page and "DOCTYPE" in page
    assert not BankEntry.objects.exists()


def test_statement_of_another_account_is_refused_for_the_region(bo_client, region, account):
    data = statement([GenEntry(500, servicer_ref="x")], iban="NL91ABNA0417164300")
    upload(bo_client, region, data)
    job = StatementImport.objects.get()
    assert job.status == ImportStatus.FAILED
    assert "NL91ABNA0417164300" in job.error_message
    assert not BankEntry.objects.exists()


def test_upload_for_another_region_is_not_offered(bo_client, region, account):
    other = RegionFactory(name="Den Haag", slug="den-haag")
    DebtorAccount.objects.create(region=other, name="Den Haag", iban="NL91ABNA0417164300")
    response = upload(bo_client, other, statement([GenEntry(500)], iban="NL91ABNA0417164300"))
    assert response.status_code == 400
    assert not StatementImport.objects.exists()


def test_manual_assignment_to_a_participant_is_audited(bo_client, backoffice, region, regeling):
    DebtorAccount.objects.create(region=region, name="Gemeente", iban=DEBTOR_IBAN)
    participant = ParticipantFactory(regeling=regeling, last_name="Haile")
    entry_data = GenEntry(
        84_217, servicer_ref="L1", details=[Detail(remittance_lines=["Salaris wk 46"])]
    )
    upload(bo_client, region, statement([entry_data]))
    entry = BankEntry.objects.get()
    assert entry.match_status == MatchStatus.UNMATCHED
    queue = bo_client.get(reverse("banking:queue")).content.decode()
    assert reverse("banking:entry", args=[entry.pk]) in queue
    url = reverse("banking:entry", args=[entry.pk])
    page = bo_client.get(url, {"zoek": "Haile"}).content.decode()
    assert participant.full_name in page
    refused = bo_client.post(
        url + "?zoek=Haile", {"actie": "deelnemer", "p-participant": participant.pk, "p-note": ""}
    )
    assert refused.status_code == 400
    done = bo_client.post(
        url + "?zoek=Haile",
        {"actie": "deelnemer", "p-participant": participant.pk, "p-note": "Loonstrook gezien"},
    )
    assert done.status_code == 302
    entry.refresh_from_db()
    assert entry.match_status == MatchStatus.MATCHED
    reconciliation = Reconciliation.objects.get(entry=entry)
    assert (reconciliation.participant, reconciliation.decided_by) == (participant, backoffice)
    audit = AuditEntry.objects.get(action=Action.DECISION, object_id=str(reconciliation.pk))
    assert audit.actor == backoffice and audit.participant == participant
    assert audit.changes["toelichting"] == [None, "Loonstrook gezien"]
    assert AuditEntry.objects.filter(action=Action.VIEW, summary__contains="bankpost").exists()
    # Decided once: the entry left the queue and cannot be decided again.
    assert (
        reverse("banking:entry", args=[entry.pk])
        not in bo_client.get(reverse("banking:queue")).content.decode()
    )
    again = bo_client.post(url, {"actie": "geen", "n-note": "toch bankkosten"})
    assert again.status_code == 400
    assert Reconciliation.objects.count() == 1


def test_manual_assignment_of_a_debit_confirms_the_payment(bo_client, booked_run):
    instruction = paid(booked_run)[0]
    lost = debit_of(instruction, "Z1")
    lost.details[0].end_to_end_id = "NOTPROVIDED"
    upload(bo_client, booked_run.region, statement([lost]))
    entry = BankEntry.objects.get()
    assert entry.match_status == MatchStatus.UNMATCHED
    bo_client.post(
        reverse("banking:entry", args=[entry.pk]),
        {"actie": "betaling", "i-end_to_end_id": instruction.end_to_end_id, "i-note": "bank"},
    )
    assert Reconciliation.objects.get(entry=entry).instruction == instruction


def test_retry_from_the_returns_page(bo_client, approver, booked_run):
    rent = next(i for i in paid(booked_run) if i.kind == InstructionKind.CREDITOR)
    upload(bo_client, booked_run.region, statement([return_of(rent, "AC01")]))
    page = bo_client.get(reverse("banking:returns")).content.decode()
    assert "AC01 (IBAN onjuist)" in page
    returned = rent.returned
    response = bo_client.post(reverse("banking:retry", args=[returned.pk]), follow=True)
    assert "Pas eerst de rekeninggegevens" in response.content.decode()
    rent.creditor.iban = "NL91ABNA0417164300"
    rent.creditor.save()
    bo_client.post(reverse("banking:retry", args=[returned.pk]))
    again = bo_client.post(reverse("banking:retry", args=[returned.pk]), follow=True)
    assert "wacht al een voorstel" in again.content.decode()
    returned.refresh_from_db()
    assert returned.status == ReturnStatus.OPEN  # a proposal, nothing paid yet
    proposal = Proposal.objects.get()
    page = bo_client.get(reverse("banking:returns")).content.decode()
    assert "voorstel wacht op goedkeuring" in page
    refused = bo_client.post(
        reverse("approvals:approve", args=[proposal.pk]), {"confirm": "1"}, follow=True
    )
    assert "eigen voorstel" in refused.content.decode()
    returned.refresh_from_db()
    assert returned.status == ReturnStatus.OPEN

    bo_client.force_login(approver)
    bo_client.post(reverse("approvals:approve", args=[proposal.pk]), {"confirm": "1"})
    returned.refresh_from_db()
    assert returned.status == ReturnStatus.REPAID
    download = bo_client.get(reverse("banking:retry_file", args=[returned.pk]))
    assert download.status_code == 200
    assert returned.repay_end_to_end_id.encode() in b"".join(download.streaming_content)


@pytest.mark.parametrize("user", ["klantmanager", "coach"])
@pytest.mark.parametrize("name", ["list", "upload", "queue", "returns"])
def test_roles_without_payment_rights_get_403(db, client, request, user, name):
    client.force_login(request.getfixturevalue(user))
    assert client.get(reverse(f"banking:{name}")).status_code == 403


@pytest.mark.parametrize("user", ["klantmanager", "coach"])
def test_roles_without_payment_rights_cannot_post(db, client, request, user, region, account):
    client.force_login(request.getfixturevalue(user))
    response = upload(client, region, statement([GenEntry(500)]))
    assert response.status_code == 403
    assert not StatementImport.objects.exists()


def test_backoffice_of_another_region_sees_nothing_of_ours(client, bo_client, booked_run):
    upload(bo_client, booked_run.region, statement([GenEntry(-250)]))
    entry = BankEntry.objects.get()
    job = StatementImport.objects.get()
    other = UserFactory(
        username="bo-dh",
        role_code=RoleCode.BACKOFFICE,
        organisation=OrganisationFactory(
            name="Gemeente Den Haag", region=RegionFactory(name="Den Haag", slug="den-haag")
        ),
    )
    client.force_login(other)
    assert client.get(reverse("banking:entry", args=[entry.pk])).status_code == 404
    assert client.get(reverse("banking:import", args=[job.pk])).status_code == 404
    assert "werkvoorraad is leeg" in client.get(reverse("banking:queue")).content.decode()


def test_menu_offers_the_bank_screens_to_backoffice_only(client, bo_client, klantmanager):
    assert reverse("banking:list") in bo_client.get("/").content.decode()
    client.force_login(klantmanager)
    assert reverse("banking:list") not in client.get("/").content.decode()


def test_a_nul_byte_in_the_entry_search_gives_a_dutch_message(bo_client, region, regeling):
    DebtorAccount.objects.create(region=region, name="Gemeente", iban=DEBTOR_IBAN)
    upload(bo_client, region, statement([GenEntry(84_217, servicer_ref="L1")]))
    entry = BankEntry.objects.get()
    response = bo_client.get(reverse("banking:entry", args=[entry.pk]), {"zoek": "Hai\x00le"})
    assert response.status_code == 400
    assert "bevat een teken dat niet is toegestaan" in response.content.decode()
