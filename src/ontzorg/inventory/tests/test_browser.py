"""In a real browser: a klantmanager records a debt and an IND compensation above the asset
limit, sees the check, and records a referral; axe-core finds no serious or critical problem
on the inventory page, the update page and the guidance page with its referrals."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ontzorg.conftest import assert_accessible, login
from ontzorg.participants.tests.factories import ParticipantFactory

pytestmark = pytest.mark.browser


def test_inventory_and_referral_in_the_browser(browser_page, live_server, klantmanager, regeling):
    today = timezone.localdate()
    yonas = ParticipantFactory(
        regeling=regeling, first_name="Yonas", last_name="Tesfaye", bijstand_start_on=today
    )
    page = browser_page
    login(page, live_server, klantmanager)

    page.goto(f"{live_server.url}/inventarisatie/deelnemer/{yonas.pk}/")
    assert_accessible(page)
    page.get_by_label("Soort schuldeiser").select_option("furnishing_loan")
    page.get_by_label("Bedrag van de schuld in euro").fill("-5")
    page.get_by_role("button", name="Schuld opslaan").click()
    assert page.get_by_role("alert").get_by_text("Een bedrag kan niet negatief zijn.").is_visible()
    page.get_by_label("Bedrag van de schuld in euro").fill("2150")
    page.get_by_role("button", name="Schuld opslaan").click()
    assert page.get_by_text("De schuld is vastgelegd.").is_visible()

    page.get_by_label("Soort vermogen").select_option("ind_compensation")
    page.get_by_label("Waarde in euro").fill("9000")
    page.get_by_label("Waarde op").fill((today - timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Vermogen opslaan").click()
    assert page.get_by_text("Boven de vermogensgrens").is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Bedragen bijwerken").click()
    assert_accessible(page)

    page.goto(f"{live_server.url}/begeleiding/deelnemer/{yonas.pk}/")
    page.get_by_label("Verwezen naar", exact=True).select_option("schuldhulp")
    page.get_by_label("Reden van de verwijzing").fill("Schuld aan het COA te hoog")
    page.get_by_role("button", name="Verwijzing opslaan").click()
    assert page.get_by_text("De verwijzing is vastgelegd.").is_visible()
    assert_accessible(page)
