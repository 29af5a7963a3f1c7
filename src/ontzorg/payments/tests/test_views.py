"""The run pages: backoffice only, scoped per region, four eyes visible in the screen."""

from datetime import date

import pytest
from django.urls import reverse

from ontzorg.accounts.constants import RoleCode
from ontzorg.accounts.tests.factories import OrganisationFactory, UserFactory
from ontzorg.approvals.models import Proposal
from ontzorg.payments import services
from ontzorg.payments.constants import RunStatus
from ontzorg.payments.models import PaymentRun
from ontzorg.regelingen.tests.factories import RegionFactory

from .factories import PERIOD
from .test_runs import decide

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(backoffice, region, ready_region):
    return services.prepare_run(backoffice, region, PERIOD)


def test_list_and_run_pages_for_backoffice(client, backoffice, run):
    client.force_login(backoffice)
    page = client.get(reverse("payments:list"))
    assert page.status_code == 200
    assert reverse("payments:detail", args=[run.pk]) in page.text
    assert "Betaalruns" in client.get(reverse("dashboard")).text  # in the menu
    detail = client.get(reverse("payments:detail", args=[run.pk]))
    assert detail.status_code == 200
    assert "€ 1.540,00" in detail.text  # to creditors: 2 x (650 + 120); shortfall undecided
    assert "Besluit voorstellen" in detail.text


@pytest.mark.parametrize("role", ["klantmanager", "coach"])
def test_other_roles_get_403(client, request, role, run):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("payments:list")).status_code == 403
    assert client.get(reverse("payments:detail", args=[run.pk])).status_code == 403
    assert client.post(reverse("payments:cancel", args=[run.pk])).status_code == 403
    run.refresh_from_db()
    assert run.status == RunStatus.DRAFT
    assert "Betaalruns" not in client.get(reverse("dashboard")).text


def test_a_shortfall_is_decided_only_through_its_own_run(client, backoffice, region, run):
    case = run.shortfalls.get()
    later = services.prepare_run(backoffice, region, date(2025, 12, 1))
    client.force_login(backoffice)
    prefix = f"tekort-{case.pk}"
    data = {f"{prefix}-choice": "pay_partially", f"{prefix}-reason": "Huur gaat voor, rest later"}
    response = client.post(reverse("payments:decide", args=[later.pk, case.pk]), data)
    assert response.status_code == 404
    case.refresh_from_db()
    assert not case.is_decided


def test_run_of_another_region_is_not_found(client, run):
    other_org = OrganisationFactory(region=RegionFactory(name="Den Haag", slug="den-haag"))
    other = UserFactory(role_code=RoleCode.BACKOFFICE, organisation=other_org)
    client.force_login(other)
    assert client.get(reverse("payments:detail", args=[run.pk])).status_code == 404
    assert (
        reverse("payments:detail", args=[run.pk]) not in client.get(reverse("payments:list")).text
    )


def test_new_run_asks_for_confirmation_then_starts(client, backoffice, region, ready_region):
    client.force_login(backoffice)
    data = {"region": region.pk, "month": "2025-11", "pain_version": "09"}
    confirm = client.get(reverse("payments:new"), data)
    assert "lopen 3 ontzorgplannen" in confirm.text
    assert not PaymentRun.objects.exists()
    response = client.post(reverse("payments:new"), data)
    run = PaymentRun.objects.get()
    assert response.url == reverse("payments:detail", args=[run.pk])
    assert run.period == PERIOD and run.status == RunStatus.DRAFT
    again = client.post(reverse("payments:new"), data, follow=True)
    assert "Er is al een betaalrun" in again.text


def test_progress_reloads_the_page_when_done(client, backoffice, run):
    client.force_login(backoffice)
    response = client.get(reverse("payments:progress", args=[run.pk]))
    assert response["HX-Refresh"] == "true"
    PaymentRun.objects.filter(pk=run.pk).update(status=RunStatus.PREPARING)
    polling = client.get(reverse("payments:progress", args=[run.pk]))
    assert "HX-Refresh" not in polling
    assert 'hx-trigger="every 1s"' in polling.text


def test_preparer_sees_no_approve_button_and_is_refused(client, backoffice, approver, run):
    decide(backoffice, run)
    client.force_login(backoffice)
    page = client.get(reverse("payments:detail", args=[run.pk]))
    assert "vier-ogenprincipe" in page.text
    assert reverse("payments:approve", args=[run.pk]) not in page.text
    refused = client.post(reverse("payments:approve", args=[run.pk]), follow=True)
    assert "Een collega moet hem goedkeuren" in refused.text
    run.refresh_from_db()
    assert run.status == RunStatus.DRAFT

    client.force_login(approver)
    page = client.get(reverse("payments:detail", args=[run.pk]))
    assert reverse("payments:approve", args=[run.pk]) in page.text
    client.post(reverse("payments:approve", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == RunStatus.APPROVED and run.approved_by == approver


def test_decide_export_download_and_book(client, backoffice, approver, run):
    client.force_login(backoffice)
    case = run.shortfalls.get()
    prefix = f"tekort-{case.pk}"
    bad = client.post(
        reverse("payments:decide", args=[run.pk, case.pk]),
        {f"{prefix}-choice": "pay_partially", f"{prefix}-reason": ""},
    )
    assert bad.status_code == 400
    client.post(
        reverse("payments:decide", args=[run.pk, case.pk]),
        {f"{prefix}-choice": "pay_partially", f"{prefix}-reason": "Huur gaat voor, rest later"},
    )
    proposal = Proposal.objects.get()
    client.force_login(approver)
    page = client.get(reverse("payments:detail", args=[run.pk]))
    assert "voorstel wacht op goedkeuring" in page.text
    assert reverse("approvals:approve", args=[proposal.pk]) in page.text
    client.post(reverse("payments:approve", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == RunStatus.DRAFT  # a proposal is pending
    client.post(reverse("approvals:approve", args=[proposal.pk]), {"confirm": "1"})
    client.post(reverse("payments:approve", args=[run.pk]))
    client.post(reverse("payments:export", args=[run.pk]), {"version": "03"})
    run.refresh_from_db()
    assert run.status == RunStatus.EXPORTED and run.pain_version == "03"
    payment_file = run.files.get()
    download = client.get(reverse("payments:download", args=[run.pk, payment_file.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    body = b"".join(download.streaming_content)
    assert b"pain.001.001.03" in body and run.instructions.first().end_to_end_id.encode() in body

    client.force_login(backoffice)
    client.post(reverse("payments:book", args=[run.pk]), {})
    run.refresh_from_db()
    assert run.status == RunStatus.EXPORTED  # not without the confirmation
    client.post(reverse("payments:book", args=[run.pk]), {"confirm": "on"})
    run.refresh_from_db()
    assert run.status == RunStatus.BOOKED
