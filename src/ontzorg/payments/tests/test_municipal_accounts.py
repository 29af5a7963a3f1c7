"""A region of several municipalities where one pays its participants from its own account:
one pain.001 file per paying account, each valid against the XSD and adding up to the
payments of that account's participants, made again byte for byte; the bank's statement of
each account confirms exactly the payments made from it."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from lxml import etree

from ontzorg.banking.imports import receive_upload
from ontzorg.banking.models import Reconciliation
from ontzorg.banking.tests.conftest import debit_of, statement
from ontzorg.participants.tests.factories import HouseholdFactory
from ontzorg.payments import debtor_accounts, pain001, services
from ontzorg.payments.constants import PAID_KINDS
from ontzorg.payments.models import DebtorAccount
from ontzorg.regelingen.tests.factories import MunicipalityFactory, RegionFactory

from .factories import PERIOD, debtor_account, municipal_account, ready_participant

WATERLAND_IBAN = "NL91ABNA0417164300"


@pytest.fixture
def towns(regeling):
    region = regeling.region
    edam = MunicipalityFactory(name="Edam-Volendam", region=region, is_lead=True)
    waterland = MunicipalityFactory(name="Waterland", region=region)
    regional = debtor_account(region)
    own = municipal_account(waterland, WATERLAND_IBAN)
    people = {
        "edam": [
            ready_participant(regeling, household=HouseholdFactory(municipality=edam))
            for _ in range(2)
        ],
        "waterland": [
            ready_participant(regeling, household=HouseholdFactory(municipality=waterland))
        ],
    }
    return {"regional": regional, "own": own, "people": people}


def _exported(backoffice, approver, region):
    run = services.prepare_run(backoffice, region, PERIOD)
    services.approve_run(approver, run)
    files = services.export_run(approver, run)
    return run, files


def _paid(run, participants):
    return run.instructions.filter(kind__in=PAID_KINDS, participant__in=participants)


def test_one_valid_file_per_paying_account_with_its_own_payments(
    backoffice, approver, region, towns
):
    run, files = _exported(backoffice, approver, region)

    assert [f.debtor_account for f in files] == [towns["regional"], towns["own"]]
    for payment_file, people in zip(
        files, (towns["people"]["edam"], towns["people"]["waterland"]), strict=True
    ):
        instructions = _paid(run, people)
        assert instructions.exists()
        assert set(instructions.values_list("debtor_account", flat=True)) == {
            payment_file.debtor_account_id
        }
        # Totals reconcile per file: the file's count and sum are its account's payments.
        assert payment_file.count == instructions.count()
        assert payment_file.total_cents == sum(i.amount_cents for i in instructions)
        with default_storage.open(payment_file.file.name, "rb") as stored:
            content = stored.read()
        pain001.validate(io.BytesIO(content), run.pain_version)
        tree = etree.fromstring(content)
        ns = {"p": tree.nsmap[None]}
        debtor_iban = tree.findtext(".//p:DbtrAcct/p:Id/p:IBAN", namespaces=ns)
        assert debtor_iban == payment_file.debtor_account.iban
        ids = set(tree.xpath(".//p:EndToEndId/text()", namespaces=ns))
        assert ids == set(instructions.values_list("end_to_end_id", flat=True))
    assert sum(f.count for f in files) == run.instructions.filter(kind__in=PAID_KINDS).count()


def test_export_again_gives_the_same_files(backoffice, approver, region, towns):
    run, first = _exported(backoffice, approver, region)
    again = services.export_run(approver, run)
    assert [(f.message_id, f.sha256, f.debtor_account_id) for f in again] == [
        (f.message_id, f.sha256, f.debtor_account_id) for f in first
    ]


def test_accounts_are_fixed_at_approval(backoffice, approver, region, towns):
    """An account set up after the approval changes nothing in the approved run."""
    run, files = _exported(backoffice, approver, region)
    edam = towns["people"]["edam"][0].household.municipality
    municipal_account(edam, "NL02ABNA0123456789")
    again = services.export_run(approver, run)
    assert [f.sha256 for f in again] == [f.sha256 for f in files]


def test_without_own_accounts_the_region_pays_everyone_in_one_file(
    backoffice, approver, region, towns
):
    towns["own"].delete()
    run, files = _exported(backoffice, approver, region)
    assert [f.debtor_account for f in files] == [towns["regional"]]
    assert files[0].count == run.instructions.filter(kind__in=PAID_KINDS).count()


def test_a_municipality_with_an_account_but_a_region_without_one_is_refused_at_export(
    backoffice, approver, region, towns
):
    towns["regional"].delete()
    run = services.prepare_run(backoffice, region, PERIOD)
    services.approve_run(approver, run)
    with pytest.raises(services.Refused, match="betaalrekening"):
        services.export_run(approver, run)


def test_statement_of_each_account_confirms_only_its_own_payments(
    backoffice, approver, region, towns
):
    run, _files = _exported(backoffice, approver, region)
    services.book_run(backoffice, run)
    (waterland,) = _paid(run, towns["people"]["waterland"]).order_by("pk")[:1]
    edam = _paid(run, towns["people"]["edam"]).order_by("pk").first()

    # On the region's account, the Waterland payment does not belong: it stays unmatched.
    upload = io.BytesIO(statement([debit_of(waterland), debit_of(edam)], statement_id="AFS-R"))
    upload.name = "regio.xml"
    receive_upload(backoffice, upload, region=region)
    matched = set(Reconciliation.objects.values_list("instruction_id", flat=True))
    assert matched == {edam.pk}

    upload = io.BytesIO(
        statement([debit_of(waterland, ref="W-1")], statement_id="AFS-W", iban=WATERLAND_IBAN)
    )
    upload.name = "waterland.xml"
    receive_upload(backoffice, upload, region=region)
    matched = set(Reconciliation.objects.values_list("instruction_id", flat=True))
    assert matched == {edam.pk, waterland.pk}


def test_account_for_a_participant_falls_back_to_the_region(towns):
    assert debtor_accounts.account_for(towns["people"]["waterland"][0]) == towns["own"]
    assert debtor_accounts.account_for(towns["people"]["edam"][0]) == towns["regional"]


def test_a_municipality_has_one_account_of_its_own_region(region, towns):
    waterland = towns["own"].municipality
    other = RegionFactory(name="Dongemond", slug="dongemond")
    account = DebtorAccount(region=other, municipality=waterland, name="X", iban=WATERLAND_IBAN)
    with pytest.raises(ValidationError):
        account.full_clean()


def test_the_approver_sees_which_account_pays_what_before_approving(
    client, backoffice, approver, region, towns
):
    from django.urls import reverse

    run = services.prepare_run(backoffice, region, PERIOD)
    before = debtor_accounts.split(run)
    assert [account for account, _n, _t in before] == [towns["regional"], towns["own"]]
    for (_account, count, total), people in zip(
        before, (towns["people"]["edam"], towns["people"]["waterland"]), strict=True
    ):
        instructions = _paid(run, people)
        assert count == instructions.count()
        assert total == sum(i.amount_cents for i in instructions)

    client.force_login(approver)
    page = client.get(reverse("payments:detail", args=[run.pk])).content.decode()
    assert "Betaald van deze rekeningen" in page and WATERLAND_IBAN in page

    # The approval fixes the same split; the files then follow it.
    services.approve_run(approver, run)
    assert debtor_accounts.split(run) == before
    files = services.export_run(approver, run)
    assert [(f.debtor_account, f.count, f.total_cents) for f in files] == before
