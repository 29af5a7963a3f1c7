"""In a real browser: a klantmanager logs in, searches a participant with the live search and
opens the detail page; axe-core finds no serious or critical problem on any page visited."""

import re

import pytest
from playwright.sync_api import expect

from ontzorg.conftest import assert_accessible, login
from ontzorg.participants.constants import Phase
from ontzorg.participants.tests.factories import ParticipantFactory, participant_in
from ontzorg.regelingen.constants import SelectionMethod
from ontzorg.regelingen.tests.factories import MunicipalityFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def caseload(regeling, klantmanager, partner_org):
    municipality = MunicipalityFactory(name="Zoetermeer", region=regeling.region)
    people = [
        participant_in(
            phase,
            first_name=first,
            last_name=last,
            regeling=regeling,
            household__municipality=municipality,
            case_worker=klantmanager,
            guidance_organisation=partner_org,
        )
        for first, last, phase in [
            ("Amina", "Haddad", Phase.ACTIVE),
            ("Yonas", "Tesfay", Phase.INTAKE),
            ("Samira", "Osman", Phase.CANDIDATE),
        ]
    ]
    ParticipantFactory.create_batch(30, regeling=regeling, household__municipality=municipality)
    return people


def test_klantmanager_searches_and_opens_a_participant(
    browser_page, live_server, klantmanager, caseload
):
    page = browser_page
    samira = caseload[2]
    login(page, live_server, klantmanager)
    assert page.get_by_role("heading", name="Overzicht", level=1).is_visible()
    assert_accessible(page)

    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Deelnemers").click()
    page.wait_for_url(re.compile(r"/deelnemers/$"))
    assert (
        page.get_by_role("link", name="Deelnemers", exact=True).get_attribute("aria-current")
        == "page"
    )
    assert_accessible(page)

    # Live search: typing is enough, htmx posts the search and swaps the table; the search
    # stays out of the URL (a BSN must never be in one).
    page.get_by_role("searchbox", name="Zoeken").fill("osm")
    # A locator wait, not wait_for_function: the CSP forbids evaluating strings.
    expect(page.locator("#resultaten tbody tr")).to_have_count(1)
    assert page.locator("#aantal").inner_text().startswith("1 deelnemer gevonden")
    assert "osm" not in page.url
    assert_accessible(page)

    page.get_by_role("link", name="Osman, Samira").click()
    page.wait_for_url(re.compile(rf"/deelnemers/{samira.pk}/$"))
    assert page.get_by_role("heading", name=re.compile("Samira Osman"), level=1).is_visible()
    assert page.get_by_text(samira.bsn).is_visible()
    assert page.get_by_role("heading", name="Geschiktheid").is_visible()
    assert_accessible(page)


def test_other_pages_are_accessible(browser_page, live_server, klantmanager, caseload, regeling):
    regeling.selection_method = SelectionMethod.RANDOM
    regeling.target_participants = 2
    regeling.save()
    page = browser_page
    login(page, live_server, klantmanager)
    for path in [
        "/deelnemers/nieuw/",
        f"/deelnemers/{caseload[0].pk}/wijzigen/",
        "/deelnemers/loting/",
    ]:
        page.goto(live_server.url + path)
        assert_accessible(page)

    # The intake form with errors, and the lottery through confirmation to the check.
    page.goto(live_server.url + "/deelnemers/nieuw/")
    page.get_by_role("button", name="Intake vastleggen").click()
    assert page.get_by_role("alert").is_visible()
    assert_accessible(page)

    page.goto(live_server.url + "/deelnemers/loting/")
    page.get_by_label("Aantal deelnemers").fill("1")
    page.get_by_role("button", name="Verder naar bevestigen").click()
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("Ja, trek nu")).click()
    page.get_by_role("button", name="Controleer deze trekking").click()
    assert page.get_by_text("De trekking klopt.").is_visible()
    assert_accessible(page)


def test_keyboard_user_can_skip_to_the_content(browser_page, live_server, klantmanager, caseload):
    page = browser_page
    login(page, live_server, klantmanager)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Naar de inhoud")
    assert skip.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "inhoud"
