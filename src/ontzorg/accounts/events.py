"""Audit events of accounts (see ``ontzorg.audit.events``): logins, their failures and
lockouts, the second factor and the user's own password."""

from django.utils.translation import gettext_lazy as _

from ontzorg.audit.events import Action, Event

LOGIN_FAILED = Event(
    "account.login_failed", Action.LOGIN_FAILED, _("mislukte aanmelding voor '%(username)s'")
)
LOGIN_BLOCKED_USERNAME = Event(
    "account.login_blocked_username",
    Action.LOGIN_BLOCKED,
    _("aanmelding voor '%(username)s' geweigerd: te veel mislukte pogingen voor deze naam"),
)
LOGIN_BLOCKED_USERNAME_ALL_ADDRESSES = Event(
    "account.login_blocked_username_all_addresses",
    Action.LOGIN_BLOCKED,
    _(
        "aanmelding voor '%(username)s' geweigerd: te veel mislukte pogingen voor deze naam "
        "vanaf alle adressen samen"
    ),
)
LOGIN_BLOCKED_ADDRESS = Event(
    "account.login_blocked_address",
    Action.LOGIN_BLOCKED,
    _("aanmelding voor '%(username)s' geweigerd: te veel mislukte pogingen vanaf dit adres"),
)
PASSWORD_ACCEPTED = Event(
    "account.password_accepted",
    Action.UPDATE,
    _("wachtwoord van '%(username)s' juist; de tweede stap is gevraagd"),
)
LOGGED_IN = Event(
    "account.logged_in", Action.UPDATE, _("'%(username)s' aangemeld met wachtwoord en %(factor)s")
)
SECOND_FACTOR_FAILED = Event(
    "account.second_factor_failed",
    Action.LOGIN_FAILED,
    _("verkeerde code in de tweede stap van de aanmelding van '%(username)s'"),
)
DEVICE_CONFIRMED = Event(
    "account.device_confirmed",
    Action.UPDATE,
    _("authenticator-app ingesteld voor '%(username)s', met %(codes)s nieuwe herstelcodes"),
)
RECOVERY_CODE_USED = Event(
    "account.recovery_code_used",
    Action.UPDATE,
    _("herstelcode gebruikt door '%(username)s' (nog %(remaining)s over)"),
)
PASSWORD_CHANGE_FAILED = Event(
    "account.password_change_failed",
    Action.LOGIN_FAILED,
    _("'%(username)s' gaf een verkeerd huidig wachtwoord bij het wijzigen van het wachtwoord"),
)
PASSWORD_CHANGED = Event(
    "account.password_changed",
    Action.UPDATE,
    _("'%(username)s' heeft het eigen wachtwoord gewijzigd"),
)
