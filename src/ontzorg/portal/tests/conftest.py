"""A region with two participants in ontzorgen, reached through the services, and November
paid for both (a booked run), as the staff do it."""

from dataclasses import dataclass
from datetime import date
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse

from ontzorg.accounts.tests.factories import UserFactory
from ontzorg.participants.constants import MemberKind
from ontzorg.participants.households import add_member

RIGHTS = (
    "sees_bsn",
    "sees_bank",
    "edits_participants",
    "prepares_payments",
    "approves_payments",
    "exports_pseudonymised",
    "views_audit",
    "records_guidance",
)


@dataclass
class World:
    participant: object
    other: object
    boss: object


@pytest.fixture
def world(frozen_clock, region, municipality_org) -> World:
    from ontzorg.accounts.models import Role
    from ontzorg.payments import services as payments
    from ontzorg.payments.tests.factories import PERIOD, debtor_account, ready_participant
    from ontzorg.regelingen.tests.factories import RegelingFactory

    frozen_clock.move_to("2025-11-16 10:00:00+01:00")
    rights = dict.fromkeys(RIGHTS, True)
    everything = Role.objects.create(code="alles", name="alles", scope="region", **rights)
    approving = Role.objects.create(
        code="goedkeuren",
        name="goedkeuren",
        scope="region",
        **{**rights, "edits_participants": False},
    )
    beheerder = UserFactory(username="alles", role=everything, organisation=municipality_org)
    second = UserFactory(username="tweede", role=approving, organisation=municipality_org)
    debtor_account(region)
    regeling = RegelingFactory(region=region)
    participant = ready_participant(regeling, first_name="Amanuel", last_name="Tesfay")
    other = ready_participant(regeling, first_name="Zahra", last_name="Ahmadi-Anders")
    add_member(
        beheerder,
        participant,
        kind=MemberKind.HOUSEMATE,
        first_name="Huisgenootnaam",
        date_of_birth=date(1990, 1, 1),
        starts_on=date(2025, 11, 1),
    )
    run = payments.prepare_run(beheerder, region, PERIOD)
    payments.approve_run(second, run)
    payments.export_run(second, run)
    payments.book_run(beheerder, run)
    return World(participant, other, beheerder)


def digid_login(client, bsn: str):
    """Through the mock DigiD as a browser goes: the portal's login, the mock's BSN form, back
    to the portal's ACS. Returns the ACS response."""
    start = client.get(reverse("portal:login"))
    assert start.status_code == 302, start
    idp = client.get(start["Location"])
    assert idp.status_code == 200
    query = urlparse(start["Location"]).query
    form_url = reverse("digid-mock:bsn") + "?" + query
    posted = client.post(form_url, {"auth_bsn": bsn})
    assert posted.status_code == 302, posted.content[:2000]
    acs = urlparse(posted["Location"])
    assert parse_qs(acs.query)["bsn"] == [bsn]
    return client.get(acs.path + "?" + acs.query)
