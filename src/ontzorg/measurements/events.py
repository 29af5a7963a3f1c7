"""Audit events of the measurements app."""

from django.utils.translation import gettext_lazy as _

from ontzorg.audit.events import Action, Event

MEASUREMENT_RECORDED = Event(
    "measurement.recorded", Action.CREATE, _("%(moment)s recorded: %(level)s")
)
