"""Fixtures shared by every app's tests.

Browser tests (any app): mark them `@pytest.mark.browser`, take the `browser_page` fixture
and use the helpers below::

    from ontzorg.conftest import assert_accessible, login

    @pytest.mark.browser
    def test_page(browser_page, live_server, klantmanager):
        login(browser_page, live_server, klantmanager)
        browser_page.goto(live_server.url + "/...")
        assert_accessible(browser_page)
"""

import json
import os
from pathlib import Path

import pytest
from django.db import connection, connections

from ontzorg.accounts.constants import OrganisationKind, RoleCode
from ontzorg.accounts.tests.factories import OrganisationFactory, UserFactory
from ontzorg.regelingen.tests.factories import RegelingFactory, RegionFactory

# The day the suite lives on: date-dependent tests take `frozen_clock` and never read the
# real clock, so they give the same answer on every day of the year.
FROZEN_NOW = "2026-03-16 10:00:00+01:00"


@pytest.fixture
def frozen_clock():
    """Freeze time (Django's timezone.now/localdate and the datetime module) at FROZEN_NOW;
    `frozen_clock.move_to("2026-05-01")` moves it."""
    import time_machine

    with time_machine.travel(FROZEN_NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def force_login_includes_the_second_factor(monkeypatch):
    """`client.force_login(user)` stands for a completed login: password AND second factor.

    The second factor is enforced for real in every settings module (no setting switches it
    off), so a forced login must also do what step 2 of the login does: bind a confirmed
    django-otp device to the session (`pass_second_factor`). The real two steps are tested in
    accounts/tests and, in the browser, by `login()` below."""
    from django.test import Client

    from ontzorg.accounts.tests.factories import pass_second_factor

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        pass_second_factor(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture
def region(db):
    return RegionFactory(name="Zoetermeer", slug="zoetermeer")


@pytest.fixture
def regeling(region):
    return RegelingFactory(region=region)


@pytest.fixture
def municipality_org(region):
    return OrganisationFactory(name="Gemeente Zoetermeer", region=region)


@pytest.fixture
def partner_org(region):
    return OrganisationFactory(
        name="VluchtelingenWerk", kind=OrganisationKind.PARTNER, region=region
    )


@pytest.fixture
def klantmanager(municipality_org):
    return UserFactory(
        username="km", role_code=RoleCode.KLANTMANAGER, organisation=municipality_org
    )


@pytest.fixture
def backoffice(municipality_org):
    return UserFactory(username="bo", role_code=RoleCode.BACKOFFICE, organisation=municipality_org)


@pytest.fixture
def coach(partner_org):
    return UserFactory(username="coach", role_code=RoleCode.BUDGETCOACH, organisation=partner_org)


@pytest.fixture
def beheerder(municipality_org):
    return UserFactory(
        username="beheer", role_code=RoleCode.BEHEERDER, organisation=municipality_org
    )


# Browser tests: Debian's Chromium through Playwright; a browser is never downloaded.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "geheim-wachtwoord-1"  # what UserFactory gives every user


@pytest.fixture(scope="session")
def chromium(django_db_setup):
    """One headless Chromium per test session. Fails (never skips) without Chromium, so a
    missing browser cannot make the accessibility checks silently disappear."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"Browser tests need Debian's Chromium at {CHROMIUM} "
            "(apt-get install chromium, or `make browser`); run `pytest -m 'not browser'` "
            "to leave them out."
        )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread; the test's own
    # database work is still synchronous, so Django's async guard must stand aside.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    # With an event loop running, Django keeps its database connections per context instead
    # of per thread, so the tests get fresh connection objects: hand them the snapshot that
    # serialized rollback restores after each flush.
    snapshots = {
        alias: getattr(connections[alias], "_test_serialized_contents", None)
        for alias in connections
    }
    with sync_playwright() as playwright:
        for alias, snapshot in snapshots.items():
            if snapshot is not None:
                connections[alias]._test_serialized_contents = snapshot
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


_delete_guards: dict[str, str] = {}


def _pause_delete_guards():
    """Drop SQLite's append-only DELETE triggers so the live server's flush can empty the
    tables after the test; they come back before the next browser test. (PostgreSQL flushes
    with TRUNCATE, which row triggers do not see.)"""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
            "AND sql LIKE '%BEFORE DELETE%' AND sql LIKE '%append-only%'"
        )
        for name, sql in cursor.fetchall():
            _delete_guards[name] = sql
            cursor.execute(f'DROP TRIGGER "{name}"')


def _restore_delete_guards():
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        present = {name for (name,) in cursor.fetchall()}
        for name, sql in _delete_guards.items():
            if name not in present:
                cursor.execute(sql)


@pytest.fixture
def browser_page(chromium, live_server, django_db_serialized_rollback):
    """A fresh page (own cookies) against the live server. Serialized rollback brings back
    the roles of migration 0002 after the live server's table flush."""
    _restore_delete_guards()
    context = chromium.new_context(locale="nl-NL", base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()
    _pause_delete_guards()


# The secret of the authenticator app `login()` gives a user (hex, as django-otp stores it).
TOTP_KEY = "3132333435363738393031323334353637383930"


def totp_device(user):
    """The user's confirmed TOTP device with the known key TOTP_KEY (made if missing)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(
        user=user, confirmed=True, defaults={"name": "authenticator-app", "key": TOTP_KEY}
    )
    return device


def login(page, live_server, user, password: str = PASSWORD) -> None:
    """Log `user` in through both steps of the login form, as a person does: the password,
    then the code of the user's authenticator app (a TOTP device with the known key
    TOTP_KEY, given to the user here), and wait for the dashboard."""
    from ontzorg.accounts.services import next_code

    device = totp_device(user)
    page.goto(f"{live_server.url}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/inloggen/code/**")
    page.get_by_label("Code").fill(next_code(device))
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{live_server.url}/")


def _axe_source() -> str:
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()


def assert_accessible(page, impacts=("serious", "critical")) -> list:
    """Run axe-core on the page as it is now; fail on violations of the given impacts.
    Returns all violations, so a test can look at the minor ones too."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated, not added as an inline <script>: the Content-Security-Policy refuses those.
        page.evaluate(_axe_source())
    result = page.evaluate("axe.run()")
    violations = result["violations"]
    bad = [v for v in violations if v.get("impact") in impacts]
    report = [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in bad
    ]
    assert not bad, f"axe-core on {page.url}:\n{json.dumps(report, indent=2, ensure_ascii=False)}"
    return violations
