"""In Chromium: the main pages break no rule of the Content-Security-Policy (conf/base.py).

The policy allows scripts and styles only from the site's own static files, so an inline
<script>, a <style> block, a style="..." attribute, an onclick handler or htmx evaluating
code would each be refused by the browser. The browser reports every refusal as a
`securitypolicyviolation` event and on the console; this test collects both on each page."""

import pytest

from ontzorg.accounts.constants import RoleCode
from ontzorg.accounts.tests.factories import UserFactory
from ontzorg.conftest import login
from ontzorg.monitor import services as monitor
from ontzorg.monitor.tests.factories import AS_OF, MomentFactory, pilot
from ontzorg.payments import services as payments
from ontzorg.payments.tests.factories import PERIOD, debtor_account, ready_participant

pytestmark = pytest.mark.browser

# Runs in every document before the page's own scripts (Playwright's init script is not
# subject to the page's policy).
COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.effectiveDirective} refused ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile}:${event.lineNumber}`
  );
});
"""


def test_main_pages_break_no_content_security_rule(
    browser_page, live_server, region, regeling, municipality_org
):
    debtor_account(region)
    participant = ready_participant(regeling)
    ready_participant(regeling)
    preparer = UserFactory(role_code=RoleCode.BACKOFFICE, organisation=municipality_org)
    run = payments.prepare_run(preparer, region, PERIOD)
    projectleider = UserFactory(role_code=RoleCode.PROJECTLEIDER, organisation=municipality_org)
    pilot(regeling, n=4)
    monitor.build_snapshot(projectleider, MomentFactory(region=region), today=AS_OF)
    beheerder = UserFactory(
        username="csp",
        role_code=RoleCode.BEHEERDER,
        organisation=municipality_org,
        is_superuser=True,
        is_staff=True,
    )
    page = browser_page
    console = []
    page.on(
        "console",
        lambda message: (
            console.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.add_init_script(COLLECT_VIOLATIONS)
    login(page, live_server, beheerder)

    pages = [
        "/",
        "/deelnemers/",
        f"/deelnemers/{participant.pk}/",
        f"/plannen/deelnemer/{participant.pk}/",
        f"/traject/deelnemer/{participant.pk}/",
        f"/traject/deelnemer/{participant.pk}/vaste-lasten/",
        f"/metingen/deelnemer/{participant.pk}/",
        "/betalingen/",
        f"/betalingen/{run.pk}/",
        "/bank/",
        "/bank/inlezen/",
        "/monitor/",
        "/beheer/",
    ]
    found = {}
    for path in pages:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        # htmx fetches parts of some pages after loading (the run's payment list).
        page.wait_for_load_state("networkidle")
        violations = page.evaluate("window.__cspViolations") + console
        console.clear()
        if violations:
            found[path] = violations
        if path == "/monitor/":
            assert page.locator("svg[role=img]").count() > 0  # charts drawn, not left out
    assert not found, f"Content-Security-Policy violations: {found}"


def test_the_collector_sees_a_violation(browser_page, live_server, klantmanager):
    """The check above can fail: an inline style added to a page is reported."""
    page = browser_page
    page.add_init_script(COLLECT_VIOLATIONS)
    login(page, live_server, klantmanager)
    page.evaluate(
        "() => { const s = document.createElement('style');"
        " s.textContent = 'body { color: red; }'; document.head.append(s); }"
    )
    page.wait_for_function("window.__cspViolations.length > 0")
    assert "style-src" in page.evaluate("window.__cspViolations")[0]
