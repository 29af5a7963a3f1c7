"""Audit events of accounts (see ``ontzorg.audit.events``)."""

from django.utils.translation import gettext_lazy as _

from ontzorg.audit.events import Action, Event

LOGIN_FAILED = Event(
    "account.login_failed", Action.LOGIN_FAILED, _("mislukte aanmelding voor '%(username)s'")
)
