"""core.privacy: no personal page is cached, and characters a database cannot take give a
Dutch message instead of a 500 in every search field (the admin's included)."""

import pytest
from django.contrib import admin
from django.urls import reverse

from ontzorg.accounts.tests.factories import UserFactory
from ontzorg.core import privacy

NUL = "Haddad\x00"
MESSAGE = "bevat een teken dat niet is toegestaan"


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


def test_pages_of_a_signed_in_user_are_never_stored(client, klantmanager):
    client.force_login(klantmanager)
    for url in (reverse("dashboard"), reverse("participants:list")):
        control = client.get(url)["Cache-Control"]
        assert "no-store" in control and "private" in control
    export = client.post(reverse("participants:export"))
    assert "no-store" in export["Cache-Control"]


def test_admin_pages_are_never_stored(client, superuser):
    client.force_login(superuser)
    assert "no-store" in client.get("/beheer/")["Cache-Control"]


def search_urls():
    """Every admin changelist with a search box, and the pages' own search fields."""
    urls = [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model, model_admin in admin.site._registry.items()
        if model_admin.search_fields
    ]
    return [*urls, reverse("participants:list")]


def test_every_admin_search_has_a_search_field():
    # The list below must not be empty by accident: the participants' admin searches.
    assert len(search_urls()) > 5


def test_a_nul_byte_in_any_search_gives_a_dutch_message(client, superuser):
    client.force_login(superuser)
    for url in search_urls():
        response = client.get(url, {"q": NUL})
        assert response.status_code == 400, url
        assert MESSAGE in response.content.decode(), url
    # The search form posts url-encoded, as browsers and htmx do.
    posted = client.post(
        reverse("participants:list"), "q=Haddad%00", content_type=privacy.FORM_CONTENT
    )
    assert posted.status_code == 400 and MESSAGE in posted.content.decode()
    # A multipart body is left to the forms (read early, it would fix the upload handlers):
    # their NUL check makes the search invalid, never a 500.
    assert client.post(reverse("participants:list"), {"q": NUL}).status_code == 200


def test_a_lone_surrogate_is_refused_or_replaced_never_a_500(client, superuser):
    assert privacy.has_invalid_characters("a\ud800b")
    client.force_login(superuser)
    # Sent as bytes, a lone surrogate reaches Django as U+FFFD, which searches fine.
    response = client.get(reverse("participants:list"), QUERY_STRING="q=%ED%A0%80")
    assert response.status_code == 200


def test_bsn_rule_and_mask():
    assert privacy.looks_like_bsn("1234") and not privacy.looks_like_bsn("Anna 12")
    assert privacy.mask_digits("999999990") == "*******90"
    assert privacy.mask_digits("NL91ABNA0417164300") == "NL91ABNA********00"
    assert privacy.mask_digits("Haddad") == "Haddad"
