"""Rekeninggegevens begunstigde: a payee's account holder's name, IBAN and BIC change only by
four eyes, through the page, never in one step (not in the admin, not in the participant
form), and only for payees in the user's regions."""

import pytest
from django.urls import reverse

from ontzorg.accounts.constants import RoleCode
from ontzorg.accounts.tests.factories import OrganisationFactory, UserFactory
from ontzorg.approvals import proposals
from ontzorg.approvals.models import Proposal
from ontzorg.approvals.tests.helpers import colleague_of
from ontzorg.audit.models import AuditEntry
from ontzorg.exceptions import Refused
from ontzorg.participants.tests.factories import ParticipantFactory
from ontzorg.plans import payees
from ontzorg.plans.models import Creditor
from ontzorg.regelingen.tests.factories import RegelingFactory, RegionFactory

from .factories import CreditorFactory, PlanFactory, PlanLineFactory

pytestmark = pytest.mark.django_db

NEW_IBAN = "NL44RABO0123456789"


@pytest.fixture
def creditor(region):
    return CreditorFactory(name="Woonstichting Vidomes", region=region, iban="NL91ABNA0417164300")


@pytest.fixture
def approver(backoffice):
    return colleague_of(backoffice, "bo2")


def test_a_creditors_account_changes_only_after_a_colleague_approves(
    client, backoffice, approver, creditor
):
    client.force_login(backoffice)
    url = reverse("plans:creditor_payee", args=[creditor.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"account_holder_name": "Stichting Vidomes", "iban": "nl44 rabo 0123 4567 89"}
    )
    assert response.status_code == 302

    creditor.refresh_from_db()
    assert (creditor.account_holder_name, creditor.iban) == (
        "Woonstichting Vidomes",
        "NL91ABNA0417164300",
    )
    proposal = payees.pending_for(creditor).get()
    assert proposal.payload["after"] == {
        "account_holder_name": "Stichting Vidomes",
        "iban": NEW_IBAN,
        "bic": "",
    }
    assert "IBAN NL91ABNA0417164300 → NL44RABO0123456789" in proposal.summary
    # The page shows the waiting proposal instead of a second form.
    assert "Wijziging die wacht op goedkeuring" in client.get(url).content.decode()
    with pytest.raises(Refused, match="wacht al een voorstel"):
        payees.propose_change(backoffice, creditor, {"account_holder_name": "X", "iban": NEW_IBAN})
    with pytest.raises(Refused, match="eigen voorstel"):
        proposals.approve(backoffice, proposal)

    proposals.approve(approver, proposal)
    creditor.refresh_from_db()
    assert (creditor.account_holder_name, creditor.iban) == ("Stichting Vidomes", NEW_IBAN)
    entry = AuditEntry.objects.get(event="payee.changed")
    assert entry.actor == approver
    assert entry.changes == {
        "account_holder_name": ["Woonstichting Vidomes", "Stichting Vidomes"],
        "iban": ["NL91ABNA0417164300", NEW_IBAN],
    }


def test_a_name_outside_the_sepa_set_is_refused_with_a_suggestion(client, backoffice, creditor):
    client.force_login(backoffice)
    url = reverse("plans:creditor_payee", args=[creditor.pk])
    response = client.post(url, {"account_holder_name": "شركة النور", "iban": creditor.iban})
    assert response.status_code == 400
    text = response.content.decode()
    assert "bevat tekens die de bank niet aanneemt" in text
    assert "Voorstel: Shrkh Lnwr." in text
    assert not Proposal.objects.exists()
    with pytest.raises(Refused, match="niet aanneemt"):
        payees.propose_change(
            backoffice, creditor, {"account_holder_name": "شركة", "iban": creditor.iban}
        )


def test_a_proposal_made_against_old_data_is_not_carried_out(backoffice, approver, creditor):
    proposal = payees.propose_change(
        backoffice, creditor, {"account_holder_name": "Vidomes", "iban": NEW_IBAN}
    )
    # Changed meanwhile by another way in (an import, a data fix).
    Creditor.objects.filter(pk=creditor.pk).update(iban="NL02INGB0100000000")
    with pytest.raises(Refused, match="gewijzigd sinds dit voorstel"):
        proposals.approve(approver, proposal)
    creditor.refresh_from_db()
    assert creditor.iban == "NL02INGB0100000000"
    assert not AuditEntry.objects.filter(event="payee.changed").exists()


def test_a_participants_account_is_proposed_from_the_participant_page(
    client, backoffice, approver, regeling
):
    participant = ParticipantFactory(regeling=regeling, first_name="ዮናስ", last_name="Tesfay")
    assert participant.account_holder_name == ""
    client.force_login(backoffice)
    detail = client.get(reverse("participants:detail", args=[participant.pk])).content.decode()
    url = reverse("plans:participant_payee", args=[participant.pk])
    assert url in detail and "zonder deze naam wordt geen leefgeld betaald" in detail

    page = client.get(url)
    assert page.context["form"]["account_holder_name"].value() == "Yonas Tesfay"
    assert "omzetting naar Latijnse letters" in page.content.decode()
    client.post(url, {"account_holder_name": "Yonas Tesfay", "iban": participant.iban})
    proposals.approve(approver, payees.pending_for(participant).get())
    participant.refresh_from_db()
    assert participant.account_holder_name == "Yonas Tesfay"
    assert participant.full_name == "ዮናስ Tesfay"


def test_only_back_office_of_the_region_opens_the_account_pages(client, klantmanager, creditor):
    other_region = RegionFactory(name="Capelle", slug="capelle")
    theirs = CreditorFactory(region=other_region)
    national_theirs = CreditorFactory()
    PlanLineFactory(
        plan=PlanFactory(
            participant=ParticipantFactory(regeling=RegelingFactory(region=other_region))
        ),
        creditor=national_theirs,
    )
    national_ours = CreditorFactory()
    PlanLineFactory(
        plan=PlanFactory(
            participant=ParticipantFactory(regeling=RegelingFactory(region=creditor.region))
        ),
        creditor=national_ours,
    )
    backoffice = UserFactory(
        role_code=RoleCode.BACKOFFICE, organisation=OrganisationFactory(region=creditor.region)
    )
    client.force_login(backoffice)
    for payee, status in (
        (creditor, 200),
        (national_ours, 200),
        (theirs, 404),
        (national_theirs, 404),
    ):
        response = client.get(reverse("plans:creditor_payee", args=[payee.pk]))
        assert response.status_code == status, payee
    listed = client.get(reverse("plans:creditors")).context["page"].object_list
    assert set(listed) == {creditor, national_ours}

    client.force_login(klantmanager)  # sees bank data, but prepares no payments
    assert client.get(reverse("plans:creditor_payee", args=[creditor.pk])).status_code == 403


def test_the_admin_shows_a_creditors_account_read_only(client, beheerder, creditor):
    from ontzorg.core.tests.test_admin_audit import _change_form_data

    beheerder.is_staff = beheerder.is_superuser = True
    beheerder.save()
    client.force_login(beheerder)
    url = f"/beheer/plans/creditor/{creditor.pk}/change/"
    data = _change_form_data(client, url)
    assert "iban" not in data and "account_holder_name" not in data
    data.update(iban=NEW_IBAN, account_holder_name="Iemand Anders", town="Delft")
    assert client.post(url, data).status_code == 302
    creditor.refresh_from_db()
    assert (creditor.iban, creditor.account_holder_name, creditor.town) == (
        "NL91ABNA0417164300",
        "Woonstichting Vidomes",
        "Delft",
    )
