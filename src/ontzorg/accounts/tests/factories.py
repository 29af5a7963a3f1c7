import factory

from ontzorg.accounts.constants import OrganisationKind, RoleCode
from ontzorg.accounts.models import Organisation, Role, User
from ontzorg.accounts.roles import ROLES
from ontzorg.regelingen.tests.factories import RegionFactory


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisatie {n}")
    kind = OrganisationKind.MUNICIPALITY
    region = factory.SubFactory(RegionFactory)


def role_for(code):
    """The shipped role; recreated when a transactional test flushed the migration's rows."""
    return Role.objects.get_or_create(code=code, defaults=ROLES[code])[0]


class UserFactory(factory.django.DjangoModelFactory):
    """`UserFactory(role_code="budgetcoach", organisation=...)`; roles come from migration 0002."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    class Params:
        role_code = RoleCode.KLANTMANAGER

    username = factory.Sequence(lambda n: f"gebruiker{n}")
    first_name = factory.Sequence(lambda n: f"Voornaam{n}")
    last_name = "Testgebruiker"
    organisation = factory.SubFactory(OrganisationFactory)
    role = factory.LazyAttribute(lambda o: role_for(o.role_code))
    password = factory.django.Password("geheim-wachtwoord-1")
