"""The personal page over HTTP: the mock DigiD login maps the BSN to the participant, a BSN
without a trajectory gets the calm page, the participant sees only their own data, and staff
and participant logins never mix. Every login, refusal, logout and view is audited."""

import pytest
from django.test import Client
from django.urls import reverse

from ontzorg.audit.models import AuditEntry
from ontzorg.portal import services

pytestmark = pytest.mark.django_db

UNKNOWN_BSN = "111222333"  # passes the 11-test, belongs to no one


def _logged_in(world) -> Client:
    from .conftest import digid_login

    client = Client()
    response = digid_login(client, world.participant.bsn)
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:overview")
    return client


def test_the_mock_digid_login_maps_the_bsn_to_the_participant(world):
    client = _logged_in(world)
    page = client.get(reverse("portal:overview"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Amanuel" in text
    assert world.other.last_name not in text
    # Nothing of the household beyond the participant: no housemate's name, no BSN.
    assert "Huisgenootnaam" not in text
    assert world.participant.bsn not in text
    assert 'lang="nl"' in text
    entry = AuditEntry.objects.filter(event="portal.logged_in").get()
    assert entry.participant_id == world.participant.pk
    assert entry.actor is None and entry.actor_name == services.ACTOR_NAME
    assert AuditEntry.objects.filter(event="portal.viewed", participant=world.participant).exists()


def test_an_unknown_bsn_gets_the_calm_page_and_an_audit_entry(world):
    from .conftest import digid_login

    client = Client()
    response = digid_login(client, UNKNOWN_BSN)
    assert response.status_code == 200
    assert "Er is hier niets te zien" in response.content.decode()
    entry = AuditEntry.objects.filter(event="portal.login_refused").get()
    assert entry.participant is None
    assert UNKNOWN_BSN not in str(entry.params)
    assert client.get(reverse("portal:overview"))["Location"] == reverse("portal:start")


def test_another_month_or_participant_is_not_reachable(world):
    client = _logged_in(world)
    assert client.get(reverse("portal:overview_month", args=["2020-01"])).status_code == 404
    assert client.get(reverse("portal:overview_month", args=["nonsense"])).status_code == 404
    # The page takes no participant from the request: a foreign id changes nothing.
    page = client.get(reverse("portal:overview") + f"?participant={world.other.pk}")
    assert world.other.last_name not in page.content.decode()


def test_staff_pages_refuse_a_participant_session(world):
    client = _logged_in(world)
    for url in ("/", "/deelnemers/", f"/deelnemers/{world.participant.pk}/", "/beheer/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(("/inloggen/", "/beheer/login/")), url


def test_a_staff_session_is_no_participant_session(world):
    staff = Client()
    staff.force_login(world.boss)
    assert staff.get(reverse("portal:overview")).status_code == 403

    assert digid_login_refused(staff, world.participant.bsn)
    assert AuditEntry.objects.filter(event="portal.logged_in").count() == 0
    assert AuditEntry.objects.filter(event="portal.login_refused").count() == 1


def digid_login_refused(client, bsn) -> bool:
    response = client.get(reverse("portal:acs") + f"?bsn={bsn}")
    return response.status_code == 403


def test_language_switch_and_rtl(world):
    client = _logged_in(world)
    response = client.post(reverse("portal:language"), {"language": "ar"})
    assert response.status_code == 302
    text = client.get(reverse("portal:overview")).content.decode()
    assert 'lang="ar"' in text and 'dir="rtl"' in text
    client.post(reverse("portal:language"), {"language": "ti"})
    text = client.get(reverse("portal:overview")).content.decode()
    assert 'lang="ti"' in text and 'dir="ltr"' in text


def test_posts_need_csrf(world):
    client = Client(enforce_csrf_checks=True)
    from .conftest import digid_login

    # The mock DigiD form needs its token too: log in with a non-enforcing client, then reuse.
    login = Client()
    digid_login(login, world.participant.bsn)
    client.cookies = login.cookies
    assert client.post(reverse("portal:logout")).status_code == 403
    assert client.post(reverse("portal:language"), {"language": "ar"}).status_code == 403


def test_logout_ends_the_session_and_is_audited(world, frozen_clock):
    client = _logged_in(world)
    assert client.post(reverse("portal:logout")).status_code == 200
    assert client.get(reverse("portal:overview"))["Location"] == reverse("portal:start")
    assert AuditEntry.objects.filter(
        event="portal.logged_out", participant=world.participant
    ).exists()


def test_the_session_expires(world, frozen_clock, settings):
    client = _logged_in(world)
    frozen_clock.shift(settings.ONTZORG_PORTAL_SESSION_SECONDS + 1)
    assert client.get(reverse("portal:overview"))["Location"] == reverse("portal:start")


def test_portal_entries_show_in_the_participants_inzage(world):
    """ "Who looked" names the participant's own logins and views, not "Ontzorg"."""
    from ontzorg.privacy import inzage

    _logged_in(world)
    found = {s.key: s for s in inzage.sections(world.participant)}["audit"]
    rows = found.display_rows()
    assert any(services.ACTOR_NAME in row for row in rows)
