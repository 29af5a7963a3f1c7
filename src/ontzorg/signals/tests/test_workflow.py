from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from ontzorg.accounts.constants import RoleCode
from ontzorg.accounts.tests.factories import UserFactory
from ontzorg.audit.models import AuditEntry
from ontzorg.exceptions import PermissionDenied, Refused
from ontzorg.participants.constants import Phase
from ontzorg.participants.models import Participant
from ontzorg.participants.tests.factories import ParticipantFactory, participant_in
from ontzorg.regelingen.tests.factories import RegelingFactory, RegionFactory
from ontzorg.signals import dashboard, services
from ontzorg.signals.constants import SignalKind, Status
from ontzorg.signals.models import ApiClient
from ontzorg.signals.report import Report
from ontzorg.signals.workdays import add_working_days


@pytest.fixture
def signal(guided):
    return services.raise_internal(
        SignalKind.NEGATIVE_BALANCE, guided, "Saldo € -12,00 na de huurbetaling", 1200
    )


@pytest.fixture
def queued(region, api_client_and_token):
    api, _token = api_client_and_token
    report = Report(
        kind="opzegging",
        reported_on=timezone.localdate(),
        postcode="2711 AB",
        house_number="12A",
        date_of_birth=date(1980, 3, 16),
        name="Onbekend",
        reference="Q-1",
    )
    return services.receive_from_api(api, report, region)[0]


@pytest.mark.django_db
def test_new_signal_is_due_in_five_working_days(frozen_clock, signal, klantmanager):
    today = timezone.localdate()
    assert signal.status == Status.NEW
    assert signal.due_on == add_working_days(today, 5)
    assert signal.assigned_to == klantmanager
    (arrival,) = signal.history.all()
    assert arrival.to_status == Status.NEW and arrival.due_on == signal.due_on


@pytest.mark.django_db
def test_workflow_steps_move_the_due_date_and_keep_history(frozen_clock, signal, klantmanager):
    today = timezone.localdate()
    signal = services.change_status(klantmanager, signal, Status.CONTACTED, "Gebeld")
    assert signal.due_on == add_working_days(today, 10)
    signal = services.change_status(klantmanager, signal, Status.ARRANGEMENT, "Regeling 3 mnd")
    assert signal.due_on == add_working_days(today, 20)
    signal = services.change_status(klantmanager, signal, Status.CLOSED, "Afgelost")
    assert signal.due_on is None and not signal.is_open
    steps = [(c.from_status, c.to_status, c.note) for c in signal.history.all()]
    assert steps == [
        ("", Status.NEW, ""),
        (Status.NEW, Status.CONTACTED, "Gebeld"),
        (Status.CONTACTED, Status.ARRANGEMENT, "Regeling 3 mnd"),
        (Status.ARRANGEMENT, Status.CLOSED, "Afgelost"),
    ]
    assert AuditEntry.objects.filter(object_id=str(signal.pk), actor=klantmanager).count() == 3


@pytest.mark.django_db
def test_steps_cannot_go_back_or_jump_to_debt_help_without_contact(signal, klantmanager):
    with pytest.raises(Refused):
        services.change_status(klantmanager, signal, Status.DEBT_HELP)
    services.change_status(klantmanager, signal, Status.CONTACTED)
    with pytest.raises(Refused):
        services.change_status(klantmanager, signal, Status.NEW)


@pytest.mark.django_db
def test_coach_follows_up_own_participants_projectleider_only_reads(
    signal, coach, municipality_org
):
    assert services.change_status(coach, signal, Status.CONTACTED).status == Status.CONTACTED
    projectleider = UserFactory(role_code=RoleCode.PROJECTLEIDER, organisation=municipality_org)
    with pytest.raises(PermissionDenied):
        services.change_status(projectleider, signal, Status.CLOSED)


@pytest.mark.django_db
def test_status_form_through_the_page(client, klantmanager, signal):
    client.force_login(klantmanager)
    response = client.post(
        f"/signalen/{signal.pk}/status/", {"status": Status.CONTACTED, "note": "Huisbezoek"}
    )
    assert response.status_code == 302
    signal.refresh_from_db()
    assert signal.status == Status.CONTACTED
    response = client.post(f"/signalen/{signal.pk}/status/", {"status": Status.NEW})
    assert response.status_code == 400


@pytest.mark.django_db
def test_matching_by_hand_is_audited_and_routes(client, klantmanager, guided, queued, partner_org):
    client.force_login(klantmanager)
    response = client.post(
        f"/signalen/{queued.pk}/koppelen/", {"bsn": guided.bsn, "note": "zelfde adres"}
    )
    assert response.status_code == 302
    queued.refresh_from_db()
    assert queued.participant == guided
    assert queued.matched_by == klantmanager
    assert queued.assigned_to == klantmanager
    assert queued.assigned_organisation == partner_org
    entry = AuditEntry.objects.get(participant=guided, summary__startswith="signaal handmatig")
    assert entry.actor == klantmanager and "zelfde adres" in entry.summary


@pytest.mark.django_db
def test_matching_by_hand_refuses_other_regions_and_the_wrong_roles(
    queued, klantmanager, beheerder, coach
):
    elsewhere = ParticipantFactory(regeling=RegelingFactory(region=RegionFactory(slug="elders")))
    with pytest.raises(Participant.DoesNotExist):  # not visible to her: the page says 404
        services.match_by_hand(klantmanager, queued, elsewhere)
    with pytest.raises(Refused):  # visible to the beheerder, but not the signal's region
        services.match_by_hand(beheerder, queued, elsewhere)
    with pytest.raises(PermissionDenied):
        services.match_by_hand(coach, queued, elsewhere)
    queued.refresh_from_db()
    assert queued.participant is None


@pytest.mark.django_db
def test_queued_signal_can_only_be_closed_with_a_reason(queued, klantmanager):
    with pytest.raises(Refused):
        services.change_status(klantmanager, queued, Status.CONTACTED, "x")
    with pytest.raises(Refused):
        services.change_status(klantmanager, queued, Status.CLOSED, "")
    closed = services.change_status(klantmanager, queued, Status.CLOSED, "Geen deelnemer")
    assert closed.status == Status.CLOSED and closed.participant is None


@pytest.mark.django_db
def test_internal_signals_flag_after_end_and_are_idempotent_by_reference(regeling):
    person = participant_in(Phase.NAZORG, regeling)
    first = services.raise_internal(
        SignalKind.UNCONFIRMED_PAYMENT,
        person,
        "Huur maart niet bevestigd",
        84500,
        reference="E2E-1",
    )
    again = services.raise_internal(
        SignalKind.UNCONFIRMED_PAYMENT,
        person,
        "Huur maart niet bevestigd",
        84500,
        reference="E2E-1",
    )
    assert first.pk == again.pk and first.after_end
    with pytest.raises(ValueError):
        services.raise_internal(SignalKind.ARREARS, person, "geen intern soort")


@pytest.mark.django_db
def test_attention_items(klantmanager, coach, signal, queued):
    items = {i["label"]: i for i in dashboard.attention_items(klantmanager)}
    assert items["Nieuwe signalen, nog geen contact"]["count"] == 2
    assert items["Signalen zonder deelnemer (wachtrij)"] == {
        "label": "Signalen zonder deelnemer (wachtrij)",
        "count": 1,
        "url": "/signalen/?wachtrij=on",
    }
    coach_items = {i["label"]: i["count"] for i in dashboard.attention_items(coach)}
    # The signal goes to the coach's organisation (the default route), so it is theirs too.
    assert coach_items == {
        "Nieuwe signalen, nog geen contact": 1,
        "Nieuwe signalen voor u of uw organisatie": 1,
    }


@pytest.mark.django_db
def test_create_token_command_prints_the_token_once(region):
    out = StringIO()
    call_command(
        "signals_create_token",
        "Evides",
        "--kind",
        "water",
        "--region",
        region.slug,
        stdout=out,
        stderr=StringIO(),
    )
    token = out.getvalue().strip()
    client = ApiClient.objects.get(name="Evides")
    assert services.authenticate(f"Bearer {token}") == client
    call_command("signals_create_token", "Evides", "--rotate", stdout=StringIO(), stderr=StringIO())
    assert services.authenticate(f"Bearer {token}") is None


@pytest.mark.django_db
def test_admin_shows_a_new_token_once(admin_client, region):
    response = admin_client.post(
        "/beheer/signals/apiclient/add/",
        {"name": "Vitens", "creditor_kind": "water", "regions": [region.pk], "is_active": "on"},
    )
    assert response.status_code == 200
    client = ApiClient.objects.get(name="Vitens")
    token = response.context["token"]
    assert services.authenticate(f"Bearer {token}") == client
    assert list(client.regions.all()) == [region]
    page = admin_client.get(f"/beheer/signals/apiclient/{client.pk}/change/").content.decode()
    assert token not in page
