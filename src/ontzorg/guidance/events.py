"""Audit events of the guidance app."""

from django.utils.translation import gettext_lazy as _

from ontzorg.audit.events import Action, Event

CONTACT_RECORDED = Event(
    "guidance.contact_recorded",
    Action.CREATE,
    _("contact recorded: %(kind)s, %(minutes)s min"),
)
ACTIVITY_PLANNED = Event(
    "guidance.activity_planned", Action.CREATE, _("activity planned: %(activity)s")
)
SESSION_PLANNED = Event(
    "guidance.session_planned", Action.CREATE, _("session planned: %(session)s")
)
ENROLLED = Event("guidance.enrolled", Action.CREATE, _("enrolled in %(activity)s"))
ATTENDANCE_RECORDED = Event(
    "guidance.attendance_recorded", Action.CREATE, _("%(presence)s: %(session)s")
)
ATTENDANCE_CHANGED = Event(
    "guidance.attendance_changed", Action.UPDATE, _("%(presence)s: %(session)s")
)
CONDITION_RECORDED = Event(
    "guidance.condition_recorded", Action.CREATE, _("practical condition recorded: %(kind)s")
)
REFERRAL_RECORDED = Event(
    "guidance.referral_recorded", Action.CREATE, _("referral recorded: %(referral)s")
)
REFERRAL_STATUS_CHANGED = Event(
    "guidance.referral_status_changed",
    Action.UPDATE,
    _("referral %(referral)s: %(status)s"),
)
