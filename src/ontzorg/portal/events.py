"""Audit events of the participant's personal page: every login, refusal, logout and view."""

from django.utils.translation import gettext_lazy as _

from ontzorg.audit.events import Action, Event

LOGGED_IN = Event("portal.logged_in", Action.VIEW, _("logged in on the personal page with DigiD"))
LOGIN_REFUSED = Event(
    "portal.login_refused",
    Action.LOGIN_FAILED,
    _("DigiD login on the personal page refused (%(reason)s)"),
)
LOGGED_OUT = Event("portal.logged_out", Action.VIEW, _("logged out of the personal page"))
PAGE_VIEWED = Event("portal.viewed", Action.VIEW, _("personal page viewed: %(what)s"))
