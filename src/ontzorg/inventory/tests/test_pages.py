"""The inventory pages as a case worker and a budget coach use them: debts at the intake, their
amounts again at a measurement (history kept), assets against the asset limit, duaal-traject
facts; forms refuse negative amounts and impossible dates; scoped, audited, rights."""

from datetime import date

import pytest
from django.urls import reverse

from ontzorg.accounts.constants import RoleCode
from ontzorg.accounts.tests.factories import OrganisationFactory, UserFactory
from ontzorg.audit.models import AuditEntry
from ontzorg.inventory import facts
from ontzorg.inventory.models import Asset, AssetValue, Debt, DebtAmount, IntegrationRecord
from ontzorg.measurements.constants import Moment, Perspective
from ontzorg.participants.constants import MemberKind
from ontzorg.participants.households import add_member
from ontzorg.participants.tests.factories import ParticipantFactory
from ontzorg.regelingen.tests.factories import InstrumentFactory

pytestmark = pytest.mark.django_db

INTAKE = date(2025, 10, 1)


@pytest.fixture
def participant(regeling, partner_org):
    return ParticipantFactory(
        regeling=regeling,
        guidance_organisation=partner_org,
        date_of_birth=date(1990, 5, 17),
        first_name="Yonas",
        last_name="Tesfaye",
    )


def _page(client, participant) -> str:
    response = client.get(reverse("inventory:participant", args=[participant.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _add_debt(client, participant, **values):
    data = {"kind": "furnishing_loan", "amount_euros": "1500.00", "known_on": INTAKE}
    return client.post(reverse("inventory:debt_add", args=[participant.pk]), {**data, **values})


def test_case_worker_records_debts_at_intake_and_sees_them(
    client, frozen_clock, klantmanager, participant
):
    client.force_login(klantmanager)
    assert "Geen schulden vastgelegd" in _page(client, participant)

    response = _add_debt(client, participant, creditor_name="COA", note="lening inrichting azc")
    assert response.status_code == 302
    _add_debt(client, participant, kind="cjib", amount_euros="240.50", creditor_name="")

    html = _page(client, participant)
    assert "inrichtingslening (gemeente of COA)" in html and "CJIB (boetes)" in html
    assert "€ 1.740,50" in html  # debt at the start = debt now
    assert DebtAmount.objects.filter(debt__participant=participant).count() == 2
    recorded = AuditEntry.objects.filter(event="inventory.debt_recorded")
    assert recorded.count() == 2 and recorded.first().participant == participant


@pytest.mark.parametrize(
    ("values", "error"),
    [
        ({"amount_euros": "-10"}, "Een bedrag kan niet negatief zijn."),
        ({"known_on": "2026-03-17"}, "Een datum in de toekomst kan niet worden vastgelegd."),
        ({"known_on": "1989-01-01"}, "De datum ligt vóór de geboortedatum van de deelnemer."),
        ({"known_on": "2025-02-30"}, "Voer een geldige datum in."),
    ],
)
def test_negative_amounts_and_impossible_dates_are_refused_with_a_clear_error(
    client, frozen_clock, klantmanager, participant, values, error
):
    client.force_login(klantmanager)

    response = _add_debt(client, participant, **values)

    assert response.status_code == 200
    assert error in response.content.decode()
    assert 'class="error-summary"' in response.content.decode()
    assert not Debt.objects.exists()


def test_debts_are_updated_at_a_measurement_and_the_history_is_kept(
    client, frozen_clock, klantmanager, participant, regeling
):
    zrm = InstrumentFactory(name="ZRM Financiën")
    regeling.instruments.add(zrm)
    client.force_login(klantmanager)
    _add_debt(client, participant, kind="belastingdienst", amount_euros="800")
    _add_debt(client, participant, kind="cjib", amount_euros="240")
    loan, fine = Debt.objects.order_by("kind")

    # A tussenmeting, recorded on the measurements page as a case worker does.
    response = client.post(
        reverse("measurements:participant", args=[participant.pk]),
        {
            "instrument": zrm.pk,
            "moment": Moment.TUSSENMETING,
            "measured_on": "2026-03-02",
            "level": zrm.levels.get(rank=3).pk,
            "perspective": Perspective.JOINT,
        },
    )
    assert response.status_code == 302
    measurement = participant.measurements.get()
    page = client.get(response["Location"]).content.decode()
    update_url = reverse("inventory:update", args=[participant.pk]) + f"?meting={measurement.pk}"
    assert "Nog niet bijgewerkt" in page and update_url in page

    form = client.get(update_url).content.decode()
    assert 'value="800.00"' in form and "tussenmeting" in form
    response = client.post(
        update_url, {f"debt_{loan.pk}": "650", f"debt_{fine.pk}": "0", "on": "2026-03-10"}
    )
    assert response.status_code == 302

    rows = DebtAmount.objects.filter(debt=loan).order_by("known_on")
    assert [(r.known_on, r.amount_cents, r.measurement) for r in rows] == [
        (INTAKE, 80_000, None),
        (date(2026, 3, 2), 65_000, measurement),  # the measurement's day, not the typed one
    ]
    assert facts.debt_cents_at_start([participant.pk]) == {participant.pk: 104_000}
    assert facts.debt_cents_on([participant.pk], date(2026, 3, 16)) == {participant.pk: 65_000}
    assert facts.debt_cents_on([participant.pk], date(2026, 3, 1)) == {participant.pk: 104_000}
    html = _page(client, participant)
    assert "€ 1.040,00" in html and "€ 650,00" in html and "bij de tussenmeting" in html
    assert "Nog niet bijgewerkt" not in client.get(response["Location"]).content.decode()
    measurements_page = client.get(reverse("measurements:participant", args=[participant.pk]))
    assert "Nog niet bijgewerkt" not in measurements_page.content.decode()


def test_an_amount_before_the_debt_was_known_is_refused(
    client, frozen_clock, klantmanager, participant
):
    client.force_login(klantmanager)
    _add_debt(client, participant)
    debt = Debt.objects.get()

    response = client.post(
        reverse("inventory:update", args=[participant.pk]),
        {f"debt_{debt.pk}": "100", "on": "2025-09-01"},
    )

    assert response.status_code == 200
    assert "een bedrag van vóór die dag kan niet worden vastgelegd" in response.content.decode()
    assert debt.amounts.count() == 1


def test_ind_compensation_above_the_asset_limit_is_shown_clearly(
    client, frozen_clock, klantmanager, participant
):
    client.force_login(klantmanager)
    url = reverse("inventory:asset_add", args=[participant.pk])
    response = client.post(
        url, {"kind": "ind_compensation", "amount_euros": "9000", "valued_on": "2026-01-05"}
    )
    assert response.status_code == 302
    client.post(url, {"kind": "bank_balance", "amount_euros": "120", "valued_on": "2026-01-05"})

    html = _page(client, participant)
    # Single person, limit of 1 January 2025: € 7.895.
    assert "Boven de vermogensgrens" in html
    assert "vermogen € 9.120,00, grens € 7.895,00, € 1.225,00 erboven" in html
    assert "alleen al boven de grens" in html
    check = facts.asset_check(participant, date(2026, 3, 16))
    assert (check.household, check.exceeds, check.excess_cents) == ("single", True, 122_500)


def test_a_child_in_the_household_gives_the_family_limit(
    client, frozen_clock, klantmanager, participant
):
    add_member(
        klantmanager,
        participant,
        kind=MemberKind.CHILD,
        first_name="Sara",
        date_of_birth=date(2018, 4, 1),
        starts_on=None,
    )
    client.force_login(klantmanager)
    client.post(
        reverse("inventory:asset_add", args=[participant.pk]),
        {"kind": "ind_compensation", "amount_euros": "9000", "valued_on": "2026-01-05"},
    )

    html = _page(client, participant)

    assert "Binnen de vermogensgrens" in html and "grens € 15.790,00" in html
    assert "gehuwden of alleenstaande ouder" in html


def test_duaal_traject_facts_are_dated_and_the_latest_holds(
    client, frozen_clock, klantmanager, participant
):
    client.force_login(klantmanager)
    url = reverse("inventory:integration_add", args=[participant.pk])
    first = {"recorded_on": "2025-10-01", "route": "b1", "pip_on": "2025-09-20"}
    assert client.post(url, {**first, "language_level": "a1"}).status_code == 302
    assert (
        client.post(url, {"recorded_on": "2026-03-01", "language_level": "a2"}).status_code == 302
    )

    refused = {
        "Een PIP bestaat sinds 1 januari 2022.": {
            "recorded_on": "2026-03-01",
            "pip_on": "2021-06-01",
        },
        "De datum van het PIP kan niet in de toekomst liggen.": {
            "recorded_on": "2026-03-01",
            "pip_on": "2026-04-01",
        },
        "Vul de route, de datum van het PIP of het taalniveau in.": {"recorded_on": "2026-03-01"},
    }
    for error, values in refused.items():
        response = client.post(url, values)
        assert response.status_code == 200 and error in response.content.decode()

    assert IntegrationRecord.objects.count() == 2
    now = facts.integration_on([participant.pk], date(2026, 3, 16))[participant.pk]
    assert (now.route, now.pip_on, now.language_level) == ("b1", date(2025, 9, 20), "a2")
    before = facts.integration_on([participant.pk], date(2025, 12, 1))[participant.pk]
    assert before.language_level == "a1"
    html = _page(client, participant)
    assert "B1-route" in html and "20 september 2025" in html and "(per 1-3-2026)" in html


def test_coach_records_debts_and_facts_but_sees_no_assets(
    client, frozen_clock, coach, klantmanager, participant
):
    Asset.objects.create(participant=participant, kind="savings", recorded_by=klantmanager)
    client.force_login(coach)

    html = _page(client, participant)
    assert "Vermogen en de vermogensgrens" not in html
    assert 'name="amount_euros"' in html  # the debt form
    assert _add_debt(client, participant).status_code == 302
    url = reverse("inventory:asset_add", args=[participant.pk])
    assert client.post(url, {"kind": "savings", "amount_euros": "10"}).status_code == 403
    assert not AssetValue.objects.exists()


def test_scoped_to_region_and_organisation_and_audited(
    client, frozen_clock, klantmanager, coach, regeling, participant
):
    elsewhere = ParticipantFactory()
    other_org = OrganisationFactory(kind="partner", region=regeling.region)
    not_mine = ParticipantFactory(regeling=regeling, guidance_organisation=other_org)

    client.force_login(klantmanager)
    assert client.get(reverse("inventory:participant", args=[elsewhere.pk])).status_code == 404
    assert _add_debt(client, elsewhere).status_code == 404
    client.force_login(coach)
    assert client.get(reverse("inventory:participant", args=[not_mine.pk])).status_code == 404
    assert _add_debt(client, not_mine).status_code == 404
    assert not Debt.objects.exists()

    _page(client, participant)
    seen = AuditEntry.objects.filter(event="participant.viewed", participant=participant)
    assert seen.count() == 1 and "inventarisatie" in seen.get().text


def test_a_role_that_only_reads_sees_the_page_and_may_not_record(
    client, frozen_clock, participant, municipality_org
):
    leader = UserFactory(role_code=RoleCode.PROJECTLEIDER, organisation=municipality_org)
    client.force_login(leader)

    html = _page(client, participant)

    assert 'name="amount_euros"' not in html
    assert _add_debt(client, participant).status_code == 403
    update = reverse("inventory:update", args=[participant.pk])
    assert client.get(update).status_code == 403
    assert not Debt.objects.exists()
