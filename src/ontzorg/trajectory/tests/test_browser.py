"""In a real browser: one participant from intake through the nulmeting, a contact, an
eindmeting at exit level and the end decision; the timeline on the participant page shows
each step, and axe-core finds no serious or critical problem on the pages on the way."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from ontzorg.conftest import assert_accessible, login
from ontzorg.participants.models import Participant
from ontzorg.plans import services as plans
from ontzorg.regelingen.tests.factories import InstrumentFactory, MunicipalityFactory
from ontzorg_demo.testdata import fake_bsn

pytestmark = pytest.mark.browser


def test_from_intake_to_the_end_decision(browser_page, live_server, klantmanager, regeling):
    MunicipalityFactory(region=regeling.region, name="Zoetermeer")
    regeling.instruments.add(InstrumentFactory(name="ZRM Financiën"))
    today = timezone.localdate()
    start = today - timedelta(days=170)
    bsn = fake_bsn(4242)
    page = browser_page
    login(page, live_server, klantmanager)

    # Intake.
    page.goto(f"{live_server.url}/deelnemers/nieuw/")
    page.get_by_label("Gemeente", exact=True).select_option(label="Zoetermeer")
    page.get_by_label("Voornaam").fill("Nour")
    page.get_by_label("Achternaam").fill("Khalil")
    page.get_by_label("BSN").fill(bsn)
    page.get_by_label("Geboortedatum").fill("1991-03-14")
    page.get_by_label("vrouw").check()
    page.get_by_label("Land van herkomst").fill("Syrië")
    page.get_by_label("Vestiging in de gemeente").fill(start.isoformat())
    page.get_by_label("Start recht op bijstand").fill(start.isoformat())
    page.get_by_role("button", name="Intake vastleggen").click()
    page.wait_for_url(re.compile(r"/deelnemers/\d+/$"))
    nour = Participant.objects.get(bsn=bsn)
    assert_accessible(page)
    # The plan is made on the plan pages (tested there); here it starts with the bijstand.
    plans.create_plan(klantmanager, nour, start_on=start)

    # Nulmeting and, later, an eindmeting at exit level.
    page.goto(f"{live_server.url}/metingen/deelnemer/{nour.pk}/")
    for moment, day, level in [
        ("nulmeting", start + timedelta(days=2), "2. niet zelfredzaam"),
        ("eindmeting", today - timedelta(days=2), "4. voldoende zelfredzaam"),
    ]:
        page.get_by_label("Moment").select_option(moment)
        page.get_by_label("Datum van de meting").fill(day.isoformat())
        page.get_by_label("Niveau", exact=True).select_option(label=f"ZRM Financiën: {level}")
        page.get_by_label("klantmanager", exact=True).check()
        page.get_by_role("button", name="Meting opslaan").click()
        assert page.get_by_text("De meting is vastgelegd.").is_visible()
        if moment == "nulmeting":
            # A home visit between the two measurements.
            page.goto(f"{live_server.url}/begeleiding/deelnemer/{nour.pk}/")
            page.get_by_label("Soort contact").select_option("home_visit")
            page.get_by_label("Datum", exact=True).first.fill(
                (today - timedelta(days=60)).isoformat()
            )
            page.get_by_label("Duur in minuten").fill("45")
            page.get_by_role("button", name="Contact opslaan").click()
            assert page.get_by_text("Het contact is vastgelegd.").is_visible()
            page.goto(f"{live_server.url}/metingen/deelnemer/{nour.pk}/")

    # The evaluation: the latest measurement beside the decision, then the end.
    page.goto(f"{live_server.url}/traject/deelnemer/{nour.pk}/")
    assert page.get_by_text("Exitniveau bereikt", exact=True).is_visible()
    assert_accessible(page)
    page.get_by_label("Wat zegt de deelnemer?").fill("Ik betaal mijn rekeningen zelf op tijd.")
    page.get_by_label("Wat zegt de klantmanager?").fill("Geen achterstanden, post op orde.")
    page.get_by_label("ontzorgen beëindigen").check()
    page.get_by_label("Reden van het besluit").fill("Exitniveau bereikt en zelf betalen lukt.")
    page.get_by_role("button", name="Besluit vastleggen").click()
    assert page.get_by_text("De evaluatie is vastgelegd: ontzorgen beëindigen.").is_visible()
    assert_accessible(page)

    # The timeline on the participant page, in date order.
    page.goto(f"{live_server.url}/deelnemers/{nour.pk}/")
    items = page.locator(".timeline-item").all_inner_texts()
    steps = [
        "Ontzorgplan gestart",
        "Nulmeting: niet zelfredzaam",
        "Contact: huisbezoek (45 minuten)",
        "Eindmeting: voldoende zelfredzaam",
        "Evaluatie: ontzorgen beëindigen",
        "Nazorg tot en met",
    ]
    found = [next(i for i, text in enumerate(items) if step in text) for step in steps]
    assert found == sorted(found), items
    assert any("Intake vastgelegd" in text for text in items)
    assert_accessible(page)

    for path in [f"/traject/deelnemer/{nour.pk}/vaste-lasten/", "/traject/deze-week/"]:
        page.goto(live_server.url + path)
        assert_accessible(page)
