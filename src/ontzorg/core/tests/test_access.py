"""One scope rule per role, one superuser rule, and the rights of a scope path."""

import pytest
from django.db.models import Q

from ontzorg.accounts.constants import OrganisationKind, RoleCode, Scope
from ontzorg.accounts.models import Role
from ontzorg.accounts.tests.factories import OrganisationFactory, UserFactory
from ontzorg.core import access
from ontzorg.participants.models import Participant
from ontzorg.participants.tests.factories import HouseholdFactory, ParticipantFactory
from ontzorg.payments.models import PaymentRun
from ontzorg.regelingen.tests.factories import (
    MunicipalityFactory,
    RegelingFactory,
    RegionFactory,
)


@pytest.fixture
def world(db):
    """Edam-Volendam with Waterland in one region, and Den Haag; a participant in each."""
    edam_region = RegionFactory(name="Edam-Volendam", slug="edam-volendam")
    regeling = RegelingFactory(region=edam_region)
    edam = MunicipalityFactory(name="Edam-Volendam", region=edam_region)
    waterland = MunicipalityFactory(name="Waterland", region=edam_region)
    partner = OrganisationFactory(
        name="Vluchtelingenwerk", kind=OrganisationKind.PARTNER, region=edam_region
    )
    den_haag_regeling = RegelingFactory(region=RegionFactory(name="Den Haag", slug="den-haag"))
    people = {
        "edam": ParticipantFactory(
            regeling=regeling,
            household=HouseholdFactory(municipality=edam),
            guidance_organisation=partner,
        ),
        "waterland": ParticipantFactory(
            regeling=regeling, household=HouseholdFactory(municipality=waterland)
        ),
        "den_haag": ParticipantFactory(regeling=den_haag_regeling),
    }
    return edam_region, edam, partner, people


def _seen(user, people) -> set[str]:
    visible = set(access.restrict(Participant, user).values_list("pk", flat=True))
    return {name for name, person in people.items() if person.pk in visible}


def test_each_scope_sees_its_own(world):
    region, _, partner, people = world
    municipality_org = OrganisationFactory(name="Gemeente Edam", region=region)
    klantmanager = UserFactory(role_code=RoleCode.KLANTMANAGER, organisation=municipality_org)
    beheerder = UserFactory(role_code=RoleCode.BEHEERDER, organisation=municipality_org)
    coach = UserFactory(role_code=RoleCode.BUDGETCOACH, organisation=partner)
    evaluator = UserFactory(role_code=RoleCode.EVALUATOR)

    assert _seen(klantmanager, people) == {"edam", "waterland"}
    assert _seen(beheerder, people) == {"edam", "waterland", "den_haag"}
    assert _seen(coach, people) == {"edam"}
    assert _seen(evaluator, people) == set()


def test_a_municipality_scope_sees_only_its_own_municipality(world):
    region, edam, _, people = world
    role = Role.objects.create(
        code="km-gemeente", name="Klantmanager gemeente", scope=Scope.MUNICIPALITY
    )
    org = OrganisationFactory(name="Gemeente Edam-Volendam", region=region, municipality=edam)
    user = UserFactory(role=role, organisation=org)
    assert _seen(user, people) == {"edam"}
    assert access.region_ids(user) == [region.pk]
    # Without a municipality on the organisation the scope is empty, never the whole region.
    org.municipality = None
    org.save()
    user.refresh_from_db()
    assert _seen(user, people) == set()


def test_a_superuser_sees_everything_and_has_every_right(world):
    *_, people = world
    root = UserFactory(is_superuser=True, role=None)
    assert _seen(root, people) == set(people)
    assert access.region_ids(root) is None
    assert access.may(root, "approves_payments")


def test_an_inactive_or_roleless_user_sees_nothing(world):
    *_, people = world
    inactive = UserFactory(role_code=RoleCode.BEHEERDER, is_active=False)
    roleless = UserFactory(role=None)
    assert _seen(inactive, people) == set() and _seen(roleless, people) == set()
    assert access.region_ids(roleless) == []


def test_a_scope_path_with_rights_hides_the_model_from_other_roles(world):
    region, *_ = world
    org = OrganisationFactory(name="Gemeente Edam", region=region)
    klantmanager = UserFactory(role_code=RoleCode.KLANTMANAGER, organisation=org)
    backoffice = UserFactory(role_code=RoleCode.BACKOFFICE, organisation=org)
    assert access.scope_q(PaymentRun, klantmanager) == Q(pk__in=[])
    assert access.scope_q(PaymentRun, backoffice) == Q(region_id__in=[region.pk])
