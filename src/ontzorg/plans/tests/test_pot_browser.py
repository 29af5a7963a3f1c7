"""In Chromium: a case worker creates a savings pot, a run fills it, the back office proposes a
payout and a colleague approves it; axe-core finds no serious or critical violation on the
plan page (pots, balances, forecast and booked per month) nor on the forms on the way."""

import re

import pytest
from django.utils import timezone

from ontzorg.accounts.constants import RoleCode
from ontzorg.accounts.tests.factories import UserFactory
from ontzorg.approvals.models import Proposal, ProposalStatus
from ontzorg.conftest import assert_accessible, login
from ontzorg.core.dates import add_months
from ontzorg.participants.tests.factories import ParticipantFactory
from ontzorg.payments import services as payments
from ontzorg.payments.tests.factories import debtor_account
from ontzorg.plans.models import PotPayout
from ontzorg.regelingen.tests.factories import RegelingFactory

from .factories import IncomeFactory, MachtigingFactory, PlanFactory, PlanLineFactory

pytestmark = pytest.mark.browser


def _confirm(page):
    page.get_by_role("button", name="Controleren").click()
    page.wait_for_url(re.compile(r"/plannen/"))
    assert_accessible(page)
    page.get_by_role("button", name="Bevestigen en vastleggen").click()
    page.wait_for_url(re.compile(r"/plannen/deelnemer/\d+/$"))
    assert_accessible(page)


def test_pot_and_payout_in_the_browser(browser_page, live_server, region, municipality_org):
    month = timezone.localdate().replace(day=1)
    debtor_account(region)
    regeling = RegelingFactory(region=region, has_savings_pots=True)
    participant = ParticipantFactory(regeling=regeling)
    plan = PlanFactory(participant=participant, start_on=month, planned_end_on=add_months(month, 6))
    MachtigingFactory(line=PlanLineFactory(plan=plan, amount_cents=65_000), signed_on=month)
    IncomeFactory(participant=participant, amount_cents=130_061, valid_from=month)

    def user(name, role):
        return UserFactory(username=name, role_code=role, organisation=municipality_org)

    klantmanager = user("km", RoleCode.KLANTMANAGER)
    preparer, proposer, colleague = (user(n, RoleCode.BACKOFFICE) for n in ("bo", "bo2", "bo3"))
    page = browser_page
    url = f"{live_server.url}/plannen/deelnemer/{participant.pk}/"

    login(page, live_server, klantmanager)
    page.goto(f"{url}spaarpot/")
    assert_accessible(page)
    page.get_by_label("Naam van de spaarpot").fill("Wasmachine")
    page.get_by_label("Spaardoel (€)").fill("400.00")
    page.get_by_label("Per maand opzij zetten (€)").fill("100.00")
    _confirm(page)
    assert page.get_by_text("Wasmachine").first.is_visible()

    run = payments.prepare_run(preparer, region, month)
    payments.approve_run(colleague, run)
    payments.export_run(colleague, run)
    payments.book_run(preparer, run)

    page.context.clear_cookies()
    login(page, live_server, proposer)
    page.goto(url)
    assert page.get_by_label("25% van € 400,00").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Uitbetalen uit Wasmachine").click()
    assert_accessible(page)
    page.get_by_label("Bedrag (€)").fill("60.00")
    page.locator("[name=reason]").fill("Aanbetaling op de nieuwe wasmachine")
    _confirm(page)
    assert page.get_by_text("Uw voorstel: een collega keurt het goed.").is_visible()

    page.context.clear_cookies()
    login(page, live_server, colleague)
    page.goto(url)
    page.get_by_role("link", name=re.compile("^Goedkeuren")).click()
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("goedkeuren", re.IGNORECASE)).click()
    assert Proposal.objects.get().status == ProposalStatus.APPROVED
    assert PotPayout.objects.get().amount_cents == 6_000
    page.goto(url)
    assert page.get_by_text("goedgekeurd, wacht op de betaalrun").is_visible()
    assert_accessible(page)
