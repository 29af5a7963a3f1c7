"""Outcome instruments beside self-reliance (issue 12): stress, language progress and the
number of agencies approached ship as data, a region uses them by choosing them in its
regeling, they are scheduled at the same moments, recorded through the participant's page
(a level or a count), and shown there and in the agenda; they never decide the end."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from ontzorg.exceptions import Refused
from ontzorg.measurements import dashboard, services
from ontzorg.measurements.constants import Moment, Perspective
from ontzorg.measurements.models import Measurement
from ontzorg.participants.tests.factories import active_participant
from ontzorg.regelingen.constants import InstrumentPurpose, InstrumentScale
from ontzorg.regelingen.models import Instrument
from ontzorg.regelingen.tests.factories import InstrumentFactory

pytestmark = pytest.mark.django_db

STRESS = "Ervaren geldstress"
LANGUAGE = "Taalvoortgang Nederlands (ERK)"
AGENCIES = "Aantal benaderde instanties"


@pytest.fixture
def zrm(regeling):
    instrument = InstrumentFactory(name="ZRM Financiën")
    regeling.instruments.add(instrument)
    return instrument


@pytest.fixture
def outcomes(regeling, zrm):
    """The region measures stress and agencies approached beside ZRM (as Zoetermeer does)."""
    stress, agencies = Instrument.objects.get(name=STRESS), Instrument.objects.get(name=AGENCIES)
    regeling.instruments.add(stress, agencies)
    return stress, agencies


@pytest.fixture
def participant(frozen_clock, regeling):
    return active_participant(regeling, bijstand_start_on=timezone.localdate() - timedelta(days=3))


def page(participant):
    return reverse("measurements:participant", args=[participant.pk])


def test_the_three_instruments_ship_as_data():
    stress = Instrument.objects.get(name=STRESS)
    language = Instrument.objects.get(name=LANGUAGE)
    agencies = Instrument.objects.get(name=AGENCIES)
    assert (stress.purpose, stress.scale) == (InstrumentPurpose.STRESS, InstrumentScale.LEVELS)
    assert [lv.rank for lv in stress.levels.all()] == [1, 2, 3, 4, 5]
    assert stress.levels.get(rank=5).label == "Geen stress over geld"
    assert language.purpose == InstrumentPurpose.LANGUAGE
    assert language.levels.get(rank=4).label.startswith("B1")
    assert (agencies.purpose, agencies.scale, agencies.max_count) == (
        InstrumentPurpose.AGENCIES,
        InstrumentScale.COUNT,
        30,
    )
    assert not agencies.levels.exists()
    # Outcome levels are not on the self-reliance scale and never "enough to stop".
    assert not stress.levels.filter(is_exit=True).exists()
    assert not stress.levels.exclude(category=None).exists()


def test_a_count_instrument_for_self_reliance_or_without_maximum_is_refused():
    with pytest.raises(ValidationError):
        Instrument(name="x", scale=InstrumentScale.COUNT, max_count=10).full_clean()
    with pytest.raises(ValidationError):
        Instrument(name="y", purpose=InstrumentPurpose.AGENCIES, scale="count").full_clean()


def test_only_a_region_that_chose_them_schedules_and_offers_them(
    client, klantmanager, participant, zrm
):
    client.force_login(klantmanager)
    html = client.get(page(participant)).content.decode()
    assert STRESS not in html and "Andere uitkomsten" not in html
    assert services.outcome_schedules_for(participant) == []


def test_outcomes_are_scheduled_at_the_same_moments_each_on_its_own(
    client, klantmanager, participant, outcomes, zrm
):
    client.force_login(klantmanager)
    html = client.get(page(participant)).content.decode()
    assert "Andere uitkomsten, gemeten op dezelfde momenten" in html
    assert STRESS in html and AGENCIES in html
    assert 'name="count"' in html

    own = [m.moment for m in services.schedule_for(participant)]
    for instrument, moments in services.outcome_schedules_for(participant):
        assert [m.moment for m in moments] == own
        assert all(m.instrument == instrument.name for m in moments)

    # The agenda (measurements dashboard) lists each outcome's nulmeting beside ZRM's.
    labels = {item.moment.label for item in services.due_measurements(klantmanager)}
    assert labels == {
        "nulmeting",
        f"nulmeting: {STRESS}",
        f"nulmeting: {AGENCIES}",
    }
    agenda = client.get(reverse("measurements:agenda")).content.decode()
    assert f"nulmeting: {STRESS}" in agenda
    items = {i["label"]: i["count"] for i in dashboard.attention_items(klantmanager)}
    assert items["Metingen te laat"] + items.get("Metingen deze week", 0) == 3


def test_recording_a_stress_level_and_a_count_through_the_page(
    client, klantmanager, participant, outcomes, zrm
):
    stress, agencies = outcomes
    today = timezone.localdate().isoformat()
    client.force_login(klantmanager)
    response = client.post(
        page(participant),
        {
            "instrument": stress.pk,
            "moment": Moment.NULMETING,
            "measured_on": today,
            "level": stress.levels.get(rank=2).pk,
            "perspective": Perspective.PARTICIPANT,
        },
    )
    assert response.status_code == 302
    response = client.post(
        page(participant),
        {
            "instrument": agencies.pk,
            "moment": Moment.NULMETING,
            "measured_on": today,
            "count": "4",
            "perspective": Perspective.JOINT,
        },
    )
    assert response.status_code == 302
    counted = Measurement.objects.get(instrument=agencies)
    assert (counted.count, counted.level) == (4, None)

    html = client.get(page(participant)).content.decode()
    assert "2. Veel stress over geld" in html
    assert f"{AGENCIES}: aantal per meting" in html
    assert f"{STRESS}: niveau per meting" in html

    stress_moments, agency_moments = (m for _i, m in services.outcome_schedules_for(participant))
    assert stress_moments[0].status == "done" and agency_moments[0].status == "done"
    # Neither counts as the self-reliance nulmeting, which is still open.
    assert services.schedule_for(participant)[0].status != "done"
    assert not services.is_ready_to_end(participant).ready


def test_a_count_out_of_range_or_a_level_for_a_count_is_refused(
    client, klantmanager, participant, outcomes
):
    stress, agencies = outcomes
    client.force_login(klantmanager)
    base = {
        "moment": Moment.NULMETING,
        "measured_on": timezone.localdate().isoformat(),
        "perspective": Perspective.JOINT,
    }
    too_many = client.post(page(participant), {**base, "instrument": agencies.pk, "count": "31"})
    assert too_many.status_code == 200
    assert "Hoogstens 30" in too_many.content.decode()
    no_level = client.post(page(participant), {**base, "instrument": stress.pk, "count": "2"})
    assert "Kies een niveau van dit instrument." in no_level.content.decode()
    assert not Measurement.objects.exists()

    with pytest.raises(Refused, match="aantal"):
        services.record_measurement(
            klantmanager,
            participant,
            instrument=agencies,
            moment=Moment.NULMETING,
            measured_on=timezone.localdate(),
            level=stress.levels.first(),
            perspective=Perspective.JOINT,
        )


def test_the_highest_stress_level_does_not_end_ontzorgen(
    client, klantmanager, participant, outcomes, zrm
):
    stress, _agencies = outcomes
    services.record_measurement(
        klantmanager,
        participant,
        instrument=zrm,
        moment=Moment.NULMETING,
        measured_on=timezone.localdate() - timedelta(days=1),
        level=zrm.levels.get(rank=1),
        perspective=Perspective.CASE_WORKER,
    )
    services.record_measurement(
        klantmanager,
        participant,
        instrument=stress,
        moment=Moment.NULMETING,
        measured_on=timezone.localdate(),
        level=stress.levels.get(rank=5),
        perspective=Perspective.CASE_WORKER,
    )
    readiness = services.is_ready_to_end(participant)
    assert not readiness.ready and readiness.measurement.instrument == zrm
    assert participant not in services.ready_to_end(klantmanager)


@pytest.fixture
def admin_client(client, municipality_org):
    from ontzorg.accounts.constants import RoleCode
    from ontzorg.accounts.tests.factories import UserFactory

    client.force_login(
        UserFactory(
            role_code=RoleCode.BEHEERDER,
            organisation=municipality_org,
            is_staff=True,
            is_superuser=True,
        )
    )
    return client


def instrument_post(name, purpose, scale, levels=(), max_count=""):
    data = {
        "name": name,
        "description": "",
        "purpose": purpose,
        "scale": scale,
        "max_count": str(max_count),
        "levels-TOTAL_FORMS": str(len(levels)),
        "levels-INITIAL_FORMS": "0",
        "levels-MIN_NUM_FORMS": "0",
        "levels-MAX_NUM_FORMS": "1000",
    }
    for i, (rank, label, category, is_exit) in enumerate(levels):
        data |= {f"levels-{i}-rank": str(rank), f"levels-{i}-label": label}
        data[f"levels-{i}-category"] = str(category or "")
        if is_exit:
            data[f"levels-{i}-is_exit"] = "on"
    return data


def test_the_admin_configures_outcome_instruments_by_their_own_rules(admin_client):
    add = reverse("admin:regelingen_instrument_add")
    calm = [(1, "onrustig", None, False), (2, "rustig", None, False)]
    response = admin_client.post(add, instrument_post("Rust", "stress", "levels", calm))
    assert response.status_code == 302
    assert Instrument.objects.get(name="Rust").levels.count() == 2

    exit_level = [(1, "onrustig", None, False), (2, "rustig", 3, True)]
    refused = admin_client.post(add, instrument_post("Rust 2", "stress", "levels", exit_level))
    assert "Alleen niveaus van financiële zelfredzaamheid" in refused.content.decode()

    response = admin_client.post(add, instrument_post("Loketten", "agencies", "count", [], 20))
    assert response.status_code == 302
    assert Instrument.objects.get(name="Loketten").max_count == 20
    with_levels = admin_client.post(
        add, instrument_post("Loketten 2", "agencies", "count", calm, 20)
    )
    assert "heeft geen niveaus" in with_levels.content.decode()
    assert not Instrument.objects.filter(name__in=["Rust 2", "Loketten 2"]).exists()
