"""The name as the bank knows it at intake: filled in from a Latin name, asked for (with a
suggestion) when the name is in another script, without blocking the intake; after the
intake it changes only through 'Rekeninggegevens begunstigde' (four eyes)."""

import pytest
from django.urls import reverse

from ontzorg.participants.models import Participant
from ontzorg.regelingen.tests.factories import MunicipalityFactory

from .test_views import intake_data

pytestmark = pytest.mark.django_db
CREATE = reverse("participants:create")


@pytest.fixture
def municipality(region):
    return MunicipalityFactory(name="Zoetermeer", region=region)


@pytest.fixture
def km_client(client, klantmanager):
    client.force_login(klantmanager)
    return client


def test_a_latin_name_becomes_the_account_holder_name(km_client, municipality, regeling):
    data = intake_data(municipality, regeling, first_name="Hélène", last_name="Ğül")
    assert km_client.post(CREATE, data).status_code == 302
    person = Participant.objects.get(bsn=data["bsn"])
    assert person.full_name == "Hélène Ğül"
    assert person.account_holder_name == "Helene Gul"


def test_a_name_in_another_script_gets_a_suggestion_once(km_client, municipality, regeling):
    data = intake_data(municipality, regeling, first_name="ሰላም", last_name="ተስፋይ")
    response = km_client.post(CREATE, data)
    assert response.status_code == 400
    assert not Participant.objects.exists()
    text = response.content.decode()
    assert "Wij stellen voor: Selam Tesfay." in text
    form = response.context["form"]
    assert form["account_holder_name"].value() == "Selam Tesfay"
    assert form.account_holder_name_asked

    # The case worker confirms the suggestion (or corrects it).
    confirmed = {**data, "account_holder_name": "Selam Tesfay", form.ASKED: "1"}
    assert km_client.post(CREATE, confirmed).status_code == 302
    person = Participant.objects.get(bsn=data["bsn"])
    assert (person.full_name, person.account_holder_name) == ("ሰላም ተስፋይ", "Selam Tesfay")


def test_the_intake_goes_on_without_the_name(km_client, municipality, regeling):
    data = intake_data(municipality, regeling, first_name="محمد", last_name="Ali")
    km_client.post(CREATE, data)
    response = km_client.post(
        CREATE, {**data, "account_holder_name": "", "naam_bank_gevraagd": "1"}
    )
    assert response.status_code == 302
    assert Participant.objects.get(bsn=data["bsn"]).account_holder_name == ""


def test_a_typed_name_outside_the_set_is_refused_with_a_suggestion(
    km_client, municipality, regeling
):
    data = intake_data(municipality, regeling, account_holder_name="Ahmed محمد")
    response = km_client.post(CREATE, data)
    assert response.status_code == 400
    assert "Voorstel: Ahmed Mhmd." in response.content.decode()
    assert not Participant.objects.exists()


def test_the_edit_form_no_longer_changes_the_account(km_client, municipality, regeling):
    data = intake_data(municipality, regeling)
    km_client.post(CREATE, data)
    person = Participant.objects.get(bsn=data["bsn"])
    url = reverse("participants:edit", args=[person.pk])
    form = km_client.get(url).context["form"]
    assert "iban" not in form.fields and "account_holder_name" not in form.fields
    km_client.post(url, {**data, "iban": "NL44RABO0123456789", "account_holder_name": "X Y"})
    person.refresh_from_db()
    assert (person.iban, person.account_holder_name) == (data["iban"], "Samira Osman")
