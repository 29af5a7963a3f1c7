"""The guidance pages: scoping (404 for another region or organisation, 403 without the
right), recording a contact, activities with attendance, and the hours page."""

from datetime import date

import pytest
from django.urls import reverse

from ontzorg.accounts.tests.factories import OrganisationFactory
from ontzorg.guidance import dashboard, services
from ontzorg.guidance.constants import ConditionKind, ContactKind
from ontzorg.guidance.models import Attendance, Contact, Enrollment
from ontzorg.participants.tests.factories import ParticipantFactory

from .factories import ActivityFactory, ContactFactory, SessionFactory, TrainingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def participant(regeling, partner_org):
    return ParticipantFactory(regeling=regeling, guidance_organisation=partner_org)


def test_participant_page_shows_contacts_and_total_hours(client, klantmanager, participant):
    ContactFactory(participant=participant, duration_minutes=90, notes="Brief Belastingdienst")
    client.force_login(klantmanager)

    response = client.get(reverse("guidance:participant", args=[participant.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "1,5 uur" in html
    assert "Brief Belastingdienst" in html
    assert 'name="duration_minutes"' in html


def test_a_practical_conditions_cost_is_shown_in_euros(client, klantmanager, participant):
    services.record_condition(
        klantmanager,
        participant,
        kind=ConditionKind.CHILDCARE,
        provided_on=date(2025, 10, 7),
        cost_cents=2450,
    )
    client.force_login(klantmanager)

    html = client.get(reverse("guidance:participant", args=[participant.pk])).content.decode()

    assert "€ 24,50" in html


def test_another_region_is_404_and_another_organisation_too(client, klantmanager, coach, regeling):
    elsewhere = ParticipantFactory()
    other_org = OrganisationFactory(kind="partner", region=regeling.region)
    not_mine = ParticipantFactory(regeling=regeling, guidance_organisation=other_org)

    client.force_login(klantmanager)
    assert client.get(reverse("guidance:participant", args=[elsewhere.pk])).status_code == 404
    client.force_login(coach)
    url = reverse("guidance:participant", args=[not_mine.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"kind": "phone"}).status_code == 404
    assert not Contact.objects.exists()


def test_coach_records_a_contact_through_the_form(client, coach, participant):
    client.force_login(coach)

    response = client.post(
        reverse("guidance:participant", args=[participant.pk]),
        {
            "kind": ContactKind.PHONE,
            "occurred_on": "2025-10-01",
            "duration_minutes": "25",
            "with_interpreter": "on",
        },
    )

    assert response.status_code == 302
    contact = Contact.objects.get()
    assert (contact.organisation, contact.with_interpreter) == (coach.organisation, True)


def test_backoffice_may_not_record_a_contact(client, backoffice, participant):
    client.force_login(backoffice)

    url = reverse("guidance:participant", args=[participant.pk])
    assert client.post(url, {"kind": "phone"}).status_code == 403
    assert not Contact.objects.exists()


def test_activity_pages_and_attendance(client, klantmanager, participant, regeling):
    activity = ActivityFactory(training=TrainingFactory(regeling=regeling))
    session = SessionFactory(activity=activity, held_on=date(2025, 10, 7))
    Enrollment.objects.create(
        activity=activity, participant=participant, enrolled_on=date(2025, 10, 1)
    )
    client.force_login(klantmanager)

    assert dashboard.attention_items(klantmanager)[-1]["count"] == 1
    assert "Geldwijzer" in client.get(reverse("guidance:activities")).content.decode()
    page = client.get(reverse("guidance:activity", args=[activity.pk])).content.decode()
    assert "aanwezigheid nog invullen" in page

    response = client.post(
        reverse("guidance:attendance", args=[session.pk]),
        {"deelnemer": [participant.pk], "aanwezig": [participant.pk]},
    )

    assert response.status_code == 302
    assert Attendance.objects.get().attended is True
    assert not dashboard.sessions_missing_attendance(klantmanager).exists()


def test_a_partner_coach_reaches_the_activities_its_participants_take_part_in(
    client, coach, klantmanager, participant, regeling, municipality_org
):
    taken_part_in = ActivityFactory(
        training=TrainingFactory(regeling=regeling), organisation=municipality_org
    )
    Enrollment.objects.create(
        activity=taken_part_in, participant=participant, enrolled_on=date(2025, 10, 1)
    )
    not_theirs = ActivityFactory(
        training=TrainingFactory(regeling=regeling, name="Budgetkids"),
        organisation=municipality_org,
    )
    client.force_login(coach)

    listed = client.get(reverse("guidance:activities")).context["activities"]
    assert list(listed) == [taken_part_in]
    assert client.get(reverse("guidance:activity", args=[taken_part_in.pk])).status_code == 200
    assert client.get(reverse("guidance:activity", args=[not_theirs.pk])).status_code == 404


def test_activity_of_another_region_is_404(client, klantmanager):
    foreign = ActivityFactory()
    client.force_login(klantmanager)

    assert client.get(reverse("guidance:activity", args=[foreign.pk])).status_code == 404


def test_planning_an_activity_through_the_form(client, klantmanager, regeling):
    training = TrainingFactory(regeling=regeling, name="Eurowijzer")
    client.force_login(klantmanager)

    response = client.post(
        reverse("guidance:activities"), {"training": training.pk, "level_group": "basic"}
    )

    assert response.status_code == 302
    assert regeling.activities.get().name == "Eurowijzer"


def test_hours_page_per_participant_and_organisation(
    client, klantmanager, participant, partner_org
):
    ContactFactory(participant=participant, duration_minutes=120, recorded_by=klantmanager)
    ParticipantFactory()  # another region: not listed
    client.force_login(klantmanager)

    response = client.get(reverse("guidance:hours"))

    html = response.content.decode()
    assert response.status_code == 200
    assert participant.full_name in html
    assert list(response.context["participants"]) == [participant]
    assert "2,0" in html
