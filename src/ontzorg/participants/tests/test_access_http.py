"""Access through HTTP: scoping (404 outside the scope), BSN and IBAN absent from the bytes
for roles that may not see them, login required everywhere, throttled logins, audit of views."""

import pytest
from django.urls import reverse

from ontzorg.accounts.constants import OrganisationKind, RoleCode
from ontzorg.accounts.tests.factories import OrganisationFactory, UserFactory
from ontzorg.audit.constants import Action
from ontzorg.audit.models import AuditEntry
from ontzorg.participants.tests.factories import ParticipantFactory
from ontzorg.regelingen.tests.factories import RegelingFactory, RegionFactory


@pytest.fixture
def ours(regeling, partner_org, klantmanager):
    return ParticipantFactory(
        first_name="Amina",
        last_name="Haddad",
        regeling=regeling,
        guidance_organisation=partner_org,
        case_worker=klantmanager,
    )


@pytest.fixture
def other_org_participant(regeling, region):
    """Same region, guided by another partner organisation."""
    other = OrganisationFactory(
        name="Stichting Welzijn", kind=OrganisationKind.PARTNER, region=region
    )
    return ParticipantFactory(first_name="Yonas", regeling=regeling, guidance_organisation=other)


@pytest.fixture
def other_region_klantmanager(db):
    region = RegionFactory(name="Den Haag", slug="den-haag")
    RegelingFactory(region=region)
    org = OrganisationFactory(name="Gemeente Den Haag", region=region)
    return UserFactory(username="km-dh", role_code=RoleCode.KLANTMANAGER, organisation=org)


def participant_urls(pk):
    return [
        reverse("participants:detail", args=[pk]),
        reverse("participants:edit", args=[pk]),
        reverse("audit:participant", args=[pk]),
    ]


def test_budgetcoach_gets_404_for_another_organisations_participant(
    client, coach, other_org_participant
):
    client.force_login(coach)
    response = client.get(reverse("participants:detail", args=[other_org_participant.pk]))
    assert response.status_code == 404
    assert other_org_participant.first_name.encode() not in response.content


def test_budgetcoach_does_not_find_another_organisations_participant(
    client, coach, ours, other_org_participant
):
    client.force_login(coach)
    listing = client.get(reverse("participants:list"))
    assert b"Amina" in listing.content and b"Yonas" not in listing.content
    export = client.get(reverse("participants:export"))
    assert b"Amina" in export.content and b"Yonas" not in export.content


def test_budgetcoach_sees_neither_bsn_nor_iban_anywhere(client, coach, ours):
    client.force_login(coach)
    pages = [
        client.get(reverse("dashboard")),
        client.get(reverse("participants:list")),
        client.get(reverse("participants:list"), {"q": "Amina"}, headers={"HX-Request": "true"}),
        client.get(reverse("participants:detail", args=[ours.pk])),
        client.get(reverse("participants:export")),
    ]
    assert all(page.status_code == 200 for page in pages)
    assert b"Amina" in pages[3].content
    digits = ours.iban[4:]  # the account number without country and check digits
    for page in pages:
        assert ours.bsn.encode() not in page.content
        assert ours.iban.encode() not in page.content
        assert digits.encode() not in page.content
    header = pages[4].content.decode("utf-8-sig").splitlines()[0]
    assert "BSN" not in header and "IBAN" not in header


def test_budgetcoach_may_not_open_intake_edit_decision_selection_or_audit(client, coach, ours):
    client.force_login(coach)
    for url in [
        reverse("participants:create"),
        reverse("participants:edit", args=[ours.pk]),
        reverse("participants:selection"),
        reverse("audit:participant", args=[ours.pk]),
    ]:
        assert client.get(url).status_code == 403, url
    decision = client.post(
        reverse("participants:decision", args=[ours.pk]),
        {"kind": "opt_out", "outcome": "no_ontzorging", "reason": "Wil het zelf regelen."},
    )
    assert decision.status_code == 403
    assert not ours.decisions.exists()


def test_klantmanager_of_another_region_gets_404(client, other_region_klantmanager, ours):
    client.force_login(other_region_klantmanager)
    for url in participant_urls(ours.pk)[:2]:
        assert client.get(url).status_code == 404, url
    decision = client.post(
        reverse("participants:decision", args=[ours.pk]),
        {"kind": "opt_out", "outcome": "no_ontzorging", "reason": "Wil het zelf regelen."},
    )
    assert decision.status_code == 404
    assert b"Amina" not in client.get(reverse("participants:list")).content
    assert b"Amina" not in client.get(reverse("participants:export")).content


def test_beheerder_outside_scope_gets_404_on_the_audit_trail(client, beheerder):
    client.force_login(beheerder)
    assert client.get(reverse("audit:participant", args=[999_999])).status_code == 404


@pytest.mark.parametrize(
    "name, args",
    [
        ("dashboard", []),
        ("participants:list", []),
        ("participants:export", []),
        ("participants:create", []),
        ("participants:selection", []),
        ("participants:selection_result", [1]),
        ("participants:detail", [1]),
        ("participants:edit", [1]),
        ("participants:decision", [1]),
        ("audit:participant", [1]),
    ],
)
def test_login_required_everywhere(client, db, name, args):
    url = reverse(name, args=args)
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 302
        assert response.url.startswith(reverse("login") + "?next=")
    assert not AuditEntry.objects.filter(action=Action.VIEW).exists()


def test_failed_logins_are_throttled_after_five_attempts(client, klantmanager):
    url = reverse("login")
    for _ in range(5):
        response = client.post(url, {"username": "km", "password": "fout"})
        assert "Gebruikersnaam of wachtwoord klopt niet." in response.content.decode()
    # Even the right password is refused now, with a message that says why.
    response = client.post(url, {"username": "km", "password": "geheim-wachtwoord-1"})
    content = response.content.decode()
    assert "Te veel mislukte pogingen." in content
    assert "_auth_user_id" not in client.session


def test_a_good_login_reaches_the_dashboard(client, klantmanager):
    from ontzorg.accounts.services import next_code
    from ontzorg.conftest import totp_device

    device = totp_device(klantmanager)
    client.post(reverse("login"), {"username": "km", "password": "geheim-wachtwoord-1"})
    response = client.post(reverse("login_code"), {"code": next_code(device)}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("dashboard")
    assert b"Overzicht" in response.content


@pytest.mark.parametrize(
    "name, what",
    [
        ("participants:detail", "deelnemerspagina bekeken"),
        ("participants:edit", "wijzigformulier bekeken"),
    ],
)
def test_every_participant_view_writes_an_audit_entry(client, klantmanager, ours, name, what):
    client.force_login(klantmanager)
    client.get(reverse(name, args=[ours.pk]))
    client.get(reverse(name, args=[ours.pk]))
    entries = AuditEntry.objects.filter(participant=ours, action=Action.VIEW)
    assert entries.count() == 2
    assert {(e.actor_id, e.summary) for e in entries} == {(klantmanager.pk, what)}
    assert entries.first().ip_address == "127.0.0.1"


def test_the_audit_trail_view_is_itself_audited(client, beheerder, ours):
    client.force_login(beheerder)
    client.get(reverse("audit:participant", args=[ours.pk]))
    assert AuditEntry.objects.filter(
        participant=ours, action=Action.VIEW, summary="audittrail bekeken", actor=beheerder
    ).exists()


def test_a_refused_view_leaves_no_audit_entry(client, coach, other_org_participant):
    client.force_login(coach)
    client.get(reverse("participants:detail", args=[other_org_participant.pk]))
    assert not AuditEntry.objects.filter(participant=other_org_participant).exists()


def test_a_failed_decision_still_audits_the_view(client, klantmanager, ours):
    client.force_login(klantmanager)
    client.post(reverse("participants:decision", args=[ours.pk]), {"reason": ""})
    assert AuditEntry.objects.filter(participant=ours, action=Action.VIEW).count() == 1
    assert not AuditEntry.objects.filter(participant=ours, action=Action.DECISION).exists()
