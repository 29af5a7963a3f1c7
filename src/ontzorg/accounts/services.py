"""The second factor of every login: one TOTP device per user (an authenticator app) and ten
single-use recovery codes (django-otp's ``otp_totp`` and ``otp_static``), plus the audit of
logins and of a user's own password change.

A user without a confirmed TOTP device sets one up at the next login (`new_device`,
`confirm_device`); after that every login needs a code from it or a recovery code
(`verify_second_factor`). A code in the second step counts for the login throttle as a
password does (``accounts.throttle``), and django-otp throttles each device on top of that."""

import django_otp
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.oath import TOTP, hotp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ontzorg.audit.services import record
from ontzorg.core import context
from ontzorg.exceptions import Refused

from . import events, throttle

RECOVERY_CODES = 10
TOTP_NAME = "authenticator-app"
RECOVERY_NAME = "herstelcodes"
TOTP_LENGTH = 6


def totp_device(user) -> TOTPDevice | None:
    """The user's confirmed TOTP device, if any."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("pk").first()


def new_device(user) -> TOTPDevice:
    """A fresh, unconfirmed TOTP device with a random secret, for the setup page; earlier
    unconfirmed ones go. Refused when the user has a confirmed device already: replacing it
    would be a way around the second factor (the beheerder removes a lost one in /beheer/)."""
    if totp_device(user) is not None:
        raise Refused(_("You have already set up an authenticator app."))
    TOTPDevice.objects.devices_for_user(user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


def unconfirmed_device(user, device_id) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=False).filter(pk=device_id).first()


def _normalise(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def confirm_device(user, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm `device` with a code from the app. Returns the new recovery codes (the only
    time they are shown; earlier ones stop working), or None when the code is wrong."""
    with transaction.atomic():
        if totp_device(user) is not None:
            raise Refused(_("You have already set up an authenticator app."))
        if django_otp.verify_token(user, device.persistent_id, _normalise(code)) is None:
            return None
        device.refresh_from_db()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _new_recovery_codes(user)
        record(user, events.DEVICE_CONFIRMED, user, username=user.get_username(), codes=len(codes))
    return codes


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.devices_for_user(user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def verify_second_factor(user, code: str, *, known_browser: bool = False):
    """The device that accepts `code` (six digits: the app; otherwise a recovery code, which
    is then used up), or None. Counted by the login throttle; raises `Refused` when the name
    or address is locked (`known_browser`: see `throttle.begin`)."""
    attempt = throttle.begin(
        user.get_username(), context.current().ip_address, known_browser=known_browser
    )
    if attempt.refused:
        raise Refused(throttle_message())
    code = _normalise(code)
    is_app_code = len(code) == TOTP_LENGTH and code.isdigit()
    model = TOTPDevice if is_app_code else StaticDevice
    for device in model.objects.devices_for_user(user, confirmed=True).order_by("pk"):
        if django_otp.verify_token(user, device.persistent_id, code) is not None:
            throttle.succeeded(attempt, clear_username=True)
            if is_app_code:
                factor = _("the authenticator app")
            else:
                factor = _("a recovery code")
                remaining = StaticToken.objects.filter(device=device).count()
                record(
                    user,
                    events.RECOVERY_CODE_USED,
                    user,
                    username=user.get_username(),
                    remaining=remaining,
                )
            record(user, events.LOGGED_IN, user, username=user.get_username(), factor=factor)
            return device
    record(user, events.SECOND_FACTOR_FAILED, user, username=user.get_username())
    return None


def throttle_message() -> str:
    return _(
        "Too many failed attempts. Wait a quarter of an hour and try again, or "
        "contact the administrator."
    )


def password_accepted(user) -> None:
    record(user, events.PASSWORD_ACCEPTED, user, username=user.get_username())


def password_changed(user) -> None:
    record(user, events.PASSWORD_CHANGED, user, username=user.get_username())


def next_code(device: TOTPDevice) -> str:
    """A code `device` accepts now and has not seen yet: what the authenticator app shows,
    or, when that code was just used, the next one (within the device's tolerance). For the
    demo's ``manage.py totp_code`` and the tests' browser login; never shown by a page."""
    device.refresh_from_db()
    now = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).t()
    step = max(now, device.last_t + 1)
    if step > now + device.tolerance:
        raise Refused(_("This code has been used already; wait half a minute."))
    return str(hotp(device.bin_key, step, device.digits)).zfill(device.digits)
