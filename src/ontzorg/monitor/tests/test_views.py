"""The monitor's pages: who may open them, what they show, and that exports are audited."""

import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from ontzorg import navigation
from ontzorg.audit.constants import Action
from ontzorg.audit.models import AuditEntry
from ontzorg.monitor.models import MeasurementMoment, Snapshot
from ontzorg.monitor.tests.factories import AS_OF, MomentFactory, pilot
from ontzorg.regelingen.tests.factories import RegelingFactory


@pytest.fixture
def data(regeling, projectleider):
    from ontzorg.monitor import services

    found = pilot(regeling, n=6)
    services.build_snapshot(projectleider, MomentFactory(region=regeling.region), today=AS_OF)
    return found


def _client(client, user):
    client.force_login(user)
    return client


def test_klantmanager_and_coach_cannot_export(db, client, data, klantmanager, coach):
    for user in (klantmanager, coach):
        c = _client(client, user)
        assert c.get(reverse("monitor:export")).status_code == 403
        assert c.post(reverse("monitor:export"), {"part": "xlsx"}).status_code == 403
        assert c.get(reverse("monitor:codebook")).status_code == 403
    assert not AuditEntry.objects.filter(action=Action.EXPORT).exists()


def test_projectleider_downloads_and_the_export_is_audited(db, client, data, projectleider):
    c = _client(client, projectleider)
    page = c.get(reverse("monitor:export"))
    assert page.status_code == 200 and "Codeboek downloaden" in page.text
    slug = data.regeling.region.slug
    response = c.post(reverse("monitor:export"), {"region": slug, "part": "deelnemers"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    response = c.post(reverse("monitor:export"), {"region": slug, "part": "xlsx"})
    assert response.content[:2] == b"PK"
    assert AuditEntry.objects.filter(action=Action.EXPORT, actor=projectleider).count() == 2


def test_evaluator_exports_all_regions_at_once(db, client, data, projectleider, evaluator):
    """The default choice "Alle regio's" (an empty value) gives one file of every region."""
    from ontzorg.monitor import services

    other = RegelingFactory()
    pilot(other, n=5)
    services.build_snapshot(evaluator, MomentFactory(region=other.region), today=AS_OF)
    c = _client(client, evaluator)
    page = c.get(reverse("monitor:export"))
    assert '<option value="" selected>Alle regio&#x27;s</option>' in page.text
    response = c.post(reverse("monitor:export"), {"region": "", "part": "aggregaten"})
    assert response.status_code == 200, response.text
    assert "alle-regios" in response["Content-Disposition"]
    regions = {line.split(";")[0] for line in response.content.decode("utf-8-sig").splitlines()}
    assert {data.regeling.region.slug, other.region.slug} <= regions


def test_the_export_page_explains_when_there_is_nothing(db, client, projectleider):
    page = _client(client, projectleider).get(reverse("monitor:export"))
    assert "nog geen momentopname" in page.text


def test_dashboard_draws_accessible_charts_for_the_own_region(db, client, data, projectleider):
    region = data.regeling.region
    c = _client(client, projectleider)
    assert c.get(reverse("monitor:dashboard")).url == reverse("monitor:region", args=[region.slug])
    page = c.get(reverse("monitor:region", args=[region.slug]))
    assert page.status_code == 200
    html = page.text
    assert html.count('<svg role="img"') >= 8
    assert html.count("<title id=") == html.count('<svg role="img"')
    assert html.count("<desc id=") == html.count('<svg role="img"')
    assert "Zelfredzaamheid: van nulmeting naar nu" in html and "<table>" in html
    assert not re.search(r'(?:src|href)="(?:https?:)?//', html), "no external resources"
    coordinates = re.findall(r'\b(?:x|y|x1|x2|y1|y2|width|height|dy)="([^"]*)"', html)
    assert coordinates and all(re.fullmatch(r"-?\d+(?:\.\d+)?%?", c) for c in coordinates)


def test_chart_coordinates_stay_numeric_in_dutch(db, client, data, projectleider):
    """Dutch formatting writes 216,0; in SVG that is not a number and the chart falls apart."""
    region = data.regeling.region
    c = _client(client, projectleider)
    with translation.override("nl"):
        html = c.get(reverse("monitor:region", args=[region.slug]), HTTP_ACCEPT_LANGUAGE="nl").text
    assert not re.findall(r'\b(?:x|y|width|height)="\d+,\d+"', html)


def test_dashboard_of_another_region_is_not_found(db, client, data, projectleider):
    """Another region answers as one that does not exist: no hint that it does."""
    other = RegelingFactory().region
    c = _client(client, projectleider)
    assert c.get(reverse("monitor:region", args=[other.slug])).status_code == 404
    assert c.get(reverse("monitor:region", args=["bestaat-niet"])).status_code == 404


def test_dashboard_is_not_for_case_workers_and_coaches(db, client, data, klantmanager, coach):
    for user in (klantmanager, coach):
        assert _client(client, user).get(reverse("monitor:dashboard")).status_code == 403


def test_evaluator_sees_all_regions_with_small_groups_hidden(db, client, data, evaluator):
    other = RegelingFactory(region__name="Capelle", region__slug="capelle")
    pilot(other, n=3)
    page = _client(client, evaluator).get(reverse("monitor:dashboard"))
    assert page.status_code == 200
    assert "Monitor: alle regio" in page.text and "Capelle" in page.text
    assert "Groepen van minder dan 5 deelnemers worden niet getoond" in page.text


def test_moments_are_set_and_snapshots_made_from_the_page(db, client, regeling, projectleider):
    pilot(regeling, n=5)
    c = _client(client, projectleider)
    url = reverse("monitor:moments")
    data = {"region": regeling.region.pk, "name": "Eerste meting", "on": "2026-03-31"}
    assert c.post(url, data).status_code == 302
    again = c.post(url, data)
    assert again.status_code == 400 and "al een meetmoment" in again.text
    moment = MeasurementMoment.objects.get()
    assert c.post(reverse("monitor:build", args=[moment.pk])).status_code == 302
    assert Snapshot.objects.get().row_count == 5
    page = c.get(url)
    assert "gemaakt" in page.text and "5 deelnemers" in page.text


def test_a_moment_in_the_future_cannot_be_built(db, client, regeling, projectleider):
    moment = MomentFactory(region=regeling.region, on=date(2099, 1, 1))
    c = _client(client, projectleider)
    response = c.post(reverse("monitor:build", args=[moment.pk]), follow=True)
    assert "pas op of na de peildatum" in response.text
    assert not Snapshot.objects.exists()


def test_caseload_counts_per_case_worker(db, client, data, klantmanager, evaluator):
    for participant in data.people[:4]:
        participant.case_worker = klantmanager
        participant.save()
    page = _client(client, klantmanager).get(reverse("monitor:caseload"))
    assert page.status_code == 200
    line = next(x for x in page.context["lines"] if x.person == klantmanager)
    assert line.participants == 4
    assert page.context["totals"]["participants"] == 6
    assert _client(client, evaluator).get(reverse("monitor:caseload")).status_code == 403


def test_menu_shows_only_what_the_role_may_open(db, rf, projectleider, klantmanager, evaluator):
    def labels(user):
        request = rf.get("/")
        request.user = user
        return {link.label for link in navigation.links_for(request)}

    assert {"Monitor", "Evaluatie-export", "Caseload"} <= labels(projectleider)
    assert "Monitor" not in labels(klantmanager) and "Evaluatie-export" not in labels(klantmanager)
    assert "Caseload" in labels(klantmanager)
    assert {"Monitor", "Evaluatie-export"} <= labels(evaluator)
    assert "Caseload" not in labels(evaluator)
