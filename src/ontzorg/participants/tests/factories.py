from datetime import date

import factory

from ontzorg.participants.constants import Gender, Phase
from ontzorg.participants.models import Household, Participant
from ontzorg.regelingen.tests.factories import MunicipalityFactory, RegelingFactory
from ontzorg_demo.testdata import fake_bsn, fake_iban


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    municipality = factory.SubFactory(MunicipalityFactory)
    street = "Dorpsstraat"
    house_number = factory.Sequence(lambda n: str(n + 1))
    postcode = "2711 AB"
    city = factory.LazyAttribute(lambda o: o.municipality.name)


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    regeling = factory.SubFactory(RegelingFactory)
    household = factory.SubFactory(
        HouseholdFactory,
        municipality=factory.SubFactory(
            MunicipalityFactory, region=factory.SelfAttribute("...regeling.region")
        ),
    )
    phase = Phase.ACTIVE
    bsn = factory.Sequence(fake_bsn)
    iban = factory.Sequence(fake_iban)
    first_name = factory.Sequence(lambda n: f"Amina{n}")
    last_name = factory.Sequence(lambda n: f"Haddad{n}")
    date_of_birth = date(1990, 5, 17)
    gender = Gender.FEMALE
    country_of_origin = "Syrië"
    languages = "Arabisch"
    arrival_on = date(2025, 9, 1)
    bijstand_start_on = date(2025, 9, 1)
