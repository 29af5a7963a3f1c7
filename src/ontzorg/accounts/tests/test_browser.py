"""In a real browser: a login with password and TOTP code, where neither the admin nor a
staff page opens before the code is given; the first login that sets up the authenticator
app from the page's own secret; axe-core finds no serious problem on the login, code, setup
and recovery-code pages."""

from base64 import b32decode

import pytest
from django_otp.oath import totp

from ontzorg.accounts.services import next_code
from ontzorg.conftest import PASSWORD, assert_accessible, totp_device

pytestmark = pytest.mark.browser


def password_step(page, user):
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()


def test_the_admin_opens_only_after_password_and_code(browser_page, live_server, beheerder):
    beheerder.is_staff = beheerder.is_superuser = True
    beheerder.save()
    device = totp_device(beheerder)
    page = browser_page

    page.goto(f"{live_server.url}/beheer/")
    page.wait_for_url("**/inloggen/?next=*")
    assert page.get_by_role("heading", name="Inloggen").is_visible()
    assert_accessible(page)
    password_step(page, beheerder)
    page.wait_for_url("**/inloggen/code/**")
    assert_accessible(page)

    # Only the password given: the admin and a staff page lead back to the code.
    for path in ("/beheer/", "/beheer/accounts/user/", "/deelnemers/"):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_url("**/inloggen/code/**")
        assert page.get_by_role("heading", name="Inloggen: stap 2").is_visible()
        assert page.get_by_role("navigation", name="Hoofdmenu").count() == 0

    page.get_by_label("Code").fill(next_code(device))
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{live_server.url}/deelnemers/")
    page.goto(f"{live_server.url}/beheer/")
    assert page.get_by_role("heading", name="Configuratie").is_visible()


def test_the_first_login_sets_up_the_app(browser_page, live_server, klantmanager):
    page = browser_page
    page.goto(f"{live_server.url}/inloggen/")
    password_step(page, klantmanager)
    page.wait_for_url("**/inloggen/instellen/**")
    assert page.get_by_role(
        "img", name="QR-code om de authenticator-app in te stellen"
    ).is_visible()
    assert_accessible(page)

    # What an authenticator app does with the secret shown on the page.
    secret = page.locator("code.secret").inner_text().replace(" ", "")
    page.get_by_label("Code", exact=True).fill(str(totp(b32decode(secret))).zfill(6))
    page.get_by_role("button", name="App instellen").click()
    assert page.get_by_role("heading", name="Uw herstelcodes").is_visible()
    assert page.locator(".recovery-codes li").count() == 10
    assert_accessible(page)

    page.get_by_role("link", name="Ik heb de codes bewaard, ga verder").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("navigation", name="Hoofdmenu").is_visible()
