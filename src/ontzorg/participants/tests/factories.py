"""People and households for tests. Factories build people, never workflow state: the
phase is the model's default (kandidaat) until a service moves it. `active_participant`
reaches "ontzorgd" the way a case worker does, through `plans.services.create_plan`."""

from datetime import date

import factory

from ontzorg.accounts.constants import RoleCode
from ontzorg.accounts.models import User
from ontzorg.accounts.tests.factories import UserFactory
from ontzorg.participants import lifecycle
from ontzorg.participants.constants import Gender, Phase
from ontzorg.participants.models import Household, Participant
from ontzorg.payments.sepa import latin_form
from ontzorg.plans import services as plans
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
    # As the intake fills it in: the name's Latin form, if it has one.
    account_holder_name = factory.LazyAttribute(
        lambda o: latin_form(f"{o.first_name} {o.last_name}") or ""
    )

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        if "phase" in kwargs:
            raise TypeError(
                "ParticipantFactory sets no phase: reach it through the services "
                "(active_participant, participant_in)."
            )
        return super()._create(model_class, *args, **kwargs)


def case_worker_for(regeling) -> User:
    """A klantmanager of the regeling's region, to act through the services in tests."""
    username = f"km-test-{regeling.region.slug}"
    return User.objects.filter(username=username).first() or UserFactory(
        username=username,
        role_code=RoleCode.KLANTMANAGER,
        organisation__region=regeling.region,
    )


def active_participant(regeling=None, *, start_on: date | None = None, user=None, **fields):
    """A participant who is ontzorgd: created, then given a plan by a case worker through
    `plans.services.create_plan` (which moves kandidaat -> intake -> ontzorgd)."""
    if regeling is not None:
        fields["regeling"] = regeling
    participant = ParticipantFactory(**fields)
    plans.create_plan(user or case_worker_for(participant.regeling), participant, start_on=start_on)
    participant.refresh_from_db()
    return participant


def participant_in(phase: str, regeling=None, *, on: date | None = None, **fields):
    """A participant in `phase`, reached the legal way: ontzorgd through a plan
    (`active_participant`), phases after it and the side phases through
    `lifecycle.move` along `lifecycle.route` (for phases that need a long journey)."""
    from django.utils import timezone

    on = on or timezone.localdate()
    if phase in (Phase.CANDIDATE, Phase.INTAKE, Phase.NOT_ELIGIBLE, Phase.OPTED_OUT):
        participant = ParticipantFactory(**({"regeling": regeling} if regeling else {}), **fields)
    else:
        participant = active_participant(regeling, **fields)
    for step in lifecycle.route(participant.phase, phase):
        lifecycle.move(participant, step, on=on, reason="testopzet")
    return participant
