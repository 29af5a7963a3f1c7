"""Audit events of the demo data."""

from django.utils.translation import gettext_lazy as _

from ontzorg.audit.events import Action, Event

LOADED = Event(
    "demo.loaded",
    Action.CREATE,
    _("demodata geladen: %(participants)s deelnemers in %(households)s huishoudens"),
)
