"""Bijstand norms from the dated configuration: standard, kostendelersnorm, jongerennorm."""

from datetime import date

import pytest

from ontzorg.participants.constants import HouseholdRole, MemberKind
from ontzorg.participants.models import HouseholdMember
from ontzorg.participants.tests.factories import ParticipantFactory
from ontzorg.plans import norms, reading
from ontzorg.plans.models import BenefitNorm

ON = date(2025, 10, 1)


@pytest.fixture
def rows(db):
    """The norm table as loaded by the data migration (1 July 2025)."""
    return reading.norm_rows()


def norm(rows, *ages, children=False, kostendelers=0):
    household = norms.Household(ages, with_children=children, kostendelers=kostendelers)
    return norms.monthly_norm(rows, household, ON)


@pytest.mark.parametrize(
    ("ages", "children", "cents"),
    [
        ((30,), False, 130061),
        ((30,), True, 130061),
        ((30, 32), False, 185801),
        ((19,), False, 32108),
        ((19, 20), False, 64216),
        ((19, 20), True, 101376),
        ((19, 25), False, 125009),
        ((19, 25), True, 162169),
        ((70,), False, 145370),
        ((70, 68), False, 199023),
    ],
)
def test_standard_and_jongerennorm_match_facts(rows, ages, children, cents):
    assert norm(rows, *ages, children=children).amount_cents == cents


def test_the_table_has_the_figures_of_1_july_2025(rows):
    assert BenefitNorm.objects.filter(valid_from=date(2025, 7, 1)).count() == 14
    with pytest.raises(LookupError):
        norms.monthly_norm(rows, norms.Household((30,)), date(2025, 6, 30))


@pytest.mark.parametrize(
    ("kostendelers", "cents"),
    [
        (1, 92901),  # A = 2: 50 % of 1,858.01 = 929.005, rounded half up
        (2, 80514),  # A = 3: 43.33 % = 805.137...
        (3, 74320),  # A = 4: 40 % = 743.204
        (4, 70604),  # A = 5: 38 % = 706.0438
    ],
)
def test_kostendelersnorm_for_a_single_person(rows, kostendelers, cents):
    result = norm(rows, 30, kostendelers=kostendelers)
    assert result.rule == norms.KOSTENDELERSNORM
    assert result.kostendelers == kostendelers + 1
    assert result.amount_cents == cents


def test_kostendelersnorm_for_a_couple_is_twice_the_share(rows):
    result = norm(rows, 30, 31, kostendelers=1)
    assert result.amount_cents == 2 * 80514
    assert result.standard_cents == 185801


def test_kostendelersnorm_at_aow_age_uses_the_aow_married_norm(rows):
    assert norm(rows, 70, kostendelers=1).amount_cents == 99512  # 50 % of 1,990.23


def test_jongerennorm_is_not_lowered_by_housemates(rows):
    result = norm(rows, 19, kostendelers=2)
    assert (result.rule, result.amount_cents) == (norms.JONGERENNORM, 32108)


def test_share_of_one_kostendeler_reproduces_the_single_norm():
    assert norms.kostendeler_share(185801, 1) == 130061


def test_who_counts_as_kostendeler():
    assert norms.counts_as_kostendeler(27)
    assert not norms.counts_as_kostendeler(26)
    assert not norms.counts_as_kostendeler(40, is_student=True)


def test_a_newer_table_takes_over_from_its_date(rows):
    newer = [*rows, norms.NormRow("single", "adult", False, date(2026, 1, 1), 133000)]
    household = norms.Household((30,))
    assert norms.monthly_norm(newer, household, date(2025, 12, 31)).amount_cents == 130061
    assert norms.monthly_norm(newer, household, date(2026, 1, 1)).amount_cents == 133000


def test_norm_for_a_participant_counts_housemates_of_27_and_older_who_do_not_study(regeling):
    person = ParticipantFactory(regeling=regeling, date_of_birth=date(1990, 1, 1))
    home = person.household
    for born, student in [
        (date(1990, 3, 1), False),
        (date(2000, 3, 1), False),
        (date(1980, 1, 1), True),
    ]:
        HouseholdMember.objects.create(
            household=home,
            kind=MemberKind.HOUSEMATE,
            first_name="Huisgenoot",
            date_of_birth=born,
            is_student=student,
        )
    HouseholdMember.objects.create(
        household=home, kind=MemberKind.CHILD, first_name="Kind", date_of_birth=date(2020, 1, 1)
    )
    result = reading.norm_for(person, ON)
    assert (result.rule, result.kostendelers, result.amount_cents) == (
        norms.KOSTENDELERSNORM,
        2,
        92901,
    )


def test_norm_for_a_couple_of_participants(regeling):
    applicant = ParticipantFactory(regeling=regeling, date_of_birth=date(1990, 1, 1))
    ParticipantFactory(
        regeling=regeling,
        household=applicant.household,
        household_role=HouseholdRole.PARTNER,
        date_of_birth=date(2006, 1, 1),
    )
    assert reading.norm_for(applicant, ON).amount_cents == 125009
