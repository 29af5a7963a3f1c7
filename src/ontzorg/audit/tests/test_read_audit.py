"""Reading is audited in the admin: every list and page of a model that shows a BSN or an
IBAN, and every search in the audit trail, with searched numbers masked."""

import pytest
from django.urls import reverse

from ontzorg.accounts.tests.factories import UserFactory
from ontzorg.audit import events
from ontzorg.audit.models import AuditEntry
from ontzorg.participants.tests.factories import ParticipantFactory
from ontzorg.signals.tests.factories import SignalFactory

BSN = "999999990"


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    return client


def _entries(event):
    return AuditEntry.objects.filter(event=event.code).order_by("pk")


def test_a_signal_list_and_page_are_audited(admin_client, regeling):
    signal = SignalFactory(participant=ParticipantFactory(regeling=regeling), bsn=BSN)
    url = reverse("admin:signals_signal_changelist")
    assert admin_client.get(url, {"q": BSN}).status_code == 200
    listed = _entries(events.ADMIN_LIST_VIEWED).get()
    assert listed.params["search"] == "*******90"
    assert BSN not in str(listed.params) + listed.summary
    admin_client.get(url)
    assert _entries(events.ADMIN_LIST_VIEWED).last().changes["getoond"] == [None, [str(signal.pk)]]

    page = admin_client.get(reverse("admin:signals_signal_change", args=[signal.pk]))
    assert page.status_code == 200
    opened = _entries(events.ADMIN_VIEWED).get()
    assert opened.object_id == str(signal.pk) and opened.participant == signal.participant


def test_the_participant_admin_list_is_audited_once_per_view(admin_client, regeling):
    ParticipantFactory(regeling=regeling)
    admin_client.get(reverse("admin:participants_participant_changelist"))
    assert _entries(events.ADMIN_LIST_VIEWED).count() == 1


def test_a_list_without_bsn_or_iban_is_not_audited(admin_client):
    admin_client.get(reverse("admin:monitor_study_changelist"))
    assert not _entries(events.ADMIN_LIST_VIEWED).exists()


def test_a_search_in_the_audit_trail_is_audited_masked(admin_client):
    url = reverse("admin:audit_auditentry_changelist")
    admin_client.get(url)
    assert not _entries(events.TRAIL_SEARCHED).exists()
    admin_client.get(url, {"q": BSN})
    entry = _entries(events.TRAIL_SEARCHED).get()
    assert entry.params["search"] == "*******90"
    assert BSN not in entry.summary


def test_opening_an_entry_with_a_bsn_in_its_changes_is_audited(admin_client, regeling):
    from ontzorg.audit.services import record

    person = ParticipantFactory(regeling=regeling)
    with_bsn = record(
        None,
        events.ADMIN_CHANGED,
        person,
        participant=person,
        changes={"bsn": ["", BSN]},
        model="deelnemer",
    )
    plain = record(
        None,
        events.ADMIN_CHANGED,
        object_type="regelingen.Region",
        changes={"naam": ["a", "b"]},
        model="regio",
    )
    for entry in (plain, with_bsn):
        page = admin_client.get(reverse("admin:audit_auditentry_change", args=[entry.pk]))
        assert page.status_code == 200
    opened = _entries(events.ADMIN_VIEWED).get()  # the entry about a person only
    assert opened.object_id == str(with_bsn.pk) and opened.participant == person
