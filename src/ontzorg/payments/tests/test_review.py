"""The approver's view of a run: every payment (filters, pages, links to the plans) and what
changed since the region's previous approved run, with a bounded number of queries."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ontzorg.accounts.constants import RoleCode, Scope
from ontzorg.accounts.models import Role
from ontzorg.accounts.tests.factories import OrganisationFactory, UserFactory
from ontzorg.approvals import proposals
from ontzorg.audit.models import AuditEntry
from ontzorg.payments import review, services
from ontzorg.payments.constants import InstructionKind
from ontzorg.payments.forms import InstructionFilterForm
from ontzorg.payments.review import Group
from ontzorg.plans import payees
from ontzorg.plans import services as plans
from ontzorg.plans.constants import CreditorCategory
from ontzorg.plans.tests.factories import CreditorFactory
from ontzorg.regelingen.constants import CostCategory
from ontzorg.regelingen.tests.factories import RegelingFactory, RegionFactory
from ontzorg_demo.testdata import fake_iban

from .factories import PERIOD, debtor_account, ready_participant

pytestmark = pytest.mark.django_db

NEXT = date(2025, 12, 1)


def _line(participant, category):
    return participant.plans.get().lines.get(category=category)


@pytest.fixture
def creditors():
    return {
        "landlord": CreditorFactory(
            name="Woonstichting De Leeuw", category=CreditorCategory.WONINGCORPORATIE
        ),
        "supplier": CreditorFactory(name="Stroom & Gas BV", category=CreditorCategory.ENERGIE),
    }


@pytest.fixture
def people(regeling, creditors):
    """Five participants paid in November: rent 650.00, energy 120.00, leefgeld 530.61; one
    also saves 25.00 a month (kept by the municipality, never a change to approve)."""
    debtor_account(regeling.region)
    found = {
        name: ready_participant(regeling, **creditors)
        for name in ("stable", "rent_up", "small_up", "no_energy")
    }
    found["moved"] = ready_participant(regeling, pots=[("Buffer", 2500)], **creditors)
    return found


@pytest.fixture
def november(people, backoffice, approver, region):
    run = services.prepare_run(backoffice, region, PERIOD)
    services.approve_run(approver, run)
    services.export_run(approver, run)
    services.book_run(backoffice, run)
    return run


@pytest.fixture
def december(november, people, creditors, regeling, klantmanager, backoffice, approver, region):
    """December after the changes a month brings, each through its service."""
    rent = CostCategory.HUUR
    plans.change_amount(klantmanager, _line(people["rent_up"], rent), 75_000, NEXT)  # +15 %
    plans.change_amount(klantmanager, _line(people["small_up"], rent), 70_000, NEXT)  # +7.7 %
    moved = people["moved"]
    new_account = payees.account_of(moved) | {"iban": fake_iban(9_999)}
    proposals.approve(approver, payees.propose_change(backoffice, moved, new_account))
    plans.close_line(klantmanager, _line(people["no_energy"], CostCategory.ENERGIE), NEXT)
    newcomer_landlord = CreditorFactory(
        name="Nieuwe Verhuurder", category=CreditorCategory.WONINGCORPORATIE
    )
    people["newcomer"] = ready_participant(
        regeling, landlord=newcomer_landlord, supplier=creditors["supplier"]
    )
    return services.prepare_run(backoffice, region, NEXT)


def _keys(rows):
    return {(row.participant_id, row.payee) for row in rows}


def _sections(run):
    previous = review.previous_run(run)
    _summary, sections = review.group_rows(run, previous)
    return {section.group: section for section in sections}


def test_previous_run_is_the_regions_last_approved_one(november, december, region):
    assert review.previous_run(december) == november
    assert review.previous_run(november) is None
    other = RegionFactory(name="Den Haag", slug="den-haag")
    assert december.region != other


def test_changes_are_grouped_against_last_month(december, people, creditors):
    p = {name: person.pk for name, person in people.items()}
    landlord, supplier = creditors["landlord"].pk, creditors["supplier"].pk
    newcomer_landlord = people["newcomer"].plans.get().lines.get(category=CostCategory.HUUR)
    sections = _sections(december)

    assert _keys(sections[Group.NEW_PAYEE].rows) == {
        (p["newcomer"], newcomer_landlord.creditor_id),
        (p["newcomer"], 0),  # leefgeld to the newcomer's own account
        (p["moved"], 0),  # an account never paid before is new, also when it replaces one
    }
    assert _keys(sections[Group.CHANGED_ACCOUNT].rows) == {(p["moved"], 0)}
    assert _keys(sections[Group.AMOUNT_UP].rows) == {
        (p["rent_up"], landlord),  # 650 -> 750, +15 %
        (p["no_energy"], 0),  # leefgeld 530.61 -> 650.61 without the energy bill, +23 %
    }
    assert _keys(sections[Group.AMOUNT_DOWN].rows) == {(p["rent_up"], 0)}  # 530.61 -> 430.61
    assert _keys(sections[Group.NEW_PAYMENT].rows) == {(p["newcomer"], supplier)}
    assert _keys(sections[Group.GONE].rows) == {(p["no_energy"], supplier)}

    everywhere = set().union(*(_keys(s.rows) for s in sections.values()))
    # Unchanged, and changes within 10 % (rent +7.7 %, leefgeld -9.4 %), are not shown.
    assert not {key for key in everywhere if key[0] in (p["stable"], p["small_up"])}

    up = next(row for row in sections[Group.AMOUNT_UP].rows if row.payee == landlord)
    assert (up.previous_cents, up.amount_cents, up.percent) == (65_000, 75_000, 15)
    moved = sections[Group.CHANGED_ACCOUNT].rows[0]
    assert moved.iban_changed and not moved.name_changed
    assert (moved.previous_iban, moved.iban) == (people["moved"].iban, fake_iban(9_999))


def test_summary_counts_match_the_groups(december):
    previous = review.previous_run(december)
    summary = review.summary(december, previous)
    assert review.group_rows(december, previous)[0].counts == summary.counts
    assert summary.counts == {
        Group.NEW_PAYEE: 3,
        Group.CHANGED_ACCOUNT: 1,
        Group.AMOUNT_UP: 2,
        Group.AMOUNT_DOWN: 1,
        Group.NEW_PAYMENT: 1,
        Group.GONE: 1,
    }
    # The three new payees are three accounts (the newcomer's landlord and own account, and
    # the account the moved participant's leefgeld goes to now).
    assert summary.accounts == {Group.NEW_PAYEE: 3, Group.CHANGED_ACCOUNT: 1}


def test_the_share_is_a_setting(december, people, settings):
    settings.ONTZORG_APPROVAL_CHANGE_SHARE = 0.05
    up = _keys(_sections(december)[Group.AMOUNT_UP].rows)
    assert (people["small_up"].pk, _line(people["small_up"], CostCategory.HUUR).creditor_id) in up


def test_first_run_of_a_region_has_only_new_payees(november, people):
    summary = review.summary(november, None)
    assert summary.previous is None
    # Five participants: their own account and two creditors shared by all of them.
    assert summary.counts[Group.NEW_PAYEE] == 5 + 2 * 5
    assert summary.counts[Group.NEW_PAYMENT] == 0
    assert summary.counts[Group.GONE] == 0


def test_a_cancelled_run_is_no_previous_run(people, backoffice, region):
    first = services.prepare_run(backoffice, region, PERIOD)
    services.cancel_run(backoffice, first)
    second = services.prepare_run(backoffice, region, NEXT)
    assert review.previous_run(second) is None


# --- pages ------------------------------------------------------------------------------------


def test_run_page_shows_the_counts_with_links(client, approver, december):
    client.force_login(approver)
    page = client.get(reverse("payments:detail", args=[december.pk])).text
    changes = reverse("payments:changes", args=[december.pk])
    assert "Controle voor goedkeuring" in page
    assert "Wat is er veranderd sinds november 2025" in page
    assert f'href="{changes}?groep=hoger"' in page
    assert "Bedrag omhoog" in page
    assert reverse("payments:instructions", args=[december.pk]) in page


def test_run_page_without_a_previous_run_says_so(client, approver, november):
    client.force_login(approver)
    page = client.get(reverse("payments:detail", args=[november.pk])).text
    assert "geen eerdere goedgekeurde run" in page


def test_changes_page_links_every_row_to_its_plan(client, approver, december, people):
    client.force_login(approver)
    page = client.get(reverse("payments:changes", args=[december.pk])).text
    for name in ("rent_up", "moved", "no_energy", "newcomer"):
        assert reverse("plans:overview", args=[people[name].pk]) in page
    for name in ("stable", "small_up"):
        assert reverse("plans:overview", args=[people[name].pk]) not in page
    assert "Niet meer betaald (1)" in page


def test_changes_page_of_one_group(client, approver, december, people):
    client.force_login(approver)
    url = reverse("payments:changes", args=[december.pk])
    page = client.get(url, {"groep": "andere-rekening"}).text
    assert reverse("plans:overview", args=[people["moved"].pk]) in page
    assert reverse("plans:overview", args=[people["rent_up"].pk]) not in page
    assert "was:" in page  # the account it had last month
    unknown = client.get(url, {"groep": "onzin"})
    assert unknown.status_code == 200  # an unknown group shows all groups


def test_changes_page_without_changes(client, approver, november, backoffice, region):
    december = services.prepare_run(backoffice, region, NEXT)
    client.force_login(approver)
    page = client.get(reverse("payments:changes", args=[december.pk])).text
    assert "Geen wijzigingen sinds november 2025" in page


def _list(client, run, **params):
    response = client.post(reverse("payments:instructions", args=[run.pk]), params)
    assert response.status_code == 200
    return response


def _shown(response):
    return {(i.participant_id, i.kind, i.amount_cents) for i in response.context["rows"]}


def test_list_shows_every_payment_linked_to_its_plan(client, approver, november, people):
    client.force_login(approver)
    response = _list(client, november)
    assert response.context["page"].paginator.count == november.instructions.count() == 16
    for person in people.values():
        assert reverse("plans:overview", args=[person.pk]) in response.text


def test_list_filters(client, approver, december, people, creditors):
    client.force_login(approver)
    allowances = _list(client, december, kind=InstructionKind.ALLOWANCE)
    assert {kind for _p, kind, _a in _shown(allowances)} == {InstructionKind.ALLOWANCE}
    energy = _list(client, december, category=CreditorCategory.ENERGIE)
    assert {i.creditor_id for i in energy.context["rows"]} == {creditors["supplier"].pk}
    by_name = _list(client, december, q=people["moved"].last_name)
    assert {p for p, _k, _a in _shown(by_name)} == {people["moved"].pk}
    by_payee = _list(client, december, q="leeuw")
    assert {i.creditor_id for i in by_payee.context["rows"]} == {creditors["landlord"].pk}
    by_iban = _list(client, december, q=people["stable"].iban[-6:])
    assert {p for p, _k, _a in _shown(by_iban)} == {people["stable"].pk}
    amounts = _list(client, december, min_euros="700", max_euros="750")
    assert {a for _p, _k, a in _shown(amounts)} == {70_000, 75_000}
    highest = _list(client, december, order="bedrag-hoog").context["rows"][0]
    assert highest.amount_cents == 75_000


def test_list_only_changes(client, approver, december, people):
    client.force_login(approver)
    response = _list(client, december, changes="on")
    shown = {p for p, _k, _a in _shown(response)}
    assert shown == {people[n].pk for n in ("rent_up", "moved", "no_energy", "newcomer")}
    # Of rent_up both the rent (up) and the leefgeld (down) changed; of moved only leefgeld.
    moved = [row for row in response.context["rows"] if row.participant_id == people["moved"].pk]
    assert [i.kind for i in moved] == [InstructionKind.ALLOWANCE]
    assert "ander IBAN" in response.text
    assert "+15 %" in response.text


def test_many_changes_are_matched_by_a_subquery(client, approver, december, monkeypatch):
    client.force_login(approver)
    listed = _shown(_list(client, december, changes="on"))
    monkeypatch.setattr(review, "MAX_LISTED", 2)
    assert _shown(_list(client, december, changes="on")) == listed


def test_list_refuses_an_upside_down_amount_range(client, approver, december):
    client.force_login(approver)
    response = _list(client, december, min_euros="100", max_euros="50")
    assert "lager dan het bedrag" in response.text
    # An invalid filter shows everything rather than a wrong selection.
    assert response.context["page"].paginator.count == december.instructions.count()


def test_list_without_results_says_how_to_widen(client, approver, december):
    client.force_login(approver)
    response = _list(client, december, q="Niemand-Met-Deze-Naam")
    assert "Geen betalingen gevonden" in response.text
    assert response.context["page"].paginator.count == 0


def test_list_pages(client, approver, december, monkeypatch):
    monkeypatch.setattr(review, "PAGE_SIZE", 4)
    client.force_login(approver)
    total = december.instructions.count()
    seen = []
    number = 1
    while True:
        response = _list(client, december, order="bedrag-hoog", pagina=number)
        seen += [i.pk for i in response.context["rows"]]
        if not response.context["page"].has_next():
            break
        # The next page is a button in a form that carries the filters along.
        assert f'name="pagina" value="{number + 1}">Volgende' in response.text
        assert '<input type="hidden" name="order" value="bedrag-hoog">' in response.text
        number += 1
    assert number == -(-total // 4)
    assert sorted(seen) == sorted(december.instructions.values_list("pk", flat=True))


def test_changes_pages(client, approver, december, monkeypatch):
    monkeypatch.setattr(review, "PAGE_SIZE", 2)
    client.force_login(approver)
    url = reverse("payments:changes", args=[december.pk])
    first = client.get(url, {"groep": "nieuwe-rekening"})
    second = client.get(url, {"groep": "nieuwe-rekening", "pagina": 2})
    rows = first.context["sections"][0].rows + second.context["sections"][0].rows
    assert len(rows) == 3 and len(_keys(rows)) == 3
    assert "Pagina 1 van 2" in first.text


def test_htmx_request_gets_only_the_results(client, approver, december):
    client.force_login(approver)
    response = client.get(
        reverse("payments:instructions", args=[december.pk]), headers={"HX-Request": "true"}
    )
    assert "<table>" in response.text and "<html" not in response.text


def _user_with(region, **rights):
    role = Role.objects.create(
        code=f"r-{len(rights)}", name="Alleen goedkeuren", scope=Scope.REGION, **rights
    )
    return UserFactory(role=role, organisation=OrganisationFactory(region=region))


def test_bsn_and_iban_only_for_who_may_see_them(client, december, people, region):
    client.force_login(_user_with(region, approves_payments=True))
    bsn = _list(client, december, q=people["stable"].bsn)
    assert "een BSN hoort niet in een webadres" in bsn.text
    response = _list(client, december)
    assert people["stable"].iban not in response.text
    assert f"{people['stable'].iban[:4]} •••• {people['stable'].iban[-4:]}" in response.text


def test_another_regions_run_is_not_found(client, december):
    other = RegionFactory(name="Den Haag", slug="den-haag")
    RegelingFactory(region=other)
    outsider = UserFactory(
        role_code=RoleCode.BACKOFFICE, organisation=OrganisationFactory(region=other)
    )
    client.force_login(outsider)
    for name in ("payments:instructions", "payments:changes"):
        assert client.get(reverse(name, args=[december.pk])).status_code == 404


@pytest.mark.parametrize("role", ["klantmanager", "coach"])
def test_roles_without_payment_rights_get_403(client, request, role, december):
    client.force_login(request.getfixturevalue(role))
    for name in ("payments:instructions", "payments:changes"):
        assert client.get(reverse(name, args=[december.pk])).status_code == 403


# --- queries do not grow with the run ---------------------------------------------------------


def _grow(regeling, creditors, n):
    for _ in range(n):
        ready_participant(regeling, **creditors)


def _pages(client, run):
    yield reverse("payments:detail", args=[run.pk]), {}
    yield reverse("payments:instructions", args=[run.pk]), {}
    yield reverse("payments:instructions", args=[run.pk]), {"changes": "on", "q": "a"}
    yield reverse("payments:changes", args=[run.pk]), {}
    yield reverse("payments:changes", args=[run.pk]), {"groep": "nieuwe-rekening"}


# The approver's own pages; the run page also holds what other parts of the run show.
OWN_PAGE_QUERIES = 13  # with the audit entry of the page view


def test_query_count_does_not_grow_with_the_run(
    client,
    approver,
    november,
    backoffice,
    region,
    regeling,
    creditors,
    django_assert_max_num_queries,
):
    client.force_login(approver)
    _grow(regeling, creditors, 1)  # so that both runs have changes to show
    small = services.prepare_run(backoffice, region, NEXT)
    counted = []
    for url, params in _pages(client, small):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, params).status_code == 200
        counted.append(len(queries))
    assert max(counted[1:]) <= OWN_PAGE_QUERIES
    services.cancel_run(backoffice, small)
    _grow(regeling, creditors, 7)
    large = services.prepare_run(backoffice, region, NEXT)
    assert large.instructions.count() >= 2 * small.instructions.count()
    for (url, params), count in zip(_pages(client, large), counted, strict=True):
        with django_assert_max_num_queries(count):
            assert client.get(url, params).status_code == 200


# --- in a real browser ------------------------------------------------------------------------


@pytest.mark.browser
def test_the_approver_works_from_the_run_page_in_the_browser(
    browser_page, live_server, approver, december, people
):
    from ontzorg.conftest import assert_accessible, login

    page = browser_page
    login(page, live_server, approver)
    page.goto(f"{live_server.url}{reverse('payments:detail', args=[december.pk])}")
    page.get_by_role("heading", name="Controle voor goedkeuring").wait_for()
    # The list loads into the run page; its filters swap it in place.
    page.locator("#betalingen table").wait_for()
    assert_accessible(page)
    page.get_by_role("searchbox", name="Zoeken").fill(people["moved"].last_name)
    page.get_by_text("4 betalingen gevonden").wait_for()  # rent, energy, leefgeld, savings
    assert page.get_by_text("ander IBAN").first.is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Bedrag omhoog").click()
    page.get_by_role("heading", name="Wat is er veranderd sinds vorige maand").wait_for()
    assert page.get_by_role("heading", name="Bedrag omhoog (2)").is_visible()
    assert_accessible(page)
    rent_up = people["rent_up"]
    page.get_by_role("link", name=f"{rent_up.last_name}, {rent_up.first_name}").first.click()
    page.wait_for_url(f"**{reverse('plans:overview', args=[rent_up.pk])}")


def test_the_search_never_travels_in_a_url(client, approver, december, people):
    """The filters post; a search in a URL is ignored (a link may narrow, never search)."""
    client.force_login(approver)
    url = reverse("payments:instructions", args=[december.pk])
    page = client.get(url)
    assert f'<form method="post" action="{url}"' in page.text
    searched = client.get(url, {"q": people["stable"].last_name})
    assert searched.context["page"].paginator.count == december.instructions.count()
    narrowed = client.get(url, {"kind": InstructionKind.ALLOWANCE})
    assert {kind for _p, kind, _a in _shown(narrowed)} == {InstructionKind.ALLOWANCE}


def test_a_bsn_is_not_searched_here(client, approver, december, people):
    """Payments are found by name or IBAN; a BSN is refused with a pointer to the
    participant list, and finds nothing."""
    client.force_login(approver)
    response = _list(client, december, q=people["stable"].bsn)
    assert "een BSN hoort niet in een webadres" in response.text
    assert response.context["form"].filters() == {}
    assert people["stable"].bsn not in str(
        list(AuditEntry.objects.values_list("summary", "params", "changes"))
    )


def test_every_shown_page_with_ibans_is_audited(client, approver, december, people):
    client.force_login(approver)
    before = AuditEntry.objects.count()
    _list(client, december, q=people["stable"].iban[-6:])
    client.get(reverse("payments:changes", args=[december.pk]))
    listed, changes = AuditEntry.objects.order_by("pk")[before:]
    assert listed.event == "payment_run.instructions_viewed"
    assert "(1 getoond" in listed.text
    assert people["stable"].iban[-6:] not in listed.text  # masked
    assert changes.event == "payment_run.changes_viewed"


def test_part_of_an_iban_is_searched_even_when_it_passes_the_eleven_test():
    """'100006' passes the BSN 11-test once padded to nine digits; as the end of an IBAN it is
    a search, not a BSN (before, about one IBAN ending in eleven was refused)."""
    assert InstructionFilterForm({"q": "100006"}).is_valid()
    assert not InstructionFilterForm({"q": "111222333"}).is_valid()
