"""Acceptance: a participant logs in through the mock DigiD, switches to Arabic and Tigrinya,
sees their own overview and not another participant's; right to left for Arabic; axe finds no
serious or critical problem in nl, ar and ti; no sideways scrolling at phone width."""

from pathlib import Path

import pytest

from ontzorg.conftest import assert_accessible

SCREENSHOTS = Path(__file__).resolve().parents[4] / "var" / "screenshots"


def _no_sideways_scrolling(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.browser
def test_participant_reads_their_page_in_three_languages(browser_page, live_server, world):
    page = browser_page
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(f"{live_server.url}/mijn/")
    page.get_by_role("link", name="Inloggen met DigiD").click()
    # The mock DigiD: choose "log in with username/password", then type the BSN.
    page.wait_for_url("**/mijn/digid-mock/inloggen/**")
    page.locator("a[href*='inloggen_bsn']").first.click()
    page.locator("input[name='auth_bsn']").fill(world.participant.bsn)
    page.locator("#submit-button").click()
    page.wait_for_url("**/mijn/overzicht/")

    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.get_by_role("heading", level=1).inner_text() == "Hallo Amanuel"
    body = page.locator("body").inner_text()
    assert world.other.last_name not in body
    assert "Huisgenootnaam" not in body
    assert_accessible(page)
    assert _no_sideways_scrolling(page)

    page.get_by_role("button", name="العربية").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    assert "مرحبًا Amanuel" in page.get_by_role("heading", level=1).inner_text()
    assert world.other.last_name not in page.locator("body").inner_text()
    assert_accessible(page)
    assert _no_sideways_scrolling(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "portal-ar-375.png"), full_page=True)

    page.get_by_role("button", name="ትግርኛ").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "ti"
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert "ሰላም Amanuel" in page.get_by_role("heading", level=1).inner_text()
    assert world.other.last_name not in page.locator("body").inner_text()
    assert_accessible(page)
    assert _no_sideways_scrolling(page)
    page.screenshot(path=str(SCREENSHOTS / "portal-ti-375.png"), full_page=True)
