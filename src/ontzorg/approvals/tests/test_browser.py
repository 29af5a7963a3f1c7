"""In a real browser: one back-office user proposes a shortfall decision on the run page, a
second approves the proposal, the first is refused when approving the run, the second
approves it; axe-core finds no serious or critical problem on the proposal and run pages."""

import re

import pytest

from ontzorg.approvals.tests.helpers import colleague_of
from ontzorg.conftest import assert_accessible, login
from ontzorg.payments import services
from ontzorg.payments.constants import RunStatus
from ontzorg.payments.models import PaymentRun
from ontzorg.payments.tests.factories import PERIOD

pytestmark = pytest.mark.browser


def logout(page):
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url("**/inloggen/**")


def test_propose_approve_and_the_run_stays_with_someone_else(
    browser_page, live_server, backoffice, region, ready_region
):
    preparer = backoffice
    first, second = colleague_of(preparer, "bo-een"), colleague_of(preparer, "bo-twee")
    run = services.prepare_run(preparer, region, PERIOD)
    run_url = f"{live_server.url}/betalingen/{run.pk}/"
    page = browser_page

    # User 1 proposes a decision on the shortfall from the run page.
    login(page, live_server, first)
    page.goto(run_url)
    assert_accessible(page)
    page.get_by_label("Toeslagen of bijzondere bijstand meetellen").check()
    page.get_by_label("Extra inkomen deze maand (euro)").fill("300")
    page.get_by_label("Reden").fill("Zorgtoeslag van november telt mee")
    page.get_by_role("button", name="Besluit voorstellen").click()
    assert page.get_by_text("Een collega moet het goedkeuren.").is_visible()
    assert page.get_by_text("voorstel wacht op goedkeuring").is_visible()
    assert page.get_by_text("Uw voorstel: een collega keurt het goed.").is_visible()
    assert_accessible(page)
    logout(page)

    # User 2 approves it from the list of proposals, after a confirmation step.
    login(page, live_server, second)
    page.get_by_role("link", name="Voorstellen").click()
    page.get_by_role("heading", name="Voorstellen", exact=True).wait_for()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("tekort .* extra inkomen")).click()
    assert page.get_by_text("Zorgtoeslag van november telt mee").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Goedkeuren").click()
    page.get_by_role("heading", name="Bevestigen: voorstel goedkeuren").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Bevestigen en goedkeuren").click()
    assert page.get_by_text("Het voorstel is goedgekeurd en uitgevoerd.").is_visible()
    assert_accessible(page)
    logout(page)

    # User 1 cannot approve the run: they proposed something for it.
    login(page, live_server, first)
    page.goto(run_url)
    assert page.get_by_text(f"goedgekeurd door {second}", exact=False).is_visible()
    page.get_by_role("button", name="Goedkeuren").click()
    assert page.get_by_text("zelf iets voorgesteld", exact=False).is_visible()
    assert_accessible(page)
    assert PaymentRun.objects.get(pk=run.pk).status == RunStatus.DRAFT
    logout(page)

    # User 2 approved the proposal, proposed nothing: they may approve the run.
    login(page, live_server, second)
    page.goto(run_url)
    page.get_by_role("button", name="Goedkeuren").click()
    assert page.get_by_text("De betaalrun is goedgekeurd.").is_visible()
    assert_accessible(page)
    run.refresh_from_db()
    assert run.status == RunStatus.APPROVED and run.approved_by == second
