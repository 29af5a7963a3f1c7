"""Accent-insensitive search in every search box: the participant list, the admin, a bank
entry's participant search, the approver's list of a run's payments, and the bank work
queue (by name, and by BSN for who may see it), on the folded name (core.search)."""

import importlib

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ontzorg.accounts.constants import Scope
from ontzorg.accounts.models import Role
from ontzorg.accounts.tests.factories import OrganisationFactory, UserFactory
from ontzorg.audit.models import AuditEntry
from ontzorg.banking.models import BankEntry
from ontzorg.banking.tests.conftest import statement
from ontzorg.core.search import fold
from ontzorg.participants import services
from ontzorg.participants.models import Participant
from ontzorg.participants.tests.factories import ParticipantFactory
from ontzorg.payments import services as payments
from ontzorg.payments.tests.factories import PERIOD, debtor_account, ready_participant
from ontzorg.privacy import retention
from ontzorg_demo.camtgen import Detail, GenEntry

LIST = reverse("participants:list")
ZAHRA = "Al-Zahr\u0101\u02be"  # with the hamza sign of transliterated Arabic
QUEUE = reverse("banking:queue")


@pytest.fixture
def people(regeling):
    return {
        "zahra": ParticipantFactory(regeling=regeling, first_name="Fatima", last_name=ZAHRA),
        "tesfay": ParticipantFactory(regeling=regeling, first_name="Tesfaý", last_name="Haile"),
        "muller": ParticipantFactory(regeling=regeling, first_name="Jan", last_name="Müller"),
        "plain": ParticipantFactory(regeling=regeling, first_name="Amina", last_name="Haddad"),
    }


def listed(client, text) -> set[str]:
    response = client.post(LIST, {"q": text})
    assert response.status_code == 200
    return {p.last_name for p in response.context["page"].object_list}


def test_the_participant_list_finds_names_whatever_their_accents(client, klantmanager, people):
    client.force_login(klantmanager)
    assert listed(client, "Zahra") == {ZAHRA}
    assert listed(client, "fatima al-zahra") == {ZAHRA}
    assert listed(client, "Tesfay") == {"Haile"}
    assert listed(client, "Muller") == {"Müller"}
    assert listed(client, "MÜLLER") == {"Müller"}
    assert listed(client, "Zahra Müller") == set()  # every word must be found


def test_the_folded_name_follows_every_change(klantmanager, people):
    person = people["muller"]
    assert Participant.objects.get(pk=person.pk).search_name == "jan muller"
    services.update_participant(klantmanager, person, {"last_name": "Şahin"})
    assert Participant.objects.search("sahin").get() == person
    person.refresh_from_db()
    person.first_name = "Zoë"
    person.save(update_fields=["first_name"])
    assert Participant.objects.get(pk=person.pk).search_name == "zoe sahin"
    # Retention replaces the names, and with them what a search can find.
    retention.anonymise(person.pk, retention.Term.NON_PARTICIPANT, PERIOD)
    person.refresh_from_db()
    assert person.search_name == fold(f"{retention.ANONYMISED} {retention.ANONYMISED}")
    assert not Participant.objects.search("zoe").exists()


def test_the_migration_fills_the_folded_names_of_existing_rows(people):
    Participant.objects.update(search_name="")
    migration = importlib.import_module(
        "ontzorg.participants.migrations.0006_participant_search_name"
    )
    migration.fill(apps, None)
    assert Participant.objects.search("zahra").get() == people["zahra"]
    assert Participant.objects.get(pk=people["tesfay"].pk).search_name == "tesfay haile"


def test_the_admin_search_is_accent_insensitive(admin_client, people):
    client = admin_client
    url = reverse("admin:participants_participant_changelist")
    page = client.get(url, {"q": "zahra"})
    assert page.status_code == 200
    assert list(page.context["cl"].result_list) == [people["zahra"]]
    typed = client.get(url, {"q": "Müller"})
    assert list(typed.context["cl"].result_list) == [people["muller"]]


def test_a_bank_entrys_participant_search_is_accent_insensitive(client, backoffice, region, people):
    debtor_account(region)
    client.force_login(backoffice)
    upload(client, region, [GenEntry(84_217, servicer_ref="L1")])
    url = reverse("banking:entry", args=[BankEntry.objects.get().pk])
    page = client.get(url, {"zoek": "zahra"})
    assert people["zahra"].full_name in page.text and "Haddad" not in page.text


def test_the_approvers_list_of_payments_is_accent_insensitive(client, backoffice, regeling, region):
    debtor_account(region)
    zahra = ready_participant(regeling, first_name="Fatima", last_name=ZAHRA)
    ready_participant(regeling, first_name="Jan", last_name="Müller")
    run = payments.prepare_run(backoffice, region, PERIOD)
    client.force_login(backoffice)
    response = client.post(reverse("payments:instructions", args=[run.pk]), {"q": "zahra"})
    assert {i.participant_id for i in response.context["rows"]} == {zahra.pk}
    muller = client.post(reverse("payments:instructions", args=[run.pk]), {"q": "MULLER"})
    assert {i.participant.last_name for i in muller.context["rows"]} == {"Müller"}


# --- the bank work queue ----------------------------------------------------------------------


def upload(client, region, entries):
    response = client.post(
        reverse("banking:upload"),
        {
            "region": region.pk,
            "file": SimpleUploadedFile("afschrift.xml", statement(entries), "application/xml"),
        },
    )
    assert response.status_code == 302


def debit(ref, *, name="", iban=None, remittance=""):
    """A payment from the region's account that no run made: it waits in the work queue."""
    return GenEntry(
        -12_345,
        servicer_ref=ref,
        details=[
            Detail(creditor_name=name or None, creditor_iban=iban, remittance_lines=[remittance])
        ],
    )


@pytest.fixture
def queue(client, backoffice, region, people):
    """Four unmatched debits: to Al-Zahrā's account under the bank's spelling of her name,
    one naming Müller, one quoting Tesfaý's BSN, and one to a stranger."""
    debtor_account(region)
    client.force_login(backoffice)
    upload(
        client,
        region,
        [
            debit("Z1", name="F AL ZAHRA", iban=people["zahra"].iban, remittance="Voorschot"),
            debit("M1", name="Stichting Hulp", remittance="Gift voor J. Muller"),
            debit("T1", name="Woonstad", remittance=f"Huur BSN {people['tesfay'].bsn}"),
            debit("X1", name="Onbekend", remittance="Restitutie"),
        ],
    )
    return client


def in_queue(client, text) -> set[str]:
    response = client.post(QUEUE, {"zoek": text})
    assert response.status_code == 200
    return {entry.account_servicer_ref for entry in response.context["entries"]}


def test_the_work_queue_searches_by_participant_name_and_bank_text(queue, people):
    assert in_queue(queue, "") == {"Z1", "M1", "T1", "X1"}
    # Her name as the participant list has it finds the entry from her IBAN.
    assert in_queue(queue, ZAHRA) == {"Z1"}
    assert in_queue(queue, "fatima") == {"Z1"}
    assert in_queue(queue, "Müller") == {"M1"}  # the remittance text, accents aside
    assert in_queue(queue, "Niemand") == set()
    page = queue.post(QUEUE, {"zoek": "Niemand"}).text
    assert "Geen posten in de werkvoorraad gevonden voor" in page


def test_the_work_queue_searches_by_bsn_for_who_may_see_it(queue, people, region):
    tesfay, zahra = people["tesfay"], people["zahra"]
    assert in_queue(queue, tesfay.bsn) == {"T1"}  # the whole BSN in the remittance text
    assert in_queue(queue, zahra.bsn) == {"Z1"}  # the participant's own account
    searched = AuditEntry.objects.filter(event="bank.queue_searched").order_by("pk").last()
    assert zahra.bsn not in searched.summary and zahra.bsn[-2:] in searched.summary
    # The search posts; a search in a URL is not applied (a BSN never travels in one).
    assert len(queue.get(QUEUE, {"zoek": zahra.bsn}).context["entries"]) == 4

    # A role with the bank screens but without BSNs finds by name only.
    role = Role.objects.create(
        code="bank", name="Bank zonder BSN", scope=Scope.REGION, prepares_payments=True
    )
    clerk = UserFactory(role=role, organisation=OrganisationFactory(region=region))
    queue.force_login(clerk)
    assert in_queue(queue, zahra.bsn) == set()
    assert in_queue(queue, "zahra") == {"Z1"}
