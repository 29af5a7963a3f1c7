"""In Chromium: a run holds back the leefgeld of a participant whose name is only in Arabic
script; the back office follows the run page's link, proposes the suggested Latin name, a
colleague approves it and the payment joins the run. axe-core finds no serious or critical
violation on the run page, the account page or the plan page with a high-amount tick."""

import re

import pytest

from ontzorg.accounts.constants import RoleCode
from ontzorg.accounts.tests.factories import UserFactory
from ontzorg.conftest import assert_accessible, login
from ontzorg.payments import services
from ontzorg.payments.constants import InstructionKind

from .factories import PERIOD, debtor_account, ready_participant

pytestmark = pytest.mark.browser


def test_a_held_back_name_is_fixed_in_the_browser(
    browser_page, live_server, region, regeling, municipality_org
):
    debtor_account(region)
    amal = ready_participant(regeling, first_name="أمل", last_name="يوسف")
    ready_participant(regeling)

    def user(name):
        return UserFactory(
            username=name, role_code=RoleCode.BACKOFFICE, organisation=municipality_org
        )

    preparer, colleague = user("bo"), user("bo2")
    run = services.prepare_run(preparer, region, PERIOD)
    page = browser_page

    login(page, live_server, preparer)
    page.goto(f"{live_server.url}/betalingen/{run.pk}/")
    assert page.get_by_role("heading", name="Tegengehouden betalingen").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("^Rekeninggegevens aanpassen")).click()
    assert_accessible(page)
    name = page.get_by_label("Naam rekeninghouder")
    assert name.input_value() == "'Ml Ywsf"
    name.fill("Amal Youssef")  # as on her bank card
    page.get_by_role("button", name="Wijziging voorstellen").click()
    assert page.get_by_text("Wijziging die wacht op goedkeuring").is_visible()
    assert_accessible(page)

    page.context.clear_cookies()
    login(page, live_server, colleague)
    page.goto(f"{live_server.url}/voorstellen/")
    page.get_by_role("link", name=re.compile("^Rekeninggegevens van")).click()
    assert page.get_by_text("— → Amal Youssef").first.is_visible()  # before → after
    page.get_by_role("link", name=re.compile("^Goedkeuren")).click()
    page.get_by_role("button", name=re.compile("goedkeuren", re.IGNORECASE)).click()
    amal.refresh_from_db()
    assert amal.account_holder_name == "Amal Youssef"

    page.context.clear_cookies()
    login(page, live_server, preparer)
    page.goto(f"{live_server.url}/betalingen/{run.pk}/")
    page.get_by_role("button", name="Opnieuw controleren").click()
    assert page.get_by_text("alsnog in de run").is_visible()
    assert_accessible(page)
    assert run.instructions.get(participant=amal, kind=InstructionKind.ALLOWANCE).name == (
        "Amal Youssef"
    )


def test_a_high_amount_asks_for_a_tick_in_the_browser(
    browser_page, live_server, regeling, municipality_org
):
    from ontzorg.participants.tests.factories import ParticipantFactory
    from ontzorg.plans.tests.factories import CreditorFactory, PlanFactory

    plan = PlanFactory(participant=ParticipantFactory(regeling=regeling))
    CreditorFactory(name="Woonstichting Hoog")
    klantmanager = UserFactory(
        username="km", role_code=RoleCode.KLANTMANAGER, organisation=municipality_org
    )
    page = browser_page
    login(page, live_server, klantmanager)
    page.goto(f"{live_server.url}/plannen/deelnemer/{plan.participant_id}/vaste-last/")
    page.get_by_label("Kostensoort").select_option("huur")
    page.get_by_label("Schuldeiser").select_option(label="Woonstichting Hoog")
    page.get_by_label("Betalingskenmerk").fill("H-1")
    page.get_by_label("Bedrag per maand (€)").fill("2000.00")
    page.get_by_label("Vanaf").fill("2025-09-01")
    page.get_by_role("button", name="Controleren").click()
    assert page.locator("p.error", has_text="is hoger dan gebruikelijk").is_visible()
    assert_accessible(page)
    page.get_by_label("Ik heb het bedrag gecontroleerd: het klopt").check()
    page.get_by_role("button", name="Controleren").click()
    page.get_by_role("button", name="Bevestigen en vastleggen").click()
    page.wait_for_url(re.compile(r"/plannen/deelnemer/\d+/$"))
    assert plan.lines.get().amount_on(plan.start_on) == 200_000
