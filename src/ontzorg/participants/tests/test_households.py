"""Households after intake (participants.households): dated members, the norm of each month
that follows from them, moves, and the rule that past months are never recomputed silently.

The clock stands at 16 March 2026 (`frozen_clock`); with a plan, changes may start on
1 March 2026 or later."""

from datetime import date

import pytest

from ontzorg.audit.models import AuditEntry
from ontzorg.exceptions import PermissionDenied, Refused
from ontzorg.participants import households
from ontzorg.participants.constants import MemberKind
from ontzorg.participants.models import HouseholdMember, HouseholdMove
from ontzorg.participants.tests.factories import ParticipantFactory
from ontzorg.plans import norms, reading
from ontzorg.plans.tests.factories import PlanFactory
from ontzorg.regelingen.tests.factories import MunicipalityFactory, RegionFactory
from ontzorg_demo.testdata import fake_bsn

FEBRUARY, MARCH, APRIL = date(2026, 2, 1), date(2026, 3, 1), date(2026, 4, 1)
SINGLE, COUPLE, ONE_KOSTENDELER = 130061, 185801, 92901


@pytest.fixture
def amina(regeling, frozen_clock):
    """A 36-year-old participant with a plan: months before March 2026 have been computed."""
    person = ParticipantFactory(regeling=regeling, date_of_birth=date(1990, 1, 1))
    PlanFactory(participant=person, regeling=regeling)
    return person


def norm(participant, day):
    return reading.norm_for(participant, day)


def add(user, participant, kind=MemberKind.HOUSEMATE, *, born=date(1995, 6, 1), **kwargs):
    kwargs.setdefault("starts_on", MARCH)
    return households.add_member(
        user, participant, kind=kind, first_name="Samir", date_of_birth=born, **kwargs
    )


# --- the norm of each month follows from who lives there -------------------------------------


def test_a_partner_makes_it_the_couples_norm_from_that_month(amina, klantmanager):
    add(klantmanager, amina, MemberKind.PARTNER, income_cents=45_000)
    assert norm(amina, FEBRUARY).amount_cents == SINGLE
    assert norm(amina, MARCH).amount_cents == COUPLE
    assert norm(amina, APRIL).amount_cents == COUPLE


def test_a_housemate_of_27_or_older_brings_the_kostendelersnorm(amina, klantmanager):
    add(klantmanager, amina, born=date(1995, 6, 1))
    assert norm(amina, FEBRUARY).rule == norms.STANDARD
    march = norm(amina, MARCH)
    assert (march.rule, march.kostendelers, march.amount_cents) == (
        norms.KOSTENDELERSNORM,
        2,
        ONE_KOSTENDELER,
    )


def test_a_housemate_under_27_does_not_count_as_kostendeler(amina, klantmanager):
    # Since 1 January 2023 housemates under 27 are no kostendelers (plans.norms).
    add(klantmanager, amina, born=date(2002, 1, 1))
    assert norm(amina, MARCH).amount_cents == SINGLE


def test_ending_a_member_brings_the_norm_back_from_that_day(amina, klantmanager):
    housemate = add(klantmanager, amina)
    households.end_member(klantmanager, housemate, on=APRIL)
    housemate.refresh_from_db()
    assert housemate.ends_on == date(2026, 3, 31)
    assert norm(amina, date(2026, 3, 31)).amount_cents == ONE_KOSTENDELER
    assert norm(amina, APRIL).amount_cents == SINGLE


def test_a_young_participant_keeps_the_jongerennorm_with_a_housemate(regeling, klantmanager):
    young = ParticipantFactory(regeling=regeling, date_of_birth=date(2006, 6, 1))
    add(klantmanager, young, starts_on=None)
    result = norm(young, MARCH)
    assert (result.rule, result.amount_cents) == (norms.JONGERENNORM, 32108)


def test_a_change_from_a_date_keeps_the_old_facts_before_it(amina, klantmanager):
    housemate = add(klantmanager, amina)
    current = households.change_member(klantmanager, housemate, on=APRIL, is_student=True)
    housemate.refresh_from_db()
    assert (housemate.ends_on, housemate.is_student) == (date(2026, 3, 31), False)
    assert (current.starts_on, current.is_student, current.replaces) == (APRIL, True, housemate)
    assert norm(amina, MARCH).amount_cents == ONE_KOSTENDELER
    assert norm(amina, APRIL).amount_cents == SINGLE
    with pytest.raises(Refused, match="nieuwere gegevens"):
        households.change_member(klantmanager, housemate, on=APRIL, income_cents=100)


def test_a_first_name_is_corrected_in_place(amina, klantmanager):
    housemate = add(klantmanager, amina)
    same = households.change_member(klantmanager, housemate, on=APRIL, first_name="Samira")
    assert same.pk == housemate.pk and same.first_name == "Samira" and same.ends_on is None


def test_a_change_the_same_day_as_the_start_changes_the_row_itself(amina, klantmanager):
    housemate = add(klantmanager, amina)
    same = households.change_member(klantmanager, housemate, on=MARCH, income_cents=20_000)
    assert same.pk == housemate.pk and same.income_cents == 20_000
    assert HouseholdMember.objects.count() == 1


def test_one_partner_at_a_time(amina, klantmanager):
    partner = add(klantmanager, amina, MemberKind.PARTNER)
    with pytest.raises(Refused, match="al een partner"):
        add(klantmanager, amina, MemberKind.PARTNER, starts_on=APRIL)
    households.end_member(klantmanager, partner, on=APRIL)
    add(klantmanager, amina, MemberKind.PARTNER, starts_on=APRIL)


def test_a_child_has_no_income_of_its_own_here(amina, klantmanager):
    with pytest.raises(Refused, match="partner of huisgenoot"):
        add(klantmanager, amina, MemberKind.CHILD, born=date(2015, 1, 1), income_cents=100)


def test_every_change_is_audited(amina, klantmanager):
    housemate = add(klantmanager, amina)
    households.change_member(klantmanager, housemate, on=APRIL, income_cents=30_000)
    households.end_member(klantmanager, housemate.replaced_by, on=date(2026, 5, 1))
    codes = list(
        AuditEntry.objects.filter(participant=amina, event__startswith="household.")
        .order_by("pk")
        .values_list("event", flat=True)
    )
    assert codes == [
        "household.member_added",
        "household.member_changed",
        "household.member_ended",
    ]


# --- past months are never recomputed silently -----------------------------------------------


@pytest.mark.parametrize("day", [date(2026, 2, 28), date(2025, 11, 1)])
def test_a_change_before_the_current_month_is_refused_once_a_month_was_computed(
    amina, klantmanager, day
):
    housemate = add(klantmanager, amina)
    before = [norm(amina, month).amount_cents for month in (date(2025, 11, 1), FEBRUARY)]
    refusal = "01-03-2026 of later. De maanden daarvoor zijn al berekend"
    with pytest.raises(Refused, match=refusal):
        add(klantmanager, amina, MemberKind.PARTNER, starts_on=day)
    with pytest.raises(Refused, match=refusal):
        add(klantmanager, amina, MemberKind.CHILD, born=date(2015, 1, 1), starts_on=None)
    with pytest.raises(Refused, match=refusal):
        households.change_member(klantmanager, housemate, on=day, is_student=True)
    with pytest.raises(Refused, match=refusal):
        households.end_member(klantmanager, housemate, on=day)
    after = [norm(amina, month).amount_cents for month in (date(2025, 11, 1), FEBRUARY)]
    assert before == after == [SINGLE, SINGLE]
    assert HouseholdMember.objects.count() == 1


def test_before_the_first_plan_the_household_as_found_at_intake_counts_for_every_month(
    regeling, klantmanager, frozen_clock
):
    person = ParticipantFactory(regeling=regeling, date_of_birth=date(1990, 1, 1))
    assert households.first_changeable_day(person.household) is None
    add(klantmanager, person, MemberKind.PARTNER, starts_on=None)
    assert norm(person, date(2025, 11, 1)).amount_cents == COUPLE


def test_booked_months_keep_their_amounts_when_the_household_changes(
    regeling, klantmanager, backoffice, municipality_org, frozen_clock
):
    from ontzorg.accounts.tests.factories import UserFactory
    from ontzorg.payments import services as payments
    from ontzorg.payments.tests.factories import PERIOD, debtor_account, ready_participant

    second = UserFactory(username="bo2", role_code="backoffice", organisation=municipality_org)
    debtor_account(regeling.region)
    person = ready_participant(regeling)
    run = payments.prepare_run(backoffice, regeling.region, PERIOD)
    payments.approve_run(second, run)
    payments.export_run(second, run)
    payments.book_run(backoffice, run)
    booked = sorted(run.instructions.values_list("pk", "amount_cents"))
    assert booked
    norm_before = norm(person, PERIOD)

    with pytest.raises(Refused):
        add(klantmanager, person, born=date(1980, 1, 1), starts_on=PERIOD)
    add(klantmanager, person, born=date(1980, 1, 1), starts_on=MARCH)

    assert sorted(run.instructions.values_list("pk", "amount_cents")) == booked
    assert norm(person, PERIOD) == norm_before
    assert norm(person, MARCH).rule == norms.KOSTENDELERSNORM


# --- moves ------------------------------------------------------------------------------------


def test_a_move_changes_the_address_and_keeps_the_old_one_with_its_date(amina, klantmanager):
    home = amina.household
    old_address, old_municipality = home.address, home.municipality
    elsewhere = MunicipalityFactory(name="Lansingerland", region=amina.regeling.region)
    housemate = add(klantmanager, amina)
    move = households.change_address(
        klantmanager,
        amina,
        moves_on=date(2026, 3, 10),
        street="Nieuwe Weg",
        house_number="12",
        postcode="2651 ab",
        city="Berkel",
        municipality=elsewhere,
    )
    home.refresh_from_db()
    assert (home.street, home.postcode, home.municipality) == ("Nieuwe Weg", "2651 AB", elsewhere)
    assert (move.from_address, move.from_municipality) == (old_address, old_municipality)
    assert move.to_address == "Nieuwe Weg 12, 2651 AB Berkel"
    # Everyone moves along: the housemate still lives there, the norm is unchanged.
    assert list(households.members_on(home, APRIL)) == [housemate]
    assert norm(amina, APRIL).amount_cents == ONE_KOSTENDELER
    assert AuditEntry.objects.filter(event="household.address_changed", participant=amina).exists()


def _move(user, participant, **kwargs):
    values = dict(
        moves_on=date(2026, 3, 10),
        street="Nieuwe Weg",
        house_number="12",
        postcode="2651 AB",
        city="Berkel",
        municipality=participant.household.municipality,
    )
    return households.change_address(user, participant, **{**values, **kwargs})


def test_a_move_out_of_the_region_or_ahead_or_in_a_past_month_is_refused(amina, klantmanager):
    other_region = MunicipalityFactory(name="Den Haag", region=RegionFactory(name="Den Haag"))
    with pytest.raises(Refused, match="buiten de regio"):
        _move(klantmanager, amina, municipality=other_region)
    with pytest.raises(Refused, match="niet vooraf"):
        _move(klantmanager, amina, moves_on=date(2026, 3, 17))
    with pytest.raises(Refused, match="01-03-2026 of later"):
        _move(klantmanager, amina, moves_on=date(2026, 2, 27))
    _move(klantmanager, amina)
    with pytest.raises(Refused, match="al een verhuizing"):
        _move(klantmanager, amina, moves_on=date(2026, 3, 9), street="Oude Weg")
    assert HouseholdMove.objects.count() == 1


# --- rights and scope -------------------------------------------------------------------------


def test_a_coach_may_not_change_a_household(amina, coach, klantmanager):
    housemate = add(klantmanager, amina)
    with pytest.raises(PermissionDenied):
        add(coach, amina)
    with pytest.raises(PermissionDenied):
        households.end_member(coach, housemate, on=APRIL)
    with pytest.raises(PermissionDenied):
        _move(coach, amina)


def test_another_regions_household_is_out_of_reach(amina, klantmanager, frozen_clock):
    from ontzorg.accounts.tests.factories import OrganisationFactory, UserFactory

    other = RegionFactory(name="Den Haag", slug="den-haag")
    stranger = UserFactory(
        username="km-dh",
        role_code="klantmanager",
        organisation=OrganisationFactory(name="Gemeente Den Haag", region=other),
    )
    housemate = add(klantmanager, amina)
    with pytest.raises(PermissionDenied):
        add(stranger, amina)
    with pytest.raises(PermissionDenied):
        households.change_member(stranger, housemate, on=APRIL, is_student=True)
    with pytest.raises(PermissionDenied):
        _move(stranger, amina)


def test_a_partner_who_takes_part_needs_a_bsn_of_their_own(amina, klantmanager):
    """Where both partners take part the partner is registered as a participant; a BSN that
    is already someone else's is refused with a message, and nothing is stored."""
    amina.regeling.both_partners = True
    amina.regeling.save()
    partner = dict(
        first_name="Omar",
        last_name="Haddad",
        date_of_birth=date(1988, 1, 10),
        gender="m",
    )
    with pytest.raises(Refused, match="BSN"):
        households.add_partner_participant(klantmanager, amina, bsn=amina.bsn, **partner)
    assert amina.household.participants.count() == 1

    omar = households.add_partner_participant(klantmanager, amina, bsn=fake_bsn(4242), **partner)
    assert omar.household_id == amina.household_id and omar.regeling_id == amina.regeling_id
    assert omar.household_role == "partner" and omar.phase == amina.phase
