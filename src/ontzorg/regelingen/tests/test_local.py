"""A municipality's own settings within its region's regeling (``regelingen.local``): its
own benefit pay day and weekly allowance day count for its participants, wherever the
settings are read (payment run, letters); the others keep the regeling's."""

import pytest
from django.urls import reverse

from ontzorg.letters import documents
from ontzorg.participants.tests.factories import HouseholdFactory
from ontzorg.payments import services as payments
from ontzorg.payments.constants import InstructionKind
from ontzorg.payments.tests.factories import PERIOD, debtor_account, ready_participant
from ontzorg.regelingen import local
from ontzorg.regelingen.constants import Weekday
from ontzorg.regelingen.models import Municipality
from ontzorg.regelingen.tests.factories import MunicipalityFactory


@pytest.fixture
def towns(regeling):
    regeling.benefit_payment_day = 1
    regeling.save()
    edam = MunicipalityFactory(name="Edam-Volendam", region=regeling.region, is_lead=True)
    waterland = MunicipalityFactory(
        name="Waterland", region=regeling.region, benefit_payment_day=20
    )
    return edam, waterland


def _person(regeling, municipality):
    return ready_participant(regeling, household=HouseholdFactory(municipality=municipality))


def test_own_pay_day_applies_to_its_participants_only(regeling, towns):
    edam, waterland = towns
    at_edam, at_waterland = _person(regeling, edam), _person(regeling, waterland)

    assert local.for_participant(at_edam).benefit_payment_day == 1
    assert local.for_participant(at_waterland).benefit_payment_day == 20
    # Not overridden: the regeling's weekly allowance day for both.
    assert local.for_participant(at_waterland).allowance_weekday == regeling.allowance_weekday
    bulk = local.for_participants({p.pk: p.regeling for p in (at_edam, at_waterland)})
    assert bulk == {
        at_edam.pk: local.for_participant(at_edam),
        at_waterland.pk: local.for_participant(at_waterland),
    }


def test_payment_run_pays_the_allowance_on_the_municipalitys_pay_day(
    backoffice, region, regeling, towns
):
    edam, waterland = towns
    debtor_account(region)
    at_edam, at_waterland = _person(regeling, edam), _person(regeling, waterland)
    run = payments.prepare_run(backoffice, region, PERIOD)
    allowance = dict(
        run.instructions.filter(kind=InstructionKind.ALLOWANCE).values_list(
            "participant_id", "pay_on"
        )
    )
    assert allowance[at_edam.pk] == PERIOD.replace(day=1)
    assert allowance[at_waterland.pk] == PERIOD.replace(day=20)


def test_exit_letter_aligns_the_direct_debit_with_the_municipalitys_pay_day(regeling, towns):
    edam, waterland = towns
    at_edam, at_waterland = _person(regeling, edam), _person(regeling, waterland)
    assert documents.fixed_costs(at_edam)["benefit_day"] == 1
    letter = documents.fixed_costs(at_waterland)
    assert letter["benefit_day"] == 20
    assert letter["debit_day"] > 20


def test_own_settings_are_set_in_the_admin_on_the_region(client, region, towns):
    from ontzorg.accounts.tests.factories import UserFactory

    edam, waterland = towns
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    page = client.get(reverse("admin:regelingen_region_change", args=[region.pk]))
    assert page.status_code == 200
    assert "benefit_payment_day" in page.text and "allowance_weekday" in page.text
    assert "staff_limited_to_municipality" in page.text
    data = {
        "name": region.name,
        "slug": region.slug,
        "staff_limited_to_municipality": "on",
        "municipalities-TOTAL_FORMS": "2",
        "municipalities-INITIAL_FORMS": "2",
        "municipalities-0-id": edam.pk,
        "municipalities-0-region": region.pk,
        "municipalities-0-name": edam.name,
        "municipalities-0-is_lead": "on",
        "municipalities-0-benefit_payment_day": "",
        "municipalities-0-allowance_weekday": Weekday.WEDNESDAY,
        "municipalities-1-id": waterland.pk,
        "municipalities-1-region": region.pk,
        "municipalities-1-name": waterland.name,
        "municipalities-1-benefit_payment_day": "25",
        "municipalities-1-allowance_weekday": "",
        "cost_ceilings-TOTAL_FORMS": "0",
        "cost_ceilings-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("admin:regelingen_region_change", args=[region.pk]), data)
    assert response.status_code == 302, response.content[:3000]
    region.refresh_from_db()
    assert region.staff_limited_to_municipality
    assert Municipality.objects.get(pk=waterland.pk).benefit_payment_day == 25
    assert Municipality.objects.get(pk=edam.pk).allowance_weekday == Weekday.WEDNESDAY
