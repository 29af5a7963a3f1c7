"""Login throttling per username from one address, per client address, and per username from
all addresses together (which a known browser escapes): a lock ends one window after the
failures (refused attempts do not extend it), a lock on an address refuses that address only,
the address is the one behind a trusted proxy, whoever guesses from elsewhere never locks the
real user out of their own browser, old failures are deleted, and parallel attempts never get
more tries than the limit (PostgreSQL)."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from ontzorg.accounts import throttle
from ontzorg.accounts.models import FailedLogin
from ontzorg.accounts.tests.factories import UserFactory
from ontzorg.audit.models import AuditEntry
from ontzorg.conftest import PASSWORD

PROXY = "10.0.0.2"
WRONG = "Gebruikersnaam of wachtwoord klopt niet."
LOCKED = "Te veel mislukte pogingen."


def attempt(client, username="km", password="fout", address="203.0.113.7"):
    """A password attempt from `address`, through the trusted proxy PROXY."""
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=address,
    )


def passed_the_password(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/inloggen/code/")


@pytest.fixture
def limits(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.LOGIN_MAX_FAILURES = 5
    settings.LOGIN_MAX_FAILURES_PER_IP = 15
    settings.LOGIN_FAILURE_WINDOW_SECONDS = 15 * 60
    return settings


@pytest.mark.django_db
def test_a_name_is_locked_after_five_failures_from_one_address(client, klantmanager, limits):
    for _ in range(5):
        assert WRONG in attempt(client).content.decode()

    # The right password from that address: the name is locked there.
    refused = attempt(client, password=PASSWORD)
    assert LOCKED in refused.content.decode()
    assert "_auth_user_id" not in client.session
    entry = AuditEntry.objects.get(event="account.login_blocked_username")
    assert entry.text == (
        "aanmelding voor 'km' geweigerd: te veel mislukte pogingen voor deze naam"
    )
    assert entry.ip_address == "203.0.113.7"
    # The name's counting is case-blind: KM is the same name.
    assert LOCKED in attempt(client, username="KM", password=PASSWORD).content.decode()
    # From another address the name is not locked by these failures.
    assert passed_the_password(attempt(Client(), password=PASSWORD, address="198.51.100.1"))


def complete_login(client, user, address):
    """Both steps of a login from `address`, as the real user does in their own browser."""
    from ontzorg.accounts.services import next_code
    from ontzorg.conftest import totp_device

    password = attempt(client, username=user.username, password=PASSWORD, address=address)
    if not passed_the_password(password):
        return False
    done = client.post(
        reverse("login_code"),
        {"code": next_code(totp_device(user))},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=address,
    )
    logged_in = done.status_code == 302 and client.get("/").status_code == 200
    client.post(reverse("logout"))
    return logged_in


@pytest.mark.django_db
def test_guessing_from_other_addresses_never_locks_the_user_out_of_a_known_browser(
    klantmanager, limits, frozen_clock
):
    limits.LOGIN_MAX_FAILURES_PER_NAME_ALL_ADDRESSES = 12
    own = Client()
    assert complete_login(own, klantmanager, "192.0.2.10")
    assert own.cookies[throttle.KNOWN_BROWSER_COOKIE].value

    attacker = Client()
    for _window in range(3):
        answers = [
            attempt(attacker, address=f"203.0.113.{number}").content.decode()
            for number in range(1, 4)
            for _ in range(6)
        ]
        # Five tries on the name per address, and twelve from all addresses together.
        assert sum(WRONG in answer for answer in answers) == 12
        assert LOCKED in answers[5]  # the sixth from the first address
        assert AuditEntry.objects.filter(
            event="account.login_blocked_username_all_addresses"
        ).exists()
        # The name is locked for every browser that never completed a login of it ...
        assert LOCKED in attempt(Client(), password=PASSWORD, address="192.0.2.10").content.decode()
        # ... but the real user's own browser gets in, both steps.
        assert complete_login(own, klantmanager, "192.0.2.10")
        # The real user's login does not give the guesser new tries.
        assert (
            LOCKED in attempt(attacker, password=PASSWORD, address="203.0.113.1").content.decode()
        )
        frozen_clock.shift(15 * 60 + 1)


@pytest.mark.django_db
def test_a_browser_is_known_for_the_name_that_logged_in_there_only(
    client, klantmanager, limits, rf
):
    own = Client()
    assert complete_login(own, klantmanager, "192.0.2.10")
    cookie = own.cookies[throttle.KNOWN_BROWSER_COOKIE].value

    request = rf.get("/", HTTP_COOKIE=f"{throttle.KNOWN_BROWSER_COOKIE}={cookie}")
    assert throttle.is_known_browser(request, "KM")
    assert not throttle.is_known_browser(request, "iemand-anders")
    forged = rf.get("/", HTTP_COOKIE=f"{throttle.KNOWN_BROWSER_COOKIE}=iemand-anders")
    assert not throttle.is_known_browser(forged, "iemand-anders")
    assert not throttle.is_known_browser(rf.get("/"), "km")
    # The password alone does not make a browser known.
    half = Client()
    assert passed_the_password(attempt(half, password=PASSWORD))
    assert throttle.KNOWN_BROWSER_COOKIE not in half.cookies


@pytest.mark.django_db
def test_a_guess_spread_over_many_addresses_is_stopped_without_a_known_browser(
    klantmanager, limits
):
    limits.LOGIN_MAX_FAILURES_PER_NAME_ALL_ADDRESSES = 8
    answers = [
        attempt(Client(), address=f"203.0.113.{number}").content.decode() for number in range(20)
    ]
    assert sum(WRONG in answer for answer in answers) == 8
    assert all(LOCKED in answer for answer in answers[8:])
    assert FailedLogin.objects.filter(username="km").count() == 8
    assert LOCKED in attempt(Client(), password=PASSWORD, address="192.0.2.99").content.decode()


@pytest.mark.django_db
def test_failures_older_than_the_window_are_deleted(client, klantmanager, limits, frozen_clock):
    for username in ("km", "andere", "derde"):
        attempt(client, username=username)
    frozen_clock.shift(10 * 60)
    attempt(client, username="vierde")
    assert FailedLogin.objects.count() == 4
    frozen_clock.shift(5 * 60 + 1)

    attempt(client, username="vijfde")
    assert sorted(FailedLogin.objects.values_list("username", flat=True)) == ["vierde", "vijfde"]
    frozen_clock.shift(15 * 60 + 1)
    assert throttle.forget_old() == 2
    assert not FailedLogin.objects.exists()


@pytest.mark.django_db
def test_the_lock_on_a_name_ends_one_window_after_the_failures(
    client, klantmanager, limits, frozen_clock
):
    for _ in range(5):
        attempt(client)
    frozen_clock.shift(10 * 60)
    # Refused attempts during the lock are not failures: they cannot keep the lock going.
    for _ in range(3):
        assert LOCKED in attempt(client).content.decode()
    assert FailedLogin.objects.count() == 5
    frozen_clock.shift(5 * 60 + 1)

    assert passed_the_password(attempt(client, password=PASSWORD))


@pytest.mark.django_db
def test_a_lock_on_an_address_refuses_that_address_only(client, klantmanager, limits):
    limits.LOGIN_MAX_FAILURES_PER_IP = 3
    for username in ("a", "b", "c"):
        assert WRONG in attempt(client, username=username).content.decode()

    # From that address nobody gets in, not even with the right password ...
    assert LOCKED in attempt(client, password=PASSWORD).content.decode()
    assert AuditEntry.objects.filter(event="account.login_blocked_address").count() == 1
    # ... but the same user from another address does, and the names tried are not locked.
    assert passed_the_password(attempt(Client(), password=PASSWORD, address="198.51.100.9"))
    UserFactory(username="a")
    assert passed_the_password(attempt(Client(), "a", PASSWORD, address="198.51.100.9"))


@pytest.mark.django_db
def test_x_forwarded_for_is_believed_only_from_a_trusted_proxy(client, klantmanager, limits):
    limits.LOGIN_MAX_FAILURES_PER_IP = 3
    # A client that names a different address each time, directly (not through the proxy):
    # the header is ignored and all failures count for its own address.
    for number in range(3):
        client.post(
            reverse("login"),
            {"username": f"naam{number}", "password": "fout"},
            REMOTE_ADDR="192.0.2.1",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{number}",
        )
    assert set(FailedLogin.objects.values_list("ip_address", flat=True)) == {"192.0.2.1"}
    refused = client.post(
        reverse("login"),
        {"username": "km", "password": PASSWORD},
        REMOTE_ADDR="192.0.2.1",
        HTTP_X_FORWARDED_FOR="203.0.113.99",
    )
    assert LOCKED in refused.content.decode()
    # The addresses it named were never charged: through the proxy, one of them gets in.
    assert passed_the_password(attempt(Client(), password=PASSWORD, address="203.0.113.0"))


@pytest.mark.django_db
def test_a_completed_login_clears_the_names_failures_from_its_address_only(
    client, klantmanager, limits
):
    from ontzorg.accounts.services import next_code
    from ontzorg.conftest import totp_device

    device = totp_device(klantmanager)
    for username in ("km", "km", "km", "andere", "derde"):
        attempt(client, username=username)
    attempt(Client(), address="198.51.100.3")
    assert passed_the_password(attempt(client, password=PASSWORD))
    client.post(
        reverse("login_code"),
        {"code": next_code(device)},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )

    assert client.get("/").status_code == 200
    # The name's failures from this address go; those from elsewhere stay.
    assert list(FailedLogin.objects.filter(username="km").values_list("ip_address", flat=True)) == [
        "198.51.100.3"
    ]
    # The address keeps the failures it made on other names.
    assert FailedLogin.objects.filter(ip_address="203.0.113.7").count() == 2


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL concurrency")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("spread", [False, True], ids=["one-address", "many-addresses"])
def test_parallel_attempts_get_no_more_tries_than_the_limit(limits, spread):
    """From one address the limit on the name from that address holds; spread over many
    addresses the limit on the name from all addresses together does."""
    limits.LOGIN_MAX_FAILURES_PER_IP = 100
    limits.LOGIN_MAX_FAILURES_PER_NAME_ALL_ADDRESSES = 5 if spread else 100
    UserFactory(username="km")
    parallel = 16
    barrier = threading.Barrier(parallel)
    answers = []

    def guess(number):
        try:
            barrier.wait()
            address = f"203.0.113.{number}" if spread else "203.0.113.7"
            answers.append(attempt(Client(), address=address).content.decode())
        finally:
            connection.close()

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(parallel)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(answers) == parallel
    tried = sum(WRONG in answer for answer in answers)
    assert 1 <= tried <= 5
    assert sum(LOCKED in answer for answer in answers) == parallel - tried
    assert AuditEntry.objects.filter(event="account.login_failed").count() == tried
    assert FailedLogin.objects.filter(username="km").count() == tried


@pytest.mark.django_db
def test_begin_reserves_and_refuses_without_a_request(limits):
    limits.LOGIN_MAX_FAILURES = 1
    limits.LOGIN_MAX_FAILURES_PER_NAME_ALL_ADDRESSES = 2
    first = throttle.begin("Iemand", "192.0.2.5")
    assert first.refused == "" and first.username == "iemand"
    assert throttle.begin("iemand", "192.0.2.5").refused == throttle.USERNAME
    assert throttle.begin("iemand", "192.0.2.6").refused == ""
    assert throttle.begin("iemand", "192.0.2.7").refused == throttle.USERNAME_ALL_ADDRESSES
    known = throttle.begin("iemand", "192.0.2.7", known_browser=True)
    assert known.refused == ""
    throttle.succeeded(known)
    throttle.succeeded(first)
    assert throttle.begin("iemand", "192.0.2.5").refused == ""
