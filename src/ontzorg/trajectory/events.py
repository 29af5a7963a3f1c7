"""Audit events of the trajectory app."""

from django.utils.translation import gettext_lazy as _

from ontzorg.audit.events import Action, Event

EVALUATION_RECORDED = Event(
    "trajectory.evaluation_recorded", Action.DECISION, _("evaluation: %(outcome)s")
)
LINE_HANDED_BACK = Event(
    "trajectory.line_handed_back",
    Action.DECISION,
    _("phase-out step %(order)s: pays %(line)s themselves from %(from_on)s"),
)
MONTHLY_ALLOWANCE = Event(
    "trajectory.monthly_allowance",
    Action.UPDATE,
    _("phase-out: monthly instead of weekly allowance from %(from_on)s"),
)
JOB_RECORDED = Event(
    "trajectory.job_recorded",
    Action.CREATE,
    _("outflow to %(kind)s at %(employer)s from %(starts_on)s"),
)
REOPENED = Event(
    "trajectory.reopened", Action.DECISION, _("case reopened, new plan from %(start_on)s")
)
NAZORG_EXPIRED = Event("trajectory.nazorg_expired", Action.UPDATE, _("nazorg over, case closed"))
HANDOVER_CHECKED = Event(
    "trajectory.handover_checked",
    Action.CREATE,
    _("handover check of %(line)s (%(moment)s): %(result)s"),
)
