"""The proposal service: propose, approve by someone else only, reject, withdraw, scope."""

import pytest
from django.db import IntegrityError, transaction

from ontzorg.accounts.constants import RoleCode
from ontzorg.accounts.tests.factories import OrganisationFactory, UserFactory
from ontzorg.approvals import proposals
from ontzorg.approvals.constants import ProposalStatus
from ontzorg.approvals.models import Proposal
from ontzorg.audit.models import AuditEntry
from ontzorg.exceptions import PermissionDenied, Refused
from ontzorg.participants.tests.factories import ParticipantFactory
from ontzorg.regelingen.tests.factories import RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def applied(monkeypatch):
    """A throw-away action that records what it was asked to do."""
    done = []

    def apply(proposal, approver):
        if proposal.payload.get("refuse"):
            raise Refused("Kan niet.")
        done.append((proposal.pk, approver.pk))

    monkeypatch.setitem(
        proposals.registry, "test.noop", proposals.Action("test.noop", "Proef", apply)
    )
    return done


@pytest.fixture
def colleague(municipality_org):
    return UserFactory(username="bo2", role_code=RoleCode.BACKOFFICE, organisation=municipality_org)


def _propose(user, region, **kwargs):
    return proposals.propose(
        user,
        "test.noop",
        region=region,
        payload=kwargs.pop("payload", {}),
        summary="Proef",
        **kwargs,
    )


def test_approved_by_a_colleague_runs_the_handler_once(applied, backoffice, colleague, region):
    proposal = _propose(backoffice, region, amount_cents=500_000)
    assert applied == []
    approved = proposals.approve(colleague, proposal)
    assert applied == [(proposal.pk, colleague.pk)]
    assert approved.status == ProposalStatus.APPROVED
    assert approved.decided_by == colleague
    with pytest.raises(Refused, match="al besloten"):
        proposals.approve(colleague, proposal)
    assert applied == [(proposal.pk, colleague.pk)]
    events = list(
        AuditEntry.objects.filter(object_id=str(proposal.pk)).values_list("event", flat=True)
    )
    assert sorted(events) == ["proposal.approved", "proposal.proposed"]


def test_the_proposer_cannot_approve(applied, backoffice, region):
    proposal = _propose(backoffice, region)
    with pytest.raises(Refused, match="eigen voorstel"):
        proposals.approve(backoffice, proposal)
    assert applied == []
    assert Proposal.objects.get().status == ProposalStatus.PENDING


def test_the_database_refuses_a_self_decided_proposal(applied, backoffice, region):
    proposal = _propose(backoffice, region)
    with pytest.raises(IntegrityError), transaction.atomic():
        Proposal.objects.filter(pk=proposal.pk).update(
            status=ProposalStatus.APPROVED, decided_by=backoffice, decided_at=proposal.proposed_at
        )


def test_approving_needs_the_right(applied, backoffice, klantmanager, region):
    proposal = _propose(backoffice, region)
    with pytest.raises(PermissionDenied):
        proposals.approve(klantmanager, proposal)
    assert applied == []


def test_a_refusing_handler_changes_nothing(applied, backoffice, colleague, region):
    proposal = _propose(backoffice, region, payload={"refuse": True})
    with pytest.raises(Refused, match="Kan niet"):
        proposals.approve(colleague, proposal)
    assert Proposal.objects.get().status == ProposalStatus.PENDING
    assert not AuditEntry.objects.filter(event="proposal.approved").exists()


def test_another_region_neither_proposes_nor_approves(applied, backoffice, region):
    elsewhere = RegionFactory(name="Elders", slug="elders")
    outsider = UserFactory(
        role_code=RoleCode.BACKOFFICE, organisation=OrganisationFactory(region=elsewhere)
    )
    with pytest.raises(PermissionDenied):
        _propose(outsider, region)
    proposal = _propose(backoffice, region)
    with pytest.raises(PermissionDenied):
        proposals.approve(outsider, proposal)
    assert applied == []


def test_participant_out_of_scope_is_refused(applied, backoffice, region):
    elsewhere = ParticipantFactory(regeling__region=RegionFactory(name="Elders", slug="elders"))
    with pytest.raises(PermissionDenied):
        _propose(backoffice, region, participant=elsewhere)


def test_reject_needs_a_reason_and_changes_nothing(applied, backoffice, colleague, region):
    proposal = _propose(backoffice, region)
    with pytest.raises(Refused, match="reden"):
        proposals.reject(colleague, proposal, reason=" ")
    with pytest.raises(Refused, match="trek het in"):
        proposals.reject(backoffice, proposal, reason="Zelf")
    rejected = proposals.reject(colleague, proposal, reason="Bewijs ontbreekt.")
    assert rejected.status == ProposalStatus.REJECTED and rejected.reason == "Bewijs ontbreekt."
    with pytest.raises(Refused):
        proposals.approve(colleague, proposal)
    assert applied == []


def test_only_the_proposer_withdraws(applied, backoffice, colleague, region):
    proposal = _propose(backoffice, region)
    with pytest.raises(Refused, match="Alleen wie"):
        proposals.withdraw(colleague, proposal)
    assert proposals.withdraw(backoffice, proposal).status == ProposalStatus.WITHDRAWN
    with pytest.raises(Refused):
        proposals.approve(colleague, proposal)
    assert applied == []


def test_pending_and_proposers(applied, backoffice, colleague, region):
    from datetime import date

    period = date(2025, 11, 1)
    first = _propose(backoffice, region, period=period)
    _propose(colleague, region, period=date(2025, 12, 1))
    assert list(proposals.pending(region=region, period=period)) == [first]
    assert proposals.proposers(region=region, period=period) == {backoffice.pk}
    proposals.withdraw(backoffice, first)
    assert proposals.proposers(region=region, period=period) == set()
    with pytest.raises(ValueError):
        _propose(backoffice, region, period=date(2025, 11, 2))
