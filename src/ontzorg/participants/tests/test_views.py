"""The caseworker pages: dashboard, list (search, filters, htmx, CSV), detail, intake, edit,
decisions and random selection, driven through the Django test client."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ontzorg.audit.constants import Action
from ontzorg.audit.models import AuditEntry
from ontzorg.participants import events, selection, services
from ontzorg.participants.constants import DecisionKind, DecisionOutcome, Literacy, Phase
from ontzorg.participants.models import Decision, Participant, SelectionDraw
from ontzorg.participants.tests.factories import (
    ParticipantFactory,
    active_participant,
    participant_in,
)
from ontzorg.regelingen.constants import SelectionMethod
from ontzorg.regelingen.tests.factories import MunicipalityFactory
from ontzorg_demo.testdata import fake_bsn, fake_iban

LIST = reverse("participants:list")


@pytest.fixture
def municipality(region):
    return MunicipalityFactory(name="Zoetermeer", region=region)


@pytest.fixture
def amina(regeling, municipality, klantmanager, partner_org):
    # Her plan started two months ago: nothing due yet but the nulmeting and a contact.
    start = timezone.localdate() - timedelta(days=60)
    return active_participant(
        bijstand_start_on=start,
        first_name="Amina",
        last_name="Haddad",
        regeling=regeling,
        household__municipality=municipality,
        case_worker=klantmanager,
        guidance_organisation=partner_org,
    )


@pytest.fixture
def yonas(regeling, municipality):
    return participant_in(
        Phase.INTAKE,
        first_name="Yonas",
        last_name="Tesfay",
        regeling=regeling,
        household__municipality=municipality,
        iban="",
    )


@pytest.fixture
def km_client(client, klantmanager):
    client.force_login(klantmanager)
    return client


def participant_checks(response):
    """The dashboard items that filter the participant list (not those of other apps)."""
    return [i for i in response.context["attention_items"] if ":" not in i.key]


def names(response) -> list[str]:
    return [p.full_name for p in response.context["page"].object_list]


def intake_data(municipality, regeling, **changes):
    data = {
        "regeling": regeling.pk,
        "municipality": municipality.pk,
        "street": "Dorpsstraat",
        "house_number": "12",
        "postcode": "2711ab",
        "city": "",
        "first_name": "Samira",
        "last_name": "Osman",
        "bsn": fake_bsn(900),
        "date_of_birth": "1992-04-03",
        "gender": "v",
        "country_of_origin": "Eritrea",
        "languages": "Tigrinya",
        "literacy": Literacy.LITERATE,
        "arrival_on": "2025-10-01",
        "bijstand_start_on": "2025-10-01",
        "iban": fake_iban(900),
    }
    data.update(changes)
    return data


# Dashboard


def test_dashboard_shows_my_participants_and_what_needs_attention(km_client, amina, yonas):
    response = km_client.get(reverse("dashboard"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Mijn deelnemers" in content
    assert amina.full_name in content
    assert yonas.full_name not in content  # not in this klantmanager's caseload
    counts = {item.key: item.count for item in participant_checks(response)}
    assert counts == {}  # Amina is active, started long ago; nothing to do for her


def test_dashboard_attention_items_link_to_the_people_they_count(
    client, beheerder, amina, yonas, regeling
):
    not_eligible = participant_in(Phase.NOT_ELIGIBLE, regeling)
    ending = active_participant(
        regeling=regeling,
        bijstand_start_on=timezone.localdate() - timedelta(days=170),
        arrival_on=date(2024, 1, 1),
    )
    client.force_login(beheerder)
    response = client.get(reverse("dashboard"))
    counts = {item.key: item.count for item in participant_checks(response)}
    assert counts == {
        "intake-zonder-iban": 1,
        "niet-geschikt-zonder-besluit": 1,
        "einde-binnen-30-dagen": 1,
        "evaluatie-nodig": 1,  # the plan of `ending` ends within the evaluation lead time
    }
    assert f"{LIST}?aandacht=intake-zonder-iban" in response.content.decode()
    for key, person in [
        ("intake-zonder-iban", yonas),
        ("niet-geschikt-zonder-besluit", not_eligible),
        ("einde-binnen-30-dagen", ending),
    ]:
        assert names(client.get(LIST, {"aandacht": key})) == [person.full_name]


def test_a_decision_takes_someone_off_the_not_eligible_list(client, beheerder, regeling):
    person = participant_in(Phase.NOT_ELIGIBLE, regeling)
    Decision.objects.create(
        participant=person,
        kind=DecisionKind.MAATWERK,
        outcome=DecisionOutcome.NO_ONTZORGING,
        reason="Al zelfredzaam, wil zelf betalen.",
        decided_on=date(2026, 1, 5),
        decided_by=beheerder,
    )
    client.force_login(beheerder)
    response = client.get(reverse("dashboard"))
    assert not participant_checks(response)


def test_candidates_waiting_for_the_lottery_need_attention(client, beheerder, regeling):
    regeling.selection_method = SelectionMethod.RANDOM
    regeling.target_participants = 2
    regeling.save()
    ParticipantFactory.create_batch(3, regeling=regeling)
    client.force_login(beheerder)
    response = client.get(reverse("dashboard"))
    counts = {item.key: item.count for item in response.context["attention_items"]}
    assert counts["wacht-op-loting"] == 3


def test_dashboard_shows_signals_measurements_and_guidance_with_links(km_client, amina):
    from ontzorg.signals.tests.factories import SignalFactory

    SignalFactory(participant=amina, due_on=timezone.localdate() - timedelta(days=3))
    response = km_client.get(reverse("dashboard"))
    links = {item.label: item for item in response.context["attention_items"]}
    assert links["Signalen over de termijn"].count == 1
    assert links["Signalen over de termijn"].url == reverse("signals:list") + "?te_laat=on"
    assert links["Nieuwe signalen, nog geen contact"].count == 1
    # Amina has no contact on record, and her nulmeting is overdue.
    assert links["Geen begeleidingscontact in 6 weken"].count == 1
    assert links["Metingen te laat"].url == reverse("measurements:agenda")
    content = response.content.decode()
    assert 'href="/signalen/?te_laat=on"' in content


def test_dashboard_says_when_nothing_needs_attention(client, beheerder):
    client.force_login(beheerder)
    response = client.get(reverse("dashboard"))
    assert response.context["attention_items"] == []
    assert "Niets dat nu aandacht vraagt." in response.content.decode()


def test_dashboard_empty_state_for_a_new_klantmanager(km_client):
    content = km_client.get(reverse("dashboard")).content.decode()
    assert "Er zijn nog geen deelnemers aan u toegewezen." in content


# List: search, filters, htmx


def test_search_by_name(km_client, amina, yonas):
    assert names(km_client.get(LIST, {"q": "hadd"})) == [amina.full_name]
    assert names(km_client.get(LIST, {"q": "yonas tesf"})) == [yonas.full_name]
    assert names(km_client.get(LIST, {"q": "niemand"})) == []


def test_klantmanager_finds_by_bsn(km_client, amina, yonas):
    assert names(km_client.post(LIST, {"q": amina.bsn})) == [amina.full_name]


def test_coach_cannot_search_by_bsn(client, coach, amina):
    client.force_login(coach)
    assert names(client.post(LIST, {"q": amina.bsn})) == []
    assert names(client.post(LIST, {"q": "Amina"})) == [amina.full_name]


def test_filters(km_client, klantmanager, amina, yonas, partner_org, regeling):
    assert names(km_client.get(LIST, {"fase": Phase.INTAKE})) == [yonas.full_name]
    assert names(km_client.get(LIST, {"klantmanager": klantmanager.pk})) == [amina.full_name]
    assert names(km_client.get(LIST, {"organisatie": partner_org.pk})) == [amina.full_name]
    assert names(km_client.get(LIST, {"mijn": "on"})) == [amina.full_name]
    other = MunicipalityFactory(name="Lansingerland", region=regeling.region)
    elsewhere = ParticipantFactory(regeling=regeling, household__municipality=other)
    assert names(km_client.get(LIST, {"gemeente": other.pk})) == [elsewhere.full_name]
    assert len(names(km_client.get(LIST, {"regeling": regeling.pk}))) == 3


def test_filter_choices_come_from_the_users_scope(km_client, amina):
    outside = ParticipantFactory()  # another region
    form = km_client.get(LIST).context["form"]
    assert list(form.fields["regeling"].queryset) == [amina.regeling]
    assert outside.household.municipality not in form.fields["gemeente"].queryset


def test_htmx_live_search_returns_only_the_results(km_client, amina, yonas):
    response = km_client.get(LIST, {"q": "Amina"}, headers={"HX-Request": "true"})
    content = response.content.decode()
    assert "<html" not in content
    assert amina.full_name.split()[0] in content and "Tesfay" not in content
    assert 'hx-swap-oob="innerHTML"' in content  # the count in the status line


def test_list_page_wires_live_search(km_client):
    content = km_client.get(LIST).content.decode()
    assert 'hx-trigger="input changed delay:300ms, search"' in content
    assert 'hx-post="/deelnemers/"' in content


def test_list_paginates(client, beheerder, regeling):
    ParticipantFactory.create_batch(30, regeling=regeling)
    client.force_login(beheerder)
    first = client.get(LIST)
    assert len(names(first)) == 25
    assert len(names(client.get(LIST, {"page": 2}))) == 5
    assert "Pagina 1 van 2" in first.content.decode()


def test_list_only_shows_the_users_scope(km_client, amina):
    outside = ParticipantFactory()
    assert outside.full_name not in names(km_client.get(LIST))


# CSV export


def read_csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    return list(csv.reader(io.StringIO(text.decode("utf-8-sig")), delimiter=";"))


def test_export_follows_the_filters_and_is_audited(km_client, klantmanager, amina, yonas):
    response = km_client.get(reverse("participants:export"), {"q": "Amina"})
    assert response["Content-Type"].startswith("text/csv")
    rows = read_csv(response)
    assert rows[0][:3] == ["id", "BSN", "voornaam"] and rows[0][-1] == "IBAN"
    assert [row[2] for row in rows[1:]] == ["Amina"]
    assert rows[1][1] == amina.bsn and rows[1][-1] == amina.iban
    entry = AuditEntry.objects.get(action=Action.EXPORT)
    assert entry.actor == klantmanager
    assert entry.changes == {"deelnemers": [None, [amina.pk]]}


def test_export_neutralises_spreadsheet_formulas(km_client, amina):
    Participant.objects.filter(pk=amina.pk).update(last_name="=HYPERLINK(1)")
    rows = read_csv(km_client.get(reverse("participants:export")))
    assert "'=HYPERLINK(1)" in rows[1]


# Detail


def test_detail_shows_person_household_eligibility_and_is_audited(
    km_client, klantmanager, amina, regeling
):
    partner = ParticipantFactory(
        first_name="Omar", regeling=regeling, household=amina.household, household_role="partner"
    )
    amina.household.members.create(kind="child", first_name="Lina", date_of_birth=date(2019, 3, 1))
    response = km_client.get(reverse("participants:detail", args=[amina.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    for text in [amina.bsn, amina.iban, partner.full_name, "Lina", "Geschikt", "Recht op bijstand"]:
        assert text in content
    assert response.context["plan_url"] == reverse("plans:overview", args=[amina.pk])
    entry = AuditEntry.objects.get(participant=amina, action=Action.VIEW)
    assert entry.actor == klantmanager and entry.summary == "deelnemerspagina bekeken"
    for name in ["measurements:participant", "guidance:participant"]:
        assert f'href="{reverse(name, args=[amina.pk])}"' in content


def test_detail_explains_why_someone_is_not_eligible(km_client, amina, regeling):
    regeling.exclude_illiterate = True
    regeling.save()
    Participant.objects.filter(pk=amina.pk).update(literacy=Literacy.ILLITERATE)
    content = km_client.get(reverse("participants:detail", args=[amina.pk])).content.decode()
    assert "Niet geschikt" in content
    assert "Analfabeten zijn uitgesloten in deze regeling." in content


def test_audit_link_only_for_roles_that_read_the_trail(client, km_client, beheerder, amina):
    url = reverse("participants:detail", args=[amina.pk])
    trail = reverse("audit:participant", args=[amina.pk])
    assert trail not in km_client.get(url).content.decode()
    client.force_login(beheerder)
    assert trail in client.get(url).content.decode()


# Intake


def test_intake_happy_path_shows_eligibility_afterwards(
    km_client, klantmanager, municipality, regeling
):
    response = km_client.post(
        reverse("participants:create"), intake_data(municipality, regeling), follow=True
    )
    assert response.status_code == 200
    person = Participant.objects.get(last_name="Osman")
    assert response.redirect_chain[-1][0] == reverse("participants:detail", args=[person.pk])
    assert person.phase == Phase.INTAKE  # eligible, and this regeling does not draw
    assert person.household.postcode == "2711 AB"
    assert person.household.city == "Zoetermeer"
    content = response.content.decode()
    assert "De intake van Samira Osman is vastgelegd." in content
    assert "Geschikt" in content
    assert AuditEntry.objects.filter(participant=person, action=Action.CREATE).count() == 2


def test_intake_of_an_excluded_person_says_why(km_client, municipality, regeling):
    regeling.exclude_fulltime_students = True
    regeling.save()
    data = intake_data(municipality, regeling, is_fulltime_student="on")
    response = km_client.post(reverse("participants:create"), data, follow=True)
    assert Participant.objects.get(last_name="Osman").phase == Phase.NOT_ELIGIBLE
    assert "Voltijdstudenten zijn uitgesloten in deze regeling." in response.content.decode()


def test_intake_accepts_bsn_and_iban_typed_with_spaces(km_client, municipality, regeling):
    bsn, iban = fake_bsn(901), fake_iban(901)
    data = intake_data(
        municipality,
        regeling,
        bsn=f"{bsn[:3]} {bsn[3:6]} {bsn[6:]}",
        iban=" ".join(iban[i : i + 4] for i in range(0, len(iban), 4)).lower(),
    )
    km_client.post(reverse("participants:create"), data)
    person = Participant.objects.get(last_name="Osman")
    assert (person.bsn, person.iban) == (bsn, iban)


FUTURE = (date.today() + timedelta(days=30)).isoformat()


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"bsn": "123456789"}, "bsn", "de elfproef klopt niet"),
        ({"bsn": "12345"}, "bsn", "Een BSN heeft 9 cijfers; 12345 heeft er 5."),
        ({"bsn": "12345678a"}, "bsn", "Een BSN bestaat alleen uit cijfers."),
        ({"iban": "NL91ABNA0417164301"}, "iban", "Het controlegetal van dit IBAN klopt niet."),
        ({"iban": "XX91ABNA0417164300"}, "iban", "Dit IBAN begint niet met een bekende landcode."),
        ({"date_of_birth": FUTURE}, "date_of_birth", "De geboortedatum ligt in de toekomst."),
        (
            {"date_of_birth": "1890-01-01"},
            "date_of_birth",
            "Controleer het jaar: de geboortedatum ligt voor 1900.",
        ),
        (
            {"date_of_birth": "2000-01-01", "arrival_on": "1999-05-01"},
            "arrival_on",
            "De vestiging (01-05-1999) ligt voor de geboortedatum (01-01-2000).",
        ),
        (
            {"arrival_on": "2025-10-01", "bijstand_start_on": "2025-09-01"},
            "bijstand_start_on",
            "Het recht op bijstand (01-09-2025) kan niet ingaan voor de vestiging in de "
            "gemeente (01-10-2025).",
        ),
        (
            {"lease_signed_on": "1980-01-01"},
            "lease_signed_on",
            "Het huurcontract (01-01-1980) ligt voor de geboortedatum (03-04-1992).",
        ),
        ({"postcode": "271 AB"}, "postcode", "Een postcode is vier cijfers en twee letters"),
        ({"first_name": ""}, "first_name", "Dit veld is verplicht."),
        ({"date_of_birth": "3-4-92x"}, "date_of_birth", "Voer een geldige datum in."),
    ],
)
def test_intake_validation_errors(km_client, municipality, regeling, changes, field, message):
    data = intake_data(municipality, regeling, **changes)
    response = km_client.post(reverse("participants:create"), data)
    assert response.status_code == 400
    errors = " ".join(response.context["form"].errors[field])
    assert message in errors
    assert message.split("(")[0] in response.content.decode()  # shown on the page too
    assert not Participant.objects.filter(last_name="Osman").exists()


def test_intake_refuses_a_known_bsn(km_client, municipality, regeling, amina):
    data = intake_data(municipality, regeling, bsn=amina.bsn)
    response = km_client.post(reverse("participants:create"), data)
    assert response.context["form"].errors["bsn"] == ["Er is al een deelnemer met dit BSN."]


def test_intake_municipality_must_be_in_the_users_region(km_client, regeling):
    elsewhere = MunicipalityFactory(name="Drimmelen")
    response = km_client.post(reverse("participants:create"), intake_data(elsewhere, regeling))
    assert response.status_code == 400
    assert "municipality" in response.context["form"].errors
    assert elsewhere not in response.context["form"].fields["municipality"].queryset


def test_intake_needs_the_right_to_edit(client, coach):
    client.force_login(coach)
    assert client.get(reverse("participants:create")).status_code == 403


# Edit


def test_edit_changes_are_audited_before_and_after(km_client, klantmanager, amina):
    url = reverse("participants:edit", args=[amina.pk])
    form = km_client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if name in form.fields and value}
    data.update(
        {
            "date_of_birth": "1990-05-17",
            "arrival_on": "2025-09-01",
            "bijstand_start_on": amina.bijstand_start_on.isoformat(),
            "languages": "Arabisch, Nederlands",
            "needs_interpreter": "",
        }
    )
    for name in ("case_worker", "guidance_organisation", "coach"):
        data[name] = getattr(amina, f"{name}_id") or ""
    response = km_client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    amina.refresh_from_db()
    assert amina.languages == "Arabisch, Nederlands"
    entry = AuditEntry.objects.get(participant=amina, event=events.PARTICIPANT_CHANGED.code)
    assert entry.action == Action.UPDATE
    assert entry.changes == {"languages": ["Arabisch", "Arabisch, Nederlands"]}
    assert entry.actor == klantmanager


def test_edit_validates_dates_too(km_client, amina):
    url = reverse("participants:edit", args=[amina.pk])
    response = km_client.post(url, {"first_name": "A", "date_of_birth": FUTURE})
    assert response.status_code == 400
    assert "De geboortedatum ligt in de toekomst." in response.content.decode()


# Decisions


def test_maatwerk_decision_with_reason(km_client, klantmanager, amina):
    url = reverse("participants:decision", args=[amina.pk])
    response = km_client.post(
        url,
        {
            "kind": DecisionKind.MAATWERK,
            "outcome": DecisionOutcome.NO_ONTZORGING,
            "reason": "Betaalt al jaren zelf haar vaste lasten.",
        },
        follow=True,
    )
    assert "Het besluit is vastgelegd." in response.content.decode()
    amina.refresh_from_db()
    assert amina.phase == Phase.OPTED_OUT
    decision = amina.decisions.get()
    assert decision.decided_by == klantmanager and decision.decided_on == timezone.localdate()
    assert "Betaalt al jaren zelf haar vaste lasten." in response.content.decode()
    assert AuditEntry.objects.filter(participant=amina, action=Action.DECISION).exists()


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("", "Dit veld is verplicht."),
        ("   ", "Dit veld is verplicht."),
        ("te kort", "ten minste tien tekens"),
    ],
)
def test_decision_needs_a_reason(km_client, amina, reason, message):
    url = reverse("participants:decision", args=[amina.pk])
    response = km_client.post(
        url,
        {"kind": DecisionKind.OPT_OUT, "outcome": DecisionOutcome.NO_ONTZORGING, "reason": reason},
    )
    assert response.status_code == 400
    assert not amina.decisions.exists()
    assert message in response.content.decode()


def test_decision_date_not_in_the_future(km_client, amina):
    url = reverse("participants:decision", args=[amina.pk])
    response = km_client.post(
        url,
        {
            "kind": DecisionKind.OPT_OUT,
            "outcome": DecisionOutcome.NO_ONTZORGING,
            "reason": "Wil het zelf regelen, gesprek gehad.",
            "decided_on": FUTURE,
        },
    )
    assert "Een besluit kan niet in de toekomst zijn genomen." in response.content.decode()


# Random selection


@pytest.fixture
def lottery(regeling, municipality):
    regeling.selection_method = SelectionMethod.RANDOM
    regeling.target_participants = 3
    regeling.save()
    return ParticipantFactory.create_batch(
        8, regeling=regeling, household__municipality=municipality
    )


def test_selection_asks_for_confirmation_then_draws_and_replays(
    km_client, klantmanager, regeling, lottery
):
    url = reverse("participants:selection")
    page = km_client.get(url)
    assert page.context["pools"] == [(regeling, 8)]
    confirm = km_client.post(url, {"regeling": regeling.pk, "size": 3})
    assert confirm.status_code == 200
    assert "U trekt <strong>3</strong> deelnemers uit <strong>8</strong>" in (
        confirm.content.decode()
    )
    assert not SelectionDraw.objects.exists()  # nothing drawn before confirmation

    done = km_client.post(url, {"regeling": regeling.pk, "size": 3, "confirmed": "1"})
    draw = SelectionDraw.objects.get()
    assert done.url == reverse("participants:selection_result", args=[draw.pk])
    assert Participant.objects.filter(phase=Phase.INTAKE).count() == 3

    result = km_client.get(done.url)
    assert str(draw.seed) in result.content.decode()
    assert len(result.context["selected"]) == 3
    checked = km_client.get(done.url, {"controleer": "1"})
    assert checked.context["matches"] is True
    assert "De trekking klopt." in checked.content.decode()


def test_a_posted_seed_does_not_steer_the_draw(
    km_client, klantmanager, regeling, lottery, monkeypatch
):
    """The issue's attack: a seed chosen to draw a chosen person. The server's seed (from
    `secrets`) decides, whatever seed is posted."""
    pool = services.selection_pool(klantmanager, regeling)
    target = pool[0]
    chosen_seed = next(s for s in range(10_000) if selection.draw(pool, 1, s) == [target])
    server_seed = next(s for s in range(10_000) if selection.draw(pool, 1, s) != [target])
    monkeypatch.setattr(selection.secrets, "randbits", lambda bits: server_seed)
    url = reverse("participants:selection")
    posted = {"regeling": regeling.pk, "size": 1, "seed": chosen_seed}

    confirm = km_client.post(url, posted)
    assert f'value="{chosen_seed}"' not in confirm.content.decode()
    km_client.post(url, {**posted, "confirmed": "1"})

    draw = SelectionDraw.objects.get()
    assert draw.seed == server_seed
    assert draw.selected_ids != [target]
    assert services.replay(draw) == draw.selected_ids


def test_the_selection_form_has_no_seed_field(km_client, regeling, lottery):
    page = km_client.get(reverse("participants:selection")).content.decode()
    assert 'name="seed"' not in page


def test_selection_refuses_more_than_the_pool(km_client, regeling, lottery):
    response = km_client.post(
        reverse("participants:selection"), {"regeling": regeling.pk, "size": 9, "confirmed": "1"}
    )
    assert response.status_code == 400
    assert "Er zijn maar 8 geschikte kandidaten; u vraagt er 9." in response.content.decode()
    assert not SelectionDraw.objects.exists()


def test_selection_page_without_a_lottery_regeling(km_client):
    response = km_client.get(reverse("participants:selection"))
    assert "Geen regeling in uw regio selecteert deelnemers door loting." in (
        response.content.decode()
    )


def test_loting_in_the_menu_only_where_a_regeling_draws(km_client, regeling):
    assert "Loting" not in km_client.get(reverse("dashboard")).content.decode()
    regeling.selection_method = SelectionMethod.RANDOM
    regeling.target_participants = 3
    regeling.save()
    content = km_client.get(reverse("participants:selection")).content.decode()
    assert f'<a href="{reverse("participants:selection")}" aria-current="page">Loting</a>' in (
        content
    )
    assert 'aria-current="page">Deelnemers' not in content


# Privacy of the list: BSN search only in a POST body, every shown page audited


def test_the_search_form_posts(km_client):
    content = km_client.get(LIST).content.decode()
    assert '<form method="post" action="/deelnemers/"' in content
    assert "?q=" not in content and "querystring" not in content


def test_a_bsn_in_the_url_is_refused(km_client, amina):
    response = km_client.get(LIST, {"q": amina.bsn, "fase": Phase.ACTIVE})
    assert response.status_code == 302
    assert amina.bsn not in response.url and "fase=" in response.url
    page = km_client.get(response.url)
    assert "een BSN hoort niet in een webadres" in page.content.decode()
    export = km_client.get(reverse("participants:export"), {"q": amina.bsn})
    assert export.status_code == 302
    assert not AuditEntry.objects.filter(action=Action.EXPORT).exists()


def test_paging_and_the_download_keep_the_search_in_the_body(km_client, amina, regeling):
    for _n in range(30):
        participant_in(Phase.INTAKE, last_name="Haddad", regeling=regeling)
    first = km_client.post(LIST, {"q": "Haddad"})
    content = first.content.decode()
    assert '<input type="hidden" name="q" value="Haddad">' in content
    assert 'name="page" value="2"' in content
    second = km_client.post(LIST, {"q": "Haddad", "page": "2"})
    assert second.context["page"].number == 2
    assert len(names(second)) == 31 - 25
    download = km_client.post(reverse("participants:export"), {"q": amina.bsn})
    assert [row[2] for row in read_csv(download)[1:]] == ["Amina"]


def test_every_shown_page_with_bsns_is_audited_with_the_bsn_masked(
    km_client, klantmanager, amina, yonas
):
    km_client.get(LIST)
    km_client.post(LIST, {"q": amina.bsn}, headers={"HX-Request": "true"})
    entries = AuditEntry.objects.filter(event=events.LIST_VIEWED.code).order_by("pk")
    assert [e.actor for e in entries] == [klantmanager, klantmanager]
    assert sorted(entries[0].changes["deelnemers"][1]) == sorted([amina.pk, yonas.pk])
    assert entries[1].changes["deelnemers"] == [None, [amina.pk]]
    searched = entries[1].params["search"]
    assert searched == "*" * 7 + amina.bsn[-2:]
    for entry in entries:
        assert amina.bsn not in str(entry.params) + str(entry.changes) + entry.summary


def test_a_list_without_bsns_is_not_audited(client, coach, amina):
    client.force_login(coach)
    client.post(LIST, {"q": "Amina"})
    assert not AuditEntry.objects.filter(event=events.LIST_VIEWED.code).exists()
