"""The back office's dashboard shows its work: payment runs to approve (not the user's own
to approve), returned payments to handle and the bank work queue, with links, and says so
when there is none. Everything reached through the services and pages, as a user does."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ontzorg.banking.tests.conftest import (
    make_booked_run,
    paid,
    return_of,
    second_backoffice,
    statement,
)
from ontzorg.payments import services as payments
from ontzorg.payments.constants import InstructionKind
from ontzorg_demo.camtgen import GenEntry

DASHBOARD = reverse("dashboard")


@pytest.fixture
def approver(municipality_org):
    return second_backoffice(municipality_org)


def upload(client, region, entries):
    response = client.post(
        reverse("banking:upload"),
        {
            "region": region.pk,
            "file": SimpleUploadedFile("afschrift.xml", statement(entries), "application/xml"),
        },
    )
    assert response.status_code == 302


def test_the_back_office_sees_its_work_with_links(client, backoffice, approver, region, regeling):
    booked = make_booked_run(backoffice, approver, region, regeling)
    rent = next(i for i in paid(booked) if i.kind == InstructionKind.CREDITOR)
    draft = payments.prepare_run(backoffice, region, date(2025, 12, 1))
    client.force_login(backoffice)
    upload(client, region, [return_of(rent, "AC04"), GenEntry(-250, servicer_ref="K1")])

    own = client.get(DASHBOARD).text
    assert "Betaalruns om goed te keuren" in own
    assert reverse("payments:detail", args=[draft.pk]) in own
    assert "door u voorbereid: een collega keurt hem goed" in own
    assert reverse("payments:detail", args=[booked.pk]) not in own  # approved already
    assert "1</span> terugboeking af te handelen" in own
    assert reverse("banking:returns") in own
    assert "1</span> bankpost in de werkvoorraad" in own
    assert reverse("banking:queue") in own

    client.force_login(approver)
    theirs = client.get(DASHBOARD).text
    assert reverse("payments:detail", args=[draft.pk]) in theirs
    assert "door u voorbereid" not in theirs and f"voorbereid door {backoffice}" in theirs
    # Approved: the run leaves the dashboard.
    payments.approve_run(approver, draft)
    assert reverse("payments:detail", args=[draft.pk]) not in client.get(DASHBOARD).text


def test_without_work_the_dashboard_says_so(client, backoffice, region):
    client.force_login(backoffice)
    page = client.get(DASHBOARD).text
    assert "Er wacht geen betaalrun op goedkeuring." in page
    assert "Geen terugboekingen af te handelen en geen bankposten in de werkvoorraad." in page


def test_roles_without_payment_rights_see_no_back_office_work(client, klantmanager, coach):
    for user in (klantmanager, coach):
        client.force_login(user)
        page = client.get(DASHBOARD).text
        assert "betaalrun" not in page.lower() and "werkvoorraad" not in page
