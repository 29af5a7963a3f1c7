"""Audit events of the monitor: measurement moments, snapshots and the evaluators' export."""

from django.utils.translation import gettext_lazy as _

from ontzorg.audit.events import Action, Event

MOMENT_CREATED = Event(
    "monitor.moment_created", Action.CREATE, _("meetmoment %(moment)s voor %(region)s")
)
SNAPSHOT_BUILT = Event(
    "monitor.snapshot_built",
    Action.CREATE,
    _("momentopname %(moment)s van %(region)s (%(rows)s deelnemers)"),
)
EXPORTED = Event(
    "monitor.exported", Action.EXPORT, _("evaluatie-export %(scope)s (%(part)s, %(rows)s rijen)")
)
