"""In Chromium: the Zoetermeer journey of `test_journeys` (login, intake, the plan pages, the
payment run page, then the trajectory pages of the same participant: the evaluation form, a
hand-back in the afbouw, the household page and the mode page), with axe-core on every page
on the way: no serious or critical violations. The whole journey, month by month, is driven
over HTTP in `test_journeys`."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from ontzorg.conftest import assert_accessible, login
from ontzorg.core.dates import next_month
from ontzorg.participants.models import Participant

from .test_journeys import pilot

pytestmark = pytest.mark.browser


def _confirm(page):
    """Submit a plan form, check the confirmation page, confirm, land on the plan."""
    page.get_by_role("button", name="Controleren").click()
    page.wait_for_url(re.compile(r"/plannen/"))
    assert_accessible(page)
    page.get_by_role("button", name="Bevestigen en vastleggen").click()
    page.wait_for_url(re.compile(r"/plannen/deelnemer/\d+/$"))
    assert_accessible(page)


def test_zoetermeer_journey_in_the_browser(browser_page, live_server):
    z = pilot(
        "zoetermeer",
        "Zoetermeer",
        "Zoetermeer",
        package=["huur", "energie", "zorgverzekering"],
        instrument="Leefgebiedencheck financiën Zoetermeer",
        exclude_seniors=True,
        exclude_fulltime_students=True,
    )
    today = timezone.localdate()
    start = next_month(today)
    page = browser_page
    login(page, live_server, z.klantmanager)
    assert_accessible(page)

    # Intake.
    page.goto(f"{live_server.url}/deelnemers/nieuw/")
    assert_accessible(page)
    page.get_by_label("Gemeente", exact=True).select_option(label="Zoetermeer")
    page.get_by_label("Voornaam").fill("Amina")
    page.get_by_label("Achternaam").fill("Haddad")
    page.get_by_label("BSN").fill("111222333")
    page.get_by_label("Geboortedatum").fill("1990-05-04")
    page.get_by_label("vrouw").check()
    page.get_by_label("Land van herkomst").fill("Syrië")
    page.get_by_label("Vestiging in de gemeente").fill((today - timedelta(days=30)).isoformat())
    page.get_by_label("Start recht op bijstand").fill(start.isoformat())
    page.locator("[name=iban]").fill("NL91ABNA0417164300")
    page.get_by_role("button", name="Intake vastleggen").click()
    page.wait_for_url(re.compile(r"/deelnemers/\d+/$"))
    assert_accessible(page)
    amina = Participant.objects.get(bsn="111222333")
    assert page.get_by_text("Geschikt", exact=True).is_visible()

    # The plan pages: the plan, a line and its machtiging.
    plan = f"{live_server.url}/plannen/deelnemer/{amina.pk}"
    page.goto(f"{plan}/plan/")
    assert_accessible(page)
    _confirm(page)
    assert Participant.objects.get(pk=amina.pk).phase == "active"

    page.goto(f"{plan}/vaste-last/")
    assert_accessible(page)
    page.get_by_label("Kostensoort").select_option(label="Huur")
    page.get_by_label("Schuldeiser").select_option(label=z.creditors["huur"].name)
    page.get_by_label("Betalingskenmerk").fill("HUUR-2026-001")
    page.get_by_label("Bedrag per maand (€)").fill("700.00")
    page.get_by_label("Vanaf").fill(start.isoformat())
    _confirm(page)

    page.goto(f"{plan}/machtiging/")
    assert_accessible(page)
    page.get_by_label("Schuldeiser").select_option(label=z.creditors["huur"].name)
    page.get_by_label("Getekend op").fill(today.isoformat())
    _confirm(page)

    page.goto(f"{plan}/inkomen/")
    assert_accessible(page)
    page.get_by_label("Soort inkomen").select_option(label="Bijstandsuitkering")
    page.get_by_label("Bedrag per maand (€)").fill("1900.00")
    page.get_by_label("Vanaf").fill(start.isoformat())
    _confirm(page)

    # The run page, by the backoffice.
    page.context.clear_cookies()
    login(page, live_server, z.preparer)
    page.goto(f"{live_server.url}/betalingen/")
    assert_accessible(page)
    page.goto(
        f"{live_server.url}/betalingen/nieuw/?region={z.region.pk}"
        f"&month={start:%Y-%m}&pain_version=09"
    )
    assert_accessible(page)
    page.get_by_role("button", name="Betaalrun starten").click()
    page.wait_for_url(re.compile(r"/betalingen/\d+/$"))
    assert_accessible(page)
    assert page.get_by_text("vier-ogenprincipe").first.is_visible()

    # The trajectory pages of the same participant, by the klantmanager.
    page.context.clear_cookies()
    login(page, live_server, z.klantmanager)
    trajectory = f"{live_server.url}/traject/deelnemer/{amina.pk}/"
    page.goto(trajectory)
    assert_accessible(page)

    # The evaluation form, opened, and as it comes back when the decision is missing.
    page.get_by_text("Evaluatiegesprek en besluit vastleggen").click()
    assert page.get_by_label("Wat zegt de deelnemer?").is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Besluit vastleggen").click()
    page.wait_for_url(re.compile(r"/traject/deelnemer/\d+/evaluatie/"))
    assert page.get_by_role("alert").filter(has_text="Controleer het formulier").is_visible()
    assert_accessible(page)

    # Afbouw: the participant pays the rent herself from the second month.
    page.goto(trajectory)
    page.get_by_text("Een vaste last teruggeven").click()
    page.get_by_label("Welke vaste last betaalt de deelnemer voortaan zelf?").select_option(
        label=f"Huur · {z.creditors['huur'].name}"
    )
    page.get_by_label("Zelf betalen vanaf").fill(next_month(start).isoformat())
    assert_accessible(page)
    page.get_by_role("button", name="Teruggeven").click()
    page.wait_for_url(re.compile(r"/traject/deelnemer/\d+/(#.*)?$"))
    assert page.get_by_text("Afbouw stap 1").first.is_visible()
    assert_accessible(page)
    assert Participant.objects.get(pk=amina.pk).phase == "phase_out"

    # The household page and its form to add a member.
    page.goto(f"{live_server.url}/deelnemers/{amina.pk}/huishouden/")
    assert_accessible(page)
    page.goto(f"{live_server.url}/deelnemers/{amina.pk}/huishouden/toevoegen/")
    assert_accessible(page)

    # The mode of ontzorgen for this one participant.
    page.goto(f"{plan}/vorm/")
    assert_accessible(page)
    assert page.get_by_role("heading", name="Vorm van ontzorgen wijzigen").is_visible()
