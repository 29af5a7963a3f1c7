"""In a real browser: a klantmanager records a nulmeting and an eindmeting at exit level, sees
the chart and the indication, records a contact; axe-core finds no serious or critical
problem on the measurement and guidance pages."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ontzorg.conftest import assert_accessible, login
from ontzorg.participants.tests.factories import ParticipantFactory
from ontzorg.regelingen.tests.factories import InstrumentFactory

pytestmark = pytest.mark.browser


def test_measurements_and_contact_in_the_browser(browser_page, live_server, klantmanager, regeling):
    zrm = InstrumentFactory(name="ZRM Financiën")
    regeling.instruments.add(zrm)
    today = timezone.localdate()
    amina = ParticipantFactory(
        regeling=regeling,
        first_name="Amina",
        last_name="Haddad",
        bijstand_start_on=today - timedelta(days=170),
    )
    page = browser_page
    login(page, live_server, klantmanager)

    page.goto(f"{live_server.url}/metingen/deelnemer/{amina.pk}/")
    assert_accessible(page)
    for moment, day, level in [
        ("nulmeting", today - timedelta(days=165), "2. niet zelfredzaam"),
        ("eindmeting", today - timedelta(days=3), "4. voldoende zelfredzaam"),
    ]:
        page.get_by_label("Moment").select_option(moment)
        page.get_by_label("Datum van de meting").fill(day.isoformat())
        page.get_by_label("Niveau", exact=True).select_option(label=f"ZRM Financiën: {level}")
        page.get_by_label("klantmanager", exact=True).check()
        page.get_by_role("button", name="Meting opslaan").click()
        assert page.get_by_text("De meting is vastgelegd.").is_visible()

    assert page.get_by_role("img", name="ZRM Financiën: niveau per meting").is_visible()
    assert page.get_by_text("Exitniveau bereikt", exact=True).is_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/begeleiding/deelnemer/{amina.pk}/")
    page.get_by_label("Soort contact").select_option("home_visit")
    page.get_by_label("Datum", exact=True).first.fill(today.isoformat())
    page.get_by_label("Duur in minuten").fill("45")
    page.get_by_role("button", name="Contact opslaan").click()
    assert page.get_by_text("Het contact is vastgelegd.").is_visible()
    assert page.get_by_text("0,8 uur").first.is_visible()
    assert_accessible(page)

    for path in ["/metingen/agenda/", "/begeleiding/activiteiten/", "/begeleiding/uren/"]:
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page)
