"""Audit events of the guidance app."""

from django.utils.translation import gettext_lazy as _

from ontzorg.audit.events import Action, Event

CONTACT_RECORDED = Event(
    "guidance.contact_recorded",
    Action.CREATE,
    _("contact vastgelegd: %(kind)s, %(minutes)s min"),
)
ACTIVITY_PLANNED = Event(
    "guidance.activity_planned", Action.CREATE, _("activiteit gepland: %(activity)s")
)
SESSION_PLANNED = Event(
    "guidance.session_planned", Action.CREATE, _("bijeenkomst gepland: %(session)s")
)
ENROLLED = Event("guidance.enrolled", Action.CREATE, _("aangemeld voor %(activity)s"))
ATTENDANCE_RECORDED = Event(
    "guidance.attendance_recorded", Action.CREATE, _("%(presence)s: %(session)s")
)
ATTENDANCE_CHANGED = Event(
    "guidance.attendance_changed", Action.UPDATE, _("%(presence)s: %(session)s")
)
CONDITION_RECORDED = Event(
    "guidance.condition_recorded", Action.CREATE, _("voorziening vastgelegd: %(kind)s")
)
