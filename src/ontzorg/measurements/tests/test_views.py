"""The measurement pages: scoped to the user's region, the form records, the chart is
accessible (title, desc) and the agenda lists what is due."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ontzorg.measurements import dashboard
from ontzorg.measurements.constants import Moment, Perspective
from ontzorg.measurements.models import Measurement
from ontzorg.participants.tests.factories import ParticipantFactory, active_participant
from ontzorg.regelingen.tests.factories import InstrumentFactory

from .factories import MeasurementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def zrm(regeling):
    instrument = InstrumentFactory(name="ZRM Financiën")
    regeling.instruments.add(instrument)
    return instrument


@pytest.fixture
def participant(regeling):
    return active_participant(regeling, bijstand_start_on=timezone.localdate() - timedelta(days=30))


def test_page_renders_chart_table_and_schedule_for_a_klantmanager(
    client, klantmanager, participant, zrm
):
    MeasurementFactory(
        participant=participant, instrument=zrm, rank=2, measured_on=date(2025, 9, 2)
    )
    MeasurementFactory(
        participant=participant, instrument=zrm, rank=4, measured_on=date(2025, 12, 2)
    )
    client.force_login(klantmanager)

    response = client.get(reverse("measurements:participant", args=[participant.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<title id=" in html and "<desc id=" in html
    assert "2 metingen. 02-09-2025: niveau 2" in html
    assert "Exitniveau bereikt" in html
    assert "Nulmeting" in html  # the schedule
    assert 'name="level"' in html
    svg = html[html.index("<svg") : html.index("</svg>")]
    numbers = re.findall(r'\b(?:x|y|x1|x2|y1|y2|cx|cy)="([^"]*)"', svg)
    assert numbers and all(re.fullmatch(r"\d+(?:\.\d+)?", n) for n in numbers), numbers


def test_another_regions_participant_is_404(client, klantmanager, zrm):
    elsewhere = ParticipantFactory()
    client.force_login(klantmanager)

    assert client.get(reverse("measurements:participant", args=[elsewhere.pk])).status_code == 404


def test_posting_the_form_records_a_measurement(client, klantmanager, participant, zrm):
    client.force_login(klantmanager)
    level = zrm.levels.get(rank=3)

    response = client.post(
        reverse("measurements:participant", args=[participant.pk]),
        {
            "instrument": zrm.pk,
            "moment": Moment.NULMETING,
            "measured_on": timezone.localdate().isoformat(),
            "level": level.pk,
            "perspective": Perspective.JOINT,
            "notes": "samen ingevuld",
        },
    )

    assert response.status_code == 302
    measurement = Measurement.objects.get()
    assert (measurement.level, measurement.perspective, measurement.assessed_by) == (
        level,
        Perspective.JOINT,
        klantmanager,
    )


def test_a_role_without_the_right_sees_the_page_but_may_not_post(
    client, backoffice, participant, zrm
):
    client.force_login(backoffice)
    url = reverse("measurements:participant", args=[participant.pk])

    page = client.get(url)
    assert page.status_code == 200 and 'name="level"' not in page.content.decode()
    assert client.post(url, {"instrument": zrm.pk}).status_code == 403
    assert not Measurement.objects.exists()


def test_agenda_lists_overdue_and_ready(client, klantmanager, participant, zrm):
    ready = active_participant(
        participant.regeling, bijstand_start_on=participant.bijstand_start_on
    )
    MeasurementFactory(
        participant=ready,
        instrument=zrm,
        rank=5,
        measured_on=timezone.localdate() - timedelta(days=20),
    )
    client.force_login(klantmanager)

    html = client.get(reverse("measurements:agenda")).content.decode()

    assert participant.full_name in html  # nulmeting overdue
    assert "te laat" in html
    items = {item["label"]: item["count"] for item in dashboard.attention_items(klantmanager)}
    assert items["Metingen te laat"] == 1
    assert items["Exitniveau bereikt: einde ontzorgen in beeld"] == 1
