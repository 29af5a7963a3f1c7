"""Referrals to regular services: recorded by the coach or the case worker on the guidance
page, their status changed there, shown on the participant's timeline, counted for the
monitor; scoped like the rest of guidance, kept out of reach of roles without the right."""

from datetime import date

import pytest
from django.urls import reverse

from ontzorg.accounts.tests.factories import OrganisationFactory
from ontzorg.audit.models import AuditEntry
from ontzorg.guidance import services
from ontzorg.guidance.constants import ReferralOrganisation, ReferralStatus
from ontzorg.guidance.models import Referral
from ontzorg.guidance.querysets import referral_counts
from ontzorg.participants.tests.factories import ParticipantFactory
from ontzorg.privacy import retention
from ontzorg.privacy.constants import ANONYMISED, Term

pytestmark = pytest.mark.django_db


@pytest.fixture
def participant(regeling, partner_org):
    return ParticipantFactory(regeling=regeling, guidance_organisation=partner_org)


def _refer(client, participant, **values):
    data = {
        "kind": ReferralOrganisation.DEBT_COUNSELLING,
        "organisation_name": "Schuldhulp Zoetermeer",
        "referred_on": "2026-02-10",
        "reason": "Achterstand bij de energieleverancier en een CJIB-boete.",
        "status": ReferralStatus.REFERRED,
    }
    return client.post(reverse("guidance:referral", args=[participant.pk]), {**data, **values})


def test_coach_records_a_referral_and_changes_its_status(client, frozen_clock, coach, participant):
    client.force_login(coach)

    assert _refer(client, participant).status_code == 302
    referral = Referral.objects.get()
    assert (referral.recorded_by, referral.organisation) == (coach, coach.organisation)
    assert referral.status_on == date(2026, 2, 10)

    response = client.post(
        reverse("guidance:referral_status", args=[participant.pk]),
        {"referral": referral.pk, "status": ReferralStatus.ACCEPTED, "status_on": "2026-03-02"},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.status_on) == (ReferralStatus.ACCEPTED, date(2026, 3, 2))
    change = AuditEntry.objects.get(event="guidance.referral_status_changed")
    assert change.changes["status"] == ["referred", "accepted"]

    html = client.get(reverse("guidance:participant", args=[participant.pk])).content.decode()
    assert "Schuldhulp Zoetermeer" in html and "aangenomen door de organisatie" in html


def test_the_referral_shows_on_the_timeline(client, frozen_clock, klantmanager, participant):
    client.force_login(klantmanager)
    _refer(client, participant, kind=ReferralOrganisation.WIJKTEAM, organisation_name="")
    referral = Referral.objects.get()
    services.change_referral_status(
        klantmanager, referral, status=ReferralStatus.CLOSED, on=date(2026, 3, 12)
    )

    html = client.get(reverse("participants:detail", args=[participant.pk])).content.decode()

    assert "Verwijzing naar wijkteam" in html
    assert "Verwijzing naar wijkteam: afgesloten: de hulp is beëindigd" in html


@pytest.mark.parametrize(
    ("values", "error"),
    [
        ({"referred_on": "2026-03-17"}, "De datum van verwijzing kan niet in de toekomst liggen."),
        (
            {"kind": ReferralOrganisation.OTHER, "organisation_name": ""},
            "Noem de organisatie waarnaar de deelnemer is verwezen.",
        ),
        ({"reason": ""}, "Dit veld is verplicht."),
    ],
)
def test_an_incomplete_referral_is_refused_with_a_clear_error(
    client, frozen_clock, klantmanager, participant, values, error
):
    client.force_login(klantmanager)

    response = _refer(client, participant, **values)

    assert response.status_code == 200 and error in response.content.decode()
    assert not Referral.objects.exists()


def test_a_status_before_the_referral_or_of_someone_else_is_refused(
    client, frozen_clock, klantmanager, participant, regeling
):
    client.force_login(klantmanager)
    _refer(client, participant)
    other = ParticipantFactory(regeling=regeling)
    _refer(client, other)
    mine, theirs = Referral.objects.order_by("pk")
    url = reverse("guidance:referral_status", args=[participant.pk])

    early = client.post(
        url, {"referral": mine.pk, "status": ReferralStatus.CLOSED, "status_on": "2026-01-01"}
    )
    assert "De stand kan niet vóór de verwijzing liggen." in early.content.decode()
    foreign = client.post(
        url, {"referral": theirs.pk, "status": ReferralStatus.CLOSED, "status_on": "2026-03-01"}
    )
    assert foreign.status_code == 200
    assert set(Referral.objects.values_list("status", flat=True)) == {ReferralStatus.REFERRED}


def test_referrals_are_scoped_and_need_the_right(
    client, frozen_clock, coach, backoffice, participant, regeling
):
    other_org = OrganisationFactory(kind="partner", region=regeling.region)
    not_mine = ParticipantFactory(regeling=regeling, guidance_organisation=other_org)
    client.force_login(coach)
    assert _refer(client, not_mine).status_code == 404
    client.force_login(backoffice)
    assert _refer(client, participant).status_code == 403
    assert not Referral.objects.exists()


def test_the_monitor_counts_referrals_per_participant_and_kind(
    frozen_clock, klantmanager, participant, regeling
):
    other = ParticipantFactory(regeling=regeling)
    nobody = ParticipantFactory(regeling=regeling)
    for person, kind, day in [
        (participant, ReferralOrganisation.DEBT_COUNSELLING, date(2025, 11, 1)),
        (participant, ReferralOrganisation.DEBT_COUNSELLING, date(2026, 2, 1)),
        (participant, ReferralOrganisation.WIJKTEAM, date(2026, 3, 1)),
        (other, ReferralOrganisation.BEWINDVOERING, date(2026, 1, 5)),
    ]:
        services.record_referral(
            klantmanager, person, kind=kind, referred_on=day, reason="Vastgelopen post"
        )
    ids = [participant.pk, other.pk, nobody.pk]

    assert referral_counts(ids) == {
        participant.pk: {"schuldhulp": 2, "wijkteam": 1},
        other.pk: {"bewindvoering": 1},
    }
    assert referral_counts(ids, until=date(2026, 1, 31)) == {
        participant.pk: {"schuldhulp": 1},
        other.pk: {"bewindvoering": 1},
    }


def test_anonymising_blanks_the_reason_and_keeps_the_referral(
    frozen_clock, klantmanager, participant
):
    services.record_referral(
        klantmanager,
        participant,
        kind=ReferralOrganisation.SOCIAL_COUNSELLORS,
        referred_on=date(2026, 1, 5),
        reason="Bezwaar tegen de terugvordering van zorgtoeslag",
    )

    retention.anonymise(participant.pk, Term.PARTICIPANT, date(2026, 1, 5))

    referral = Referral.objects.get()
    assert referral.reason == ANONYMISED
    assert (referral.kind, referral.referred_on) == ("raadslieden", date(2026, 1, 5))
