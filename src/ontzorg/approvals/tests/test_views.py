"""The proposal pages: the list in scope with filters, and approve / reject / withdraw, each
behind a confirmation step."""

import pytest
from django.urls import reverse

from ontzorg.accounts.constants import RoleCode
from ontzorg.accounts.tests.factories import OrganisationFactory, UserFactory
from ontzorg.approvals import proposals
from ontzorg.approvals.constants import ProposalStatus
from ontzorg.approvals.tests.helpers import colleague_of
from ontzorg.regelingen.tests.factories import RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def actions(monkeypatch):
    done = []
    for kind, label in (("test.een", "Proef een"), ("test.twee", "Proef twee")):
        monkeypatch.setitem(
            proposals.registry,
            kind,
            proposals.Action(kind, label, lambda proposal, approver: done.append(proposal.pk)),
        )
    return done


def _propose(user, region, kind="test.een", summary="Voorstel een"):
    return proposals.propose(user, kind, region=region, payload={"bedrag": 5}, summary=summary)


def test_the_list_shows_pending_proposals_in_scope_with_a_kind_filter(
    client, actions, backoffice, region
):
    _propose(backoffice, region)
    _propose(backoffice, region, "test.twee", "Voorstel twee")
    elsewhere = RegionFactory(name="Elders", slug="elders")
    outsider = UserFactory(
        role_code=RoleCode.BACKOFFICE, organisation=OrganisationFactory(region=elsewhere)
    )
    _propose(outsider, elsewhere, summary="Voorstel elders")
    client.force_login(backoffice)
    page = client.get(reverse("approvals:list")).text
    assert "Voorstel een" in page and "Voorstel twee" in page
    assert "Voorstel elders" not in page
    filtered = client.get(reverse("approvals:list"), {"soort": "test.twee"}).text
    assert "Voorstel twee" in filtered and "Voorstel een" not in filtered
    assert "Voorstellen" in client.get(reverse("dashboard")).text  # in the menu


def test_approve_needs_the_confirmation_step(client, actions, backoffice, region):
    proposal = _propose(backoffice, region)
    client.force_login(colleague_of(backoffice))
    confirm = client.get(reverse("approvals:approve", args=[proposal.pk]))
    assert "Bevestigen en goedkeuren" in confirm.text
    client.post(reverse("approvals:approve", args=[proposal.pk]))  # without confirm
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING and actions == []
    back = reverse("payments:list")
    response = client.post(
        reverse("approvals:approve", args=[proposal.pk]), {"confirm": "1", "next": back}
    )
    assert response.url == back
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.APPROVED and actions == [proposal.pk]


def test_reject_asks_a_reason_then_confirms(client, actions, backoffice, region):
    proposal = _propose(backoffice, region)
    client.force_login(colleague_of(backoffice))
    url = reverse("approvals:reject", args=[proposal.pk])
    assert client.post(url, {"reason": ""}).status_code == 200  # the form again
    confirm = client.post(url, {"reason": "Geen bewijs."})
    assert "Bevestigen en afwijzen" in confirm.text
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING
    client.post(url, {"reason": "Geen bewijs.", "confirm": "1"})
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.REJECTED and proposal.reason == "Geen bewijs."
    assert actions == []


def test_withdraw_by_the_proposer_only(client, actions, backoffice, region):
    proposal = _propose(backoffice, region)
    url = reverse("approvals:withdraw", args=[proposal.pk])
    client.force_login(colleague_of(backoffice))
    page = client.post(url, {"confirm": "1"}, follow=True)
    assert "Alleen wie het voorstel deed" in page.text
    client.force_login(backoffice)
    client.post(url, {"confirm": "1"})
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN


def test_a_klantmanager_sees_but_does_not_decide(client, actions, backoffice, klantmanager, region):
    proposal = _propose(backoffice, region)
    client.force_login(klantmanager)
    assert client.get(reverse("approvals:list")).status_code == 200
    url = reverse("approvals:approve", args=[proposal.pk])
    assert client.post(url, {"confirm": "1"}).status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING and actions == []


def test_a_foreign_next_is_ignored(client, actions, backoffice, region):
    proposal = _propose(backoffice, region)
    client.force_login(colleague_of(backoffice))
    response = client.post(
        reverse("approvals:approve", args=[proposal.pk]),
        {"confirm": "1", "next": "https://elders.example/"},
    )
    assert response.url == reverse("approvals:list")
