"""The preferred language is recorded at intake and on the edit form, and the participant page
shows it, with "tolk nodig" when an interpreter is needed."""

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from ontzorg.participants.models import Participant
from ontzorg_demo.testdata import fake_bsn, fake_iban

pytestmark = pytest.mark.django_db


def intake_data(municipality, regeling, **changes):
    return {
        "regeling": regeling.pk,
        "municipality": municipality.pk,
        "street": "Dorpsstraat",
        "house_number": "12",
        "postcode": "2711ab",
        "first_name": "Samira",
        "last_name": "Osman",
        "bsn": fake_bsn(901),
        "date_of_birth": "1992-04-03",
        "gender": "v",
        "country_of_origin": "Eritrea",
        "languages": "Tigrinya",
        "literacy": "literate",
        "arrival_on": "2025-10-01",
        "bijstand_start_on": "2025-10-01",
        "iban": fake_iban(901),
        **changes,
    }


def test_intake_records_the_language_and_the_page_shows_it_with_the_interpreter(
    client, klantmanager, municipality, regeling
):
    client.force_login(klantmanager)
    data = intake_data(municipality, regeling, preferred_language="ti", needs_interpreter="on")
    response = client.post(reverse("participants:create"), data, follow=True)
    assert response.status_code == 200, response.context["form"].errors
    person = Participant.objects.get(last_name="Osman")
    assert (person.preferred_language, person.needs_interpreter) == ("ti", True)
    content = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("participants:detail", args=[person.pk])
    # In the page head, beside the name, and again among the facts.
    assert content.count('<bdi lang="ti">ትግርኛ</bdi>') == 2
    assert gettext("Interpreter needed") in content
    assert "tolk nodig" in content.lower()


def test_edit_changes_the_language_and_drops_the_interpreter(
    client, klantmanager, municipality, regeling
):
    client.force_login(klantmanager)
    data = intake_data(municipality, regeling, preferred_language="ti", needs_interpreter="on")
    client.post(reverse("participants:create"), data)
    person = Participant.objects.get(last_name="Osman")
    url = reverse("participants:edit", args=[person.pk])
    form = client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if name in form.fields and value}
    for name in ("case_worker", "guidance_organisation", "coach"):
        data[name] = getattr(person, f"{name}_id") or ""
    data.update(preferred_language="ar", needs_interpreter="")
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    person.refresh_from_db()
    assert (person.preferred_language, person.needs_interpreter) == ("ar", False)
    content = client.get(reverse("participants:detail", args=[person.pk])).content.decode()
    assert '<bdi lang="ar">العربية</bdi>' in content
    # The fact "tolk nodig: nee" stays; the badge beside the name goes.
    assert f'<span class="badge warn">{gettext("Interpreter needed")}</span>' not in content


def test_the_language_is_dutch_unless_chosen(client, klantmanager, municipality, regeling):
    client.force_login(klantmanager)
    client.post(reverse("participants:create"), intake_data(municipality, regeling))
    assert Participant.objects.get(last_name="Osman").preferred_language == "nl"
