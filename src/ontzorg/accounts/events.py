"""Audit events of accounts (see ``ontzorg.audit.events``): logins, their failures and
lockouts, the second factor and the user's own password."""

from django.utils.translation import gettext_lazy as _

from ontzorg.audit.events import Action, Event

LOGIN_FAILED = Event(
    "account.login_failed", Action.LOGIN_FAILED, _("failed login for '%(username)s'")
)
LOGIN_BLOCKED_USERNAME = Event(
    "account.login_blocked_username",
    Action.LOGIN_BLOCKED,
    _("login for '%(username)s' refused: too many failed attempts for this name"),
)
LOGIN_BLOCKED_USERNAME_ALL_ADDRESSES = Event(
    "account.login_blocked_username_all_addresses",
    Action.LOGIN_BLOCKED,
    _(
        "login for '%(username)s' refused: too many failed attempts for this "
        "name from all addresses together"
    ),
)
LOGIN_BLOCKED_ADDRESS = Event(
    "account.login_blocked_address",
    Action.LOGIN_BLOCKED,
    _("login for '%(username)s' refused: too many failed attempts from this address"),
)
PASSWORD_ACCEPTED = Event(
    "account.password_accepted",
    Action.UPDATE,
    _("password of '%(username)s' correct; the second step was asked"),
)
LOGGED_IN = Event(
    "account.logged_in", Action.UPDATE, _("'%(username)s' logged in with password and %(factor)s")
)
SECOND_FACTOR_FAILED = Event(
    "account.second_factor_failed",
    Action.LOGIN_FAILED,
    _("wrong code in the second step of the login of '%(username)s'"),
)
DEVICE_CONFIRMED = Event(
    "account.device_confirmed",
    Action.UPDATE,
    _("authenticator app set up for '%(username)s', with %(codes)s new recovery codes"),
)
RECOVERY_CODE_USED = Event(
    "account.recovery_code_used",
    Action.UPDATE,
    _("recovery code used by '%(username)s' (%(remaining)s left)"),
)
PASSWORD_CHANGE_FAILED = Event(
    "account.password_change_failed",
    Action.LOGIN_FAILED,
    _("'%(username)s' gave a wrong current password when changing the password"),
)
PASSWORD_CHANGED = Event(
    "account.password_changed",
    Action.UPDATE,
    _("'%(username)s' changed their own password"),
)
