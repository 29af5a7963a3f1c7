"""Acceptance on the demo: a participant of the demo, as `manage.py demo_logins` names them,
logs in through the mock DigiD, reads their page in Arabic and in Tigrinya, and sees their own
overview and nobody else's."""

from io import StringIO

import pytest
from django.core.management import call_command

from ontzorg.conftest import FROZEN_NOW, assert_accessible
from ontzorg.participants.models import Participant
from ontzorg.portal.services import find_participant


def _demo_bsn(language: str) -> str:
    out = StringIO()
    call_command("demo_logins", stdout=out)
    line = next(line for line in out.getvalue().splitlines() if f"({language}): " in line)
    return line.rsplit(" ", 1)[1]


@pytest.mark.browser
def test_a_demo_participant_reads_their_own_page_in_arabic_and_tigrinya(
    browser_page, live_server, frozen_clock
):
    frozen_clock.move_to(FROZEN_NOW)
    call_command("load_demo", stdout=StringIO())
    participant, refusal = find_participant(_demo_bsn("ar"))
    assert refusal == "" and participant.preferred_language == "ar"
    neighbours = Participant.objects.filter(regeling__region=participant.regeling.region).exclude(
        household=participant.household
    )
    others = {p.last_name for p in neighbours if p.last_name not in participant.full_name}
    assert others

    page = browser_page
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(f"{live_server.url}/mijn/")
    page.get_by_role("link", name="Inloggen met DigiD").click()
    page.wait_for_url("**/mijn/digid-mock/inloggen/**")
    page.locator("a[href*='inloggen_bsn']").first.click()
    page.locator("input[name='auth_bsn']").fill(participant.bsn)
    page.locator("#submit-button").click()
    page.wait_for_url("**/mijn/overzicht/")

    # The participant's own language first, from the intake.
    assert page.locator("html").get_attribute("lang") == "ar"
    assert page.locator("html").get_attribute("dir") == "rtl"
    for language, direction in (("العربية", "rtl"), ("ትግርኛ", "ltr")):
        page.get_by_role("button", name=language).click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("dir") == direction
        heading = page.get_by_role("heading", level=1).inner_text()
        assert participant.first_name in heading
        body = page.locator("body").inner_text()
        assert not [name for name in others if name in body]
        assert_accessible(page)
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
