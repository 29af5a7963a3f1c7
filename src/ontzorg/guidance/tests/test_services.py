"""Guidance: who may record contacts, activities and attendance, and how hours add up."""

from datetime import date

import pytest

from ontzorg.accounts.tests.factories import OrganisationFactory
from ontzorg.audit.models import AuditEntry
from ontzorg.exceptions import PermissionDenied, Refused
from ontzorg.guidance import services
from ontzorg.guidance.constants import ConditionKind, ContactKind, LevelGroup
from ontzorg.guidance.models import Attendance, Contact
from ontzorg.participants.tests.factories import ParticipantFactory
from ontzorg.regelingen.tests.factories import RegelingFactory

from .factories import ActivityFactory, ContactFactory, SessionFactory, TrainingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_partner(region):
    return OrganisationFactory(name="Humanitas", kind="partner", region=region)


@pytest.fixture
def mine(regeling, partner_org):
    return ParticipantFactory(regeling=regeling, guidance_organisation=partner_org)


@pytest.fixture
def theirs(regeling, other_partner):
    return ParticipantFactory(regeling=regeling, guidance_organisation=other_partner)


def _contact(user, participant, minutes=45, **kwargs):
    return services.record_contact(
        user,
        participant,
        kind=kwargs.pop("kind", ContactKind.HOME_VISIT),
        occurred_on=kwargs.pop("occurred_on", date(2025, 10, 1)),
        duration_minutes=minutes,
        **kwargs,
    )


def test_coach_records_contacts_for_their_organisations_participants_only(coach, mine, theirs):
    contact = _contact(coach, mine, with_interpreter=True, notes="Post doorgenomen")

    assert contact.organisation == coach.organisation
    assert contact.recorded_by == coach
    with pytest.raises(PermissionDenied):
        _contact(coach, theirs)
    assert list(Contact.objects.values_list("participant", flat=True)) == [mine.pk]


def test_a_role_without_the_right_may_not_record(backoffice, mine):
    with pytest.raises(PermissionDenied):
        _contact(backoffice, mine)


def test_contact_is_audited_and_checks_its_duration(klantmanager, mine):
    contact = _contact(klantmanager, mine, minutes=30)

    entry = AuditEntry.objects.get(object_type="guidance.Contact", object_id=str(contact.pk))
    assert entry.participant == mine
    for minutes in (0, 8 * 60 + 1):
        with pytest.raises(Refused):
            _contact(klantmanager, mine, minutes=minutes)


def test_hours_add_up_per_participant_and_per_organisation(
    klantmanager, coach, mine, theirs, regeling, partner_org, municipality_org
):
    _contact(coach, mine, minutes=45)
    _contact(coach, mine, minutes=30, kind=ContactKind.PHONE)
    _contact(klantmanager, theirs, minutes=60, kind=ContactKind.OFFICE)
    activity = services.plan_activity(
        klantmanager,
        training=TrainingFactory(regeling=regeling),
        level_group=LevelGroup.BASIC,
        organisation=partner_org,
    )
    first = services.add_session(
        klantmanager, activity, held_on=date(2025, 10, 7), duration_minutes=120
    )
    second = services.add_session(
        klantmanager, activity, held_on=date(2025, 10, 14), duration_minutes=90
    )
    for person in (mine, theirs):
        services.enroll(klantmanager, activity, person)
    services.record_attendance(klantmanager, first, {mine.pk: True, theirs.pk: True})
    services.record_attendance(klantmanager, second, {mine.pk: True, theirs.pk: False})

    hours = {p.pk: p for p in services.hours_per_participant(klantmanager)}

    assert (hours[mine.pk].contact_minutes, hours[mine.pk].session_minutes) == (75, 210)
    assert hours[mine.pk].guidance_minutes == 285
    assert hours[theirs.pk].guidance_minutes == 60 + 120
    assert services.participant_minutes(mine) == {"contact": 75, "session": 210, "total": 285}
    per_org = {row.organisation: row for row in services.hours_per_organisation(klantmanager)}
    assert (per_org[partner_org].contact_minutes, per_org[partner_org].session_minutes) == (75, 330)
    assert per_org[municipality_org].total_minutes == 60
    assert sum(r.total_minutes for r in per_org.values()) == 285 + 180


def test_hours_are_scoped_to_what_the_user_sees(coach, klantmanager, mine, theirs):
    ContactFactory(participant=mine, duration_minutes=40, recorded_by=klantmanager)
    ContactFactory(participant=theirs, duration_minutes=50, recorded_by=klantmanager)

    assert [(p, p.guidance_minutes) for p in services.hours_per_participant(coach)] == [(mine, 40)]
    assert [r.total_minutes for r in services.hours_per_organisation(coach)] == [40]


def test_attendance_only_for_enrolled_participants_and_not_in_advance(
    klantmanager, mine, theirs, regeling
):
    session = SessionFactory(activity=ActivityFactory(training=TrainingFactory(regeling=regeling)))
    services.enroll(klantmanager, session.activity, mine)

    with pytest.raises(Refused):
        services.record_attendance(klantmanager, session, {theirs.pk: True})
    assert services.record_attendance(klantmanager, session, {mine.pk: True}) == 1
    assert services.record_attendance(klantmanager, session, {mine.pk: True}) == 0
    assert services.record_attendance(klantmanager, session, {mine.pk: False}) == 1
    assert Attendance.objects.get().attended is False
    future = SessionFactory(activity=session.activity, held_on=date(2999, 1, 1))
    with pytest.raises(Refused):
        services.record_attendance(klantmanager, future, {mine.pk: True})


def test_enrolment_needs_the_activitys_regeling(klantmanager, regeling):
    activity = ActivityFactory(training=TrainingFactory(regeling=regeling))
    other = ParticipantFactory(
        regeling=RegelingFactory(region=regeling.region, valid_from=date(2026, 1, 1))
    )

    with pytest.raises(Refused):
        services.enroll(klantmanager, activity, other)


def test_activities_of_another_region_are_out_of_reach(klantmanager):
    foreign = TrainingFactory()

    with pytest.raises(PermissionDenied):
        services.plan_activity(klantmanager, training=foreign, level_group=LevelGroup.ALL)


def test_coach_plans_activities_for_their_own_organisation(
    coach, regeling, partner_org, other_partner
):
    activity = services.plan_activity(
        coach,
        training=TrainingFactory(regeling=regeling),
        level_group=LevelGroup.ALL,
        organisation=other_partner,
    )

    assert activity.organisation == partner_org
    assert activity.name == "Geldwijzer"


def test_practical_condition_with_cost(klantmanager, mine, regeling):
    activity = ActivityFactory(training=TrainingFactory(regeling=regeling))
    services.enroll(klantmanager, activity, mine)

    condition = services.record_condition(
        klantmanager,
        mine,
        kind=ConditionKind.CHILDCARE,
        provided_on=date(2025, 10, 7),
        cost_cents=2450,
        activity=activity,
    )

    assert condition.cost_cents == 2450
    assert AuditEntry.objects.filter(
        object_type="guidance.PracticalCondition", participant=mine
    ).exists()
    with pytest.raises(Refused):
        services.record_condition(
            klantmanager,
            mine,
            kind=ConditionKind.TRAVEL,
            provided_on=date(2025, 10, 7),
            cost_cents=-1,
        )
