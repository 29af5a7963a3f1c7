"""The "what works for whom" page in a real browser: reached from the dashboard, its choice
of outcome and characteristic applied, charts drawn, checked by axe-core."""

from datetime import date

import pytest

from ontzorg.conftest import assert_accessible, login
from ontzorg.monitor import services
from ontzorg.monitor.tests.factories import AS_OF, MomentFactory, pilot
from ontzorg.monitor.tests.test_comparison import register
from ontzorg.participants.tests.factories import case_worker_for


@pytest.mark.browser
def test_what_works_is_accessible(db, browser_page, live_server, regeling, projectleider):
    pilot(regeling, n=6)
    regeling.exclude_seniors = True
    regeling.save()
    staff = case_worker_for(regeling)
    for number in range(5):  # too old: a comparison group of five
        register(staff, regeling, number, date_of_birth=date(1950, 1, 1))
    services.build_snapshot(projectleider, MomentFactory(region=regeling.region), today=AS_OF)
    page = browser_page
    login(page, live_server, projectleider)
    page.goto(f"{live_server.url}/monitor/")
    page.get_by_role("link", name="Wat werkt voor wie").click()
    page.get_by_role("heading", name="Resultaten per vergelijkingsgroep").wait_for()
    page.get_by_label("Vergelijken naar").select_option("literacy")
    page.get_by_role("button", name="Groepen vergelijken").click()
    page.get_by_role(
        "heading", name="Aandeel met uitstroom naar werk, naar geletterdheid"
    ).wait_for()
    assert page.locator("svg[role=img] title").count() == 2
    assert "niet geschikt" in page.locator("main").inner_text()
    assert_accessible(page)
