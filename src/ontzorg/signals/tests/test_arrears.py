"""The arrears list per creditor for a month (Zoetermeer's monthly meeting with the housing
corporations): page and CSV, scoped, every showing audited per participant, safe in a
spreadsheet, with a month chooser and empty states. Signals arrive through the API."""

import csv
import io
import json

import pytest
from django.urls import reverse

from ontzorg.accounts.constants import RoleCode
from ontzorg.accounts.tests.factories import UserFactory
from ontzorg.audit.models import AuditEntry
from ontzorg.participants.tests.factories import ParticipantFactory
from ontzorg.signals.constants import Status
from ontzorg.signals.models import Signal

from .factories import api_client_with_token

pytestmark = pytest.mark.django_db

API = "/signalen/api/v1/signalen"
PAGE = "/signalen/achterstanden/"
CSV = "/signalen/achterstanden/csv/"


def report(client, token, bsn, reference, reported_on, cents=84500, months=2):
    body = {
        "referentie": reference,
        "soort": "betalingsachterstand",
        "gemeld_op": reported_on,
        "bsn": bsn,
        "bedrag_cent": cents,
        "maanden_achterstand": months,
    }
    response = client.post(
        API,
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 201, response.content
    return Signal.objects.get(reference=reference)


@pytest.fixture
def reported(client, frozen_clock, region, guided, unguided, klantmanager):
    """Woonstad reports Haddad (guided) and the unguided participant in March, someone else
    in February; Vidomes reports Haddad in March. The case worker calls about Haddad."""
    _woonstad, token = api_client_with_token(region, name="Woonstad")
    _vidomes, other = api_client_with_token(region, name="Vidomes")
    february = ParticipantFactory(regeling=guided.regeling, last_name="Februari")
    signals = {
        "haddad": report(client, token, guided.bsn, "W-1", "2026-03-02"),
        "unguided": report(client, token, unguided.bsn, "W-2", "2026-03-09", 41250, 1),
        "february": report(client, token, february.bsn, "W-3", "2026-02-20"),
        "vidomes": report(client, other, guided.bsn, "V-1", "2026-03-03", 12000, 1),
    }
    client.force_login(klantmanager)
    response = client.post(
        reverse("signals:status", args=[signals["haddad"].pk]),
        {"status": Status.CONTACTED, "note": '=HYPERLINK("http://x") gebeld, regeling volgt'},
    )
    assert response.status_code == 302
    client.logout()
    return signals


def test_the_page_lists_the_creditors_arrears_of_the_month(
    client, reported, klantmanager, guided, unguided
):
    client.force_login(klantmanager)
    response = client.get(PAGE, {"schuldeiser": "Woonstad", "maand": "2026-03"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Woonstad, gemeld in maart 2026" in html
    assert guided.full_name in html and unguided.full_name in html
    assert "Februari" not in html  # reported in February
    assert "€ 845,00" in html and "€ 412,50" in html
    assert "Contact opgenomen" in html
    assert "gebeld, regeling volgt" in html
    assert "€ 1.257,50" in html  # the total
    assert "€ 120,00" not in html  # Vidomes' report is on Vidomes' list
    # Each participant on the list is in the audit trail, with the creditor and the month.
    entries = AuditEntry.objects.filter(event="signal.arrears_list_viewed", actor=klantmanager)
    assert {entry.participant for entry in entries} == {guided, unguided}
    assert all("Woonstad" in entry.text and "maart 2026" in entry.text for entry in entries)


def test_the_csv_is_the_same_list_safe_for_a_spreadsheet_and_audited(
    client, reported, klantmanager, guided, unguided
):
    client.force_login(klantmanager)
    response = client.get(CSV, {"schuldeiser": "Woonstad", "maand": "2026-03"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="achterstanden-woonstad-2026-03.csv"' in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    header, lines = rows[0], rows[1:]
    assert header[:3] == ["naam", "adres", "postcode"]
    by_name = {line[0]: dict(zip(header, line, strict=True)) for line in lines}
    assert set(by_name) == {guided.full_name, unguided.full_name}
    haddad = by_name[guided.full_name]
    assert haddad["bedrag"] == "845,00"
    assert haddad["maanden_achterstand"] == "2"
    assert haddad["gemeld_op"] == "02-03-2026"
    assert haddad["referentie_schuldeiser"] == "W-1"
    assert haddad["status"] == "Contact opgenomen"
    assert haddad["wat_gedaan"] == (
        '16-03-2026 Contact opgenomen: =HYPERLINK("http://x") gebeld, regeling volgt'
    )
    assert not any(cell.startswith(("=", "+", "-", "@")) for line in lines for cell in line)
    exported = AuditEntry.objects.filter(event="signal.arrears_list_exported", actor=klantmanager)
    assert {entry.participant for entry in exported} == {guided, unguided}


def test_a_cell_that_starts_like_a_formula_is_escaped(client, frozen_clock, region, klantmanager):
    """A creditor-supplied or recorded value that starts with = is written as text."""
    person = ParticipantFactory(
        regeling__region=region, first_name="=cmd|'/c calc'!A1", last_name="Test"
    )
    _api, token = api_client_with_token(region, name="Woonstad")
    report(client, token, person.bsn, "@SUM(1)", "2026-03-05")
    client.force_login(klantmanager)
    text = client.get(CSV, {"schuldeiser": "Woonstad", "maand": "2026-03"}).content.decode()
    line = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))[1]
    assert line[0] == "'=cmd|'/c calc'!A1 Test"
    assert line[-1] == "'@SUM(1)"


def test_a_coach_sees_only_the_arrears_of_their_own_participants(
    client, reported, coach, guided, unguided
):
    client.force_login(coach)
    html = client.get(PAGE, {"schuldeiser": "Woonstad", "maand": "2026-03"}).content.decode()
    assert guided.full_name in html
    assert unguided.full_name not in html
    lines = client.get(CSV, {"schuldeiser": "Woonstad", "maand": "2026-03"}).content.decode()
    assert unguided.full_name not in lines
    assert not AuditEntry.objects.filter(actor=coach, participant=unguided).exists()


def test_empty_states_and_the_month_chooser(client, frozen_clock, region, klantmanager, reported):
    client.force_login(klantmanager)
    first = client.get(PAGE)
    assert first.status_code == 200
    html = first.content.decode()
    assert 'type="month"' in html and 'value="2026-03"' in html  # this month by default
    assert '<option value="Vidomes">' in html and '<option value="Woonstad">' in html
    assert not AuditEntry.objects.filter(event="signal.arrears_list_viewed").exists()

    quiet = client.get(PAGE, {"schuldeiser": "Vidomes", "maand": "2026-01"}).content.decode()
    assert "Vidomes meldde in januari 2026 geen achterstanden" in quiet

    wrong = client.get(PAGE, {"schuldeiser": "Woonstad", "maand": "2026-13"})
    assert wrong.status_code == 400
    assert "Geef de maand als jaar en maand" in wrong.content.decode()
    # A creditor the user sees no reports of is no choice (no probing for names).
    unknown = client.get(PAGE, {"schuldeiser": "Ymere", "maand": "2026-03"})
    assert unknown.status_code == 400
    assert client.get(CSV, {"schuldeiser": "Ymere", "maand": "2026-03"}).status_code == 302


def test_no_creditor_yet(client, klantmanager):
    client.force_login(klantmanager)
    html = client.get(PAGE).content.decode()
    assert "Nog geen schuldeiser heeft een achterstand gemeld" in html


def test_roles_that_do_not_follow_up_signals_may_not_open_it(client, municipality_org):
    evaluator = UserFactory(role_code=RoleCode.EVALUATOR, organisation=municipality_org)
    client.force_login(evaluator)
    assert client.get(PAGE).status_code == 403
    assert client.get(CSV).status_code == 403
