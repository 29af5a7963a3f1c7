"""The dashboard, export, moments and caseload pages in a real browser, checked by axe-core."""

import pytest

from ontzorg.conftest import assert_accessible, login
from ontzorg.monitor import services
from ontzorg.monitor.tests.factories import AS_OF, MomentFactory, pilot


@pytest.mark.browser
def test_monitor_pages_are_accessible(db, browser_page, live_server, regeling, projectleider):
    pilot(regeling, n=6)
    services.build_snapshot(projectleider, MomentFactory(region=regeling.region), today=AS_OF)
    page = browser_page
    login(page, live_server, projectleider)
    page.goto(f"{live_server.url}/monitor/")
    page.get_by_role("heading", name="Zelfredzaamheid: van nulmeting naar nu").wait_for()
    assert page.locator("svg[role=img] title").count() >= 8
    assert_accessible(page)
    page.get_by_role("link", name="Evaluatie-export").first.click()
    page.get_by_role("heading", name="Evaluatie-export", level=1).wait_for()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Exporteren").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    page.goto(f"{live_server.url}/monitor/meetmomenten/")
    assert_accessible(page)
    page.goto(f"{live_server.url}/monitor/caseload/")
    assert_accessible(page)
