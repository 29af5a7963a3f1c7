"""The region's paying account changes only by a proposal a colleague approves."""

import pytest
from django.urls import reverse

from ontzorg.approvals import proposals
from ontzorg.approvals.constants import ProposalStatus
from ontzorg.approvals.models import Proposal
from ontzorg.audit.models import AuditEntry
from ontzorg.exceptions import Refused
from ontzorg.payments import debtor_accounts

from .factories import debtor_account

pytestmark = pytest.mark.django_db

NEW = {"name": "Gemeente Zoetermeer", "iban": "NL91 ABNA 0417 1643 00", "bic": "abnanl2a"}


def test_the_page_proposes_and_a_colleague_approves(client, backoffice, approver, region):
    account = debtor_account(region)
    old_iban = account.iban
    url = reverse("payments:debtor_account", args=[account.pk])
    client.force_login(backoffice)
    confirm = client.post(url, NEW)
    assert "Bevestigen en voorstellen" in confirm.text
    assert not Proposal.objects.exists()
    client.post(url, {**NEW, "confirm": "1"})
    proposal = Proposal.objects.get()
    account.refresh_from_db()
    assert account.iban == old_iban  # nothing changed yet
    with pytest.raises(Refused, match="eigen voorstel"):
        proposals.approve(backoffice, proposal)
    proposals.approve(approver, proposal)
    account.refresh_from_db()
    assert (account.iban, account.bic) == ("NL91ABNA0417164300", "ABNANL2A")
    entry = AuditEntry.objects.get(event="debtor_account.changed")
    assert entry.actor == approver and entry.changes["iban"] == [old_iban, account.iban]


def test_an_invalid_iban_is_refused_with_a_clear_message(backoffice, region):
    account = debtor_account(region)
    with pytest.raises(Refused, match="controlegetal"):
        debtor_accounts.propose_change(backoffice, account, {**NEW, "iban": "NL91ABNA0417164301"})


def test_a_proposal_made_against_old_data_is_not_carried_out(backoffice, approver, region):
    account = debtor_account(region)
    stale = debtor_accounts.propose_change(backoffice, account, NEW)
    type(account).objects.filter(pk=account.pk).update(bic="RABONL2U")
    with pytest.raises(Refused, match="gewijzigd sinds"):
        proposals.approve(approver, stale)
    stale.refresh_from_db()
    assert stale.status == ProposalStatus.PENDING


def test_one_pending_proposal_per_account(backoffice, approver, region):
    account = debtor_account(region)
    debtor_accounts.propose_change(backoffice, account, NEW)
    with pytest.raises(Refused, match="wacht al een voorstel"):
        debtor_accounts.propose_change(approver, account, {**NEW, "name": "Iets anders"})
