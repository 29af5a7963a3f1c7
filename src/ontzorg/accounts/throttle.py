"""Login throttling: a name is locked per client address, an address for every name, and a
name from all addresses together only at a much higher limit that a known browser escapes.

Every attempt (a password, a code in the second step, or the current password when the user
changes it) is first stored as a `FailedLogin` row, in its own committed statement, and only
then are the recent rows counted: two attempts at the same moment therefore each count the
other, and no more than the limit get through within ``LOGIN_FAILURE_WINDOW_SECONDS``, however
many arrive in parallel. The limits:

- ``LOGIN_MAX_FAILURES`` on one name from one address;
- ``LOGIN_MAX_FAILURES_PER_IP`` from one address, on any names;
- ``LOGIN_MAX_FAILURES_PER_NAME_ALL_ADDRESSES`` on one name from all addresses together (a
  guess spread over many addresses), except in a *known browser*: one that completed a login
  (password and second factor) of that name before, shown by a signed cookie (OWASP's device
  cookie). Whoever guesses from other addresses can therefore never lock the real user out of
  the browser they always use.

An attempt that succeeds removes its row; one that is refused removes it as well, so a refused
attempt never extends a lock: a lock ends at the latest one window after the failures that
caused it. Rows older than the window are deleted at every attempt (`forget_old`).

The client address comes from the request context (``core.context``: ``X-Forwarded-For`` is
believed only from a ``TRUSTED_PROXIES`` address)."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from ontzorg.audit.services import record

from . import events
from .models import FailedLogin

USERNAME = "username"
USERNAME_ALL_ADDRESSES = "username_all_addresses"
ADDRESS = "address"
REFUSAL_EVENTS = {
    USERNAME: events.LOGIN_BLOCKED_USERNAME,
    USERNAME_ALL_ADDRESSES: events.LOGIN_BLOCKED_USERNAME_ALL_ADDRESSES,
    ADDRESS: events.LOGIN_BLOCKED_ADDRESS,
}

KNOWN_BROWSER_COOKIE = "ontzorg_known_browser"
_KNOWN_BROWSER_SALT = "ontzorg.accounts.throttle.known_browser"


@dataclass(frozen=True)
class Attempt:
    username: str
    ip_address: str | None
    row_id: int | None
    # One of USERNAME, USERNAME_ALL_ADDRESSES, ADDRESS when the attempt was refused, else "".
    refused: str = ""


def normalise(username: str) -> str:
    return username.strip().lower()[:150]


def _window_start():
    return timezone.now() - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)


def forget_old() -> int:
    """Delete the failures that no longer count (older than the window); how many went."""
    deleted, _ = FailedLogin.objects.filter(at__lt=_window_start()).delete()
    return deleted


def begin(username: str, ip_address: str | None, *, known_browser: bool = False) -> Attempt:
    """Reserve an attempt for `username` from `ip_address`; `refused` says whether it may go
    on. Call `succeeded` when it succeeds; the row of a failed attempt stays and counts.
    `known_browser`: the attempt comes from a browser that completed a login of this name
    (`is_known_browser`), which the lock on the name from all addresses does not refuse."""
    name = normalise(username)
    forget_old()
    row = FailedLogin.objects.create(username=name, ip_address=ip_address)
    recent = FailedLogin.objects.filter(at__gte=_window_start())
    of_name = recent.filter(username=name)
    refused = ""
    if of_name.filter(ip_address=ip_address).count() > settings.LOGIN_MAX_FAILURES:
        refused = USERNAME
    elif not known_browser and of_name.count() > settings.LOGIN_MAX_FAILURES_PER_NAME_ALL_ADDRESSES:
        refused = USERNAME_ALL_ADDRESSES
    elif (
        ip_address
        and recent.filter(ip_address=ip_address).count() > settings.LOGIN_MAX_FAILURES_PER_IP
    ):
        refused = ADDRESS
    if refused:
        row.delete()
        record(None, REFUSAL_EVENTS[refused], object_type="accounts.User", username=username[:100])
        return Attempt(name, ip_address, None, refused)
    return Attempt(name, ip_address, row.pk)


def succeeded(attempt: Attempt, *, clear_username: bool = False) -> None:
    """The attempt succeeded: its row goes; with `clear_username` (a completed login, both
    factors) the name's earlier failures from the same address go too (the user's own typos).
    The name's failures from other addresses stay, so the real user's login does not give
    whoever guesses elsewhere new tries; and an address's failures on other names stay, so a
    valid account of one's own does not reset the count of an address that guesses others."""
    FailedLogin.objects.filter(pk=attempt.row_id).delete()
    if clear_username:
        FailedLogin.objects.filter(
            username=attempt.username, ip_address=attempt.ip_address
        ).delete()


def remember_browser(response, username: str) -> None:
    """After a completed login (password and second factor): mark the browser as a known one
    for `username` (one name per browser; a later login of another name replaces it)."""
    response.set_signed_cookie(
        KNOWN_BROWSER_COOKIE,
        normalise(username),
        salt=_KNOWN_BROWSER_SALT,
        max_age=settings.LOGIN_KNOWN_BROWSER_DAYS * 24 * 60 * 60,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def is_known_browser(request, username: str) -> bool:
    """Whether `request` comes from a browser that completed a login of `username`."""
    if request is None:
        return False
    # A missing, forged or expired cookie gives the default.
    value = request.get_signed_cookie(
        KNOWN_BROWSER_COOKIE,
        default=None,
        salt=_KNOWN_BROWSER_SALT,
        max_age=settings.LOGIN_KNOWN_BROWSER_DAYS * 24 * 60 * 60,
    )
    return value is not None and value == normalise(username)
