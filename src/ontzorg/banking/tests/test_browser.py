"""In a real browser: a budgetbeheerder uploads a statement, reads the report, handles an
unmatched entry from the work queue by keyboard; axe-core finds no serious or critical
problem on the bank pages."""

import pytest

from ontzorg.conftest import assert_accessible, login
from ontzorg.participants.tests.factories import ParticipantFactory
from ontzorg.payments.models import DebtorAccount
from ontzorg_demo.camtgen import Detail, GenEntry

from .conftest import DEBTOR_IBAN, statement

pytestmark = pytest.mark.browser


def test_upload_report_and_work_queue_in_the_browser(
    browser_page, live_server, backoffice, region, regeling
):
    DebtorAccount.objects.create(region=region, name="Gemeente Zoetermeer", iban=DEBTOR_IBAN)
    amina = ParticipantFactory(regeling=regeling, first_name="Amina", last_name="Haile")
    data = statement(
        [
            GenEntry(
                84_217,
                servicer_ref="LOON-1",
                details=[
                    Detail(
                        debtor_name="Bakkerij De Korenschoof B.V.",
                        remittance_lines=["Salaris periode 11"],
                    )
                ],
            ),
            GenEntry(-250, servicer_ref="KOSTEN-1"),
        ]
    )
    page = browser_page
    login(page, live_server, backoffice)

    page.goto(f"{live_server.url}/bank/")
    assert page.get_by_text("Nog geen bankafschriften ingelezen").is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Afschrift inlezen").first.click()
    assert_accessible(page)
    page.get_by_label("Bankafschrift (camt.053 of camt.054, XML)").set_input_files(
        {"name": "afschrift-november.xml", "mimeType": "application/xml", "buffer": data}
    )
    page.get_by_role("button", name="Inlezen").click()
    page.get_by_role("heading", name="Verslag").wait_for()
    assert page.get_by_text("verwerkt", exact=True).is_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/bank/werkvoorraad/")
    assert page.get_by_text("2 posten.").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="post € 842,17 behandelen").click()
    assert_accessible(page)
    page.get_by_label("Zoek deelnemer op naam").fill("Haile")
    page.keyboard.press("Enter")
    participant = page.get_by_label("Deelnemer", exact=True)
    assert "Amina Haile" in participant.inner_text()
    participant.select_option(str(amina.pk))
    note = page.locator("#id_p-note")
    note.fill("Loonstrook november gecontroleerd")
    note.press("Enter")
    assert page.get_by_text("De post is aan de deelnemer gekoppeld.").is_visible()
    assert page.get_by_text("1 post.").is_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/bank/terugboekingen/")
    assert page.get_by_text("Geen openstaande terugboekingen").is_visible()
    assert_accessible(page)
