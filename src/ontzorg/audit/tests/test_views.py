"""The audit trail page of a participant: who, when, what, before and after; beheerder only."""

import pytest
from django.urls import reverse

from ontzorg.accounts.constants import RoleCode
from ontzorg.accounts.tests.factories import UserFactory
from ontzorg.audit.constants import Action
from ontzorg.audit.services import record
from ontzorg.participants import services
from ontzorg.participants.tests.factories import ParticipantFactory


@pytest.fixture
def person(regeling):
    return ParticipantFactory(first_name="Amina", last_name="Haddad", regeling=regeling)


def test_beheerder_reads_who_when_what_before_and_after(client, beheerder, klantmanager, person):
    services.view_participant(klantmanager, person.pk)
    services.update_participant(klantmanager, person, {"languages": "Arabisch, Engels"})
    client.force_login(beheerder)
    response = client.get(reverse("audit:participant", args=[person.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Audittrail van Amina Haddad" in content
    assert "deelnemerspagina bekeken" in content
    assert "deelnemergegevens gewijzigd" in content
    assert str(klantmanager) in content
    assert '<span class="before">Arabisch</span> → <span class="after">Arabisch, Engels</span>' in (
        content
    )
    # Newest first: the change comes before the view.
    assert content.index("deelnemergegevens gewijzigd") < content.index("deelnemerspagina bekeken")


@pytest.mark.parametrize(
    "role", [RoleCode.KLANTMANAGER, RoleCode.BACKOFFICE, RoleCode.PROJECTLEIDER]
)
def test_other_roles_get_403(client, municipality_org, person, role):
    client.force_login(UserFactory(role_code=role, organisation=municipality_org))
    assert client.get(reverse("audit:participant", args=[person.pk])).status_code == 403


def test_trail_is_paginated(client, beheerder, person):
    for n in range(60):
        record(beheerder, Action.VIEW, person, participant=person, summary=f"regel {n}")
    client.force_login(beheerder)
    first = client.get(reverse("audit:participant", args=[person.pk]))
    assert "Pagina 1 van 2" in first.content.decode()
    assert len(first.context["rows"]) == 50


def test_trail_hides_bsn_changes_from_a_role_that_may_not_see_them(
    client, beheerder, person, settings
):
    record(
        beheerder,
        Action.UPDATE,
        person,
        participant=person,
        summary="BSN gecorrigeerd",
        changes={"bsn": ["111222333", person.bsn]},
    )
    beheerder.role.sees_bsn = False
    beheerder.role.save()
    client.force_login(beheerder)
    content = client.get(reverse("audit:participant", args=[person.pk])).content.decode()
    assert "BSN gecorrigeerd" in content
    assert person.bsn not in content and "111222333" not in content
    assert "(verborgen)" in content
