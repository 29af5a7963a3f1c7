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


def pass_second_factor(client, user) -> None:
    """Let `client`, logged in as `user` by ``force_login``, count as having passed the second
    factor too: bind a confirmed django-otp device to its session, as step 2 of the login
    does. The device is an empty recovery-code device (no code can be entered with it)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_static.models import StaticDevice

    device, _ = StaticDevice.objects.get_or_create(
        user=user, name="force_login", defaults={"confirmed": True}
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
