"""Audit events of the monitor: measurement moments, snapshots and the evaluators' export."""

from django.utils.translation import gettext_lazy as _

from ontzorg.audit.events import Action, Event

MOMENT_CREATED = Event(
    "monitor.moment_created", Action.CREATE, _("measurement moment %(moment)s for %(region)s")
)
SNAPSHOT_BUILT = Event(
    "monitor.snapshot_built",
    Action.CREATE,
    _("snapshot %(moment)s of %(region)s (%(rows)s participants)"),
)
EXPORTED = Event(
    "monitor.exported", Action.EXPORT, _("evaluation export %(scope)s (%(part)s, %(rows)s rows)")
)
