"""The login in two steps (password, then a code from the authenticator app or a recovery
code), the setup of the app at the first login, the admin behind the same login, the user's
own password (12 characters at least) and the audit of all of it."""

import re
from base64 import b32encode

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ontzorg.accounts import services
from ontzorg.accounts.services import next_code
from ontzorg.audit.models import AuditEntry
from ontzorg.conftest import PASSWORD, totp_device
from ontzorg.exceptions import Refused

pytestmark = pytest.mark.django_db

CODE_PAGE = "/inloggen/code/"


def password_step(client, user, password=PASSWORD, next_url=""):
    data = {"username": user.username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("login"), data)


def events_of(user) -> list[str]:
    return list(
        AuditEntry.objects.filter(event__startswith="account.")
        .order_by("pk")
        .values_list("event", flat=True)
    )


@pytest.fixture
def superuser(beheerder):
    beheerder.is_staff = beheerder.is_superuser = True
    beheerder.save()
    return beheerder


def test_with_the_password_alone_no_page_opens_not_even_the_admin(client, superuser):
    device = totp_device(superuser)
    response = password_step(client, superuser)
    assert response.status_code == 302
    assert response["Location"] == f"{CODE_PAGE}?next=%2F"

    for url in ("/", reverse("participants:list"), "/beheer/", "/beheer/accounts/user/"):
        refused = client.get(url)
        assert refused.status_code == 302, url
        assert refused["Location"].startswith(CODE_PAGE), url

    done = client.post(reverse("login_code"), {"code": next_code(device), "next": "/beheer/"})
    assert done.status_code == 302 and done["Location"] == "/beheer/"
    assert client.get("/beheer/").status_code == 200
    assert client.get(reverse("participants:list")).status_code == 200
    assert events_of(superuser) == ["account.password_accepted", "account.logged_in"]
    entry = AuditEntry.objects.get(event="account.logged_in")
    assert entry.text == "'beheer' aangemeld met wachtwoord en de authenticator-app"
    assert entry.actor == superuser and entry.ip_address == "127.0.0.1"


def test_the_admin_itself_asks_the_second_factor_too(client, superuser, settings):
    """Without the middleware (a second line of defence) the admin still refuses."""
    settings.MIDDLEWARE = [
        m for m in settings.MIDDLEWARE if m != "ontzorg.accounts.middleware.SecondFactorMiddleware"
    ]
    totp_device(superuser)
    password_step(client, superuser)
    response = client.get("/beheer/")
    assert response.status_code == 302
    assert response["Location"].startswith("/beheer/login/")


def test_the_admin_login_is_our_login(client, superuser):
    response = client.get("/beheer/login/?next=/beheer/regelingen/")
    assert response.status_code == 302
    assert response["Location"] == "/inloggen/?next=%2Fbeheer%2Fregelingen%2F"
    # A password sent to the admin's login address logs nobody in: there is no such login.
    sent = client.post("/beheer/login/", {"username": "beheer", "password": PASSWORD})
    assert sent.status_code == 302
    assert "_auth_user_id" not in client.session
    assert client.get("/beheer/").status_code == 302


def test_a_wrong_code_is_refused_and_audited(client, klantmanager, frozen_clock):
    totp_device(klantmanager)
    password_step(client, klantmanager)
    response = client.post(reverse("login_code"), {"code": "000000"})
    assert response.status_code == 200
    assert "De code klopt niet." in response.content.decode()
    assert client.get("/").status_code == 302
    entry = AuditEntry.objects.get(event="account.second_factor_failed")
    assert entry.text == "verkeerde code in de tweede stap van de aanmelding van 'km'"


def test_wrong_codes_count_for_the_throttle_and_end_the_half_login(client, klantmanager, settings):
    settings.LOGIN_MAX_FAILURES = 3
    device = totp_device(klantmanager)
    password_step(client, klantmanager)
    for _ in range(3):
        client.post(reverse("login_code"), {"code": "000000"})

    response = client.post(reverse("login_code"), {"code": next_code(device)})
    assert response.status_code == 302 and response["Location"].startswith("/inloggen/")
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(event="account.login_blocked_username").count() == 1
    # The name stays locked for the password step as well.
    assert "Te veel mislukte pogingen." in password_step(client, klantmanager).content.decode()


def test_next_is_kept_through_both_steps_but_only_within_the_site(client, klantmanager):
    device = totp_device(klantmanager)
    response = password_step(client, klantmanager, next_url="/deelnemers/")
    assert response["Location"] == f"{CODE_PAGE}?next=%2Fdeelnemers%2F"
    done = client.post(reverse("login_code"), {"code": next_code(device), "next": "/deelnemers/"})
    assert done["Location"] == "/deelnemers/"

    client.post(reverse("logout"))
    password_step(client, klantmanager)
    away = client.post(
        reverse("login_code"), {"code": next_code(device), "next": "https://example.com/"}
    )
    assert away["Location"] == "/"


def test_the_first_login_sets_up_the_app_and_shows_the_recovery_codes_once(
    client, klantmanager, frozen_clock
):
    password_step(client, klantmanager)
    code_page = client.get(f"{CODE_PAGE}?next=/")
    assert code_page.status_code == 302
    assert code_page["Location"].startswith(reverse("login_setup"))

    page = client.get(code_page["Location"]).content.decode()
    device = TOTPDevice.objects.get(user=klantmanager, confirmed=False)
    assert "QR-code om de authenticator-app in te stellen" in page
    assert b32encode(device.bin_key).decode()[:4] in page
    # Reloading the page shows the same secret (the app may have scanned it already).
    client.get(code_page["Location"])
    assert TOTPDevice.objects.get(user=klantmanager, confirmed=False).pk == device.pk

    wrong = client.post(reverse("login_setup"), {"code": "000000"})
    assert "De code klopt niet." in wrong.content.decode()
    frozen_clock.shift(2)  # django-otp makes a device wait a second after a wrong code
    done = client.post(reverse("login_setup"), {"code": next_code(device), "next": "/"})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", done.content.decode())
    assert len(codes) == 10
    tokens = StaticToken.objects.filter(device__user=klantmanager)
    assert set(codes) == set(tokens.values_list("token", flat=True))
    assert client.get("/").status_code == 200
    entry = AuditEntry.objects.get(event="account.device_confirmed")
    assert entry.text == "authenticator-app ingesteld voor 'km', met 10 nieuwe herstelcodes"

    # The setup page is gone now: it shows neither a secret nor the codes again.
    again = client.get(reverse("login_setup"))
    assert again.status_code == 302
    assert codes[0] not in client.get(again["Location"], follow=True).content.decode()


def test_with_an_app_set_up_the_password_cannot_set_up_another(client, klantmanager):
    totp_device(klantmanager)
    password_step(client, klantmanager)
    response = client.get(reverse("login_setup"))
    assert response.status_code == 302 and response["Location"].startswith(CODE_PAGE)
    response = client.post(reverse("login_setup"), {"code": "123456"})
    assert response["Location"].startswith(CODE_PAGE)
    assert TOTPDevice.objects.filter(user=klantmanager).count() == 1
    with pytest.raises(Refused):
        services.new_device(klantmanager)


def test_a_recovery_code_opens_once(client, klantmanager):
    device = TOTPDevice.objects.create(user=klantmanager, name="app", confirmed=False)
    codes = services.confirm_device(klantmanager, device, next_code(device))
    assert len(codes) == 10 and len(set(codes)) == 10

    password_step(client, klantmanager)
    # Typed as people do: in capitals, with a space.
    typed = f"{codes[3][:4].upper()} {codes[3][4:].upper()}"
    assert client.post(reverse("login_code"), {"code": typed})["Location"] == "/"
    assert client.get("/").status_code == 200
    entry = AuditEntry.objects.get(event="account.recovery_code_used")
    assert entry.text == "herstelcode gebruikt door 'km' (nog 9 over)"
    assert AuditEntry.objects.get(event="account.logged_in").text.endswith("een herstelcode")

    client.post(reverse("logout"))
    password_step(client, klantmanager)
    again = client.post(reverse("login_code"), {"code": codes[3]})
    assert again.status_code == 200
    assert "De code klopt niet." in again.content.decode()
    assert client.get("/").status_code == 302
    assert StaticToken.objects.filter(token=codes[3]).count() == 0


def test_force_login_in_tests_counts_as_both_steps(client, klantmanager):
    client.force_login(klantmanager)
    assert client.get("/").status_code == 200


def test_the_password_needs_twelve_characters_and_is_not_a_common_one(klantmanager):
    with translation.override("nl"):
        with pytest.raises(ValidationError, match="Het moet minstens 12 tekens hebben"):
            validate_password("elf-tekens1", klantmanager)
        with pytest.raises(ValidationError, match="te algemeen"):
            validate_password("qwerty123456", klantmanager)
    validate_password("twaalf-tekens", klantmanager)


def test_a_user_changes_the_own_password(client, klantmanager):
    client.force_login(klantmanager)
    page = client.get(reverse("password_change"))
    assert page.status_code == 200
    assert "Wachtwoord wijzigen" in page.content.decode()
    url = reverse("password_change")

    short = client.post(
        url,
        {"old_password": PASSWORD, "new_password1": "kort-ww-11x", "new_password2": "kort-ww-11x"},
    )
    assert short.status_code == 200
    assert "Het moet minstens 12 tekens hebben." in short.content.decode()

    new = "lange zin als wachtwoord"
    done = client.post(url, {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert done.status_code == 302 and done["Location"] == reverse("password_change_done")
    # Still logged in, with the second factor: the session survives the change.
    assert client.get("/").status_code == 200
    klantmanager.refresh_from_db()
    assert klantmanager.check_password(new)
    entry = AuditEntry.objects.get(event="account.password_changed")
    assert entry.text == "'km' heeft het eigen wachtwoord gewijzigd"
    assert entry.actor == klantmanager


def test_wrong_current_passwords_are_throttled_and_audited(client, klantmanager, settings):
    settings.LOGIN_MAX_FAILURES = 3
    client.force_login(klantmanager)
    url = reverse("password_change")
    new = "lange zin als wachtwoord"
    for _ in range(3):
        wrong = client.post(
            url, {"old_password": "geraden-1234", "new_password1": new, "new_password2": new}
        )
        assert wrong.status_code == 200
        assert "Te veel mislukte pogingen." not in wrong.content.decode()
    entries = AuditEntry.objects.filter(event="account.password_change_failed")
    assert entries.count() == 3
    assert entries.first().text == (
        "'km' gaf een verkeerd huidig wachtwoord bij het wijzigen van het wachtwoord"
    )
    assert entries.first().actor == klantmanager

    # Now even the right one is refused, and the password stays as it was.
    right = client.post(url, {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert right.status_code == 200
    assert "Te veel mislukte pogingen." in right.content.decode()
    klantmanager.refresh_from_db()
    assert klantmanager.check_password(PASSWORD)
    assert AuditEntry.objects.filter(event="account.login_blocked_username").count() == 1


def test_a_verified_user_without_admin_rights_is_refused_not_sent_round(client, klantmanager):
    client.force_login(klantmanager)
    response = client.get("/beheer/", follow=True)
    assert response.status_code == 403
    assert response.redirect_chain == [("/beheer/login/?next=/beheer/", 302)]
    assert "Geen toegang tot beheer" in response.content.decode()


def test_the_admin_login_sends_a_verified_staff_member_on_to_the_admin(client, superuser):
    client.force_login(superuser)
    response = client.get("/beheer/login/?next=/beheer/")
    assert response.status_code == 302 and response["Location"] == "/beheer/"
